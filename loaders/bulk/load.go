package bulk

import (
	"bufio"
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"time"

	"tradegraph/graph/model"
	"tradegraph/loaders"
)

// Options configure a bulk load of CSV and JSON Lines files.
type Options struct {
	// Graph is where to look ids up and write; a nil Graph is only valid with DryRun.
	Graph loaders.Graph
	// Source is what every batch is recorded under (By, Prefer); its ID is each
	// input file's path relative to the working directory (SourceID).
	Source model.Source
	// DryRun validates every row and writes the reject report, but writes no graph.
	DryRun bool
	// BatchSize is the number of rows per write transaction (default 5000).
	BatchSize int
	// BatchBytes closes a batch early once its rows hold this many bytes of text
	// (default 16 MiB), so that large documents make smaller transactions and the
	// memory a batch takes stays bounded whatever the rows hold.
	BatchBytes int
	// Writers is the number of batches written concurrently (default 1).
	Writers int
	// MaxRejects stops the load once more than this many rows are rejected; a
	// negative value means no limit.
	MaxRejects int
	// Rejects is the reject report's path: one line per problem, "file:line: field: reason".
	Rejects string
	// Checkpoint is the path of the checkpoint rewritten after every committed batch.
	Checkpoint string
	// Resume skips the rows that the checkpoint says an earlier run committed.
	Resume bool
	// RetryFor bounds how long a failing batch is retried (default 1 minute).
	RetryFor time.Duration
	// ArrayDelimiter splits array cells in CSV (default ";").
	ArrayDelimiter string
	// MaxRecordBytes caps one record: a CSV record or a JSON line (default
	// DefaultMaxRecordBytes), so that one corrupt or hostile record cannot take the
	// loader's memory. A longer JSON line is rejected; a longer CSV record stops
	// the file, since where the next record starts cannot be known.
	MaxRecordBytes int
	// Progress is "bar" (a redrawn line for terminals), "lines" (one line every
	// ProgressEvery) or "off".
	Progress      string
	ProgressEvery time.Duration
	// Sync retracts, once every row is read and written, what each file's source
	// asserted before and no longer does (load --sync; in a dry run it lists it).
	// It keeps the id of every valid row in memory until the end (bulk_sync.go).
	Sync bool
	// DocCache is how many documents' sentences are kept for evidence checks
	// (default 10000); older ones are read back from the graph when needed.
	DocCache int
	Out      io.Writer
}

// Result counts what a bulk load did with its rows. A load that ends without
// error has Read = Written + Resumed + Rejected.
type Result struct {
	Read     int64
	Written  int64 // committed by this run (valid rows, in a dry run)
	Resumed  int64 // committed by an earlier run, skipped with --resume
	Rejected int64
	Batches  int64 // write transactions committed by this run
	Summary  loaders.Summary
}

// DefaultBatchBytes bounds the text of a bulk load's write transaction (beside
// DefaultBatchSize rows), so a batch of large documents does not grow with them.
// DefaultMaxRecordBytes is the default cap of one input record: room for a
// document of model.MaxTextBytes with its JSON escapes and other fields.
const (
	DefaultBatchBytes     = 16 << 20
	DefaultMaxRecordBytes = 16 << 20
)

// ErrTooManyRejects is returned when more than MaxRejects rows were rejected.
var ErrTooManyRejects = errors.New("too many rejected rows")

// bulkBatch is one batch of valid rows of one file, on its way to a writer.
type bulkBatch struct {
	seq         int64
	phase       phase
	file        int
	first, last int         // lines
	batch       model.Batch // the rows, until dispatch prepares them
	bytes       int         // text the rows hold (bulkRow.size)
	prepared    model.Prepared
	// readTo is how many input bytes had been read when the batch closed: once it
	// commits, the input up to there is done (progress counts committed rows).
	readTo int64
}

