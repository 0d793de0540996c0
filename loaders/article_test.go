package loaders_test

import (
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"testing"

	"tradegraph/graph/model"
	"tradegraph/loaders"
)

func TestParseArticleMarkdownWithFrontMatter(t *testing.T) {
	got, probs := loaders.ParseArticle("testdata/valid/ruritania-tin-brief.md", loaders.ArticleMeta{})
	if len(probs) > 0 {
		t.Fatal(probs)
	}
	want := model.DocumentRecord{
		ID: "doc:ruritania-tin-brief", Type: "ARTICLE", Title: "Ruritania restricts tin exports",
		Publisher: "Strelsau Gazette", Date: "2025-03-14", URL: "https://example.org/ruritania-tin-brief",
	}
	wantSentences := []string{
		"Ruritania restricts tin exports", // the heading is a line of its own
		"Strelsau -- Ruritania bans exports of tin, its Prime Minister Rudolf Elphberg said.",
		"The ban took effect in March 2025.",
		"Smelters in Zenda welcome it.",
		"Traders in Strelsau do not.",
	}
	meta := got
	meta.Text, meta.Sentences = "", nil
	if !reflect.DeepEqual(meta, want) {
		t.Errorf("got %+v, want %+v", meta, want)
	}
	if !slices.Equal(got.Sentences, wantSentences) {
		t.Errorf("got sentences %q, want %q", got.Sentences, wantSentences)
	}
}

func TestParseArticleFlagsAndDefaults(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "Tin Brief (2025).txt")
	text := "---\ntitle: From front matter\ndate: 2025\n---\nRuritania bans tin. It says so.\n"
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	got, probs := loaders.ParseArticle(path, loaders.ArticleMeta{Date: "2025-03", URL: "https://example.org/x"})
	if len(probs) > 0 {
		t.Fatal(probs)
	}
	// The id comes from the file name; flags win over front matter field by field.
	if got.ID != "doc:tin-brief-2025" || got.Title != "From front matter" || got.Date != "2025-03" ||
		got.URL != "https://example.org/x" || got.Type != "ARTICLE" {
		t.Errorf("got %+v, want id doc:tin-brief-2025, the front matter title, the flags' date and url, type ARTICLE", got)
	}
	if want := []string{"Ruritania bans tin.", "It says so."}; !slices.Equal(got.Sentences, want) {
		t.Errorf("got sentences %q, want %q", got.Sentences, want)
	}

	// A bad value given by flag is reported as the flag.
	_, probs = loaders.ParseArticle(path, loaders.ArticleMeta{Date: "2025-02-30"})
	want := path + `: --date: bad date "2025-02-30": want YYYY, YYYY-MM or YYYY-MM-DD`
	if len(probs) != 1 || probs[0].String() != want {
		t.Errorf("got %v, want [%s]", probs, want)
	}
}

func TestSlug(t *testing.T) {
	for in, want := range map[string]string{
		"US-China rare earth deal": "us-china-rare-earth-deal",
		"  Tin Brief (2025)":       "tin-brief-2025",
		"---":                      "",
	} {
		if got := loaders.Slug(in); got != want {
			t.Errorf("Slug(%q): got %q, want %q", in, got, want)
		}
	}
}
