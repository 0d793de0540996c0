// Package loadtest drives /graphql at constant request rates with vegeta and
// reports latency percentiles and errors, overall and by kind of query. It only
// ever targets the loopback interface, and every step is bounded in time.
//
// The mix is what an analyst's session sends: full-text searches, entity cards with
// their relationships, neighbourhoods and paths between two entities. The entities
// come from the graph itself (Discover), so the same mix runs on the seed or on a
// generated graph of any size.
package loadtest

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strings"
	"time"

	vegeta "github.com/tsenart/vegeta/v12/lib"
)

// Kinds of query in the mix, with their share of the requests (in percent).
var mix = []struct {
	kind  string
	share int
}{{"search", 40}, {"entity", 30}, {"neighbourhood", 20}, {"path", 10}}

// Entity is a node the mix asks about.
type Entity struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

// CheckLoopback refuses a URL whose host is not a loopback address: a load test
// sends traffic to this machine only.
func CheckLoopback(raw string) error {
	u, err := url.Parse(raw)
	if err != nil {
		return err
	}
	host := u.Hostname()
	if host == "localhost" {
		return nil
	}
	if ip := net.ParseIP(host); ip != nil && ip.IsLoopback() {
		return nil
	}
	return fmt.Errorf("%s: the load test only targets the loopback interface (127.0.0.1, ::1, localhost)", raw)
}

// Discover asks the API for up to n entities of each kind, to build the mix from.
func Discover(ctx context.Context, endpoint string, n int) ([]Entity, error) {
	if err := CheckLoopback(endpoint); err != nil {
		return nil, err
	}
	var all []Entity
	for _, list := range []string{"actors", "commodities", "policies", "meetings"} {
		q := fmt.Sprintf(`{ %s(first: %d) { edges { node { id name } } } }`, list, min(n, 100))
		var resp struct {
			Data   map[string]struct{ Edges []struct{ Node Entity } }
			Errors []struct{ Message string }
		}
		if err := post(ctx, endpoint, q, &resp); err != nil {
			return nil, err
		}
		if len(resp.Errors) > 0 {
			return nil, fmt.Errorf("discover %s: %s", list, resp.Errors[0].Message)
		}
		for _, e := range resp.Data[list].Edges {
			all = append(all, e.Node)
		}
	}
	if len(all) < 2 {
		return nil, fmt.Errorf("the graph at %s has %d entities: load one first", endpoint, len(all))
	}
	return all, nil
}

func post(ctx context.Context, endpoint, query string, out any) error {
	body, _ := json.Marshal(map[string]string{"query": query})
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, endpoint, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	return json.NewDecoder(resp.Body).Decode(out)
}

// queryFor returns the GraphQL request of one kind about the entities a and b.
func queryFor(kind string, a, b Entity) (string, map[string]any) {
	switch kind {
	case "search":
		word := strings.Fields(a.Name)
		text := a.Name
		if len(word) > 0 {
			text = word[0]
			if r := []rune(text); len(r) > 4 {
				text = string(r[:4]) // a prefix, as an analyst types it
			}
		}
		return `query Search($t: String!) { search(text: $t, first: 10) { score entity { id name kind } } }`, map[string]any{"t": text}
	case "entity":
		return `query Entity($id: ID!) { entity(id: $id) { id name kind description
			relationships(first: 10) { totalCount edges { node { type verb to { id name } from { id name }
			evidence { sentence quote document { title } } } } } } }`, map[string]any{"id": a.ID}
	case "neighbourhood":
		return `query Neighbourhood($id: ID!) { neighborhood(id: $id, depth: 2, limitPerType: 5) {
			nodes { id } edges { type from { id } to { id } } truncated { nodeId type omitted } } }`, map[string]any{"id": a.ID}
	default:
		return `query Path($a: String!, $b: String!) { paths(from: $a, to: $b, maxLength: 4, first: 3) {
			paths { length explanation hops { relationship { type evidence { quote } } } } } }`, map[string]any{"a": a.ID, "b": b.ID}
	}
}

