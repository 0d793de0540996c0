// Command loadtest drives a running tradegraph's /graphql at a ladder of constant
// rates (vegeta), prints p50/p95/p99, errors and the error rate at each rate, by
// kind of query too, and names the rate where latency bends. scripts/loadtest.sh
// runs it against a generated graph of 100k relationships; see docs/benchmarks.md.
//
//	go run ./loadtest/cmd -url http://127.0.0.1:18095/graphql -rates 50,200,500 -duration 30s
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"

	"tradegraph/loadtest"
)

func main() {
	endpoint := flag.String("url", "http://127.0.0.1:8080/graphql", "the /graphql endpoint (loopback only)")
	rates := flag.String("rates", "50,200,500", "comma-separated request rates per second, run in order")
	duration := flag.Duration("duration", 30*time.Second, "how long each rate is held")
	pause := flag.Duration("pause", 5*time.Second, "rest between rates, so one step's backlog does not spill into the next")
	timeout := flag.Duration("timeout", 15*time.Second, "client timeout of one request")
	seed := flag.Uint64("seed", 1, "seed of the request mix")
	flag.Parse()
	if err := run(*endpoint, *rates, *duration, *pause, *timeout, *seed); err != nil {
		fmt.Fprintln(os.Stderr, "loadtest:", err)
		os.Exit(1)
	}
}

func run(endpoint, rateList string, d, pause, timeout time.Duration, seed uint64) error {
	if err := loadtest.CheckLoopback(endpoint); err != nil {
		return err
	}
	var rates []int
	for _, f := range strings.Split(rateList, ",") {
		r, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || r < 1 || r > 5000 {
			return fmt.Errorf("bad rate %q: want 1 to 5000 requests per second", f)
		}
		rates = append(rates, r)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	entities, err := loadtest.Discover(ctx, endpoint, 100)
	if err != nil {
		return err
	}
	fmt.Printf("loadtest: %s, %d entities in the mix, %s per rate\n", endpoint, len(entities), d)
	var steps []loadtest.Step
	for i, r := range rates {
		if i > 0 {
			time.Sleep(pause)
		}
		st, err := loadtest.Attack(endpoint, entities, r, d, timeout, seed+uint64(i))
		if err != nil {
			return err
		}
		fmt.Printf("loadtest: %d req/s: %d sent, %d answered: p50 %s, p95 %s, p99 %s; error rate %.2f%%\n", r, st.Requests, st.OK,
			st.P50.Round(time.Millisecond), st.P95.Round(time.Millisecond), st.P99.Round(time.Millisecond), 100*st.ErrorRate())
		steps = append(steps, st)
	}
	fmt.Println()
	fmt.Print(loadtest.Table(steps))
	fmt.Println()
	fmt.Print(loadtest.KindTable(steps))
	fmt.Println()
	if b, ok := loadtest.Bend(steps); ok && b.Rate == steps[0].Rate {
		fmt.Printf("latency has already bent at %d req/s, the lowest rate: error rate %.2f%%; try lower rates\n", b.Rate, 100*b.ErrorRate())
	} else if ok {
		fmt.Printf("latency bends at %d req/s: p95 %s (%.1fx the %d req/s p95), error rate %.2f%%\n",
			b.Rate, b.P95.Round(time.Millisecond), float64(b.P95)/float64(max(steps[0].P95, 1)), steps[0].Rate, 100*b.ErrorRate())
	} else {
		fmt.Printf("latency does not bend up to %d req/s (p95 stays within 2x and errors within 1%%)\n", rates[len(rates)-1])
	}
	return nil
}
