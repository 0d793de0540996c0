package model

import (
	"fmt"
	"slices"
	"strings"
	"unicode"
)

// Likely duplicates: entities of one kind whose names or aliases match once
// normalised, one abbreviates the other, they share most of their words, or they
// are a few typos apart. Pure scoring; the store only reads the names.

// NamedEntity is an entity as duplicate detection sees it.
type NamedEntity struct {
	ID, Kind, Name string
	Aliases        []string
}

// Suspect is a pair of entities that may be one, with why: the matches between
// their names, best first, and the best match's score, 0 to 1.
type Suspect struct {
	A, B     string
	Kind     string
	Score    float64
	Evidence []string
}

// The scores of each kind of match.
const (
	scoreSame    = 1.0  // equal once normalised
	scoreAcronym = 0.9  // "USA" and "United States of America"
	scoreTokens  = 0.8  // times the share of words in common (Jaccard)
	scoreSubset  = 0.75 // every word of a name of two words or more is in the other
	scoreEdit    = 0.85 // times the edit similarity, when it is at least minEditSim
	minEditSim   = 0.8
	// maxBlock is the most entities compared with each other for sharing one word:
	// a word that many share ("china") says little, and comparing them all is
	// quadratic.
	maxBlock = 200
)

// stopwords are left out of normalised names and acronyms.
var stopwords = map[string]bool{"the": true, "of": true, "and": true, "for": true, "on": true, "de": true, "la": true, "le": true}

// NormalizeName returns name in lower case, punctuation as spaces, stopwords
// dropped, words single-spaced: "The United States of America" -> "united states
// america".
func NormalizeName(name string) string {
	return strings.Join(nameTokens(name), " ")
}

func nameTokens(name string) []string {
	f := strings.FieldsFunc(strings.ToLower(strings.ReplaceAll(name, "&", " and ")), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '.'
	})
	var out []string
	for _, w := range f {
		w = strings.ReplaceAll(w, ".", "") // U.S. -> us
		if w != "" && !stopwords[w] {
			out = append(out, w)
		}
	}
	return out
}

// Acronym returns the initials of a name of at least two words ("usa"), or "".
func Acronym(name string) string {
	toks := nameTokens(name)
	if len(toks) < 2 {
		return ""
	}
	var b strings.Builder
	for _, t := range toks {
		r := []rune(t)
		b.WriteRune(r[0])
	}
	return b.String()
}

// NameMatch scores how likely two names name the same thing, 0 (not at all) to
// 1, and says why.
func NameMatch(x, y string) (float64, string) {
	nx, ny := NormalizeName(x), NormalizeName(y)
	if nx == "" || ny == "" {
		return 0, ""
	}
	if nx == ny {
		return scoreSame, fmt.Sprintf("%q = %q once normalised", x, y)
	}
	cx, cy := strings.ReplaceAll(nx, " ", ""), strings.ReplaceAll(ny, " ", "")
	if a := Acronym(y); len(cx) >= 2 && cx == a {
		return scoreAcronym, fmt.Sprintf("%q abbreviates %q", x, y)
	}
	if a := Acronym(x); len(cy) >= 2 && cy == a {
		return scoreAcronym, fmt.Sprintf("%q abbreviates %q", y, x)
	}
	best, why := 0.0, ""
	tx, ty := strings.Fields(nx), strings.Fields(ny)
	if j := jaccard(tx, ty); j > 0 {
		best, why = scoreTokens*j, fmt.Sprintf("%q and %q share %.0f%% of their words", x, y, 100*j)
	}
	if len(tx) > len(ty) {
		tx, ty, x, y = ty, tx, y, x
	}
	if len(tx) >= 2 && subset(tx, ty) && scoreSubset > best {
		best, why = scoreSubset, fmt.Sprintf("every word of %q is in %q", x, y)
	}
	if sim := EditSimilarity(cx, cy); sim >= minEditSim && scoreEdit*sim > best {
		best, why = scoreEdit*sim, fmt.Sprintf("%q and %q are %d edit(s) apart", x, y, levenshtein([]rune(cx), []rune(cy)))
	}
	return best, why
}

