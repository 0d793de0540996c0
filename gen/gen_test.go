package gen

import (
	"bytes"
	"encoding/csv"
	"os"
	"path/filepath"
	"slices"
	"testing"
)

func generate(t *testing.T, seed uint64, rels int, format string) (Stats, map[string][]byte) {
	t.Helper()
	dir := t.TempDir()
	st, err := Generate(Config{Seed: seed, Relationships: rels, Format: format, Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]byte{}
	for _, f := range st.Files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		out[filepath.Base(f)] = b
	}
	return st, out
}

func TestDeterministic(t *testing.T) {
	for _, format := range []string{"csv", "jsonl"} {
		_, a := generate(t, 42, 2000, format)
		_, b := generate(t, 42, 2000, format)
		_, c := generate(t, 43, 2000, format)
		for name := range a {
			if !bytes.Equal(a[name], b[name]) {
				t.Errorf("%s %s: the same seed gave different output", format, name)
			}
		}
		if name := "relationships.csv"; format == "csv" && bytes.Equal(a[name], c[name]) {
			t.Errorf("seeds 42 and 43 gave the same %s", name)
		}
	}
}

func TestShape(t *testing.T) {
	st, files := generate(t, 1, 10000, "csv")
	if st.Relationships != 10000 {
		t.Errorf("relationships = %d, want exactly 10000", st.Relationships)
	}
	rows, err := csv.NewReader(bytes.NewReader(files[RelationshipsCSV])).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(rows[0], RelationshipsHeader) {
		t.Fatalf("header = %v", rows[0])
	}
	degree := map[string]int{}
	for _, r := range rows[1:] {
		degree[r[0]]++
		degree[r[1]]++
	}
	var ds []int
	for _, d := range degree {
		ds = append(ds, d)
	}
	slices.Sort(ds)
	median, top := ds[len(ds)/2], ds[len(ds)-1]
	// A power law: the biggest hub has a hundred times the median degree or more.
	if top < 100*median {
		t.Errorf("top degree %d, median %d: want a hub with >= 100x the median", top, median)
	}
	// The biggest hubs are the first states and their leaders.
	if d := degree["actor:united-states-1"]; d != top {
		t.Errorf("actor:united-states-1 has degree %d, want the top degree %d", d, top)
	}
	ents, err := csv.NewReader(bytes.NewReader(files[EntitiesCSV])).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	kinds := map[string]int{}
	for _, e := range ents[1:] {
		kinds[e[1]]++
	}
	for _, k := range []string{"Entity;Actor", "Entity;Meeting", "Entity;Commodity", "Entity;Policy"} {
		if kinds[k] == 0 {
			t.Errorf("no %s entities", k)
		}
	}
}

func TestParseSize(t *testing.T) {
	for in, want := range map[string]int{"10k": 10000, "100K": 100000, "1m": 1000000, "2500": 2500} {
		if got, err := ParseSize(in); err != nil || got != want {
			t.Errorf("ParseSize(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	for _, in := range []string{"", "0", "-5", "ten"} {
		if _, err := ParseSize(in); err == nil {
			t.Errorf("ParseSize(%q): want an error", in)
		}
	}
}
