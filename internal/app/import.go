package app

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"tradegraph/graph/model"
	"tradegraph/graph/neo4jstore"
	"tradegraph/loaders"
	"tradegraph/loaders/bulk"
)

// tradegraph import is the initial load of an empty database at the speed of
// Neo4j's offline importer. It is a command of its own, not a flag of load,
// because it is a different operation: it replaces the whole database, stops
// and restarts the server, and has no --resume or concurrent writers; what it
// shares with load is the input, the validation, the reject report and the
// properties written (docs/loading-bulk.md, "Initial import").

const importUsage = `usage: tradegraph import [flags] FILE...

Initial load of an EMPTY database with Neo4j's offline importer (neo4j-admin
database import full): the same inputs as load (bulk CSV / JSON Lines, or curated
files and articles), validated exactly as load validates them (same reject report,
same --max-rejects), written as the importer's files.

Local Neo4j (scripts/neo4j.sh): imports into a store of its own while the server
runs, then stops the server, swaps the new store in (the previous one is kept
until the server has started on the new one and the migrations have run), starts
it, applies the migrations, derives the effective dates, and prints counts.

Remote server: --files-only DIR writes the files and prints the neo4j-admin command
to run there; after it, start the server and run import --finish DIR.

flags:
`

func runImport(ctx context.Context, args []string, getenv func(string) string, stdout io.Writer) error {
	fs := flag.NewFlagSet("import", flag.ContinueOnError)
	fs.SetOutput(stdout)
	fs.Usage = func() {
		io.WriteString(stdout, importUsage)
		fs.PrintDefaults()
	}
	var nf neo4jFlags
	nf.register(fs, getenv)
	home := fs.String("neo4j-home", envOr(getenv, "NEO4J_HOME", ".cache/neo4j/home"), "local: the NEO4J_HOME of the server scripts/neo4j.sh runs [NEO4J_HOME]")
	script := fs.String("neo4j-script", "scripts/neo4j.sh", "local: the script that stops and starts that server (and whose .cache/neo4j/lib holds the importer)")
	filesOnly := fs.String("files-only", "", "remote: write the import files into this directory and print the neo4j-admin command; touch no server")
	finish := fs.String("finish", "", "remote, after neo4j-admin imported the files of this directory and the server started: migrations, derived dates, audit record, counts")
	force := fs.Bool("force", false, "replace a database that holds data (everything in it is lost)")
	work := fs.String("work", "", "local: directory for the files and the new store (default: beside --neo4j-home; needs room for both)")
	keep := fs.Bool("keep-files", false, "local: keep the import files and the importer's log")
	in := registerInputFlags(fs, "", "rows per batch handed to the file writer")
	as := asFlag(fs, getenv)
	if done, err := parseFlags(fs, args); done {
		return err
	}
	log := slog.New(slog.NewTextHandler(stdout, nil))
	if *finish != "" {
		if fs.NArg() > 0 {
			return usageError{errors.New("import: --finish takes no FILE: it finishes the import of the files in its directory")}
		}
		m, err := neo4jstore.ReadImportManifest(*finish)
		if err != nil {
			return err
		}
		return finishImport(ctx, nf, log, m, stdout)
	}
	if fs.NArg() == 0 {
		return usageError{errors.New("import: name at least one FILE (.csv/.jsonl bulk input, or .yaml/.json datasets and .txt/.md articles)")}
	}
	bulkFiles, err := countBulk("import", fs.Args())
	if err != nil {
		return err
	}
	if err := in.check("import", stdout); err != nil {
		return err
	}
	imp := importer{nf: nf, log: log, out: stdout, force: *force, keep: *keep, by: *as, paths: fs.Args(),
		write: func(w *neo4jstore.ImportFiles) error {
			return writeImportFiles(ctx, w, fs.Args(), bulkFiles > 0, in.options(stdout, model.Source{By: *as}))
		}}
	if *filesOnly != "" {
		return imp.filesOnly(*filesOnly)
	}
	local, err := newLocalNeo4j(*script, *home, nf.uri, nf.database)
	if err != nil {
		return err
	}
	if *work == "" {
		*work = filepath.Join(filepath.Dir(local.home), fmt.Sprintf(".tradegraph-import-%d", os.Getpid()))
	}
	imp.steps = &stepLog{log: log}
	local.steps = imp.steps
	return imp.local(ctx, local, *work)
}

// importer is one run of tradegraph import.
type importer struct {
	nf          neo4jFlags
	log         *slog.Logger
	out         io.Writer
	force, keep bool
	by          string
	paths       []string
	// write validates the input and writes the import files through w.
	write func(w *neo4jstore.ImportFiles) error
	steps *stepLog
}

