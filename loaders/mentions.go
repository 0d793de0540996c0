package loaders

import (
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Name is one name or alias under which an entity can be mentioned.
type Name struct {
	Text     string
	EntityID string
}

// Matcher finds mentions of known entities in sentences: case-insensitive, on word
// boundaries, longest name first, so that "Xi Jinping" wins over "Jinping" and a span
// of text is attributed to one entity only. Names written in capitals of up to four
// letters ("US", "EU") match case-sensitively, so the pronoun "us" is not the US.
type Matcher struct {
	names []Name // longest first
}

// NewMatcher builds a matcher over names. When two entities share a name, the name
// is ambiguous and left out: linking it to either would be a guess.
func NewMatcher(names []Name) *Matcher {
	owner := map[string]string{}
	ambiguous := map[string]bool{}
	var out []Name
	for _, n := range names {
		t := strings.TrimSpace(n.Text)
		if t == "" {
			continue
		}
		key := strings.ToLower(t)
		if prev, ok := owner[key]; ok {
			if prev != n.EntityID {
				ambiguous[key] = true
			}
			continue
		}
		owner[key] = n.EntityID
		out = append(out, Name{Text: t, EntityID: n.EntityID})
	}
	kept := out[:0]
	for _, n := range out {
		if !ambiguous[strings.ToLower(n.Text)] {
			kept = append(kept, n)
		}
	}
	sort.SliceStable(kept, func(i, j int) bool {
		if li, lj := utf8.RuneCountInString(kept[i].Text), utf8.RuneCountInString(kept[j].Text); li != lj {
			return li > lj
		}
		return kept[i].Text < kept[j].Text
	})
	return &Matcher{names: kept}
}

// Span is a mention found in a sentence: byte offsets into the sentence.
type Span struct {
	Start, End int
	EntityID   string
}

// Find returns the mentions in sentence, in text order.
func (m *Matcher) Find(sentence string) []Span {
	lower := asciiFold(sentence)
	var spans []Span
	taken := make([]bool, len(sentence))
	for _, n := range m.names {
		hay, needle := lower, asciiFold(n.Text)
		if isAcronym(n.Text) {
			hay, needle = sentence, n.Text
		}
		for from := 0; from <= len(hay)-len(needle); {
			i := strings.Index(hay[from:], needle)
			if i < 0 {
				break
			}
			s, e := from+i, from+i+len(needle)
			from = s + 1
			if !wordBoundary(sentence, s, e) || anyTaken(taken, s, e) {
				continue
			}
			for k := s; k < e; k++ {
				taken[k] = true
			}
			spans = append(spans, Span{Start: s, End: e, EntityID: n.EntityID})
		}
	}
	sort.Slice(spans, func(i, j int) bool { return spans[i].Start < spans[j].Start })
	return spans
}

// Mentions returns, for each entity mentioned in sentences, the 1-based numbers of
// the sentences that mention it.
func (m *Matcher) Mentions(sentences []string) map[string][]int {
	out := map[string][]int{}
	for i, s := range sentences {
		seen := map[string]bool{}
		for _, sp := range m.Find(s) {
			if !seen[sp.EntityID] {
				seen[sp.EntityID] = true
				out[sp.EntityID] = append(out[sp.EntityID], i+1)
			}
		}
	}
	return out
}

// asciiFold lower-cases ASCII letters only, so byte offsets stay those of s.
func asciiFold(s string) string {
	return strings.Map(func(r rune) rune {
		if r < utf8.RuneSelf {
			return unicode.ToLower(r)
		}
		return r
	}, s)
}

func isAcronym(s string) bool {
	letters := 0
	for _, r := range s {
		if unicode.IsLetter(r) {
			if !unicode.IsUpper(r) {
				return false
			}
			letters++
		}
	}
	return letters > 0 && letters <= 4
}

func isWordRune(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }

func wordBoundary(s string, start, end int) bool {
	if start > 0 {
		r, _ := utf8.DecodeLastRuneInString(s[:start])
		if isWordRune(r) {
			return false
		}
	}
	if end < len(s) {
		r, _ := utf8.DecodeRuneInString(s[end:])
		if isWordRune(r) {
			return false
		}
	}
	return true
}

func anyTaken(taken []bool, s, e int) bool {
	for k := s; k < e; k++ {
		if taken[k] {
			return true
		}
	}
	return false
}
