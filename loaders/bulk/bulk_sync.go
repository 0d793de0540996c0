package bulk

import (
	"context"
	"fmt"

	"tradegraph/graph/model"
	"tradegraph/loaders"
)

// Retraction on reload for bulk input (load --sync): each input file is a source
// of its own (loaders.SourceID). With Sync the load keeps the ids of every valid
// row it reads, per file (the rows an earlier run committed, skipped with
// --resume, included: they are read and validated again), and once every row is
// read and written it retracts, file by file, what the file's source asserted
// before and no longer does, through the same step as curated files
// (loaders.Sync). A file with a rejected row is not synced: a rejected row may
// state a fact the file still means to assert, and a sync must lose nothing the
// file holds; the load says so and the file can be synced once its rows pass.

// syncState is what a bulk load with Sync remembers of each input file.
type syncState struct {
	present  []model.Facts // the facts each file asserts, by file index
	rejected []int64       // rows rejected, by file index
}

func newSyncState(files int) *syncState {
	return &syncState{present: make([]model.Facts, files), rejected: make([]int64, files)}
}

// assert records that file fi asserts the valid row.
func (s *syncState) assert(fi int, row bulkRow) {
	f := &s.present[fi]
	switch row.kind {
	case rowDocument:
		f.Documents = append(f.Documents, row.doc.ID)
	case rowEntity:
		f.Entities = append(f.Entities, row.ent.ID)
	case rowRelationship:
		r := row.rel
		f.Relationships = append(f.Relationships, model.RelationshipID(r.From, r.Type, r.To))
		f.Ends = append(f.Ends, [3]string{r.From, r.Type, r.To})
	}
}

// sourceFiles maps the source id of each input file to its path.
func (b *bulk) sourceFiles() map[string]string {
	files := make(map[string]string, len(b.paths))
	for _, p := range b.paths {
		files[loaders.SourceID(p)] = p
	}
	return files
}

// checkSourceFiles refuses, before anything is read, a sync of a file whose
// source id was last loaded from another file (loaders.CheckSourceFiles).
func (b *bulk) checkSourceFiles(ctx context.Context) error {
	probs, err := loaders.CheckSourceFiles(ctx, b.o.Graph, b.sourceFiles())
	if err != nil {
		return err
	}
	if len(probs) > 0 {
		for _, p := range probs {
			fmt.Fprintln(b.out, p.String())
		}
		return fmt.Errorf("%w: --sync refused for %d file(s)", loaders.ErrInvalid, len(probs))
	}
	return nil
}

// sync runs the retraction step for every input file after a load that read
// and wrote every row (in a dry run: lists what it would retract).
func (b *bulk) sync(ctx context.Context) error {
	s := loaders.NewSync(b.o.Graph, b.out, b.o.Source.By, true, b.o.DryRun)
	for fi, p := range b.paths {
		if n := b.syncs.rejected[fi]; n > 0 {
			fmt.Fprintf(b.out, "%s: --sync skipped: %d row(s) of this file were rejected, and a rejected row may state a fact the file still asserts; fix them and load again with --sync\n", p, n)
			continue
		}
		src := b.o.Source
		src.ID = loaders.SourceID(p)
		if err := s.Source(ctx, src, p, b.syncs.present[fi]); err != nil {
			return err
		}
	}
	return nil
}