// stepLog times the steps of an import: each is logged as it ends, and the
// report ends with the breakdown. A nil *stepLog times nothing.
type stepLog struct {
	log   *slog.Logger
	steps []timedStep
}

type timedStep struct {
	name string
	took time.Duration
}

// done records that step name took took.
func (s *stepLog) done(name string, took time.Duration) {
	if s == nil {
		return
	}
	s.steps = append(s.steps, timedStep{name, took})
	s.log.Info("import step", "step", name, "took", took.Round(time.Millisecond))
}

// time runs f as step name.
func (s *stepLog) time(name string, f func() error) error {
	start := time.Now()
	err := f()
	s.done(name, time.Since(start))
	return err
}

// report returns the store's step func that records into s.
func (s *stepLog) report() neo4jstore.StepFunc {
	if s == nil {
		return nil
	}
	return s.done
}

// print writes the breakdown: every step with its time and share of total.
func (s *stepLog) print(out io.Writer, total time.Duration) {
	if s == nil || len(s.steps) == 0 {
		return
	}
	fmt.Fprintln(out, "steps:")
	var sum time.Duration
	for _, st := range s.steps {
		sum += st.took
		fmt.Fprintf(out, "  %-34s %10s %5.1f%%\n", st.name, st.took.Round(time.Millisecond), 100*st.took.Seconds()/max(total.Seconds(), 0.001))
	}
	fmt.Fprintf(out, "  %-34s %10s %5.1f%%\n", "(between the steps)", (total - sum).Round(time.Millisecond), 100*(total-sum).Seconds()/max(total.Seconds(), 0.001))
}

// writeImportFiles validates paths with the loaders, bulk or curated, and writes
// what is valid through w: the same code as tradegraph load, with w as its graph.
func writeImportFiles(ctx context.Context, w *neo4jstore.ImportFiles, paths []string, isBulk bool, o bulk.Options) error {
	if isBulk {
		defRejects, _ := bulk.DefaultPaths(".", paths)
		if o.Rejects == "" {
			o.Rejects = defRejects
		}
		o.Graph = w
		o.Writers = 1
		o.DocCache = -1 // every document's sentences stay in memory: nothing can be read back
		cp, err := os.CreateTemp("", "tradegraph-import-*.checkpoint.json")
		if err != nil {
			return err
		}
		cp.Close()
		o.Checkpoint = cp.Name()
		defer os.Remove(cp.Name())
		res, err := bulk.Load(ctx, o, paths)
		if err == nil && res.Rejected > 0 && o.MaxRejects == 0 {
			err = bulk.ErrTooManyRejects
		}
		return err
	}
	g := asSource{w, model.Source{ID: strings.Join(paths, " "), By: o.Source.By}}
	_, err := loaders.Load(ctx, loaders.Options{Graph: g, BatchSize: o.BatchSize, Out: o.Out, By: o.Source.By}, paths)
	return err
}

// sources returns the source ids of the import's inputs.
func (im importer) sources() []string {
	out := make([]string, len(im.paths))
	for i, p := range im.paths {
		out[i] = loaders.SourceID(p)
	}
	return out
}

// files validates the input and writes the import files into dir.
func (im importer) files(dir string) (neo4jstore.ImportManifest, error) {
	w, err := neo4jstore.NewImportFiles(dir)
	if err != nil {
		return neo4jstore.ImportManifest{}, err
	}
	werr := im.write(w)
	m, cerr := w.Close(im.sources(), im.by)
	if werr != nil {
		return m, fmt.Errorf("import: nothing was imported: %w", werr)
	}
	return m, cerr
}

// filesOnly writes the files for a remote server and prints what to run there.
func (im importer) filesOnly(dir string) error {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return err
	}
	m, err := im.files(abs)
	if err != nil {
		return err
	}
	fmt.Fprintf(im.out, "\nimport files in %s (%s). On the Neo4j server, with the database stopped (its store is replaced), and the files copied to the same paths:\n\n",
		abs, countLine(m.Counts))
	fmt.Fprintf(im.out, "  neo4j-admin %s\n\n", shellJoin(m.ImportArgs(im.nf.database, filepath.Join(abs, "import.report"))))
	fmt.Fprintf(im.out, "then start the database and run:\n\n  tradegraph import --finish %s --neo4j-uri <its URI>\n", shellQuote(abs))
	return nil
}

