package loaders

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"tradegraph/graph/model"
)

func extractorDoc() (model.DocumentRecord, []KnownEntity) {
	text := "Ruritania imposed a 20 per cent tariff on Japanese steel. Japan called the tariff unfair."
	doc := model.DocumentRecord{ID: "doc:ruritania-steel", Type: "ARTICLE", Title: "Ruritania taxes steel", Text: text, Sentences: model.SplitSentences(text)}
	return doc, []KnownEntity{{ID: "actor:japan", Kind: model.KindActor, Type: "COUNTRY", Name: "Japan"}}
}

func TestExtractorProposals(t *testing.T) {
	doc, known := extractorDoc()
	var out bytes.Buffer
	dr, err := RunExtractor(context.Background(), ExtractorOptions{Command: "testdata/extractor/extract.sh ok", Timeout: 10 * time.Second, Out: &out}, doc, known)
	if err != nil {
		t.Fatalf("%v\n%s", err, out.String())
	}
	if len(dr.Entities) != 2 || len(dr.Relationships) != 3 {
		t.Fatalf("got %d entities, %d relationships, want 2 and 3", len(dr.Entities), len(dr.Relationships))
	}
	if ev := dr.Relationships[0].Evidence[0]; ev.Doc != doc.ID || ev.Sentence != 1 || ev.Quote != "Ruritania imposed a 20 per cent tariff" {
		t.Errorf("evidence: got %+v", ev)
	}
	if strings.Join(dr.Known, ",") != "actor:japan" {
		t.Errorf("known: got %v, want actor:japan", dr.Known)
	}
	path := filepath.Join(t.TempDir(), "draft.yaml")
	if err := WriteDraft(context.Background(), dr, "test", path, KnownLookup(known), false); err != nil {
		t.Fatal(err)
	}
}

// A failing extractor gets an error naming the cause, and nothing is drafted.
func TestExtractorFailures(t *testing.T) {
	doc, known := extractorDoc()
	for _, tc := range []struct {
		mode    string
		timeout time.Duration
		want    []string
	}{
		{"crash", 10 * time.Second, []string{"failed (exit status 3)", "model file not found"}},
		{"hang", 300 * time.Millisecond, []string{"did not finish within 300ms"}},
		{"badjson", 10 * time.Second, []string{"printed invalid JSON"}},
		{"badquote", 10 * time.Second, []string{"3 invalid proposal(s) (5 problems), nothing drafted",
			`relationships[0].quote: "Ruritania banned Japanese steel" is not verbatim in doc:ruritania-steel sentence 1`,
			"relationships[1].from: IMPOSES cannot start at policy:ruritania-steel-tariff, a Policy",
			`relationships[2].type: unknown relationship type "BANS"`,
			"relationships[2].sentence: 9 is not a sentence of doc:ruritania-steel"}},
		{"nosuchmode", 10 * time.Second, []string{"want ok, crash"}},
	} {
		t.Run(tc.mode, func(t *testing.T) {
			var out bytes.Buffer
			start := time.Now()
			dr, err := RunExtractor(context.Background(), ExtractorOptions{Command: "testdata/extractor/extract.sh " + tc.mode, Timeout: tc.timeout, Out: &out}, doc, known)
			if dr != nil || !errors.Is(err, ErrExtractor) {
				t.Fatalf("got a draft %v and error %v, want no draft and ErrExtractor", dr != nil, err)
			}
			got := err.Error() + "\n" + out.String()
			for _, w := range tc.want {
				if !strings.Contains(got, w) {
					t.Errorf("missing %q in:\n%s", w, got)
				}
			}
			if time.Since(start) > 5*time.Second {
				t.Errorf("took %s: the time limit did not stop the extractor", time.Since(start))
			}
		})
	}
	if _, err := RunExtractor(context.Background(), ExtractorOptions{Command: "testdata/extractor/no-such-program"}, doc, known); err == nil {
		t.Error("a missing program: want an error")
	}
}

// The input an extractor reads holds the protocol, the sentences, the known
// entities with aliases and the vocabulary.
func TestExtractorInput(t *testing.T) {
	doc, known := extractorDoc()
	known[0].Aliases = []string{"Tokyo"}
	in := extractorInput(doc, known)
	if in.Protocol != ExtractorProtocol || len(in.Document.Sentences) != 2 || in.Entities[0].Aliases[0] != "Tokyo" || len(in.Vocabulary) != len(model.Vocabulary) {
		t.Fatalf("got %+v", in)
	}
	if _, err := os.Stat("testdata/extractor/extract.sh"); err != nil {
		t.Fatal(err)
	}
}
