package bulk

import (
	"bufio"
	"context"
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"tradegraph/gen"
	"tradegraph/loaders"
)

// The fuzz targets of the bulk parsers. `go test` runs each over its seed corpus
// (testdata/fuzz/<name>, the f.Add seeds and a small generated graph);
// `go test -fuzz=<name>` explores. Each checks that no input makes a parser panic
// or hang, and that every rejected row is reported with its file and line.

// inTime runs f and fails the test when it takes longer than a few seconds: a
// parser must not hang on any input either.
func inTime(t *testing.T, data []byte, f func()) {
	t.Helper()
	done := make(chan struct{})
	go func() {
		defer close(done)
		f()
	}()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatalf("no answer in 10s for %d bytes: %.400q", len(data), data)
	}
}

// addGenerated adds the files of a small generated graph as seeds.
func addGenerated(f *testing.F, format string) {
	f.Helper()
	dir := f.TempDir()
	st, err := gen.Generate(gen.Config{Seed: 7, Relationships: 12, Format: format, Dir: dir})
	if err != nil {
		f.Fatal(err)
	}
	for _, p := range st.Files {
		if !filepath.IsAbs(p) {
			p = filepath.Join(dir, filepath.Base(p))
		}
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
}

var rejectLine = regexp.MustCompile(`^(.+):([1-9][0-9]*): \S`)

// fuzzBulk loads data as one bulk file in a dry run and checks the reject report
// and the result.
func fuzzBulk(t *testing.T, name string, data []byte) {
	dir := t.TempDir()
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	var out strings.Builder
	rejects := filepath.Join(dir, "rejects.txt")
	res, err := Load(context.Background(), Options{DryRun: true, MaxRejects: -1, Progress: "off",
		Rejects: rejects, Checkpoint: filepath.Join(dir, "checkpoint.json"), Out: &out}, []string{path})
	if err != nil {
		// Only a file that cannot be read at all (a CSV header that maps onto nothing)
		// stops a dry run; its message names the file and line 1.
		if !errors.Is(err, loaders.ErrInvalid) || !strings.Contains(out.String(), path+":1: ") {
			t.Fatalf("bulk: %v\n%s", err, out.String())
		}
		return
	}
	if res.Read != res.Written+res.Rejected {
		t.Errorf("read %d rows, valid %d + rejected %d", res.Read, res.Written, res.Rejected)
	}
	fh, err := os.Open(rejects)
	if err != nil {
		t.Fatal(err)
	}
	defer fh.Close()
	lines := int64(0)
	sc := bufio.NewScanner(fh)
	sc.Buffer(nil, 64<<20)
	for sc.Scan() {
		lines++
		if m := rejectLine.FindStringSubmatch(sc.Text()); m == nil || m[1] != path {
			t.Errorf("reject line without the file and line: %.300q", sc.Text())
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	if lines < res.Rejected {
		t.Errorf("%d rows rejected but %d reject lines", res.Rejected, lines)
	}
}

func FuzzBulkCSV(f *testing.F) {
	addGenerated(f, "csv")
	f.Add([]byte("id:ID,:LABEL,type,name\nactor:a,Actor,PERSON,A\n\"unclosed,Actor,PERSON,B\n"))
	f.Add([]byte(":START_ID,:END_ID,:TYPE\nactor:a,actor:b,LEADS\nactor:a\n"))
	f.Add([]byte("\ufeffid:ID,:LABEL,rate:float\npolicy:p,Policy,x\n"))
	f.Fuzz(func(t *testing.T, data []byte) { inTime(t, data, func() { fuzzBulk(t, "input.csv", data) }) })
}

func FuzzBulkJSONL(f *testing.F) {
	addGenerated(f, "jsonl")
	f.Add([]byte("{\"kind\":\"Actor\",\"id\":\"actor:a\",\"type\":\"PERSON\",\"name\":\"A\"}\n{not json}\n\n{\"from\":\"actor:a\"}\n"))
	f.Add([]byte(`{"kind":"Document","id":"doc:d","type":"ARTICLE","title":"T","text":"One. Two."}`))
	f.Fuzz(func(t *testing.T, data []byte) { inTime(t, data, func() { fuzzBulk(t, "input.jsonl", data) }) })
}
