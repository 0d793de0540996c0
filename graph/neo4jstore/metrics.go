package neo4jstore

import (
	"github.com/prometheus/client_golang/prometheus"
)

// The store's metrics: every statement, read or write, runs through Store.run,
// which observes them.
var (
	queryDuration = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name:    "tradegraph_neo4j_query_duration_seconds",
		Help:    "Time of one unit of work of Store.run (a statement, or a write transaction of a mutation or a load batch), from the request for a connection to the last record; outcome is ok or the API error code.",
		Buckets: []float64{.0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10},
	}, []string{"routing", "outcome"})
	queryRetries = prometheus.NewCounter(prometheus.CounterOpts{
		Name: "tradegraph_neo4j_query_retries_total",
		Help: "Units of work run a second time after a dead connection or a transient error.",
	})
)

// Collectors returns the store's metrics, for the server's registry.
func Collectors() []prometheus.Collector {
	return []prometheus.Collector{queryDuration, queryRetries}
}
