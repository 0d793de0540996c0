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
	emit := func(s string) {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	for _, line := range strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n") {
		words := wordSpans(line)
		start := 0
		for i, w := range words {
			word := line[w[0]:w[1]]
			if !endsSentence(word) || abbreviations[word] {
				continue
			}
			if i+1 < len(words) && !startsSentence(line[words[i+1][0]:words[i+1][1]]) {
				continue
			}
			emit(line[start:w[1]])
			start = w[1]
		}
		emit(line[start:])
	}
	return out
}

// wordSpans returns the byte offsets [start, end) of the words of line, split at any
// run of white space (spaces, tabs, no-break spaces).
func wordSpans(line string) [][2]int {
	var spans [][2]int
	start := -1
	for i, r := range line {
		switch {
		case unicode.IsSpace(r) && start >= 0:
			spans = append(spans, [2]int{start, i})
			start = -1
		case !unicode.IsSpace(r) && start < 0:
			start = i
		}
	}
	if start >= 0 {
		spans = append(spans, [2]int{start, len(line)})
	}
	return spans
}

func endsSentence(w string) bool {
	w = strings.TrimRight(w, "\"'”’)")
	return strings.HasSuffix(w, ".") || strings.HasSuffix(w, "!") || strings.HasSuffix(w, "?")
}

func startsSentence(w string) bool {
	r, _ := utf8.DecodeRuneInString(w)
	return unicode.IsUpper(r) || unicode.IsDigit(r) || strings.ContainsRune("\"“‘'(", r)
}
