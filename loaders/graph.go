package loaders

import (
	"context"
	"errors"
	"fmt"
	"time"

	"tradegraph/graph/model"
)

// Graph is the graph store as the loaders need it: the look-ups that validation
// makes and the one batch writer. graph/neo4jstore.Store implements it; the
// loaders never see Cypher or the driver. A nil Graph means offline: the input is
// validated on its own and nothing is written.
type Graph interface {
	GraphLookup
	Writer
	// Names returns every entity's name and aliases, for linking mentions.
	Names(ctx context.Context) ([]model.Name, error)
	// ChangedDocuments returns the ids of docs (with their sentences split) that
	// the graph holds with other sentences, sorted.
	ChangedDocuments(ctx context.Context, docs []model.DocumentRecord) ([]string, error)
	// Citations returns every evidence item in the graph that cites one of docIDs.
	Citations(ctx context.Context, docIDs []string) ([]model.Citation, error)
	// PreviewEntities returns what writing ents as src's claims would change on
	// those the graph holds already, field by field; it writes nothing.
	PreviewEntities(ctx context.Context, src model.Source, ents []model.EntityRecord) ([]model.EntityPreview, error)
	// StaleFacts returns the facts that name src among their sources and that
	// present does not name.
	StaleFacts(ctx context.Context, src string, present model.Facts) ([]model.Stale, error)
	// Retract retracts src's stale facts in one transaction, recording each
	// deleted fact under load, and returns what it did to each.
	Retract(ctx context.Context, src model.Source, stale []model.Stale, load string) ([]model.Retraction, error)
	// SourceFiles returns, for those of the source ids that were loaded from a
	// file before, the file (an absolute path) they were last loaded from.
	SourceFiles(ctx context.Context, ids []string) (map[string]string, error)
	// RecordSourceFiles records the file each source id (key) was loaded from.
	RecordSourceFiles(ctx context.Context, files map[string]string) error
}

// Writer is the one batch writer that curated files, articles, bulk rows and the
// API's mutations write through.
type Writer interface {
	// Prepare turns b into what WritePrepared sends (content hashes, statement
	// parameters): CPU work a bulk load does while the previous batch is written.
	// It fails on a kind or relationship type outside the model.
	Prepare(b model.Batch) (model.Prepared, error)
	// WritePrepared writes a prepared batch in one transaction, all of it or
	// nothing, and returns what it created, updated and left unchanged. An error
	// with a Temporary method that returns true may go away on a retry.
	WritePrepared(ctx context.Context, p model.Prepared) (model.Summary, error)
	// WarmUpWriter has the store plan the writer's statements, writing nothing,
	// so that the first batch of each kind does not wait for its planning. A bulk
	// load runs it beside its first batches.
	WarmUpWriter(ctx context.Context) error
}

// Summary and Outcome count what a load wrote, by kind and relationship type.
type (
	Summary = model.Summary
	Outcome = model.Outcome
)

// DefaultBatchSize is the default number of rows of a write transaction: 5,000 rows
// was the fastest on the benchmark machine (docs/benchmarks.md).
const DefaultBatchSize = 5000

// write prepares and writes b through w, retrying for retryFor (Retry).
func write(ctx context.Context, w Writer, retryFor time.Duration, b model.Batch) (model.Summary, error) {
	p, err := w.Prepare(b)
	if err != nil {
		return nil, err
	}
	var sum model.Summary
	err = Retry(ctx, retryFor, func() error {
		sum, err = w.WritePrepared(ctx, p)
		return err
	})
	if err != nil {
		return nil, err
	}
	rowsWritten.Add(int64(p.Len()))
	return sum, nil
}

// batches splits records into batches of at most size records, in the order
// documents, entities, relationships: a batch writes its documents before its
// entities and those before its relationships, so every record's endpoints are
// written before it.
func batches(docs []model.DocumentRecord, ents []model.EntityRecord, rels []model.RelationshipRecord, size int) []model.Batch {
	if size <= 0 {
		size = DefaultBatchSize
	}
	var out []model.Batch
	var cur model.Batch
	flush := func() {
		if cur.Len() > 0 {
			out = append(out, cur)
			cur = model.Batch{}
		}
	}
	for _, d := range docs {
		cur.Documents = append(cur.Documents, d)
		if cur.Len() >= size {
			flush()
		}
	}
	for _, e := range ents {
		cur.Entities = append(cur.Entities, e)
		if cur.Len() >= size {
			flush()
		}
	}
	for _, r := range rels {
		cur.Relationships = append(cur.Relationships, r)
		if cur.Len() >= size {
			flush()
		}
	}
	flush()
	return out
}

// Transient reports whether err may go away when the work is tried again: the
// store marks such errors with a Temporary method (the database is unavailable).
func Transient(err error) bool {
	var t interface{ Temporary() bool }
	return errors.As(err, &t) && t.Temporary()
}

// DefaultRetryFor is how long a failing write or look-up is retried by default.
const DefaultRetryFor = time.Minute

// Retry runs f until it succeeds, fails for a reason that is not Transient, or
// keeps failing for longer than retryFor (DefaultRetryFor when 0), backing off
// between attempts: the loaders' one retry policy, for curated files, articles and
// bulk input alike. The store already retries inside each unit of work (the
// driver's managed transactions, then once at once); this outer loop rides out
// what it gives up on, such as a Neo4j restart.
func Retry(ctx context.Context, retryFor time.Duration, f func() error) error {
	if retryFor <= 0 {
		retryFor = DefaultRetryFor
	}
	start := time.Now()
	delay := 250 * time.Millisecond
	for attempt := 1; ; attempt++ {
		err := f()
		if err == nil || !Transient(err) || ctx.Err() != nil {
			return err
		}
		if time.Since(start)+delay > retryFor {
			return fmt.Errorf("gave up after %d attempts in %s: %w", attempt, time.Since(start).Round(time.Millisecond), err)
		}
		select {
		case <-time.After(delay):
		case <-ctx.Done():
			return err
		}
		delay = min(delay*2, 5*time.Second)
	}
}
