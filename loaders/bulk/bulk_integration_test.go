package bulk

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"tradegraph/gen"
)

// privateNeo4j is a Neo4j of the test's own (own port, own home), so that it can
// be killed and started mid-load without disturbing the test Neo4j that other
// packages share. It runs neo4j/Launcher.java as a child of the test process with
// Pdeathsig, so it dies with the test even when the test is killed before its
// cleanup runs.
type privateNeo4j struct {
	t    *testing.T
	root string
	env  []string
	uri  string
	cmd  *exec.Cmd
	done chan struct{}
}

func startPrivateNeo4j(t *testing.T) *privateNeo4j {
	t.Helper()
	if testing.Short() {
		t.Skip("integration test: starts its own Neo4j (run without -short)")
	}
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	// The jar closure, fetched once by the same script that `make test` uses.
	if out, err := exec.Command(filepath.Join(root, "scripts/neo4j.sh"), "jars").CombinedOutput(); err != nil {
		t.Fatalf("scripts/neo4j.sh jars: %v\n%s", err, out)
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := l.Addr().(*net.TCPAddr).Port
	l.Close()
	p := &privateNeo4j{t: t, root: root, uri: fmt.Sprintf("bolt://127.0.0.1:%d", port),
		env: append(os.Environ(), fmt.Sprintf("NEO4J_BOLT_PORT=%d", port), "NEO4J_HOME="+t.TempDir(),
			"NEO4J_PAGECACHE=256m", "NEO4J_TX_MEMORY=1g", "NEO4J_PASSWORD=", "NEO4J_IMPORT_DIR=")}
	p.start()
	t.Cleanup(p.stop)
	return p
}

// start runs the launcher and waits for its "neo4j ready" line.
func (p *privateNeo4j) start() {
	p.t.Helper()
	flags, err := os.ReadFile(filepath.Join(p.root, "neo4j/jvm.flags"))
	if err != nil {
		p.t.Fatal(err)
	}
	var args []string
	for _, f := range strings.Fields(string(flags)) {
		if !strings.HasPrefix(f, "#") {
			args = append(args, f)
		}
	}
	args = append(args, "-cp", filepath.Join(p.root, ".cache/neo4j/lib/*"), filepath.Join(p.root, "neo4j/Launcher.java"))
	c := exec.Command("java", args...)
	c.Env = p.env
	c.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	out := &syncBuffer{}
	c.Stdout, c.Stderr = out, out
	if err := c.Start(); err != nil {
		p.t.Fatalf("start neo4j: %v", err)
	}
	p.cmd, p.done = c, make(chan struct{})
	go func(done chan struct{}) {
		c.Wait()
		close(done)
	}(p.done)
	// Generous: on a busy shared machine a (re)start has taken over 3 minutes.
	deadline := time.After(6 * time.Minute)
	for !strings.Contains(out.String(), "neo4j ready") {
		select {
		case <-p.done:
			p.t.Fatalf("neo4j exited at start:\n%s", out)
		case <-deadline:
			p.t.Fatalf("neo4j not ready within 6 minutes:\n%s", out)
		case <-time.After(100 * time.Millisecond):
		}
	}
}

// stop shuts Neo4j down cleanly (SIGTERM), killing it after 30 s.
func (p *privateNeo4j) stop() {
	if p.cmd == nil {
		return
	}
	p.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-p.done:
	case <-time.After(30 * time.Second):
		p.cmd.Process.Kill()
		<-p.done
	}
	p.cmd = nil
}

// crash kills Neo4j at once (SIGKILL), as a crash or an OOM kill would: no clean
// shutdown, so its next start recovers from the transaction log.
func (p *privateNeo4j) crash() {
	p.cmd.Process.Kill()
	<-p.done
	p.cmd = nil
}

func (p *privateNeo4j) driver() neo4j.DriverWithContext {
	d, err := neo4j.NewDriverWithContext(p.uri, neo4j.NoAuth())
	if err != nil {
		p.t.Fatal(err)
	}
	p.t.Cleanup(func() { d.Close(context.Background()) })
	return d
}

// buildTradegraph builds the command, so that the tests kill a real loader process.
func buildTradegraph(t *testing.T, root string) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "tradegraph")
	c := exec.Command("go", "build", "-o", bin, ".")
	c.Dir = root
	if out, err := c.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// graphState is what "the same graph" means: the node and relationship counts
