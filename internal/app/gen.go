package app

import (
	"context"
	"fmt"
	"io"
	"time"

	"tradegraph/gen"
)

func runGen(_ context.Context, args []string, _ func(string) string, stdout io.Writer) error {
	fs := newFlagSet("gen", "[flags]", "Writes a deterministic test graph (power-law degrees, hub states and leaders,\nall four kinds, evidence quotes that verify) for `tradegraph load`.", stdout)
	size := fs.String("size", "10k", "number of relationships: 10k, 100k, 1m or any count")
	seed := fs.Uint64("seed", 1, "random seed: the same seed and size give the same files")
	format := fs.String("format", "csv", "csv (documents.csv, entities.csv, relationships.csv) or jsonl (graph.jsonl)")
	out := fs.String("out", "gen-out", "output directory")
	if done, err := parseFlags(fs, args); done {
		return err
	}
	n, err := gen.ParseSize(*size)
	if err != nil {
		return usageError{err}
	}
	start := time.Now()
	st, err := gen.Generate(gen.Config{Seed: *seed, Relationships: n, Format: *format, Dir: *out})
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "gen: %d documents, %d entities, %d relationships in %s (seed %d)\n",
		st.Documents, st.Entities, st.Relationships, time.Since(start).Round(time.Millisecond), *seed)
	for _, f := range st.Files {
		fmt.Fprintln(stdout, "  ", f)
	}
	return nil
}
