package loaders

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// The fuzz targets of the loaders' parsers. `go test` runs each over its seed
// corpus (testdata/fuzz/<name> and the f.Add seeds: every curated and article
// file of testdata); `go test -fuzz=<name>` explores. The bulk parsers' targets
// are in loaders/bulk.
// Each checks two promises: no input makes a parser panic, and every problem it
// reports names the file and a line.

// addFiles adds every file matching pattern as a seed.
func addFiles(f *testing.F, pattern string) {
	f.Helper()
	paths, err := filepath.Glob(pattern)
	if err != nil || len(paths) == 0 {
		f.Fatalf("no seed files match %s", pattern)
	}
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
}

// inTime runs f and fails the test when it takes longer than a few seconds: a
// parser must not hang on any input either.
func inTime(t *testing.T, data []byte, f func()) {
	t.Helper()
	done := make(chan struct{})
	go func() {
		defer close(done)
		f()
	}()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatalf("no answer in 10s for %d bytes: %.400q", len(data), data)
	}
}

// checkProblems fails when a problem does not name path or a line.
func checkProblems(t *testing.T, path string, probs Problems) {
	t.Helper()
	for _, p := range probs {
		if p.File != path || p.Line < 1 || p.Message == "" {
			t.Errorf("problem without its file and line: %+v", p)
		}
	}
}

func fuzzCurated(f *testing.F, ext string) {
	f.Fuzz(func(t *testing.T, data []byte) {
		path := filepath.Join(t.TempDir(), "dataset"+ext)
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
		inTime(t, data, func() {
			p, probs := ParseCurated(path)
			checkProblems(t, path, probs)
			if p == nil {
				if len(probs) == 0 {
					t.Error("no dataset and no problem")
				}
				return
			}
			_, probs = ValidateCurated(context.Background(), []*Parsed{p}, nil)
			checkProblems(t, path, probs)
		})
	})
}

func FuzzParseCuratedYAML(f *testing.F) {
	addFiles(f, "testdata/valid/*.yaml")
	addFiles(f, "testdata/broken/*.yaml")
	f.Add([]byte("entities:\n  - id: actor:x\n    kind: Actor\n    type: PERSON\n    name: X\n"))
	f.Add([]byte("&a [*a]"))
	fuzzCurated(f, ".yaml")
}

func FuzzParseCuratedJSON(f *testing.F) {
	addFiles(f, "testdata/valid/*.json")
	addFiles(f, "testdata/broken/*.json")
	f.Add([]byte(`{"entities": [{"id": "actor:x", "kind": "Actor", "type": "PERSON", "name": "X"}], "relationships": []}`))
	fuzzCurated(f, ".json")
}

func FuzzParseArticle(f *testing.F) {
	addFiles(f, "testdata/valid/*.md")
	addFiles(f, "testdata/broken/article-*.md")
	addFiles(f, "testdata/broken/article-*.txt")
	f.Add([]byte("---\ntitle: T\ndate: 2025-05\n---\n# Heading\nOne sentence. Another one.\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		path := filepath.Join(t.TempDir(), "article.md")
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
		inTime(t, data, func() {
			_, probs := ParseArticle(path, ArticleMeta{})
			checkProblems(t, path, probs)
		})
	})
}
