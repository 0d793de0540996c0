package loaders

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Bytes that are not UTF-8: a lone continuation byte, and the first two bytes of
// the three-byte “ (U+201C) without its last byte.
const (
	loneByte  = "\x80"
	cutQuote  = "\xe2\x80"
	validYAML = `documents:
  - id: doc:a
    title: A title
    text: China imposes a tariff on Gallium.
entities:
  - id: actor:china
    kind: Actor
    type: COUNTRY
    name: China
relationships: []
`
)

func writeTemp(t *testing.T, name, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestCuratedRefusesInvalidUTF8: YAML and JSON files with bytes that are not
// UTF-8 are refused with the file, line and field, instead of being decoded with
// U+FFFD in their place.
func TestCuratedRefusesInvalidUTF8(t *testing.T) {
	for _, tt := range []struct {
		name, file, content, want string
	}{
		{"yaml name", "d.yaml", strings.Replace(validYAML, "name: China", "name: Chi"+loneByte+"na", 1), ":9: entities[0].name: is not valid UTF-8"},
		{"yaml text", "d.yaml", strings.Replace(validYAML, "on Gallium", "on "+cutQuote+"Gallium", 1), ":4: documents[0].text: is not valid UTF-8"},
		{"json alias", "d.json", `{"documents": [], "relationships": [],
"entities": [{"id": "actor:china", "kind": "Actor", "type": "COUNTRY", "name": "China",
  "aliases": ["PRC", "Bei` + loneByte + `jing"]}]}`, ":3: entities[0].aliases[1]: is not valid UTF-8"},
		{"yaml comment", "d.yaml", "# caf" + loneByte + "\n" + validYAML, ":1: not valid UTF-8"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			path := writeTemp(t, tt.file, tt.content)
			_, probs := ParseCurated(path)
			if len(probs) != 1 || !strings.Contains(probs[0].String(), path+tt.want) {
				t.Errorf("got %v, want one problem %q", probs, path+tt.want)
			}
		})
	}
}

// TestCuratedTextFileRefusesInvalidUTF8: a textFile that is not UTF-8 is named
// with its line.
func TestCuratedTextFileRefusesInvalidUTF8(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "a.txt"), []byte("First line.\nSecond "+cutQuote+" line.\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "d.yaml")
	yaml := strings.Replace(validYAML, "text: China imposes a tariff on Gallium.", "textFile: a.txt", 1)
	if err := os.WriteFile(path, []byte(yaml), 0o644); err != nil {
		t.Fatal(err)
	}
	_, probs := ParseCurated(path)
	if len(probs) != 1 || !strings.Contains(probs[0].String(), "documents[0].textFile: a.txt line 2 is not valid UTF-8") {
		t.Errorf("got %v, want a.txt line 2 named", probs)
	}
}

// TestCuratedAcceptsBOM: a byte-order mark at the start of a YAML or JSON file is
// accepted, as CSV accepts it.
func TestCuratedAcceptsBOM(t *testing.T) {
	for name, content := range map[string]string{
		"d.yaml": "\ufeff" + validYAML,
		"d.json": "\ufeff" + `{"documents": [], "entities": [{"id": "actor:china", "kind": "Actor", "type": "COUNTRY", "name": "China"}], "relationships": []}`,
	} {
		p, probs := ParseCurated(writeTemp(t, name, content))
		if len(probs) > 0 || p == nil || len(p.Data.Entities) != 1 || p.Data.Entities[0].ID != "actor:china" {
			t.Errorf("%s with a BOM: problems %v, parsed %+v", name, probs, p)
		}
	}
}

// TestArticleRefusesInvalidUTF8 names the line and the part of the article.
func TestArticleRefusesInvalidUTF8(t *testing.T) {
	for _, tt := range []struct{ name, content, want string }{
		{"text", "---\ntitle: T\n---\nFirst sentence.\nA " + cutQuote + " quote.\n", ":5: text: is not valid UTF-8"},
		{"front matter", "---\ntitle: T" + loneByte + "\n---\nFirst sentence.\n", ":2: front matter: is not valid UTF-8"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			path := writeTemp(t, "a.txt", tt.content)
			_, probs := ParseArticle(path, ArticleMeta{})
			if len(probs) != 1 || !strings.Contains(probs[0].String(), path+tt.want) {
				t.Errorf("got %v, want %q", probs, path+tt.want)
			}
		})
	}
	if _, probs := ParseArticle(writeTemp(t, "b.txt", "\ufeff---\ntitle: T\n---\nFirst sentence.\n"), ArticleMeta{}); len(probs) > 0 {
		t.Errorf("an article with a BOM: %v", probs)
	}
}
