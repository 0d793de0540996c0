package loaders

import (
	"fmt"
	"io"
	"sort"
	"strings"

	"tradegraph/graph/model"
)

// Measure counts how a draft compares with a curated dataset on one aspect.
type Measure struct {
	Proposed int // items in the draft
	Correct  int // of those, items that match a curated one
	Curated  int // items in the curated dataset
	Found    int // of those, items that some draft item matches
}

// Precision is Correct / Proposed (0 when nothing was proposed).
func (m Measure) Precision() float64 { return ratio(m.Correct, m.Proposed) }

// Recall is Found / Curated (0 when nothing was curated).
func (m Measure) Recall() float64 { return ratio(m.Found, m.Curated) }

func ratio(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}

// Score is how a draft compares with a curated dataset of the same article.
type Score struct {
	Entities Measure
	// Relationships match on type, from and to; Endpoints on the two entities only,
	// in either order.
	Relationships, Endpoints Measure
	// Missed lists the curated relationships the draft did not propose; Wrong the
	// proposed ones that are not curated. For tuning, not for the score.
	Missed, Wrong []string
}

// ScoreDraft compares dr with gold. A drafted entity matches a curated one of the
// same kind when they share the same id (a known entity) or a name or alias
// after NameKey; failing that, when one's name contains the other's, word for
// word, and no other curated entity of the kind fits. Relationships are then
// compared through those matches.
func ScoreDraft(dr *Draft, gold CuratedFile) Score {
	var sc Score
	goldByID := map[string]model.EntityRecord{}
	for _, g := range gold.Entities {
		goldByID[g.ID] = g
	}
	match := map[string]string{} // draft id -> gold id
	for _, id := range dr.Known {
		if _, ok := goldByID[id]; ok {
			match[id] = id
		}
	}
	for _, e := range dr.Entities {
		if g, ok := alignEntity(e, gold.Entities); ok {
			match[e.ID] = g
		}
	}
	found := map[string]bool{}
	for _, g := range match {
		found[g] = true
	}
	sc.Entities = Measure{Proposed: len(dr.Entities) + len(dr.Known), Correct: len(match), Curated: len(gold.Entities), Found: len(found)}

	goldRels, goldPairs := map[string]bool{}, map[string]bool{}
	for _, r := range gold.Relationships {
		goldRels[r.Key()] = true
		goldPairs[pairKey(r.From, r.To)] = true
	}
	hitRels, hitPairs := map[string]bool{}, map[string]bool{}
	sc.Relationships = Measure{Proposed: len(dr.Relationships), Curated: len(goldRels)}
	sc.Endpoints = Measure{Proposed: len(dr.Relationships), Curated: len(goldPairs)}
	for _, r := range dr.Relationships {
		from, to := match[r.From], match[r.To]
		key := from + "|" + r.Type + "|" + to
		if goldRels[key] {
			sc.Relationships.Correct++
			hitRels[key] = true
		} else {
			sc.Wrong = append(sc.Wrong, fmt.Sprintf("s%d %s %s %s", r.Evidence[0].Sentence, r.Type, r.From, r.To))
		}
		if goldPairs[pairKey(from, to)] {
			sc.Endpoints.Correct++
			hitPairs[pairKey(from, to)] = true
		}
	}
	sc.Relationships.Found, sc.Endpoints.Found = len(hitRels), len(hitPairs)
	for _, r := range gold.Relationships {
		if !hitRels[r.Key()] {
			sc.Missed = append(sc.Missed, fmt.Sprintf("s%d %s %s %s", r.Evidence[0].Sentence, r.Type, r.From, r.To))
		}
	}
	return sc
}

func pairKey(a, b string) string {
	if a > b {
		a, b = b, a
	}
	return a + "|" + b
}

// alignEntity returns the curated entity that e matches, if any.
func alignEntity(e model.EntityRecord, gold []model.EntityRecord) (string, bool) {
	keys := nameKeys(e)
	var contained []string
	for _, g := range gold {
		if g.Kind != e.Kind {
			continue
		}
		gk := nameKeys(g)
		for _, k := range keys {
			for _, k2 := range gk {
				if k == k2 {
					return g.ID, true
				}
			}
		}
		if containsWords(keys, gk) {
			contained = append(contained, g.ID)
		}
	}
	if len(contained) == 1 {
		return contained[0], true
	}
	return "", false
}

func nameKeys(e model.EntityRecord) []string {
	out := []string{model.NameKey(e.Name)}
	for _, a := range e.Aliases {
		out = append(out, model.NameKey(a))
	}
	return out
}

// containsWords reports whether a name of one list holds a name of the other,
// word for word ("sweeping levies on foreign goods" holds "sweeping levies"). The
// name held must have two words at least: a one-word alias ("controls") would
// hold too much.
func containsWords(a, b []string) bool {
	for _, x := range a {
		for _, y := range b {
			short := x
			if len(y) < len(x) {
				short = y
			}
			if len(strings.Fields(short)) < 2 {
				continue
			}
			if strings.Contains(" "+x+" ", " "+y+" ") || strings.Contains(" "+y+" ", " "+x+" ") {
				return true
			}
		}
	}
	return false
}

// Print writes the score as analysts read it.
func (sc Score) Print(w io.Writer) {
	line := func(what string, m Measure) {
		fmt.Fprintf(w, "%-34s precision %.2f (%d of %d proposed)   recall %.2f (%d of %d curated)\n",
			what, m.Precision(), m.Correct, m.Proposed, m.Recall(), m.Found, m.Curated)
	}
	line("entities", sc.Entities)
	line("relationships (type, from, to)", sc.Relationships)
	line("relationships (endpoints only)", sc.Endpoints)
}

// PrintDetail writes the relationships missed and proposed wrongly, sorted.
func (sc Score) PrintDetail(w io.Writer) {
	for _, l := range []struct {
		what  string
		items []string
	}{{"missed", sc.Missed}, {"not curated", sc.Wrong}} {
		items := append([]string(nil), l.items...)
		sort.Strings(items)
		for _, it := range items {
			fmt.Fprintf(w, "%s: %s\n", l.what, it)
		}
	}
}