type bulk struct {
	o      Options
	paths  []string
	ix     *bulkIndex
	c      counters
	w      loaders.Writer // nil in a dry run
	out    *syncWriter
	ctx    context.Context
	cancel context.CancelFunc
	// stallNotice overrides the package's stallNotice (tests).
	stallNotice time.Duration

	resume   position
	resuming bool

	// requoted are the ids of the input's relationships that quote a document
	// whose text the input changes (model.Batch.Requoted); read and written by the
	// reader only.
	requoted []string

	rejects      *bufio.Writer
	firstRejects []string
	syncs        *syncState // with Sync: what each file asserts (reader only)

	mu       sync.Mutex // guards what follows, written by the writers
	sum      loaders.Summary
	err      error
	nextSeq  int64               // the next batch to commit in order
	finished map[int64]bulkBatch // committed out of order
	cp       checkpoint
	batches  int64 // committed by this run
	seq      int64 // last dispatched batch (reader only)
}

// Load loads CSV and JSON Lines files: it streams every file twice at most (nodes
// first, then relationships), validates each row with the model's rules against
// the rows before it and the graph, writes valid rows in batches through Writer,
// and writes every rejected row to the reject report. After each committed batch it
// rewrites the checkpoint, so a killed load can be resumed; a load that completes
// removes it.
func Load(ctx context.Context, o Options, paths []string) (Result, error) {
	o, err := o.withDefaults(paths)
	if err != nil {
		return Result{}, err
	}
	b := &bulk{o: o, paths: paths, out: &syncWriter{w: o.Out}, sum: loaders.Summary{}, nextSeq: 1, finished: map[int64]bulkBatch{}}
	total, err := b.preflight()
	if err != nil {
		return Result{}, err
	}
	if err := b.startCheckpoint(); err != nil {
		return Result{}, err
	}
	if o.Sync {
		if err := b.checkSourceFiles(ctx); err != nil {
			return Result{}, err
		}
		b.syncs = newSyncState(len(paths))
	}
	rf, err := b.start()
	if err != nil {
		return Result{}, err
	}
	b.ctx, b.cancel = context.WithCancel(ctx)
	defer b.cancel()
	start := time.Now()
	warmed := b.warmUp()
	err = b.run(total)
	warmed()
	if ferr := errors.Join(b.rejects.Flush(), rf.Close()); ferr != nil && err == nil {
		err = fmt.Errorf("reject report: %w", ferr)
	}
	res, err := b.finish(time.Since(start), err)
	if err != nil || o.Graph == nil {
		return res, err
	}
	if o.Sync {
		if err := b.sync(ctx); err != nil {
			return res, err
		}
	}
	if !o.DryRun {
		err = loaders.RecordSourceFiles(ctx, o.Graph, b.sourceFiles())
	}
	return res, err
}

// warmUp has the writer plan its statements beside the load's first batches, so
// that the first batch of relationships, after all the nodes, does not wait for
// the planning of its statement (seconds on a freshly started Neo4j); the
// returned func stops it and waits for it. Its error is not the load's: a failed
// warm-up only leaves plans cold, and the load's own writes report whatever is
// wrong with Neo4j.
func (b *bulk) warmUp() (stop func()) {
	if b.w == nil || b.o.DryRun {
		return func() {}
	}
	ctx, cancel := context.WithCancel(b.ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		_ = b.w.WarmUpWriter(ctx)
	}()
	return func() {
		cancel()
		<-done
	}
}