// local imports into the local Neo4j that scripts/neo4j.sh runs.
func (im importer) local(ctx context.Context, n localNeo4j, work string) (err error) {
	start := time.Now()
	if err := im.steps.time("check that the database is empty", func() error { return im.checkEmpty(ctx, n) }); err != nil {
		return err
	}
	if err := os.MkdirAll(work, 0o755); err != nil {
		return err
	}
	prevKept := false // the previous store could not be put back: it stays in work
	defer func() {
		if prevKept {
			return
		}
		if im.keep && err == nil {
			fmt.Fprintf(im.out, "import files kept in %s\n", work)
			return
		}
		if err != nil && im.keep {
			return
		}
		if rerr := os.RemoveAll(work); rerr != nil && err == nil {
			err = rerr
		}
	}()
	var m neo4jstore.ImportManifest
	if err := im.steps.time("validate and write the files", func() (err error) {
		m, err = im.files(filepath.Join(work, "files"))
		return err
	}); err != nil {
		return err
	}
	filesDone := time.Now()
	fmt.Fprintf(im.out, "import files written in %s: %s\n", filesDone.Sub(start).Round(time.Millisecond), countLine(m.Counts))
	newHome := filepath.Join(work, "home")
	if err := im.steps.time("importer (neo4j-admin)", func() error {
		return n.runImporter(ctx, m, newHome, filepath.Join(work, "importer.log"), im.out)
	}); err != nil {
		return fmt.Errorf("import: the importer failed; the database was not touched: %w", err)
	}
	toolDone := time.Now()
	fmt.Fprintf(im.out, "importer done in %s; stopping Neo4j to swap the store in\n", toolDone.Sub(filesDone).Round(time.Millisecond))
	prev := filepath.Join(work, "previous")
	if err := n.swapIn(ctx, newHome, prev); err != nil {
		// swapIn put the previous store back, unless that failed too: then it is in prev.
		if prevKept = storeKept(prev); prevKept {
			return fmt.Errorf("%w; the previous store could not be put back: it is in %s", err, prev)
		}
		return err
	}
	counts, err := im.afterStart(ctx, m)
	if err != nil {
		fmt.Fprintf(im.out, "import: %v\nimport: putting the previous store back\n", err)
		if rerr := n.swapBack(ctx, prev); rerr != nil {
			prevKept = true
			return fmt.Errorf("import failed (%w) and the previous store could not be put back (%v): it is in %s", err, rerr, prev)
		}
		return fmt.Errorf("import: the previous store is back in place: %w", err)
	}
	total := int64(0)
	for _, o := range m.Counts {
		total += int64(o.Created)
	}
	elapsed := time.Since(start)
	fmt.Fprintf(im.out, "imported %s rows in %s (%s rows/s: files %s, importer %s, swap, start, migrations and derived dates %s)\n",
		bulk.Grouped(total), elapsed.Round(time.Millisecond), bulk.Grouped(int64(float64(total)/max(elapsed.Seconds(), 0.001))),
		filesDone.Sub(start).Round(time.Millisecond), toolDone.Sub(filesDone).Round(time.Millisecond), time.Since(toolDone).Round(time.Millisecond))
	im.steps.print(im.out, elapsed)
	printCounts(im.out, counts)
	if hwm := peakRSS(); hwm != "" {
		fmt.Fprintf(im.out, "tradegraph peak RSS %s (the importer's JVM: its \"Peak memory usage\" above)\n", hwm)
	}
	return nil
}

// peakRSS returns this process's peak resident memory (VmHWM), "" where /proc
// does not tell.
func peakRSS() string {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return ""
	}
	for _, l := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(l, "VmHWM:"); ok {
			return strings.TrimSpace(v)
		}
	}
	return ""
}

// checkEmpty makes sure the local server runs and holds nothing, unless --force.
func (im importer) checkEmpty(ctx context.Context, n localNeo4j) error {
	if err := n.script(ctx, "start"); err != nil {
		return fmt.Errorf("import: start Neo4j to check that it is empty: %w", err)
	}
	d, err := im.nf.dial(ctx, im.log, time.Second)
	if err != nil {
		return err
	}
	defer d.Close(context.Background())
	nodes, rels, err := neo4jstore.New(d, im.nf.database, im.log).GraphSize(ctx)
	if err != nil {
		return err
	}
	if nodes == 0 && rels == 0 {
		return nil
	}
	if !im.force {
		return fmt.Errorf("import: database %q at %s holds %s nodes and %s relationships: an initial import replaces the whole database. Use `tradegraph load` to add to it, or --force to REPLACE it (everything in it is lost)",
			im.nf.database, im.nf.uri, bulk.Grouped(nodes), bulk.Grouped(rels))
	}
	fmt.Fprintf(im.out, "WARNING: --force: the %s nodes and %s relationships of database %q at %s will be REPLACED by this import (kept until the new store has started)\n",
		bulk.Grouped(nodes), bulk.Grouped(rels), im.nf.database, im.nf.uri)
	return nil
}