// targeter returns the mix as a vegeta Targeter: deterministic for a seed. The
// kind of each request rides in the URL's query string (gqlgen ignores it on POST)
// so that results can be told apart.
func targeter(endpoint string, entities []Entity, seed uint64) vegeta.Targeter {
	rng := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	hdr := http.Header{"Content-Type": {"application/json"}}
	return func(t *vegeta.Target) error {
		n := rng.IntN(100)
		kind := mix[len(mix)-1].kind
		for _, m := range mix {
			if n < m.share {
				kind = m.kind
				break
			}
			n -= m.share
		}
		i, j := rng.IntN(len(entities)), rng.IntN(len(entities)-1)
		if j >= i {
			j++ // a path needs two different ends
		}
		a, b := entities[i], entities[j]
		q, vars := queryFor(kind, a, b)
		body, err := json.Marshal(map[string]any{"query": q, "variables": vars})
		if err != nil {
			return err
		}
		*t = vegeta.Target{Method: http.MethodPost, URL: endpoint + "?kind=" + kind, Body: body, Header: hdr}
		return nil
	}
}

// Step is what one constant rate gave.
type Step struct {
	Rate     int           // requests per second asked
	Duration time.Duration // of the attack
	Requests int
	Achieved float64 // requests per second actually sent
	OK       int     // 200 with data and no error
	Errors   map[string]int
	// Latency of the requests that got their data: a fast 503 must not make an
	// overloaded server look quick.
	P50, P95 time.Duration
	P99, Max time.Duration
	// Latency of every request, refused ones included.
	AllP50, AllP95 time.Duration
	ByKind         map[string]Percentiles
	WallClock      time.Duration // attack plus waiting for the last answers
}

// Percentiles of one kind of query (requests that got their data).
type Percentiles struct {
	N, OK         int
	P50, P95, P99 time.Duration
}

// ErrorRate is the share of requests that did not get their data.
func (s Step) ErrorRate() float64 {
	if s.Requests == 0 {
		return 0
	}
	return float64(s.Requests-s.OK) / float64(s.Requests)
}

// Attack sends the mix at rate requests per second for d and measures it. Each
// request may take up to timeout.
func Attack(endpoint string, entities []Entity, rate int, d, timeout time.Duration, seed uint64) (Step, error) {
	if err := CheckLoopback(endpoint); err != nil {
		return Step{}, err
	}
	atk := vegeta.NewAttacker(vegeta.Timeout(timeout), vegeta.KeepAlive(true), vegeta.MaxBody(64<<10),
		vegeta.Connections(10000), vegeta.MaxWorkers(uint64(max(rate*int(timeout/time.Second+1), 64))))
	start := time.Now()
	st := Step{Rate: rate, Duration: d, Errors: map[string]int{}, ByKind: map[string]Percentiles{}}
	var all, ok []time.Duration
	byKind := map[string][]time.Duration{}
	sent := map[string]int{}
	var m vegeta.Metrics
	// Exactly rate x d requests: a busy machine may send them late (the pacer then
	// catches up), never fewer, so a run's count does not depend on the machine.
	pacer := countedPacer{rate: vegeta.Rate{Freq: rate, Per: time.Second}, hits: uint64(float64(rate) * d.Seconds())}
	for res := range atk.Attack(targeter(endpoint, entities, seed), pacer, 0, "tradegraph") {
		m.Add(res)
		st.Requests++
		all = append(all, res.Latency)
		kind := ""
		if u, err := url.Parse(res.URL); err == nil {
			kind = u.Query().Get("kind")
		}
		sent[kind]++
		if code := outcome(res); code != "" {
			st.Errors[code]++
		} else {
			st.OK++
			ok = append(ok, res.Latency)
			byKind[kind] = append(byKind[kind], res.Latency)
		}
	}
	m.Close()
	st.WallClock = time.Since(start)
	st.Achieved = m.Rate
	st.P50, st.P95, st.P99, st.Max = quantile(ok, .50), quantile(ok, .95), quantile(ok, .99), quantile(ok, 1)
	st.AllP50, st.AllP95 = quantile(all, .50), quantile(all, .95)
	for k, n := range sent {
		ls := byKind[k]
		st.ByKind[k] = Percentiles{N: n, OK: len(ls), P50: quantile(ls, .50), P95: quantile(ls, .95), P99: quantile(ls, .99)}
	}
	return st, nil
}