// withDefaults fills in the options left zero, and refuses the combinations that
// cannot work.
func (o Options) withDefaults(paths []string) (Options, error) {
	if o.BatchSize <= 0 {
		o.BatchSize = loaders.DefaultBatchSize
	}
	if o.BatchBytes <= 0 {
		o.BatchBytes = DefaultBatchBytes
	}
	if o.Writers <= 0 {
		o.Writers = 1
	}
	if o.MaxRecordBytes <= 0 {
		o.MaxRecordBytes = DefaultMaxRecordBytes
	}
	if o.RetryFor <= 0 {
		o.RetryFor = loaders.DefaultRetryFor
	}
	if o.ArrayDelimiter == "" {
		o.ArrayDelimiter = ";"
	}
	if o.ProgressEvery <= 0 {
		o.ProgressEvery = 10 * time.Second
	}
	if o.DocCache == 0 {
		o.DocCache = 10000
	}
	if o.Out == nil {
		o.Out = io.Discard
	}
	if o.Rejects == "" || o.Checkpoint == "" {
		rejects, cp := DefaultPaths(".", paths)
		o.Rejects = cmp.Or(o.Rejects, rejects)
		o.Checkpoint = cmp.Or(o.Checkpoint, cp)
	}
	if o.Graph == nil && !o.DryRun {
		return o, errors.New("no Neo4j to write to")
	}
	if o.Sync && o.Graph == nil {
		return o, errors.New("--sync compares the input with the graph: it needs Neo4j")
	}
	if o.Resume && o.DryRun {
		return o, errors.New("--resume continues a load that writes: it cannot be a dry run")
	}
	return o, nil
}

// preflight checks, before anything is written, that every file opens and that
// every CSV header maps onto the model; it returns the bytes the load will read.
func (b *bulk) preflight() (total int64, err error) {
	var probs []string
	for _, p := range b.paths {
		var n counters
		src, err := openSource(p, &n.bytes, b.o.ArrayDelimiter, b.o.MaxRecordBytes)
		if err != nil {
			probs = append(probs, err.Error())
			continue
		}
		fi, err := os.Stat(p)
		if err == nil {
			for _, ph := range []phase{phaseNodes, phaseRelationships} {
				if src.holds(ph) {
					total += fi.Size()
				}
			}
		}
		if err := errors.Join(err, src.close()); err != nil {
			probs = append(probs, err.Error())
		}
	}
	if len(probs) > 0 {
		for _, p := range probs {
			fmt.Fprintln(b.out, p)
		}
		return 0, fmt.Errorf("%w: %d file(s) cannot be read", loaders.ErrInvalid, len(probs))
	}
	return total, nil
}

// startCheckpoint stamps the inputs for this run's checkpoint and, with Resume,
// reads where an earlier run of the same inputs stopped.
func (b *bulk) startCheckpoint() error {
	stamps, err := stampInputs(b.paths)
	if err != nil {
		return err
	}
	b.cp = checkpoint{Version: checkpointVersion, Inputs: stamps}
	if !b.o.Resume {
		return nil
	}
	cp, found, err := readCheckpoint(b.o.Checkpoint, stamps)
	if err != nil {
		return err
	}
	if found {
		b.cp, b.resume, b.resuming = cp, cp.Committed, true
		fmt.Fprintf(b.out, "resume: %s rows were committed up to %s; re-reading the input to rebuild the index and skipping them\n", grouped(cp.Rows), cp.Where)
	} else {
		fmt.Fprintf(b.out, "resume: no checkpoint at %s: loading from the start\n", b.o.Checkpoint)
	}
	return nil
}

// start sets up the index of what the input defines, the writer and the reject
// report, which it returns for finish to close.
func (b *bulk) start() (*os.File, error) {
	var gl loaders.GraphLookup
	docCache := b.o.DocCache
	if b.o.Graph != nil {
		gl, b.w = b.o.Graph, b.o.Graph
	}
	if b.o.DryRun {
		docCache = 0 // nothing is written, so nothing can be read back
	}
	b.ix = newBulkIndex(gl, b.paths, docCache)
	rf, err := os.Create(b.o.Rejects)
	if err != nil {
		return nil, fmt.Errorf("reject report: %w", err)
	}
	b.rejects = bufio.NewWriterSize(rf, 64<<10)
	return rf, nil
}

