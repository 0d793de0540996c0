package app

import (
	"context"
	"errors"
	"io"
	"os"
	"strings"
	"time"

	"tradegraph/graph/model"
	"tradegraph/loaders"
	"tradegraph/loaders/bulk"
)

func runLoad(ctx context.Context, args []string, getenv func(string) string, stdout io.Writer) error {
	fs := newFlagSet("load", "[flags] FILE...", "FILE is a curated dataset (.yaml, .yml, .json), an article (.txt, .md), or bulk\ninput: CSV in neo4j-admin header style (.csv) or JSON Lines (.jsonl, .ndjson),\noptionally gzipped (see docs/loading-bulk.md).", stdout)
	var nf neo4jFlags
	nf.register(fs, getenv)
	dryRun := fs.Bool("dry-run", false, "validate only; write nothing")
	offline := fs.Bool("offline", false, "with --dry-run: do not contact Neo4j (ids outside the input cannot be resolved)")
	in := registerInputFlags(fs, "bulk: ", "rows per write transaction")
	batchMiB := fs.Int("batch-mib", bulk.DefaultBatchBytes>>20, "bulk: a write transaction also ends once its rows hold this many MiB of text")
	var meta loaders.ArticleMeta
	fs.StringVar(&meta.ID, "id", "", "article: document id (default doc:<file name>)")
	fs.StringVar(&meta.Title, "title", "", "article: title (default: front matter or first Markdown heading)")
	fs.StringVar(&meta.Date, "date", "", "article: publication date, YYYY[-MM[-DD]]")
	fs.StringVar(&meta.URL, "url", "", "article: source URL")
	fs.StringVar(&meta.Publisher, "publisher", "", "article: publisher")
	writers := fs.Int("writers", 1, "bulk: batches written concurrently")
	checkpoint := fs.String("checkpoint", "", "bulk: checkpoint path (default <first file>.checkpoint.json in the current directory)")
	resume := fs.Bool("resume", false, "bulk: skip the rows the checkpoint says an interrupted run committed")
	retryFor := fs.Duration("retry-for", loaders.DefaultRetryFor, "how long a failing batch is retried (a Neo4j restart is ridden out within it)")
	as := asFlag(fs, getenv)
	prefer := fs.Bool("prefer-this-source", false, "entity fields this load's sources disagree on with other sources show this load's values (see docs/loading.md, \"Several sources\")")
	sync := fs.Bool("sync", false, "retract the facts each input's source asserted before and no longer does (with --dry-run: list them; bulk input: every file's rows must pass)")
	metricsAddr := fs.String("metrics-addr", "", "serve Prometheus /metrics (loader rows read, written, rejected) on this address while loading, e.g. 127.0.0.1:9101")
	if done, err := parseFlags(fs, args); done {
		return err
	}
	if fs.NArg() == 0 {
		return usageError{errors.New("load: name at least one FILE (a .yaml/.json dataset, a .txt/.md article, or .csv/.jsonl bulk input)")}
	}
	if *offline && !*dryRun {
		return usageError{errors.New("load: --offline needs --dry-run (writing needs Neo4j)")}
	}
	bulkFiles, err := countBulk("load", fs.Args())
	if err != nil {
		return err
	}
	if err := in.check("load", stdout); err != nil {
		return err
	}
	if *sync && *offline {
		return usageError{errors.New("load: --sync compares with the graph; it cannot be combined with --offline")}
	}
	if *resume && *dryRun {
		return usageError{errors.New("load: --resume continues a load that writes; it cannot be combined with --dry-run")}
	}
	if *writers < 1 || *batchMiB < 1 {
		return usageError{errors.New("load: --writers and --batch-mib must be at least 1")}
	}

	if *metricsAddr != "" {
		stop, err := serveMetrics(*metricsAddr)
		if err != nil {
			return err
		}
		defer stop()
	}
	var store loaders.Graph // nil: offline
	if !*offline {
		// The driver retries transient failures inside each transaction for a quarter
		// of --retry-for; the loaders retry whole batches for the rest (loaders.Retry).
		s, closeStore, err := nf.openStore(ctx, stdout, max(*retryFor/4, time.Second))
		if err != nil {
			return err
		}
		defer closeStore()
		store = asSource{s, model.Source{ID: strings.Join(fs.Args(), " "), By: *as}}
	}
	if bulkFiles > 0 {
		defRejects, defCheckpoint := bulk.DefaultPaths(".", fs.Args())
		if *in.rejects == "" {
			*in.rejects = defRejects
		}
		if *checkpoint == "" {
			*checkpoint = defCheckpoint
		}
		opts := in.options(stdout, model.Source{By: *as, Prefer: *prefer})
		opts.Graph, opts.DryRun, opts.Writers, opts.BatchBytes = store, *dryRun, *writers, *batchMiB<<20
		opts.Checkpoint, opts.Resume, opts.RetryFor, opts.Sync = *checkpoint, *resume, *retryFor, *sync
		_, err := bulk.Load(ctx, opts, fs.Args())
		return err
	}
	opts := loaders.Options{Graph: store, DryRun: *dryRun, BatchSize: *in.batch, RetryFor: *retryFor, Article: meta, Out: stdout,
		By: *as, Prefer: *prefer, Sync: *sync}
	_, err = loaders.Load(ctx, opts, fs.Args())
	return err
}

// isTerminal reports whether w is a terminal (a character device), without a
// dependency: the progress bar redraws its line only there.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}

// defaultOperator is the name a load is recorded under without --as: the OS
// user.
