package bulk

import (
	"fmt"
	"io"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// counters are a bulk load's running totals, shared by the reader, the writers and
// the progress reporter.
type counters struct {
	bytes    atomic.Int64 // bytes of input read (a file read in two passes counts twice)
	done     atomic.Int64 // of those, the bytes whose rows are committed, rejected or skipped
	read     atomic.Int64 // rows read
	written  atomic.Int64 // rows committed by this run (or validated, in a dry run)
	resumed  atomic.Int64 // rows an earlier run committed (skipped on --resume)
	rejected atomic.Int64
	phase    atomic.Value // string: "nodes" or "relationships"
}

// progress reports a load's counters while it runs: a redrawn bar with rows/s and
// ETA on a terminal, one plain line every interval otherwise.
type progress struct {
	out        io.Writer
	bar        bool
	every      time.Duration
	total      int64  // bytes to read in all passes; the bar shows the share done
	verb       string // "written", or "valid" in a dry run
	c          *counters
	start      time.Time
	stop, done chan struct{}
	once       sync.Once
}

func startProgress(out io.Writer, mode string, every time.Duration, total int64, c *counters, verb string) *progress {
	p := &progress{out: out, bar: mode == "bar", every: every, total: total, c: c, verb: verb, start: time.Now(),
		stop: make(chan struct{}), done: make(chan struct{})}
	if mode == "off" {
		close(p.done)
		return p
	}
	if p.bar {
		p.every = 200 * time.Millisecond
	}
	go func() {
		defer close(p.done)
		t := time.NewTicker(p.every)
		defer t.Stop()
		for {
			select {
			case <-p.stop:
				if p.bar {
					fmt.Fprintf(p.out, "\r%s\n", p.line())
				}
				return
			case <-t.C:
				if p.bar {
					fmt.Fprintf(p.out, "\r%s", p.line())
				} else {
					fmt.Fprintf(p.out, "progress: %s\n", p.line())
				}
			}
		}
	}()
	return p
}

// finish stops the reporter (drawing the bar one last time).
func (p *progress) finish() {
	p.once.Do(func() { close(p.stop) })
	<-p.done
}

func (p *progress) line() string {
	elapsed := time.Since(p.start)
	read := p.c.read.Load()
	rate := float64(read) / max(elapsed.Seconds(), 0.001)
	frac := 0.0
	if p.total > 0 {
		// Rows read are not rows written: with batches in flight the reader runs
		// ahead, so the share and the ETA follow what has been committed.
		frac = min(float64(p.c.done.Load())/float64(p.total), 1)
	}
	eta := "?"
	if frac > 0.001 {
		eta = (time.Duration(float64(elapsed) * (1 - frac) / frac)).Round(time.Second).String()
	}
	phase, _ := p.c.phase.Load().(string)
	stats := fmt.Sprintf("%s rows read, %s %s, %s rejected, %s rows/s, ETA %s (%s)",
		grouped(read), grouped(p.c.written.Load()+p.c.resumed.Load()), p.verb, grouped(p.c.rejected.Load()),
		grouped(int64(rate)), eta, phase)
	if !p.bar {
		return fmt.Sprintf("%3.0f%% %s", frac*100, stats)
	}
	const width = 30
	n := int(frac * width)
	return fmt.Sprintf("[%s%s] %3.0f%% %s", strings.Repeat("=", n), strings.Repeat(" ", width-n), frac*100, stats)
}

// grouped writes n with thousands separators: 1234567 -> 1,234,567.
func grouped(n int64) string {
	s := fmt.Sprint(n)
	if n < 0 {
		return s
	}
	var b strings.Builder
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	return b.String()
}

// Grouped writes n with thousands separators, as the load's report does (for
// tradegraph import's report).
func Grouped(n int64) string { return grouped(n) }
