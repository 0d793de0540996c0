package main

import (
	"context"
	"errors"
	"flag"
	"io"
	"log/slog"
	"time"

	"tradegraph/loaders"
)

func runLoad(ctx context.Context, args []string, getenv func(string) string, stdout io.Writer) error {
	fs := flag.NewFlagSet("load", flag.ContinueOnError)
	fs.SetOutput(stdout)
	fs.Usage = func() {
		io.WriteString(stdout, "usage: tradegraph load [flags] FILE...\n\nFILE is a curated dataset (.yaml, .yml, .json) or an article (.txt, .md).\n\nflags:\n")
		fs.PrintDefaults()
	}
	var nf neo4jFlags
	nf.register(fs, getenv)
	dryRun := fs.Bool("dry-run", false, "validate only; write nothing")
	offline := fs.Bool("offline", false, "with --dry-run: do not contact Neo4j (ids outside the input cannot be resolved)")
	batch := fs.Int("batch-size", 1000, "rows per write transaction")
	var meta loaders.ArticleMeta
	fs.StringVar(&meta.ID, "id", "", "article: document id (default doc:<file name>)")
	fs.StringVar(&meta.Title, "title", "", "article: title (default: front matter or first Markdown heading)")
	fs.StringVar(&meta.Date, "date", "", "article: publication date, YYYY[-MM[-DD]]")
	fs.StringVar(&meta.URL, "url", "", "article: source URL")
	fs.StringVar(&meta.Publisher, "publisher", "", "article: publisher")
	if err := fs.Parse(args); err != nil {
		return usageError{err}
	}
	if fs.NArg() == 0 {
		return usageError{errors.New("load: name at least one FILE (a .yaml/.json dataset or a .txt/.md article)")}
	}
	if *offline && !*dryRun {
		return usageError{errors.New("load: --offline needs --dry-run (writing needs Neo4j)")}
	}
	opts := loaders.Options{Database: nf.database, DryRun: *dryRun, BatchSize: *batch, Article: meta, Out: stdout}
	if !*offline {
		log := slog.New(slog.NewTextHandler(stdout, nil))
		// Loads ride out transient failures (a Neo4j restart) for up to a minute.
		driver, err := nf.connect(ctx, log, time.Minute)
		if err != nil {
			return err
		}
		defer driver.Close(context.Background())
		opts.Driver = driver
	}
	_, err := loaders.Load(ctx, opts, fs.Args())
	return err
}