// afterStart connects to the server started on the new store and finishes the import.
func (im importer) afterStart(ctx context.Context, m neo4jstore.ImportManifest) (map[string]int64, error) {
	var d neo4j.DriverWithContext
	if err := im.steps.time("connect", func() (err error) {
		d, err = im.nf.dial(ctx, im.log, time.Second)
		return err
	}); err != nil {
		return nil, err
	}
	defer d.Close(context.Background())
	return neo4jstore.New(d, im.nf.database, im.log).FinishImport(ctx, m, im.steps.report())
}

// finishImport is import --finish: the steps after a remote neo4j-admin import.
func finishImport(ctx context.Context, nf neo4jFlags, log *slog.Logger, m neo4jstore.ImportManifest, out io.Writer) error {
	d, err := nf.dial(ctx, log, time.Second)
	if err != nil {
		return err
	}
	defer d.Close(context.Background())
	start := time.Now()
	steps := &stepLog{log: log}
	counts, err := neo4jstore.New(d, nf.database, log).FinishImport(ctx, m, steps.report())
	if err != nil {
		return err
	}
	steps.print(out, time.Since(start))
	printCounts(out, counts)
	return nil
}

func printCounts(out io.Writer, counts map[string]int64) {
	keys := make([]string, 0, len(counts))
	for k := range counts {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	fmt.Fprintln(out, "the graph now holds:")
	for _, k := range keys {
		fmt.Fprintf(out, "  %-20s %12s\n", k, bulk.Grouped(counts[k]))
	}
}

// countLine sums a summary's created rows as "N nodes and relationships".
func countLine(s model.Summary) string {
	n := 0
	for _, o := range s {
		n += o.Created
	}
	return fmt.Sprintf("%s rows", bulk.Grouped(int64(n)))
}

// localNeo4j is the server scripts/neo4j.sh runs from a NEO4J_HOME.
type localNeo4j struct {
	scriptPath, home, lib, port, database string
	steps                                 *stepLog // times the stop, the swap and the start
}

func newLocalNeo4j(script, home, uri, database string) (localNeo4j, error) {
	u, err := url.Parse(uri)
	if err != nil || u.Port() == "" || (u.Hostname() != "127.0.0.1" && u.Hostname() != "localhost") {
		return localNeo4j{}, usageError{fmt.Errorf("import: --neo4j-uri %s is not a local server on an explicit port: for a remote server use --files-only DIR", uri)}
	}
	script, err = filepath.Abs(script)
	if err != nil {
		return localNeo4j{}, err
	}
	if _, err := os.Stat(script); err != nil {
		return localNeo4j{}, fmt.Errorf("import: %w (run from the repository root, or name the script with --neo4j-script)", err)
	}
	home, err = filepath.Abs(home)
	if err != nil {
		return localNeo4j{}, err
	}
	lib := filepath.Join(filepath.Dir(filepath.Dir(script)), ".cache", "neo4j", "lib")
	return localNeo4j{scriptPath: script, home: home, lib: lib, port: u.Port(), database: database}, nil
}

// script runs scripts/neo4j.sh CMD for this server.
func (n localNeo4j) script(ctx context.Context, cmd string) error {
	c := exec.CommandContext(ctx, n.scriptPath, cmd)
	c.Env = append(os.Environ(), "NEO4J_HOME="+n.home, "NEO4J_BOLT_PORT="+n.port)
	out, err := c.CombinedOutput()
	if err != nil {
		return fmt.Errorf("%s %s: %w\n%s", filepath.Base(n.scriptPath), cmd, err, out)
	}
	return nil
}

// up reports whether Bolt answers.
func (n localNeo4j) up(ctx context.Context) bool { return n.script(ctx, "status") == nil }

// runImporter runs neo4j-admin's import from the jars into a home of its own,
// printing its phases; the running server is not touched.
func (n localNeo4j) runImporter(ctx context.Context, m neo4jstore.ImportManifest, home, logPath string, out io.Writer) error {
	if err := n.script(ctx, "jars"); err != nil {
		return err
	}
	conf := filepath.Join(filepath.Dir(home), "conf")
	for _, d := range []string{home, conf} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			return err
		}
	}
	logf, err := os.Create(logPath)
	if err != nil {
		return err
	}
	defer logf.Close()
	args := append([]string{"-cp", filepath.Join(n.lib, "*"), "org.neo4j.cli.AdminTool"},
		m.ImportArgs(n.database, filepath.Join(filepath.Dir(home), "import.report"))...)
	c := exec.CommandContext(ctx, "java", args...)
	c.Env = append(os.Environ(), "NEO4J_HOME="+home, "NEO4J_CONF="+conf)
	pr, pw := io.Pipe()
	c.Stdout, c.Stderr = pw, pw
	done := make(chan struct{})
	go func() {
		defer close(done)
		sc := bufio.NewScanner(pr)
		sc.Buffer(make([]byte, 64<<10), 1<<20)
		for sc.Scan() {
			l := sc.Text()
			fmt.Fprintln(logf, l)
			if t := strings.TrimSpace(l); strings.HasPrefix(t, "(") || strings.Contains(t, "COMPLETED") || strings.HasPrefix(t, "IMPORT") ||
				strings.Contains(t, "rror") || strings.HasPrefix(t, "Peak memory") {
				fmt.Fprintln(out, "importer: "+t)
			}
		}
	}()
	err = c.Run()
	pw.Close()
	<-done
	if err != nil {
		return fmt.Errorf("neo4j-admin database import full: %w (its output: %s)", err, logPath)
	}
	return nil
}

