// Command jfrshare shows where a Java server's CPU goes, from a JDK Flight Recorder
// recording of it: the share of execution samples whose stack holds each frame
// named on the command line (a substring of "package/Class.method"), counted once
// per sample, so the shares of nested frames overlap.
//
//	jcmd <neo4j pid> JFR.start name=p settings=<a .jfc> filename=/tmp/p.jfr
//	... the work to profile ...
//	jcmd <neo4j pid> JFR.stop name=p
//	jfr print --json --events jdk.ExecutionSample --stack-depth 300 /tmp/p.jfr |
//	  go run ./bench/jfrshare -thread BoltWorker -within Autocommit FulltextIndexReader.query ...
//
// -thread keeps the samples of threads whose name holds it; -within keeps the
// samples whose stack holds that frame (the others are another kind of work, e.g.
// a load's write transactions) and reports shares of those. docs/benchmarks.md
// ("Search, tenth session") has a use.
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
)

type recording struct {
	Recording struct {
		Events []struct {
			Values struct {
				SampledThread *struct {
					JavaName string `json:"javaName"`
				} `json:"sampledThread"`
				StackTrace *struct {
					Frames []struct {
						Method struct {
							Type struct {
								Name string `json:"name"`
							} `json:"type"`
							Name string `json:"name"`
						} `json:"method"`
					} `json:"frames"`
				} `json:"stackTrace"`
			} `json:"values"`
		} `json:"events"`
	} `json:"recording"`
}

func main() {
	thread := flag.String("thread", "", "keep samples of threads whose name holds this")
	within := flag.String("within", "", "keep samples whose stack holds this frame")
	flag.Parse()
	if err := run(os.Stdin, os.Stdout, *thread, *within, flag.Args()); err != nil {
		fmt.Fprintln(os.Stderr, "jfrshare:", err)
		os.Exit(1)
	}
}

func run(in io.Reader, out io.Writer, thread, within string, frames []string) error {
	var rec recording
	if err := json.NewDecoder(in).Decode(&rec); err != nil {
		return fmt.Errorf("read jfr print --json: %w", err)
	}
	counts := make([]int, len(frames))
	kept := 0
	for _, ev := range rec.Recording.Events {
		v := ev.Values
		if v.StackTrace == nil || (thread != "" && (v.SampledThread == nil || !strings.Contains(v.SampledThread.JavaName, thread))) {
			continue
		}
		stack := make([]string, len(v.StackTrace.Frames))
		for i, f := range v.StackTrace.Frames {
			stack[i] = f.Method.Type.Name + "." + f.Method.Name
		}
		holds := func(frame string) bool {
			for _, s := range stack {
				if strings.Contains(s, frame) {
					return true
				}
			}
			return false
		}
		if within != "" && !holds(within) {
			continue
		}
		kept++
		for i, f := range frames {
			if holds(f) {
				counts[i]++
			}
		}
	}
	if kept == 0 {
		return fmt.Errorf("no samples kept (of %d events)", len(rec.Recording.Events))
	}
	fmt.Fprintf(out, "%d samples\n", kept)
	for i, f := range frames {
		fmt.Fprintf(out, "%5.1f%%  %s\n", 100*float64(counts[i])/float64(kept), f)
	}
	return nil
}
