package graph

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// MaxSearchWord is the longest word, in characters, that a search (or a path
// endpoint given by name) may hold: the full-text index turns each word into an
// automaton over its UTF-8 bytes, and Lucene refuses one of about 1,000 bytes and
// more (500 two-byte characters pass, 900 fail). 200 characters of up to four
// bytes stay clear of it, and no name has a word that long.
const MaxSearchWord = 200

// checkSearchText refuses text (argument arg) holding a word longer than
// MaxSearchWord, before any database work. Words are split as the search splits
// them: at every character that is neither a letter nor a digit.
func checkSearchText(arg, text string) error {
	for _, w := range strings.FieldsFunc(text, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }) {
		if n := utf8.RuneCountInString(w); n > MaxSearchWord {
			return Errorf(EINVALID, "%s: a word of %d characters; at most %d per word", arg, n, MaxSearchWord)
		}
	}
	return nil
}