// storeDirs are the folders of database db under a NEO4J_HOME.
func storeDirs(home, db string) []string {
	return []string{filepath.Join(home, "data", "databases", db), filepath.Join(home, "data", "transactions", db)}
}

// swapIn stops the server, moves its store to prev and the new one in, and
// starts it; on a failure before the server runs on the new store, it puts the
// previous store back.
func (n localNeo4j) swapIn(ctx context.Context, newHome, prev string) error {
	if err := n.steps.time("stop Neo4j", func() error { return n.script(ctx, "stop") }); err != nil {
		return err
	}
	swapStart := time.Now()
	if n.up(ctx) {
		return fmt.Errorf("import: Neo4j on port %s still answers after %s stop (not started by that script?): stop it, then run import again; the database was not touched", n.port, n.scriptPath)
	}
	olds, news := storeDirs(n.home, n.database), storeDirs(newHome, n.database)
	for i, old := range olds {
		dst := filepath.Join(prev, filepath.Base(filepath.Dir(old)))
		if err := os.MkdirAll(dst, 0o755); err != nil {
			return errors.Join(err, n.swapBack(ctx, prev))
		}
		if err := os.Rename(old, filepath.Join(dst, n.database)); err != nil && !errors.Is(err, os.ErrNotExist) {
			return errors.Join(fmt.Errorf("import: move the previous store aside: %w", err), n.swapBack(ctx, prev))
		}
		if err := os.MkdirAll(filepath.Dir(old), 0o755); err != nil {
			return errors.Join(err, n.swapBack(ctx, prev))
		}
		if err := os.Rename(news[i], old); err != nil {
			return errors.Join(fmt.Errorf("import: move the new store in: %w", err), n.swapBack(ctx, prev))
		}
	}
	n.steps.done("swap the store in", time.Since(swapStart))
	if err := n.steps.time("start Neo4j on the new store", func() error { return n.script(ctx, "start") }); err != nil {
		return errors.Join(fmt.Errorf("import: Neo4j does not start on the new store: %w", err), n.swapBack(ctx, prev))
	}
	return nil
}

// swapBack stops the server, puts the store kept in prev back, and starts it.
func (n localNeo4j) swapBack(ctx context.Context, prev string) error {
	if err := n.script(ctx, "stop"); err != nil {
		return err
	}
	for _, old := range storeDirs(n.home, n.database) {
		kept := filepath.Join(prev, filepath.Base(filepath.Dir(old)), n.database)
		if _, err := os.Stat(kept); err != nil {
			continue // not moved aside yet
		}
		if err := os.RemoveAll(old); err != nil {
			return err
		}
		if err := os.Rename(kept, old); err != nil {
			return err
		}
	}
	return n.script(ctx, "start")
}

// storeKept reports whether prev still holds a store moved aside.
func storeKept(prev string) bool {
	ents, err := os.ReadDir(prev)
	if err != nil {
		return false
	}
	for _, e := range ents {
		if sub, err := os.ReadDir(filepath.Join(prev, e.Name())); err == nil && len(sub) > 0 {
			return true
		}
	}
	return false
}

// shellJoin quotes args for a POSIX shell.
func shellJoin(args []string) string {
	q := make([]string, len(args))
	for i, a := range args {
		q[i] = shellQuote(a)
	}
	return strings.Join(q, " ")
}

func shellQuote(s string) string {
	if s != "" && strings.Trim(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_=./:+,@") == "" {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
