package neo4jtest

import (
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
)

// Instance is a Neo4j of the test's own, on a free port with its own home, that the
// test may stop and start at will (fault tests must never stop the shared one). It
// runs through scripts/neo4j.sh, like every other local Neo4j of the project.
type Instance struct {
	Port int
	Home string
	root string
	env  []string
}

// Private starts a private Neo4j and stops it when the test ends. It takes 5–15 s.
// Under -short the test is skipped; without Java it fails, saying what is missing.
// env adds settings of scripts/neo4j.sh, e.g. "NEO4J_PAGECACHE=256m" (the default
// is 64m of page cache and 256m of transaction memory: test graphs are small).
func Private(t testing.TB, env ...string) *Instance {
	t.Helper()
	if testing.Short() {
		t.Skip("integration test: starts a private Neo4j (run without -short, via `make test`)")
	}
	if _, err := exec.LookPath("java"); err != nil {
		t.Fatal("a private Neo4j needs java: run scripts/deps.sh (or `make test`, which runs it)")
	}
	root, err := repoRoot()
	if err != nil {
		t.Fatal(err)
	}
	in := &Instance{Port: FreePort(t), Home: t.TempDir(), root: root, env: env}
	t.Cleanup(func() { in.Kill(t) }) // its data is thrown away: no need for a clean stop
	in.Start(t)
	return in
}

// URI is the instance's Bolt URI.
func (in *Instance) URI() string { return fmt.Sprintf("bolt://127.0.0.1:%d", in.Port) }

// Start starts the instance (again) and returns once Bolt answers.
func (in *Instance) Start(t testing.TB) {
	t.Helper()
	start := time.Now()
	if out, err := in.script("start"); err != nil {
		t.Fatalf("start private neo4j on port %d: %v\n%s", in.Port, err, out)
	}
	t.Logf("private neo4j %s up in %s", in.URI(), time.Since(start).Round(time.Millisecond))
}

// Stop stops the instance with SIGTERM and waits until it has exited.
func (in *Instance) Stop(t testing.TB) {
	t.Helper()
	start := time.Now()
	if out, err := in.script("stop"); err != nil {
		t.Errorf("stop private neo4j on port %d: %v\n%s", in.Port, err, out)
	}
	t.Logf("private neo4j %s stopped in %s", in.URI(), time.Since(start).Round(time.Millisecond))
}

// Kill stops the instance at once with SIGKILL, as a crash would (a clean stop
// takes 10 s or more), and waits until it has exited.
func (in *Instance) Kill(t testing.TB) {
	t.Helper()
	pidfile := filepath.Join(in.root, ".cache", "neo4j", fmt.Sprintf("neo4j-%d.pid", in.Port))
	raw, err := os.ReadFile(pidfile)
	if err != nil {
		return // not running
	}
	pid, err := strconv.Atoi(strings.TrimSpace(string(raw)))
	if err != nil {
		t.Errorf("pid file %s: %v", pidfile, err)
		return
	}
	if p, err := os.FindProcess(pid); err == nil {
		_ = p.Kill()
		_, _ = p.Wait() // reaps it when it is our child; else returns at once
	}
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		if c, err := net.DialTimeout("tcp", fmt.Sprintf("127.0.0.1:%d", in.Port), 100*time.Millisecond); err != nil {
			break
		} else {
			c.Close()
		}
	}
	_ = os.Remove(pidfile)
}

// Driver returns a driver to the instance, closed when the test ends.
func (in *Instance) Driver(t testing.TB) neo4j.DriverWithContext {
	t.Helper()
	d, err := neo4j.NewDriverWithContext(in.URI(), neo4j.NoAuth())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = d.Close(context.Background()) })
	return d
}

func (in *Instance) script(cmd string) (string, error) {
	c := exec.Command(filepath.Join(in.root, "scripts", "neo4j.sh"), cmd)
	c.Dir = in.root
	c.Env = append(os.Environ(),
		fmt.Sprintf("NEO4J_BOLT_PORT=%d", in.Port),
		"NEO4J_HOME="+in.Home,
		"NEO4J_PASSWORD=",
		// A test graph is tiny: keep the instance's memory small, beside the shared one.
		"NEO4J_PAGECACHE=64m",
		"NEO4J_TX_MEMORY=256m",
		"NEO4J_IMPORT_DIR=",
	)
	c.Env = append(c.Env, in.env...) // later entries win
	out, err := c.CombinedOutput()
	return strings.TrimSpace(string(out)), err
}

// FreePort returns a TCP port on 127.0.0.1 that nothing listens on just now.
func FreePort(t testing.TB) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

// repoRoot is the directory of go.mod, found upwards from the test's directory.
func repoRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", fmt.Errorf("no go.mod above the test directory")
		}
		dir = parent
	}
}
