package app

import (
	"context"
	"errors"
	"strings"
	"testing"

	"tradegraph/graph/model"
	"tradegraph/loaders"
)

// recordingGraph is a loaders.Graph that keeps the batches it is given to prepare.
type recordingGraph struct {
	loaders.Graph
	batches []model.Batch
}

func (g *recordingGraph) Prepare(b model.Batch) (model.Prepared, error) {
	g.batches = append(g.batches, b)
	return nil, nil
}

// TestAsSourceFillsTheBatchSource: a load's batches are recorded as written by
// --as from the loaded files, unless the loader named a source itself.
func TestAsSourceFillsTheBatchSource(t *testing.T) {
	rec := &recordingGraph{}
	g := asSource{rec, model.Source{ID: "a.yaml b.yaml", By: "ann"}}
	for _, b := range []model.Batch{{}, {Source: model.Source{ID: "own-source", By: "bob"}}} {
		if _, err := g.Prepare(b); err != nil {
			t.Fatal(err)
		}
	}
	want := []model.Source{{ID: "a.yaml b.yaml", By: "ann"}, {ID: "own-source", By: "bob"}}
	for i, b := range rec.batches {
		if b.Source != want[i] {
			t.Errorf("batch %d: source %+v, want %+v", i, b.Source, want[i])
		}
	}
}

func TestMergeAndSuspectsUsage(t *testing.T) {
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"merge"}, "merge: name FROM_ID and INTO_ID"},
		{[]string{"merge", "actor:a"}, "merge: name FROM_ID and INTO_ID"},
		{[]string{"suspects", "x"}, "suspects: takes no arguments"},
		{[]string{"suspects", "--min-score", "0"}, "--min-score must be in (0, 1]"},
	} {
		var out strings.Builder
		err := run(context.Background(), append([]string{"tradegraph"}, tt.args...), func(string) string { return "" }, &out)
		var u usageError
		if !errors.As(err, &u) || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("tradegraph %v: %v, want a usage error saying %q", tt.args, err, tt.want)
		}
	}
}
