package model

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// abbreviations end with a period but do not end a sentence.
var abbreviations = map[string]bool{
	"U.S.": true, "U.K.": true, "U.N.": true, "E.U.": true, "Mr.": true, "Mrs.": true, "Ms.": true,
	"Dr.": true, "St.": true, "Jr.": true, "Sr.": true, "Inc.": true, "Co.": true, "Corp.": true,
	"Ltd.": true, "vs.": true, "e.g.": true, "i.e.": true, "No.": true, "Gen.": true, "Sen.": true,
	"Rep.": true, "Gov.": true, "Prof.": true, "Jan.": true, "Feb.": true, "Aug.": true, "Sept.": true,
	"Oct.": true, "Nov.": true, "Dec.": true,
}

// SplitSentences splits text into sentences, numbered from 1 by their index + 1.
// A sentence ends at a line break or at ".", "!" or "?" (optionally followed by a
// closing quote) when the next word starts with a capital, digit or opening quote,
// unless the word is a known abbreviation such as "U.S.". Whitespace inside a
// sentence is kept as written, so quotes copied from the text match it verbatim.
func SplitSentences(text string) []string {
	var out []string
	for _, line := range strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n") {
		words := strings.Split(line, " ")
		start := 0
		for i, w := range words {
			if !endsSentence(w) || abbreviations[w] {
				continue
			}
			if i+1 < len(words) && !startsSentence(words[i+1]) {
				continue
			}
			if s := strings.TrimSpace(strings.Join(words[start:i+1], " ")); s != "" {
				out = append(out, s)
			}
			start = i + 1
		}
		if s := strings.TrimSpace(strings.Join(words[start:], " ")); s != "" {
			out = append(out, s)
		}
	}
	return out
}

func endsSentence(w string) bool {
	w = strings.TrimRight(w, "\"'”’)")
	return strings.HasSuffix(w, ".") || strings.HasSuffix(w, "!") || strings.HasSuffix(w, "?")
}

func startsSentence(w string) bool {
	r, _ := utf8.DecodeRuneInString(w)
	return unicode.IsUpper(r) || unicode.IsDigit(r) || strings.ContainsRune("\"“‘'(", r)
}
