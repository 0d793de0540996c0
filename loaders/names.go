package loaders

import (
	"sort"
	"strings"
	"unicode"

	"tradegraph/graph/model"
)

// Resolution is how the names of one document resolve against the known entities.
type Resolution struct {
	// Mentions maps each known entity the document names to the numbers of the
	// sentences that name it.
	Mentions map[string][]int
	// Adjectival maps an entity to the sentences that name it only by an
	// adjective or demonym ("Chinese goods", "U.S. officials"): a subset of its
	// Mentions.
	Adjectival map[string][]int
	// Candidates are the capitalised names no known entity matched, titles split
	// off, possessives stripped; weekdays, months, bare titles and words
	// capitalised only because they open a sentence are never among them.
	Candidates []Candidate
	// Ambiguous lists short names left unlinked: "Wang: Wang Wentao, Wang Yi".
	Ambiguous []string
}

// Candidate is a capitalised name in a document that no known entity matched: a
// suggestion for an analyst to curate, with a guessed subtype and the role its
// title gave ("Scott Bessent", PERSON, "Treasury Secretary").
type Candidate struct {
	Text      string
	Type      string
	Role      string
	Sentences []int
}

// ResolveNames finds the known entities that doc names: by name and alias
// (longest first), by the family name of a person when only one person known or
// named in the document has it ("Xi" is Xi Jinping), and by the adjective of a
// country ("Chinese"). It is the name resolution of drafting, without the noun
// phrases and patterns.
func ResolveNames(doc model.DocumentRecord, known []KnownEntity) Resolution {
	d := newDrafter(doc, known)
	d.shortForms(d.names())
	res := Resolution{Mentions: map[string][]int{}, Adjectival: map[string][]int{}}
	named := map[string]map[int]bool{} // entity -> sentences with a non-adjectival mention
	cands := map[*entity][]int{}
	for _, s := range d.sents {
		for _, sp := range s.spans {
			for _, e := range sp.ents {
				switch {
				case e.known:
					if l := res.Mentions[e.rec.ID]; len(l) == 0 || l[len(l)-1] != s.n {
						res.Mentions[e.rec.ID] = append(l, s.n)
					}
					if !sp.adjectival {
						if named[e.rec.ID] == nil {
							named[e.rec.ID] = map[int]bool{}
						}
						named[e.rec.ID][s.n] = true
					}
				default:
					if l := cands[e]; len(l) == 0 || l[len(l)-1] != s.n {
						cands[e] = append(l, s.n)
					}
				}
			}
		}
	}
	for id, sents := range res.Mentions {
		for _, n := range sents {
			if !named[id][n] {
				res.Adjectival[id] = append(res.Adjectival[id], n)
			}
		}
	}
	for _, e := range d.order {
		if ss, ok := cands[e]; ok {
			res.Candidates = append(res.Candidates, Candidate{Text: e.rec.Name, Type: e.rec.Type, Role: e.rec.Role, Sentences: ss})
		}
	}
	sort.SliceStable(res.Candidates, func(i, j int) bool { return res.Candidates[i].Sentences[0] < res.Candidates[j].Sentences[0] })
	for w, ns := range d.ambiguous {
		res.Ambiguous = append(res.Ambiguous, w+": "+strings.Join(ns, ", "))
	}
	sort.Strings(res.Ambiguous)
	return res
}

// KnownFromNames turns the names and aliases of the graph's entities (the
// entity's name first) into known entities. The graph gives their kinds; the
// subtypes name resolution needs are guessed: an actor named like a country of
// the gazetteer is a COUNTRY, one named like a person ("Howard Lutnick": two or
// three capitalised words, no organisation word) a PERSON.
func KnownFromNames(names []Name, kinds map[string]model.Kind) []KnownEntity {
	var out []KnownEntity
	at := map[string]int{}
	for _, n := range names {
		i, ok := at[n.EntityID]
		if !ok {
			k := KnownEntity{ID: n.EntityID, Kind: kinds[n.EntityID], Name: n.Text}
			if k.Kind == model.KindActor {
				if c, demonym, ok := model.CountryNamed(n.Text); ok && !demonym && model.NameKey(c.Name) == model.NameKey(n.Text) {
					k.Type = "COUNTRY"
				} else if personLike(n.Text) {
					k.Type = "PERSON"
				}
			}
			at[n.EntityID] = len(out)
			out = append(out, k)
			continue
		}
		out[i].Aliases = append(out[i].Aliases, n.Text)
	}
	return out
}

// personLike reports whether name reads like a person's: two or three
// capitalised words of letters, none of them an organisation's.
func personLike(name string) bool {
	words := strings.Fields(name)
	if len(words) < 2 || len(words) > 3 {
		return false
	}
	for _, w := range words {
		if _, org := orgWords[w]; org || !model.IsCapitalised(w) || strings.IndexFunc(w, func(r rune) bool { return !unicode.IsLetter(r) && r != '-' }) >= 0 {
			return false
		}
	}
	return true
}