// and a checksum over every node's id, labels and content hash and every
// relationship's endpoints, type and content hash, in sorted order.
type graphState struct {
	Nodes, Relationships int
	Checksum             string
}

func readGraphState(t *testing.T, d neo4j.DriverWithContext) graphState {
	t.Helper()
	ctx := context.Background()
	h := sha256.New()
	var st graphState
	res, err := neo4j.ExecuteQuery(ctx, d, `MATCH (n) WHERE n:Entity OR n:Document RETURN n.id AS id, labels(n) AS labels, n._hash AS hash ORDER BY id`,
		nil, neo4j.EagerResultTransformer, neo4j.ExecuteQueryWithDatabase("neo4j"))
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range res.Records {
		labels := r.Values[1].([]any)
		var ls []string
		for _, l := range labels {
			ls = append(ls, l.(string))
		}
		slices.Sort(ls)
		fmt.Fprintf(h, "%v|%s|%v\n", r.Values[0], strings.Join(ls, ":"), r.Values[2])
		st.Nodes++
	}
	res, err = neo4j.ExecuteQuery(ctx, d, `MATCH (a)-[r]->(b) RETURN a.id AS a, type(r) AS t, b.id AS b, r._hash AS hash ORDER BY a, t, b`,
		nil, neo4j.EagerResultTransformer, neo4j.ExecuteQueryWithDatabase("neo4j"))
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range res.Records {
		fmt.Fprintf(h, "%v|%v|%v|%v\n", r.Values...)
		st.Relationships++
	}
	st.Checksum = hex.EncodeToString(h.Sum(nil))
	return st
}

func resetGraph(t *testing.T, d neo4j.DriverWithContext) {
	t.Helper()
	ctx := context.Background()
	s := d.NewSession(ctx, neo4j.SessionConfig{DatabaseName: "neo4j"})
	defer s.Close(ctx)
	res, err := s.Run(ctx, "MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 5000 ROWS", nil)
	if err == nil {
		_, err = res.Consume(ctx)
	}
	if err != nil {
		t.Fatalf("reset: %v", err)
	}
}

// loader is one `tradegraph load` process over the generated files.
type loader struct {
	cmd  *exec.Cmd
	out  *syncBuffer
	cp   string
	done chan struct{}
	err  error
}

// syncBuffer is the loader's output, read while the process writes it.
type syncBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func startLoader(t *testing.T, bin, uri, dir string, files []string, extra ...string) *loader {
	t.Helper()
	cp := filepath.Join(dir, "load.checkpoint.json")
	args := append([]string{"load", "--neo4j-uri", uri, "--progress", "lines", "--progress-every", "1s",
		"--rejects", filepath.Join(dir, "load.rejects.txt"), "--checkpoint", cp}, extra...)
	c := exec.Command(bin, append(args, files...)...)
	c.Env = append(os.Environ(), "NEO4J_PASSWORD=")
	l := &loader{cmd: c, out: &syncBuffer{}, cp: cp, done: make(chan struct{})}
	c.Stdout, c.Stderr = l.out, l.out
	if err := c.Start(); err != nil {
		t.Fatal(err)
	}
	go func() {
		l.err = c.Wait()
		close(l.done)
	}()
	t.Cleanup(func() {
		c.Process.Kill()
		<-l.done
	})
	return l
}

func (l *loader) wait() error {
	<-l.done
	return l.err
}

// waitCommitted waits until the checkpoint says at least rows rows are committed.
func (l *loader) waitCommitted(t *testing.T, rows int64) {
	t.Helper()
	deadline := time.After(2 * time.Minute)
	for {
		var cp checkpoint
		if b, err := os.ReadFile(l.cp); err == nil && json.Unmarshal(b, &cp) == nil && cp.Rows >= rows {
			return
		}
		select {
		case <-l.done:
			t.Fatalf("the load ended (%v) before %d rows were committed:\n%s", l.err, rows, l.out)
		case <-deadline:
			t.Fatalf("no checkpoint with %d rows within 2 minutes:\n%s", rows, l.out)
		case <-time.After(5 * time.Millisecond):
		}
	}
}

