package loaders_test

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"tradegraph/loaders"
)

var update = flag.Bool("update", false, "rewrite testdata/broken/*.golden from the loader's output (review the diff before committing)")

// brokenCase is one input that must not load: its files and the golden file holding
// the exact problem lines the loader prints for it.
type brokenCase struct {
	name   string
	paths  []string
	golden string
}

// brokenCases lists every file in testdata/broken (one error class each, except
// multiple-problems.yaml) and one load of several broken files at once.
func brokenCases(t *testing.T) []brokenCase {
	t.Helper()
	files, err := filepath.Glob("testdata/broken/*")
	if err != nil {
		t.Fatal(err)
	}
	var cases []brokenCase
	for _, f := range files {
		if strings.HasSuffix(f, ".golden") {
			continue
		}
		cases = append(cases, brokenCase{filepath.Base(f), []string{f}, strings.TrimSuffix(f, filepath.Ext(f)) + ".golden"})
	}
	if len(cases) < 14 {
		t.Fatalf("got %d broken files, want at least 14 (one per error class)", len(cases))
	}
	return append(cases, brokenCase{"several files", []string{
		"testdata/broken/json-syntax.json", "testdata/broken/dangling-to.yaml", "testdata/broken/article-bad-date.md",
	}, "testdata/broken/several-files.golden"})
}

func readGolden(t *testing.T, path string) string {
	t.Helper()
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (create it with -update, then review it)", err)
	}
	return string(want)
}

// TestBrokenFiles checks, with no database, the exact problems reported for each
// broken input: file:line: field: message, every one of them, sorted.
func TestBrokenFiles(t *testing.T) {
	for _, tc := range brokenCases(t) {
		t.Run(tc.name, func(t *testing.T) {
			sum, got, err := load(t, loaders.Options{DryRun: true}, tc.paths...)
			wantInvalid(t, err)
			if sum != nil {
				t.Errorf("got summary %v, want none", sum)
			}
			lines := strings.Split(strings.TrimSuffix(got, "\n"), "\n")
			for _, l := range lines {
				if !hasAnyPrefix(l, tc.paths) {
					t.Errorf("got line %q, want it to start with the file it is about", l)
				}
			}
			if n := len(lines); len(tc.paths) == 1 && tc.name != "multiple-problems.yaml" && n != 1 {
				t.Errorf("got %d problems, want 1: each broken file holds one error class", n)
			}
			if !strings.Contains(err.Error(), fmt.Sprintf(" %d problem(s) in ", len(lines))) {
				t.Errorf("got error %q, want it to count the %d problem lines", err, len(lines))
			}
			if *update {
				if err := os.WriteFile(tc.golden, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			if want := readGolden(t, tc.golden); got != want {
				t.Errorf("got:\n%s\nwant (%s):\n%s", got, tc.golden, want)
			}
		})
	}
}

// TestBrokenFilesWriteNothing loads each broken input into a graph that holds the
// seed, through the writing path, and checks the problems are the same as offline
// and that the graph is exactly as it was.
func TestBrokenFilesWriteNothing(t *testing.T) {
	d := emptyGraph(t)
	mustLoad(t, d, loaders.Options{}, seedDataset)
	before := graphState(t, d)
	for _, tc := range brokenCases(t) {
		t.Run(tc.name, func(t *testing.T) {
			_, got, err := load(t, loaders.Options{Graph: storeOf(d)}, tc.paths...)
			wantInvalid(t, err)
			if want := readGolden(t, tc.golden); got != want {
				t.Errorf("got:\n%s\nwant (%s):\n%s", got, tc.golden, want)
			}
			if after := graphState(t, d); after != before {
				t.Errorf("graph changed: got %v, want %v", after, before)
			}
		})
	}
	// The comparison sees writes: the valid base of the broken files changes the state.
	mustLoad(t, d, loaders.Options{}, "testdata/valid/ruritania.yaml")
	if after := graphState(t, d); after == before {
		t.Errorf("graph state %v did not change after loading a valid file", after)
	}
}

// TestValidFiles proves the broken files' common base is valid, in YAML and JSON
// alike, so each broken file fails for its one edit only.
func TestValidFiles(t *testing.T) {
	var parsed []*loaders.Parsed
	for _, path := range []string{"testdata/valid/ruritania.yaml", "testdata/valid/ruritania.json"} {
		_, out, err := load(t, loaders.Options{DryRun: true}, path)
		if err != nil {
			t.Fatalf("%s: got %v, want no error:\n%s", path, err, out)
		}
		if want := "valid: 1 document(s), 4 entities, 3 relationships\ndry run: nothing written\n"; out != want {
			t.Errorf("%s: got %q, want %q", path, out, want)
		}
		p, probs := loaders.ParseCurated(path)
		if len(probs) > 0 {
			t.Fatal(probs)
		}
		parsed = append(parsed, p)
	}
	if y, j := parsed[0].Data, parsed[1].Data; !reflect.DeepEqual(y, j) {
		t.Errorf("the YAML and JSON forms differ:\ngot  %+v\nwant %+v", j, y)
	}
}

func hasAnyPrefix(s string, prefixes []string) bool {
	for _, p := range prefixes {
		if strings.HasPrefix(s, p+":") {
			return true
		}
	}
	return false
}
