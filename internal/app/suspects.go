package app

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"tradegraph/graph/model"
)

func runSuspects(ctx context.Context, args []string, getenv func(string) string, stdout io.Writer) error {
	fs := newFlagSet("suspects", "[flags]", "Lists pairs of entities of one kind that are likely duplicates, best first, with\nthe names that matched and the score (1: equal once normalised; 0.9: one\nabbreviates the other; less: shared words or a few typos). Review a pair, then\n`tradegraph merge FROM INTO`.", stdout)
	var nf neo4jFlags
	nf.register(fs, getenv)
	minScore := fs.Float64("min-score", 0.6, "list pairs scoring at least this, 0 to 1")
	limit := fs.Int("limit", 50, "list at most this many pairs (0: all)")
	if done, err := parseFlags(fs, args); done {
		return err
	}
	if fs.NArg() != 0 {
		return usageError{errors.New("suspects: takes no arguments")}
	}
	if !(*minScore > 0 && *minScore <= 1) {
		return usageError{errors.New("suspects: --min-score must be in (0, 1]")}
	}
	store, closeStore, err := nf.openStore(ctx, stdout, 10*time.Second)
	if err != nil {
		return err
	}
	defer closeStore()
	ents, err := store.NamedEntities(ctx)
	if err != nil {
		return err
	}
	printSuspects(stdout, model.Suspects(ents, *minScore), *limit)
	return nil
}

func printSuspects(w io.Writer, ss []model.Suspect, limit int) {
	if len(ss) == 0 {
		fmt.Fprintln(w, "no likely duplicates")
		return
	}
	shown := ss
	if limit > 0 && len(ss) > limit {
		shown = ss[:limit]
	}
	for _, s := range shown {
		fmt.Fprintf(w, "%.2f  %s  %s  (%s)\n", s.Score, s.A, s.B, s.Kind)
		fmt.Fprintf(w, "      %s\n", strings.Join(s.Evidence, "\n      "))
	}
	if len(shown) < len(ss) {
		fmt.Fprintf(w, "... and %d more (--limit 0 lists all)\n", len(ss)-len(shown))
	}
}
