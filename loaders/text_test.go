package loaders_test

import (
	"context"
	"errors"
	"io"
	"strings"
	"testing"

	"tradegraph/loaders"
)

// A curated dataset from a request (the console's review page) parses, validates
// and reports as a file does, except that it may not name a textFile.
func TestCuratedText(t *testing.T) {
	const good = `{
  "documents": [{"id": "doc:t", "type": "ARTICLE", "title": "T", "text": "Jane Roe met John Doe.\nThey agreed."}],
  "entities": [
    {"id": "actor:jane-roe", "kind": "Actor", "type": "PERSON", "name": "Jane Roe", "role": "Minister"},
    {"id": "actor:john-doe", "kind": "Actor", "type": "PERSON", "name": "John Doe"}
  ],
  "relationships": [{"type": "MEMBER_OF", "from": "actor:jane-roe", "to": "actor:john-doe", "confidence": 0.9,
    "evidence": [{"doc": "doc:t", "sentence": 1, "quote": "Jane Roe met John Doe"}]}]
}`
	t.Run("valid", func(t *testing.T) {
		if _, err := loaders.LoadCuratedText(context.Background(), loaders.Options{DryRun: true, Out: io.Discard}, "review", []byte(good)); err != nil {
			t.Fatalf("got %v", err)
		}
	})
	t.Run("problems come back located", func(t *testing.T) {
		bad := strings.Replace(good, `"quote": "Jane Roe met John Doe"`, `"quote": "Jane Roe dined with John Doe"`, 1)
		_, err := loaders.LoadCuratedText(context.Background(), loaders.Options{DryRun: true, Out: io.Discard}, "review", []byte(bad))
		var probs loaders.Problems
		if !errors.Is(err, loaders.ErrInvalid) || !errors.As(err, &probs) {
			t.Fatalf("got %v, want ErrInvalid wrapping Problems", err)
		}
		if len(probs) != 1 || probs[0].File != "review" || probs[0].Line != 8 || probs[0].Field != "relationships[0].evidence[0].quote" {
			t.Errorf("got %+v, want one problem at review:8 relationships[0].evidence[0].quote", probs)
		}
		if want := "invalid input: nothing was written: 1 problem(s) in review"; err.Error() != want {
			t.Errorf("message %q, want %q (as Load says it)", err.Error(), want)
		}
	})
	t.Run("textFile refused", func(t *testing.T) {
		_, probs := loaders.ParseCuratedText("review", []byte(`{"documents": [{"id": "doc:t", "type": "ARTICLE", "title": "T", "textFile": "../go.mod"}]}`))
		if len(probs) != 1 || probs[0].Field != "documents[0].textFile" || !strings.Contains(probs[0].Message, "not accepted") {
			t.Errorf("got %+v", probs)
		}
	})
	t.Run("as YAML, the same records", func(t *testing.T) {
		y, err := loaders.CuratedYAML("review", []byte(good), "Reviewed.\nLoad it.")
		if err != nil {
			t.Fatal(err)
		}
		s := string(y)
		for _, want := range []string{"# Reviewed.\n# Load it.\n", "role: Minister", "confidence: 0.9", "quote: Jane Roe met John Doe"} {
			if !strings.Contains(s, want) {
				t.Errorf("the YAML lacks %q:\n%s", want, s)
			}
		}
		if strings.Contains(s, "aliases") || strings.Contains(s, "validFrom") {
			t.Errorf("the YAML shows empty fields:\n%s", s)
		}
	})
}

func TestReadArticleText(t *testing.T) {
	for _, tt := range []struct{ name, text, want string }{
		{"empty", "  \n", "the file is empty"},
		{"binary", "a\x00b", "a binary file"},
		{"too large", strings.Repeat("x", loaders.MaxArticleBytes+1), "over the limit"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := loaders.ReadArticleText("pasted.txt", []byte(tt.text), loaders.ArticleMeta{Title: "T"})
			if !errors.Is(err, loaders.ErrBadArticle) || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("got %v, want ErrBadArticle with %q", err, tt.want)
			}
		})
	}
	doc, err := loaders.ReadArticleText("pasted.md", []byte("# Deal signed\n\nJane Roe met **John Doe** in Geneva.\n"), loaders.ArticleMeta{})
	if err != nil {
		t.Fatal(err)
	}
	if doc.Title != "Deal signed" || doc.ID != "doc:pasted" || !strings.Contains(doc.Text, "met John Doe in") {
		t.Errorf("Markdown: got %+v", doc)
	}
}

// A draft says where each entity is named: byte offsets into its sentence, in
// text order.
func TestDraftMentions(t *testing.T) {
	doc, err := loaders.ReadArticleText("pasted.txt", []byte("Trade Minister Jane Roe met John Doe in Geneva. Roe said lithium exports would rise."), loaders.ArticleMeta{Title: "T"})
	if err != nil {
		t.Fatal(err)
	}
	dr := loaders.DraftDocument(doc, nil)
	if len(dr.Mentions) == 0 {
		t.Fatal("no mentions")
	}
	named := map[string]bool{}
	for i, m := range dr.Mentions {
		if i > 0 && (m.Sentence < dr.Mentions[i-1].Sentence || m.Sentence == dr.Mentions[i-1].Sentence && m.Start < dr.Mentions[i-1].Start) {
			t.Errorf("mention %d out of text order: %+v", i, dr.Mentions)
		}
		named[doc.Sentences[m.Sentence-1][m.Start:m.End]+" "+m.EntityID] = true
	}
	for _, want := range []string{"John Doe actor:john-doe", "lithium commodity:lithium"} {
		if !named[want] {
			t.Errorf("no mention %q in %v", want, named)
		}
	}
}
