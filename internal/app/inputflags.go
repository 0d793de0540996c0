package app

import (
	"flag"
	"fmt"
	"io"
	"time"

	"tradegraph/graph/model"
	"tradegraph/loaders"
	"tradegraph/loaders/bulk"
)

// inputFlags are the flags load and import share: how their input is read,
// validated, batched and reported. Both commands take the same files and
// validate them the same way, so the flags that say how are defined once.
type inputFlags struct {
	batch         *int
	maxRejects    *int
	rejects       *string
	progress      *string
	progressEvery *time.Duration
	arrayDelim    *string
	maxRecordMiB  *float64
}

// registerInputFlags defines the shared flags on fs. bulkOnly prefixes the help
// of the flags that only bulk input reads (load also takes curated files and
// articles; import reads everything through the bulk pipeline); batchHelp says
// what a batch is to the command.
func registerInputFlags(fs *flag.FlagSet, bulkOnly, batchHelp string) inputFlags {
	return inputFlags{
		batch:         fs.Int("batch-size", loaders.DefaultBatchSize, batchHelp),
		maxRejects:    fs.Int("max-rejects", 1000, bulkOnly+"stop once more than N rows are rejected (-1: no limit)"),
		rejects:       fs.String("rejects", "", bulkOnly+"reject report path (default <first file>.rejects.txt in the current directory)"),
		progress:      fs.String("progress", "auto", bulkOnly+"auto (a bar on a terminal, lines otherwise), bar, lines or off"),
		progressEvery: fs.Duration("progress-every", 10*time.Second, bulkOnly+"interval of progress lines"),
		arrayDelim:    fs.String("array-delimiter", ";", bulkOnly+"separator of array cells in CSV"),
		maxRecordMiB:  fs.Float64("max-record-mib", bulk.DefaultMaxRecordBytes>>20, bulkOnly+"largest CSV record or JSON line, in MiB (a longer JSON line is rejected; a longer CSV record stops its file)"),
	}
}

// check validates the shared flags for command cmd and resolves --progress auto
// against stdout.
func (f inputFlags) check(cmd string, stdout io.Writer) error {
	switch *f.progress {
	case "auto":
		*f.progress = "lines"
		if isTerminal(stdout) {
			*f.progress = "bar"
		}
	case "bar", "lines", "off":
	default:
		return usageError{fmt.Errorf("%s: --progress is auto, bar, lines or off", cmd)}
	}
	if *f.batch < 1 {
		return usageError{fmt.Errorf("%s: --batch-size must be at least 1", cmd)}
	}
	if *f.maxRecordMiB <= 0 {
		return usageError{fmt.Errorf("%s: --max-record-mib must be more than 0", cmd)}
	}
	return nil
}

// options returns the bulk pipeline's options the shared flags set; the caller
// adds what is its own (the graph, writers, checkpoint).
func (f inputFlags) options(stdout io.Writer, src model.Source) bulk.Options {
	return bulk.Options{
		BatchSize: *f.batch, MaxRejects: *f.maxRejects, Rejects: *f.rejects, ArrayDelimiter: *f.arrayDelim,
		Progress: *f.progress, ProgressEvery: *f.progressEvery, MaxRecordBytes: int(*f.maxRecordMiB * (1 << 20)),
		Out: stdout, Source: src,
	}
}

// countBulk returns how many of paths are bulk input (CSV, JSON Lines), and a
// usage error when paths mix bulk input with curated files or articles: the two
// are read by different pipelines, in separate runs.
func countBulk(cmd string, paths []string) (int, error) {
	n := 0
	for _, p := range paths {
		if bulk.IsInput(p) {
			n++
		}
	}
	if n > 0 && n < len(paths) {
		return n, usageError{fmt.Errorf("%s: give bulk files (.csv, .jsonl) and curated files or articles in separate runs", cmd)}
	}
	return n, nil
}
