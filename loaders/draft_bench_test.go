package loaders

import (
	"os"
	"strings"
	"testing"

	"tradegraph/graph/model"
)

// BenchmarkDraft5000Words drafts an article of 5,000 words (the three test
// articles, repeated) against the seed's 46 known entities; see docs/benchmarks.md.
func BenchmarkDraft5000Words(b *testing.B) {
	var parts []string
	for _, p := range []string{"../data/seed/us-china-rare-earth-deal.txt", "testdata/draft/eu-canada-steel.txt", "testdata/draft/us-china-busan.md"} {
		raw, err := os.ReadFile(p)
		if err != nil {
			b.Fatal(err)
		}
		parts = append(parts, strings.TrimPrefix(string(raw), "---\ntitle: Xi and Trump meet in Busan\ndate: 2025-10-30\npublisher: tradegraph test data\n---\n"))
	}
	var text strings.Builder
	for words := 0; words < 5000; {
		for _, p := range parts {
			text.WriteString(p)
			text.WriteString("\n")
			words += len(strings.Fields(p))
		}
	}
	doc := model.DocumentRecord{ID: "doc:bench", Type: "ARTICLE", Title: "Bench", Text: text.String()}
	doc.Sentences = model.SplitSentences(doc.Text)
	known, err := KnownFromCurated([]string{"../data/seed/us-china-rare-earth-deal.yaml"})
	if err != nil {
		b.Fatal(err)
	}
	words := len(strings.Fields(doc.Text))
	b.ResetTimer()
	for b.Loop() {
		dr := DraftDocument(doc, known)
		if len(dr.Relationships) == 0 {
			b.Fatal("nothing drafted")
		}
	}
	b.ReportMetric(float64(words), "words")
	b.ReportMetric(float64(len(doc.Sentences)), "sentences")
}