// run streams the nodes phase, then the relationships phase, with progress.
func (b *bulk) run(total int64) error {
	verb := "written"
	if b.o.DryRun {
		verb = "valid"
	}
	prog := startProgress(b.out, b.o.Progress, b.o.ProgressEvery, total, &b.c, verb)
	defer prog.finish()
	for _, ph := range []phase{phaseNodes, phaseRelationships} {
		if err := b.runPhase(ph); err != nil {
			return err
		}
	}
	b.c.done.Store(b.c.bytes.Load()) // what follows the last batch was rejected rows
	return nil
}

// finish reports the load and, when it completed, removes the checkpoint.
func (b *bulk) finish(elapsed time.Duration, err error) (Result, error) {
	res := Result{Read: b.c.read.Load(), Written: b.c.written.Load(), Resumed: b.c.resumed.Load(), Rejected: b.c.rejected.Load(), Batches: b.batches, Summary: b.sum}
	b.report(res, elapsed, err)
	if err == nil && !b.o.DryRun {
		if rerr := os.Remove(b.o.Checkpoint); rerr != nil && !errors.Is(rerr, os.ErrNotExist) {
			err = fmt.Errorf("remove checkpoint: %w", rerr)
		}
	}
	return res, err
}

func (b *bulk) report(res Result, elapsed time.Duration, err error) {
	rate := float64(res.Read) / max(elapsed.Seconds(), 0.001)
	verb := "written"
	if b.o.DryRun {
		verb = "valid"
	}
	fmt.Fprintf(b.out, "read %s rows in %s (%s rows/s): %s %s", grouped(res.Read), elapsed.Round(time.Millisecond), grouped(int64(rate)), grouped(res.Written+res.Resumed), verb)
	if res.Resumed > 0 {
		fmt.Fprintf(b.out, " (%s by the earlier run, %s now)", grouped(res.Resumed), grouped(res.Written))
	}
	if !b.o.DryRun {
		fmt.Fprintf(b.out, " in %s transactions", grouped(res.Batches))
	}
	fmt.Fprintf(b.out, ", %s rejected", grouped(res.Rejected))
	if lost := res.Read - res.Written - res.Resumed - res.Rejected; lost != 0 {
		fmt.Fprintf(b.out, ", %s not written (their batches did not commit)", grouped(lost))
	}
	fmt.Fprintln(b.out)
	if res.Rejected > 0 {
		fmt.Fprintf(b.out, "rejects: %s\n", b.o.Rejects)
		for _, l := range b.firstRejects {
			fmt.Fprintln(b.out, "  "+l)
		}
		if int64(len(b.firstRejects)) < res.Rejected {
			fmt.Fprintln(b.out, "  ...")
		}
	}
	if b.o.DryRun {
		fmt.Fprintln(b.out, "dry run: nothing written")
		return
	}
	if len(res.Summary) > 0 {
		fmt.Fprint(b.out, res.Summary.Table())
	}
	if err != nil && !errors.Is(err, ErrTooManyRejects) {
		fmt.Fprintf(b.out, "stopped: committed batches are recorded in %s: run the same command with --resume to continue\n", b.o.Checkpoint)
	}
}

// runPhase streams every file that holds rows of phase ph through validation to
// the writers, and returns once every batch has committed or the load has failed.
func (b *bulk) runPhase(ph phase) error {
	b.c.phase.Store(ph.String())
	batches := make(chan bulkBatch, b.o.Writers)
	var wg sync.WaitGroup
	for range b.o.Writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for bb := range batches {
				if b.ctx.Err() == nil {
					b.commit(bb)
				}
			}
		}()
	}
	readErr := b.readPhase(ph, batches)
	close(batches)
	wg.Wait()
	b.mu.Lock()
	writeErr := b.err
	b.mu.Unlock()
	if writeErr != nil {
		return writeErr // the reader's error is then only the cancellation
	}
	return readErr
}

