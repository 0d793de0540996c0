package model

import (
	"strings"
	"testing"
)

// TestQuoteIsWholeCharacters: a quote that ends inside a multi-byte character
// matches the sentence's bytes but not its characters, and is refused.
func TestQuoteIsWholeCharacters(t *testing.T) {
	// "Ruritania’s" with ’ (U+2019, e2 80 99) cut after its second byte.
	cut := "Ruritania\xe2\x80"
	if !strings.Contains(lookup.sentences["doc:tin-note"][2], cut) {
		t.Fatal("the cut quote must be a byte substring of the sentence for this test to mean anything")
	}
	r := RelationshipRecord{Type: "IMPOSES", From: "actor:ruritania", To: "policy:tin-ban",
		Evidence: []Evidence{{Doc: "doc:tin-note", Sentence: 3, Quote: cut}}}
	errs := CheckRelationship(r, lookup)
	if len(errs) != 1 || errs[0].Field != "evidence[0].quote" || !strings.Contains(errs[0].Message, "not valid UTF-8") {
		t.Errorf("got %v, want evidence[0].quote refused as not valid UTF-8", errs)
	}
	r.Evidence[0].Quote = "Ruritania’s"
	if errs := CheckRelationship(r, lookup); len(errs) != 0 {
		t.Errorf("the whole quote: %v", errs)
	}
}

// TestDocumentTextBounded: a document's text is at most MaxTextBytes, and UTF-8.
func TestDocumentTextBounded(t *testing.T) {
	for _, tt := range []struct {
		name, text, want string
	}{
		{"too large", strings.Repeat("A sentence. ", MaxTextBytes/12+1), "a document's text may hold at most 8 MiB"},
		{"not UTF-8", "A sentence \xff here.", "is not valid UTF-8"},
		{"at the limit", strings.Repeat("A sentence. ", MaxTextBytes/12), ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			d := DocumentRecord{ID: "doc:x", Title: "X", Text: tt.text}
			d.Sentences = SplitSentences(d.Text)
			errs := d.Validate()
			switch {
			case tt.want == "" && len(errs) > 0:
				t.Errorf("got %v, want none", errs)
			case tt.want != "" && (len(errs) != 1 || errs[0].Field != "text" || !strings.Contains(errs[0].Message, tt.want)):
				t.Errorf("got %v, want text: %q", errs, tt.want)
			}
		})
	}
}
