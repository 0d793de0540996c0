package graph

import (
	"sort"
	"strings"

	"tradegraph/graph/model"
)

// rankPaths orders candidate paths best first and keeps up to n that differ from
// each other: shorter first, then higher lowest-confidence, then more evidence. A
// path is dropped when it walks the same intermediate entities as a kept one, or
// shares most of its relationships with one (Jaccard ≥ 0.6).
func rankPaths(cands []RawPath, n int) []model.Path {
	type scored struct {
		p        RawPath
		minConf  float64
		evidence int
	}
	ss := make([]scored, 0, len(cands))
	for _, p := range cands {
		s := scored{p: p, minConf: 1}
		for _, r := range p.Rels {
			s.minConf = min(s.minConf, r.Confidence)
			s.evidence += len(r.Evidence)
		}
		ss = append(ss, s)
	}
	sort.SliceStable(ss, func(i, j int) bool {
		a, b := ss[i], ss[j]
		if len(a.p.Rels) != len(b.p.Rels) {
			return len(a.p.Rels) < len(b.p.Rels)
		}
		if a.minConf != b.minConf {
			return a.minConf > b.minConf
		}
		if a.evidence != b.evidence {
			return a.evidence > b.evidence
		}
		// Last, a stable order that does not depend on how the database enumerated.
		return intermediates(a.p) < intermediates(b.p)
	})
	var kept []model.Path
	var keptRels []map[string]bool
	var keptVia []string
	for _, s := range ss {
		if len(kept) == n {
			break
		}
		rels := map[string]bool{}
		for _, r := range s.p.Rels {
			rels[r.ID] = true
		}
		via := intermediates(s.p)
		dup := false
		for i := range kept {
			if keptVia[i] == via || jaccard(rels, keptRels[i]) >= 0.6 {
				dup = true
				break
			}
		}
		if dup {
			continue
		}
		keptRels = append(keptRels, rels)
		keptVia = append(keptVia, via)
		kept = append(kept, buildPath(s.p, len(kept)+1, s.minConf))
	}
	return kept
}

func intermediates(p RawPath) string {
	ids := make([]string, 0, len(p.Nodes))
	for _, n := range p.Nodes {
		ids = append(ids, n.GetID())
	}
	return strings.Join(ids, ">")
}

func jaccard(a, b map[string]bool) float64 {
	inter := 0
	for k := range a {
		if b[k] {
			inter++
		}
	}
	union := len(a) + len(b) - inter
	if union == 0 {
		return 1
	}
	return float64(inter) / float64(union)
}

func buildPath(p RawPath, rank int, minConf float64) model.Path {
	out := model.Path{Rank: rank, Length: len(p.Rels), Nodes: p.Nodes, Confidence: minConf}
	for i, r := range p.Rels {
		out.Hops = append(out.Hops, model.Hop{Relationship: r, Forward: r.From.GetID() == p.Nodes[i].GetID()})
	}
	out.Explanation = Explain(p.Nodes, out.Hops)
	return out
}

// Explain says a path in one English sentence built from the relationship verbs:
// "Howard Lutnick confirmed the agreement, which eases China's restrictions, which
// restrict rare earth minerals". A hop walked against its direction becomes
// "<x>, which <y> <verb>" ("the agreement, which Xi Jinping must approve").
func Explain(nodes []model.Entity, hops []model.Hop) string {
	if len(nodes) == 0 {
		return ""
	}
	var b strings.Builder
	b.WriteString(nodes[0].GetName())
	for i, h := range hops {
		next := nodes[i+1].GetName()
		verb := h.Relationship.Verb
		switch {
		case i == 0 && h.Forward:
			b.WriteString(" " + verb + " " + next)
		case h.Forward:
			b.WriteString(", which " + verb + " " + next)
		default:
			b.WriteString(", which " + next + " " + verb)
		}
	}
	return b.String()
}
