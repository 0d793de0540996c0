package loaders

import (
	"github.com/prometheus/client_golang/prometheus"
)

// rowsTotal counts the loaders' rows for the whole process: read from bulk input,
// written (committed by the batch writer) and rejected (by validation). The serve
// command exports it on /metrics, and `tradegraph load --metrics-addr` while it loads.
var rowsTotal = prometheus.NewCounterVec(prometheus.CounterOpts{
	Name: "tradegraph_loader_rows_total",
	Help: "Loader rows by outcome: read (bulk rows), written (committed by the batch writer), rejected (bulk rows that failed validation).",
}, []string{"outcome"})

var (
	rowsRead     = rowsTotal.WithLabelValues("read")
	rowsWritten  = rowsTotal.WithLabelValues("written")
	rowsRejected = rowsTotal.WithLabelValues("rejected")
)

// Collectors returns the loaders' metrics, for a registry.
func Collectors() []prometheus.Collector { return []prometheus.Collector{rowsTotal} }