// EditSimilarity is 1 minus the edit distance over the longer length: 1 for equal
// strings, 0 for strings with nothing in place.
func EditSimilarity(a, b string) float64 {
	ra, rb := []rune(a), []rune(b)
	n := max(len(ra), len(rb))
	if n == 0 {
		return 1
	}
	return 1 - float64(levenshtein(ra, rb))/float64(n)
}

func levenshtein(a, b []rune) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// subset reports whether every word of a is in b.
func subset(a, b []string) bool {
	for _, w := range a {
		if !slices.Contains(b, w) {
			return false
		}
	}
	return true
}

func jaccard(a, b []string) float64 {
	set := map[string]int{}
	for _, w := range a {
		set[w] |= 1
	}
	for _, w := range b {
		set[w] |= 2
	}
	both := 0
	for _, v := range set {
		if v == 3 {
			both++
		}
	}
	if len(set) == 0 {
		return 0
	}
	return float64(both) / float64(len(set))
}

// Suspects returns the pairs of entities of one kind whose best name match scores
// at least minScore, best first (then by ids). Only entities that share a
// normalised word, an acronym or the first four letters are compared.
func Suspects(ents []NamedEntity, minScore float64) []Suspect {
	blocks := map[string][]int{}
	for i, e := range ents {
		keys := map[string]bool{}
		for _, n := range names(e) {
			for _, t := range nameTokens(n) {
				keys[t] = true
			}
			if a := Acronym(n); a != "" {
				keys[a] = true
			}
			if c := strings.ReplaceAll(NormalizeName(n), " ", ""); c != "" {
				keys["^"+string([]rune(c)[:min(4, len([]rune(c)))])] = true
			}
		}
		for k := range keys {
			blocks[e.Kind+"\x00"+k] = append(blocks[e.Kind+"\x00"+k], i)
		}
	}
	seen := map[[2]int]bool{}
	var out []Suspect
	for _, members := range blocks {
		if len(members) > maxBlock {
			continue
		}
		for x := 0; x < len(members); x++ {
			for y := x + 1; y < len(members); y++ {
				i, j := members[x], members[y]
				if ents[i].ID > ents[j].ID {
					i, j = j, i
				}
				if seen[[2]int{i, j}] || ents[i].ID == ents[j].ID {
					continue
				}
				seen[[2]int{i, j}] = true
				if s, ok := suspect(ents[i], ents[j], minScore); ok {
					out = append(out, s)
				}
			}
		}
	}
	slices.SortFunc(out, func(a, b Suspect) int {
		switch {
		case a.Score != b.Score:
			if a.Score > b.Score {
				return -1
			}
			return 1
		case a.A != b.A:
			return strings.Compare(a.A, b.A)
		}
		return strings.Compare(a.B, b.B)
	})
	return out
}

// suspect scores every name of a against every name of b.
func suspect(a, b NamedEntity, minScore float64) (Suspect, bool) {
	type match struct {
		score float64
		why   string
	}
	var ms []match
	for _, x := range names(a) {
		for _, y := range names(b) {
			if s, why := NameMatch(x, y); s >= minScore {
				m := match{s, fmt.Sprintf("%.2f %s", s, why)}
				if !slices.Contains(ms, m) {
					ms = append(ms, m)
				}
			}
		}
	}
	if len(ms) == 0 {
		return Suspect{}, false
	}
	slices.SortStableFunc(ms, func(p, q match) int {
		if p.score > q.score {
			return -1
		}
		if p.score < q.score {
			return 1
		}
		return 0
	})
	s := Suspect{A: a.ID, B: b.ID, Kind: a.Kind, Score: ms[0].score}
	for _, m := range ms[:min(3, len(ms))] {
		s.Evidence = append(s.Evidence, m.why)
	}
	return s, true
}

func names(e NamedEntity) []string {
	return append([]string{e.Name}, e.Aliases...)
}
