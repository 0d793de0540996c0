package loaders

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// token is one word or punctuation mark of a sentence, with its byte offsets. A
// possessive ending is a token of its own ("China", "’s"), and so is a virtual
// "'s" after a possessive pronoun ("its"), so that patterns read "its ministry"
// as they read "China's ministry".
type token struct {
	text       string
	low        string // lower case, typographic apostrophes as ASCII
	start, end int
}

func isWordByte(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }

var possessivePronouns = map[string]bool{"its": true, "his": true, "her": true, "their": true}

// tokenize splits a sentence into tokens.
func tokenize(s string) []token {
	var out []token
	add := func(start, end int) {
		t := s[start:end]
		out = append(out, token{text: t, low: strings.ReplaceAll(strings.ToLower(t), "’", "'"), start: start, end: end})
	}
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		switch {
		case unicode.IsSpace(r):
			i += n
		case isWordByte(r):
			j := i + n
			for j < len(s) {
				r2, n2 := utf8.DecodeRuneInString(s[j:])
				if isWordByte(r2) {
					j += n2
					continue
				}
				// Inner hyphens, periods of abbreviations and apostrophes stay in the word.
				if r2 == '-' || r2 == '.' || r2 == '\'' || r2 == '’' {
					if r3, _ := utf8.DecodeRuneInString(s[j+n2:]); j+n2 < len(s) && isWordByte(r3) {
						j += n2
						continue
					}
				}
				break
			}
			word := s[i:j]
			// "U.S." keeps its last period.
			if strings.Contains(word, ".") && j < len(s) && s[j] == '.' {
				j++
				word = s[i:j]
			}
			// "China’s" -> "China" + "’s"; "countries’" stays whole.
			for _, suf := range []string{"'s", "’s"} {
				if strings.HasSuffix(word, suf) && len(word) > len(suf) {
					add(i, j-len(suf))
					add(j-len(suf), j)
					word = ""
					break
				}
			}
			if word != "" {
				add(i, j)
				if possessivePronouns[out[len(out)-1].low] {
					out = append(out, token{text: "", low: "'s", start: j, end: j})
				}
			}
			i = j
		default:
			add(i, i+n)
			i += n
		}
	}
	return out
}

// isPunct reports whether t is a punctuation token (or a virtual one).
func (t token) isPunct() bool {
	r, _ := utf8.DecodeRuneInString(t.text)
	return t.text == "" || !isWordByte(r)
}