// TestBulkInterrupted interrupts loads of a generated 10k-relationship set in the
// ways an operator meets (the loader killed; Neo4j killed, then started again after
// the loader gave up or while it retries) and checks that the resumed or re-run
// load ends with exactly the graph of an uninterrupted one.
func TestBulkInterrupted(t *testing.T) {
	db := startPrivateNeo4j(t)
	bin := buildTradegraph(t, db.root)
	dir := t.TempDir()
	st, err := gen.Generate(gen.Config{Seed: 11, Relationships: 10000, Format: "csv", Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	d := db.driver()
	rows := int64(st.Documents + st.Entities + st.Relationships)

	clean := startLoader(t, bin, db.uri, t.TempDir(), st.Files, "--batch-size", "1000")
	if err := clean.wait(); err != nil {
		t.Fatalf("clean load: %v\n%s", err, clean.out)
	}
	want := readGraphState(t, d)
	if want.Nodes != st.Documents+st.Entities || want.Relationships != st.Relationships {
		t.Fatalf("clean load: %+v, want %d nodes and %d relationships", want, st.Documents+st.Entities, st.Relationships)
	}
	if _, err := os.Stat(clean.cp); !os.IsNotExist(err) {
		t.Errorf("a completed load left its checkpoint %s", clean.cp)
	}

	finish := func(t *testing.T, l *loader) {
		t.Helper()
		if err := l.wait(); err != nil {
			t.Fatalf("load: %v\n%s", err, l.out)
		}
		if got := readGraphState(t, d); got != want {
			t.Errorf("graph after the interrupted load: %+v\nwant (uninterrupted): %+v\n%s", got, want, l.out)
		}
		if !strings.Contains(l.out.String(), fmt.Sprintf("read %s rows", grouped(rows))) || !strings.Contains(l.out.String(), " 0 rejected") {
			t.Errorf("summary does not say all %d rows were read and none rejected:\n%s", rows, l.out)
		}
	}

	for _, mode := range []string{"resume", "rerun"} {
		t.Run("kill loader then "+mode, func(t *testing.T) {
			resetGraph(t, d)
			work := t.TempDir()
			l := startLoader(t, bin, db.uri, work, st.Files, "--batch-size", "500")
			l.waitCommitted(t, rows/2)
			if err := l.cmd.Process.Kill(); err != nil {
				t.Fatal(err)
			}
			l.wait()
			if got := readGraphState(t, d); got.Relationships >= want.Relationships {
				t.Fatalf("the kill came too late: %+v already written", got)
			}
			var again *loader
			if mode == "resume" {
				again = startLoader(t, bin, db.uri, work, st.Files, "--batch-size", "1000", "--resume")
			} else {
				again = startLoader(t, bin, db.uri, t.TempDir(), st.Files, "--batch-size", "1000")
			}
			finish(t, again)
			if mode == "resume" && !strings.Contains(again.out.String(), "by the earlier run") {
				t.Errorf("the resumed load does not report rows committed by the earlier run:\n%s", again.out)
			}
		})
	}

	t.Run("crash neo4j then resume", func(t *testing.T) {
		resetGraph(t, d)
		work := t.TempDir()
		l := startLoader(t, bin, db.uri, work, st.Files, "--batch-size", "500", "--retry-for", "3s")
		l.waitCommitted(t, rows/2)
		db.crash()
		err := l.wait()
		db.start()
		if err == nil {
			t.Fatalf("the load survived a Neo4j down for longer than --retry-for:\n%s", l.out)
		}
		// The failure names the batch and its rows, and says what to do.
		out := l.out.String()
		for _, want := range []string{"Neo4j unreachable (connection lost) for over 3s", "relationships batch", "rows)", "--resume"} {
			if !strings.Contains(out, want) {
				t.Errorf("the failure report lacks %q:\n%s", want, out)
			}
		}
		finish(t, startLoader(t, bin, db.uri, work, st.Files, "--batch-size", "1000", "--resume"))
	})

	t.Run("restart neo4j within retry-for", func(t *testing.T) {
		resetGraph(t, d)
		l := startLoader(t, bin, db.uri, t.TempDir(), st.Files, "--batch-size", "500", "--retry-for", "2m")
		l.waitCommitted(t, rows/2)
		db.crash()
		db.start()
		finish(t, l) // the driver's and the loader's retries rode the restart out
	})
}
