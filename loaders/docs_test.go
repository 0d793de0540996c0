package loaders_test

import (
	"os"
	"reflect"
	"strings"
	"testing"

	"tradegraph/loaders"
)

const loadingDoc = "../docs/loading.md"

// docText returns docs/loading.md.
func docText(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile(loadingDoc)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// wantInDoc fails unless docs/loading.md shows text as a fenced block of lang,
// optionally after a "$ command" line.
func wantInDoc(t *testing.T, doc, lang, command, text string) {
	t.Helper()
	block := "```" + lang + "\n"
	if command != "" {
		block += "$ " + command + "\n"
	}
	block += text + "```\n"
	if !strings.Contains(doc, block) {
		t.Errorf("%s does not show, as it is now:\n%s", loadingDoc, block)
	}
}

// TestLoadingDocExamples keeps docs/loading.md true: its examples are the files the
// tests load, and its sample output is what the loader prints for them.
func TestLoadingDocExamples(t *testing.T) {
	doc := docText(t)
	for _, f := range []struct{ lang, path string }{
		{"yaml", "testdata/valid/example.yaml"},
		{"json", "testdata/valid/example.json"},
		{"markdown", "testdata/valid/ruritania-tin-brief.md"},
	} {
		b, err := os.ReadFile(f.path)
		if err != nil {
			t.Fatal(err)
		}
		wantInDoc(t, doc, f.lang, "", string(b))
	}

	// The commands in the page run from the repository root.
	fromRoot := func(s string) string { return strings.ReplaceAll(s, "testdata/", "loaders/testdata/") }
	_, out, err := load(t, loaders.Options{DryRun: true}, "testdata/valid/example.yaml")
	if err != nil {
		t.Fatal(err)
	}
	wantInDoc(t, doc, "text", "tradegraph load --dry-run --offline loaders/testdata/valid/example.yaml", out)

	_, out, err = load(t, loaders.Options{DryRun: true}, "testdata/broken/multiple-problems.yaml")
	wantInvalid(t, err)
	wantInDoc(t, doc, "text", "tradegraph load --dry-run --offline loaders/testdata/broken/multiple-problems.yaml",
		fromRoot(out+"tradegraph: "+err.Error()+"\n"))
}

func TestLoadingDocExampleFormsAgree(t *testing.T) {
	y, probs := loaders.ParseCurated("testdata/valid/example.yaml")
	if len(probs) > 0 {
		t.Fatal(probs)
	}
	j, probs := loaders.ParseCurated("testdata/valid/example.json")
	if len(probs) > 0 {
		t.Fatal(probs)
	}
	if got, want := j.Data, y.Data; !reflect.DeepEqual(got, want) {
		t.Errorf("example.json differs from example.yaml:\ngot  %+v\nwant %+v", got, want)
	}
}
