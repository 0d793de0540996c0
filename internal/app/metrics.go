package app

import (
	"fmt"
	"net"
	"net/http"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"tradegraph/graph"
	"tradegraph/graph/neo4jstore"
	"tradegraph/loaders"
)

// The HTTP layer's own metrics; the API's, the store's and the loaders' are defined
// next to what they measure and registered together in metricsHandler.
var (
	httpRequests = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "tradegraph_http_requests_total",
		Help: "HTTP requests by route (graphql, healthz, readyz, metrics, other) and status code.",
	}, []string{"route", "status"})
	graphqlInFlight = prometheus.NewGauge(prometheus.GaugeOpts{
		Name: "tradegraph_graphql_in_flight",
		Help: "GraphQL requests being served now (at most --max-inflight).",
	})
	graphqlQueued = prometheus.NewGauge(prometheus.GaugeOpts{
		Name: "tradegraph_graphql_queued",
		Help: "GraphQL requests waiting for a slot (each waits at most --queue-wait).",
	})
	connsRefused = prometheus.NewCounter(prometheus.CounterOpts{
		Name: "tradegraph_http_connections_refused_total",
		Help: "Connections answered 429 and closed: their client address already held --max-conns-per-client.",
	})
)

// metricsHandler serves every metric of the process in the Prometheus text format.
func metricsHandler() http.Handler {
	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		httpRequests, graphqlInFlight, graphqlQueued, connsRefused)
	reg.MustRegister(graph.Collectors()...)
	reg.MustRegister(neo4jstore.Collectors()...)
	reg.MustRegister(loaderRows{prometheus.NewDesc("tradegraph_loader_rows_total",
		"Loader rows by outcome: read (bulk rows), written (committed by the batch writer), rejected (bulk rows that failed validation).",
		[]string{"outcome"}, nil)})
	return promhttp.HandlerFor(reg, promhttp.HandlerOpts{Registry: reg})
}

// loaderRows exports the loaders' row counts, which the loaders keep with the
// standard library only.
type loaderRows struct{ desc *prometheus.Desc }

func (c loaderRows) Describe(ch chan<- *prometheus.Desc) { ch <- c.desc }

func (c loaderRows) Collect(ch chan<- prometheus.Metric) {
	r := loaders.Rows()
	for _, m := range []struct {
		outcome string
		n       int64
	}{{"read", r.Read}, {"written", r.Written}, {"rejected", r.Rejected}} {
		ch <- prometheus.MustNewConstMetric(c.desc, prometheus.CounterValue, float64(m.n), m.outcome)
	}
}

// countRequest counts one HTTP request; the route label comes from a closed set.
func countRequest(path string, status int) {
	route := "other"
	switch path {
	case "/graphql", "/healthz", "/readyz", "/metrics":
		route = path[1:]
	}
	httpRequests.WithLabelValues(route, strconv.Itoa(status)).Inc()
}

// serveMetrics serves /metrics on addr in the background, for a long load; stop
// closes the listener.
func serveMetrics(addr string) (stop func(), err error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("metrics: listen on %s: %w", addr, err)
	}
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", metricsHandler())
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	go func() { _ = srv.Serve(ln) }()
	return func() { _ = srv.Close() }, nil
}