func (b *bulk) readPhase(ph phase, batches chan<- bulkBatch) error {
	chunkSize := min(max(b.o.BatchSize, 100), 5000)
	for fi, path := range b.paths {
		src, err := openSource(path, &b.c.bytes, b.o.ArrayDelimiter, b.o.MaxRecordBytes)
		if err != nil {
			return err
		}
		if !src.holds(ph) {
			if err := src.close(); err != nil {
				return err
			}
			continue
		}
		cur := bulkBatch{phase: ph, file: fi}
		var chunk []bulkRow
		err = func() error {
			for {
				if err := b.ctx.Err(); err != nil {
					return err
				}
				row, err := src.next()
				if err == io.EOF {
					break
				}
				if err != nil {
					return err
				}
				if row.kind.phase() != ph {
					continue
				}
				if ph == phaseNodes && row.kind != rowDocument {
					// Entities one by one, after the documents read before them.
					if err := b.handleChunk(ph, fi, chunk, &cur, batches); err != nil {
						return err
					}
					chunk = chunk[:0]
					if err := b.handle(ph, fi, row, &cur, batches); err != nil {
						return err
					}
					continue
				}
				chunk = append(chunk, row)
				if len(chunk) >= chunkSize {
					if err := b.handleChunk(ph, fi, chunk, &cur, batches); err != nil {
						return err
					}
					chunk = chunk[:0]
				}
			}
			return b.handleChunk(ph, fi, chunk, &cur, batches)
		}()
		// Whatever stopped the file, what is valid so far is written: the counts add up.
		if ferr := b.dispatch(&cur, batches); ferr != nil && err == nil {
			err = ferr
		}
		if cerr := src.close(); cerr != nil && err == nil {
			err = cerr
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// handleChunk validates rows together, so that what they need from the graph is
// read in one round trip: for relationships, the ids and documents they reference;
// for documents, whether a changed text would break evidence already in the graph.
func (b *bulk) handleChunk(ph phase, fi int, chunk []bulkRow, cur *bulkBatch, batches chan<- bulkBatch) error {
	if len(chunk) == 0 {
		return nil
	}
	what, read := "read referenced ids from the graph", func() error { return b.ix.prefetch(b.ctx, chunk) }
	if ph == phaseNodes {
		what, read = "compare the documents with the graph", func() error { return b.checkRewrittenDocuments(chunk) }
	}
	if err := b.retry(read); err != nil {
		return fmt.Errorf("%s lines %d-%d: %s: %w", b.paths[fi], chunk[0].line, chunk[len(chunk)-1].line, what, err)
	}
	for _, row := range chunk {
		if err := b.handle(ph, fi, row, cur, batches); err != nil {
			return err
		}
	}
	return nil
}

// handle validates one row and either rejects it or adds it to the current batch.
func (b *bulk) handle(ph phase, fi int, row bulkRow, cur *bulkBatch, batches chan<- bulkBatch) error {
	b.c.read.Add(1) // counted here, not when read: a chunk may be cut short by --max-rejects
	loaders.CountRows(1, 0, 0)
	loc := location{int32(fi), int32(row.line)}
	probs := row.probs
	if !row.broken {
		switch row.kind {
		case rowDocument:
			if row.doc.Sentences == nil {
				row.doc.Sentences = model.SplitSentences(row.doc.Text)
			}
			probs = append(probs, row.doc.Validate()...)
			if len(probs) == 0 {
				if fe := b.ix.define(row.doc.ID, model.KindDocument, loc); fe != nil {
					probs = append(probs, *fe)
				}
			}
		case rowEntity:
			probs = append(probs, row.ent.Validate()...)
			if len(probs) == 0 {
				k, _ := model.ParseKind(row.ent.Kind)
				if fe := b.ix.define(row.ent.ID, k, loc); fe != nil {
					probs = append(probs, *fe)
				}
			}
		case rowRelationship:
			probs = append(probs, model.CheckRelationship(row.rel, b.ix)...)
			if len(probs) == 0 {
				if fe := b.ix.defineRel(row.rel, loc); fe != nil {
					probs = append(probs, *fe)
				}
			}
		}
	}
	if len(probs) > 0 {
		if b.syncs != nil {
			b.syncs.rejected[fi]++
		}
		return b.reject(fi, row.line, probs)
	}
	if b.syncs != nil {
		b.syncs.assert(fi, row)
	}
	if row.kind == rowDocument {
		b.ix.sentences.put(row.doc.ID, row.doc.Sentences)
	}
	if b.resuming && !(position{ph, fi, row.line}).after(b.resume) {
		b.c.resumed.Add(1)
		b.c.done.Store(b.c.bytes.Load()) // no batch of this run precedes a resumed row
		return nil
	}
	if b.o.DryRun {
		b.c.written.Add(1)
		b.c.done.Store(b.c.bytes.Load())
		return nil
	}
	if cur.batch.Len() == 0 {
		cur.first = row.line
	}
	cur.last = row.line
	switch row.kind {
	case rowDocument:
		cur.batch.Documents = append(cur.batch.Documents, row.doc)
	case rowEntity:
		cur.batch.Entities = append(cur.batch.Entities, row.ent)
	case rowRelationship:
		cur.batch.Relationships = append(cur.batch.Relationships, row.rel)
	}
	cur.bytes += row.size()
	if cur.batch.Len() >= b.o.BatchSize || cur.bytes >= b.o.BatchBytes {
		return b.dispatch(cur, batches)
	}
	return nil
}

func (b *bulk) reject(fi, line int, probs []model.FieldError) error {
	for _, fe := range probs {
		l := loaders.Problem{File: b.paths[fi], Line: line, Field: fe.Field, Message: fe.Message}.String()
		if _, err := b.rejects.WriteString(l + "\n"); err != nil {
			return fmt.Errorf("reject report: %w", err)
		}
		if len(b.firstRejects) < 10 {
			b.firstRejects = append(b.firstRejects, l)
		}
	}
	n := b.c.rejected.Add(1)
	loaders.CountRows(0, 0, 1)
	if b.o.MaxRejects >= 0 && n > int64(b.o.MaxRejects) {
		return fmt.Errorf("%w: more than %d (--max-rejects) at %s:%d; the rows read before it are written", ErrTooManyRejects, b.o.MaxRejects, b.paths[fi], line)
	}
	return nil
}

// dispatch sends the current batch to the writers and starts a new one.
func (b *bulk) dispatch(cur *bulkBatch, batches chan<- bulkBatch) error {
	if cur.batch.Len() == 0 {
		return nil
	}
	b.seq++
	cur.seq = b.seq
	cur.readTo = b.c.bytes.Load()
	bb := *cur
	*cur = bulkBatch{phase: cur.phase, file: cur.file}
	// Hashing and building the parameters happens here, on the reader, while the
	// writers wait on Neo4j: the writer only sends.
	src := b.o.Source
	src.ID = loaders.SourceID(b.paths[bb.file])
	bb.batch.Source = src
	bb.batch.Requoted = slices.Clone(b.requoted)
	p, err := b.w.Prepare(bb.batch)
	if err != nil {
		return fmt.Errorf("%s: %w", b.describe(bb), err)
	}
	bb.prepared, bb.batch = p, model.Batch{}
	select {
	case batches <- bb:
		return nil
	case <-b.ctx.Done():
		return b.ctx.Err()
	}
}

// rows returns the number of rows of bb, prepared or not.
func (bb bulkBatch) rows() int {
	if bb.prepared != nil {
		return bb.prepared.Len()
	}
	return bb.batch.Len()
}

// describe names a batch for messages: "relationships batch 7 (rels.csv lines 6002-7001, 1000 rows)".
func (b *bulk) describe(bb bulkBatch) string {
	return fmt.Sprintf("%s batch %d (%s lines %d-%d, %d rows)", bb.phase, bb.seq, b.paths[bb.file], bb.first, bb.last, bb.rows())
}

// commit writes one batch (retrying transient failures) and advances the checkpoint.
func (b *bulk) commit(bb bulkBatch) {
	var sum loaders.Summary
	err := b.retry(func() error {
		var err error
		sum, err = b.w.WritePrepared(b.ctx, bb.prepared)
		if err != nil && loaders.Transient(err) {
			fmt.Fprintf(b.out, "\nretrying %s: %v\n", b.describe(bb), err)
		}
		return err
	})
	if err != nil {
		what := "failed"
		if loaders.Transient(err) {
			what = fmt.Sprintf("Neo4j unreachable (connection lost) for over %s", b.o.RetryFor)
		}
		b.fail(fmt.Errorf("write %s: %s: %w", b.describe(bb), what, err))
		return
	}
	b.c.written.Add(int64(bb.prepared.Len()))
	loaders.CountRows(0, int64(bb.prepared.Len()), 0)
	for _, c := range bb.prepared.Conflicts() {
		// Every claim is kept; the entity shows what the sources' precedence decides.
		fmt.Fprintf(b.out, "%s lines %d-%d: %s: conflict with other sources on %s\n", b.paths[bb.file], bb.first, bb.last, c.Entity, c.String())
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	b.sum.Merge(sum)
	b.finished[bb.seq] = bb
	advanced := false
	for {
		done, ok := b.finished[b.nextSeq]
		if !ok {
			break
		}
		delete(b.finished, b.nextSeq)
		b.nextSeq++
		b.cp.Committed = position{done.phase, done.file, done.last}
		b.cp.Where = fmt.Sprintf("%s line %d (%s)", b.paths[done.file], done.last, done.phase)
		b.cp.Batches++
		b.batches++
		b.cp.Rows += int64(done.prepared.Len())
		b.c.done.Store(done.readTo)
		advanced = true
	}
	if advanced {
		b.cp.Updated = time.Now().UTC()
		if err := b.cp.save(b.o.Checkpoint); err != nil {
			b.failLocked(err)
		}
	}
}

func (b *bulk) fail(err error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.failLocked(err)
}

func (b *bulk) failLocked(err error) {
	if b.err == nil {
		b.err = err
		b.cancel()
	}
}

// retry runs f under the loaders' one retry policy (loaders.Retry) for RetryFor.
func (b *bulk) retry(f func() error) error {
	defer b.sayWhenStalled(time.Now())()
	return loaders.Retry(b.ctx, b.o.RetryFor, f)
}

// stallNotice is how long a call to Neo4j may go unanswered before the loader
// says that it is waiting: the driver retries a lost connection silently.
const stallNotice = 5 * time.Second

// sayWhenStalled prints, once the call started at start has gone unanswered for
// b.stallNotice, that the loader is retrying and until when; the returned func
// stops it.
func (b *bulk) sayWhenStalled(start time.Time) (stop func()) {
	t := time.AfterFunc(cmp.Or(b.stallNotice, stallNotice), func() {
		until := start.Add(b.o.RetryFor)
		fmt.Fprintf(b.out, "\nno answer from Neo4j for %s (connection lost, or Neo4j busy): retrying until about %s (--retry-for %s), then stopping\n",
			time.Since(start).Round(time.Second), until.UTC().Format("15:04:05 UTC"), b.o.RetryFor)
	})
	return func() { t.Stop() }
}

// syncWriter serialises writes from the writers and the progress reporter.
type syncWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (s *syncWriter) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.w.Write(p)
}

// DefaultPaths returns the reject report and checkpoint paths used when none
// are given: next to each other in dir, named after the first input.
func DefaultPaths(dir string, paths []string) (rejects, checkpoint string) {
	base := "load"
	if len(paths) > 0 {
		base = filepath.Base(paths[0])
	}
	return filepath.Join(dir, base+".rejects.txt"), filepath.Join(dir, base+".checkpoint.json")
}
