package main

import (
	"strings"
	"testing"
)

// sample is an ExecutionSample as `jfr print --json` writes it, of thread th, with
// frames (innermost first) given as "Type.method".
func sample(th string, frames ...string) string {
	var fs []string
	for _, f := range frames {
		typ, method, _ := strings.Cut(f, ".")
		fs = append(fs, `{"method": {"type": {"name": "`+typ+`"}, "name": "`+method+`"}, "lineNumber": 1}`)
	}
	return `{"type": "jdk.ExecutionSample", "values": {"sampledThread": {"javaName": "` + th +
		`"}, "stackTrace": {"truncated": false, "frames": [` + strings.Join(fs, ",") + `]}}}`
}

func TestShares(t *testing.T) {
	rec := `{"recording": {"events": [` + strings.Join([]string{
		sample("neo4j.BoltWorker-1", "lucene/Parser.parse", "neo4j/Reader.query", "bolt/Autocommit.process"),
		sample("neo4j.BoltWorker-2", "lucene/Searcher.search", "neo4j/Reader.query", "bolt/Autocommit.process"),
		sample("neo4j.BoltWorker-1", "neo4j/Commit.write", "bolt/Explicit.process"),
		sample("neo4j.BoltWorker-3", "neo4j/Props.read", "bolt/Autocommit.process"),
		sample("neo4j.Checkpointer", "lucene/Parser.parse", "bolt/Autocommit.process"),
	}, ",") + `]}}`
	for _, tc := range []struct {
		name, thread, within string
		frames               []string
		want                 string
	}{
		{"all threads", "", "", []string{"Parser.parse", "Reader.query"},
			"5 samples\n 40.0%  Parser.parse\n 40.0%  Reader.query\n"},
		{"one thread name", "BoltWorker", "", []string{"Parser.parse", "neo4j/"},
			"4 samples\n 25.0%  Parser.parse\n100.0%  neo4j/\n"},
		{"within a kind of work", "BoltWorker", "Autocommit", []string{"Reader.query", "Searcher", "Commit.write"},
			"3 samples\n 66.7%  Reader.query\n 33.3%  Searcher\n  0.0%  Commit.write\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var out strings.Builder
			if err := run(strings.NewReader(rec), &out, tc.thread, tc.within, tc.frames); err != nil {
				t.Fatal(err)
			}
			if out.String() != tc.want {
				t.Errorf("got\n%s\nwant\n%s", out.String(), tc.want)
			}
		})
	}
}

func TestNoSamplesKept(t *testing.T) {
	rec := `{"recording": {"events": [` + sample("neo4j.Checkpointer", "a/B.c") + `]}}`
	err := run(strings.NewReader(rec), &strings.Builder{}, "BoltWorker", "", []string{"B.c"})
	if err == nil || !strings.Contains(err.Error(), "no samples kept (of 1 events)") {
		t.Errorf("got %v, want the no-samples error", err)
	}
	if err := run(strings.NewReader(`{"recording": `), &strings.Builder{}, "", "", nil); err == nil {
		t.Error("a truncated recording: got no error")
	}
}