// countedPacer paces like Rate and stops after hits requests.
type countedPacer struct {
	rate vegeta.Rate
	hits uint64
}

func (p countedPacer) Pace(elapsed time.Duration, hits uint64) (time.Duration, bool) {
	if hits >= p.hits {
		return 0, true
	}
	return p.rate.Pace(elapsed, hits)
}

func (p countedPacer) Rate(elapsed time.Duration) float64 { return p.rate.Rate(elapsed) }

// outcome returns "" for a request that got its data, else what went wrong: the
// API's error code, the HTTP status or the transport error.
func outcome(r *vegeta.Result) string {
	var body struct {
		Errors []struct {
			Extensions struct{ Code string } `json:"extensions"`
		} `json:"errors"`
	}
	_ = json.Unmarshal(r.Body, &body)
	switch {
	case len(body.Errors) > 0 && body.Errors[0].Extensions.Code != "":
		return body.Errors[0].Extensions.Code
	case r.Error != "" && r.Code == 0:
		if strings.Contains(r.Error, "timeout") || strings.Contains(r.Error, "deadline") {
			return "client timeout"
		}
		return "transport error"
	case r.Code != http.StatusOK:
		return fmt.Sprintf("HTTP %d", r.Code)
	case len(body.Errors) > 0:
		return "error without code"
	}
	return ""
}

// quantile returns the q-quantile of ds (nearest rank); it sorts ds.
func quantile(ds []time.Duration, q float64) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	slices.Sort(ds)
	i := int(q*float64(len(ds))+0.5) - 1
	return ds[min(max(i, 0), len(ds)-1)]
}

// Table formats steps as a Markdown table: latency percentiles of the answered
// requests, then the errors.
func Table(steps []Step) string {
	var b strings.Builder
	b.WriteString("| rate (req/s) | sent | answered (req/s) | p50 | p95 | p99 | max | error rate | errors | p50, p95 of all |\n")
	b.WriteString("|---:|---:|---:|---:|---:|---:|---:|---:|---|---|\n")
	for _, s := range steps {
		fmt.Fprintf(&b, "| %d | %d | %.1f | %s | %s | %s | %s | %.1f%% | %s | %s, %s |\n", s.Rate, s.Requests,
			float64(s.OK)/s.Duration.Seconds(), ms(s.P50), ms(s.P95), ms(s.P99), ms(s.Max), 100*s.ErrorRate(),
			errorList(s.Errors), ms(s.AllP50), ms(s.AllP95))
	}
	return b.String()
}

// KindTable formats the percentiles of each kind of query at each rate.
func KindTable(steps []Step) string {
	var b strings.Builder
	b.WriteString("| rate (req/s) | query | sent | answered | p50 | p95 | p99 |\n|---:|---|---:|---:|---:|---:|---:|\n")
	for _, s := range steps {
		for _, m := range mix {
			p := s.ByKind[m.kind]
			fmt.Fprintf(&b, "| %d | %s | %d | %d | %s | %s | %s |\n", s.Rate, m.kind, p.N, p.OK, ms(p.P50), ms(p.P95), ms(p.P99))
		}
	}
	return b.String()
}

func errorList(errs map[string]int) string {
	if len(errs) == 0 {
		return "none"
	}
	keys := make([]string, 0, len(errs))
	for k := range errs {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = fmt.Sprintf("%s: %d", k, errs[k])
	}
	return strings.Join(parts, ", ")
}

func ms(d time.Duration) string {
	return fmt.Sprintf("%.1f ms", float64(d.Microseconds())/1000)
}

// Bend returns the first step whose p95 is more than twice the first step's, or
// whose error rate exceeds 1%: where latency bends (the first step itself when it
// already has errors). ok is false when no step does.
func Bend(steps []Step) (Step, bool) {
	if len(steps) == 0 {
		return Step{}, false
	}
	base := steps[0].P95
	for i, s := range steps {
		if s.ErrorRate() > 0.01 || (i > 0 && s.P95 > 2*base) {
			return s, true
		}
	}
	return Step{}, false
}
