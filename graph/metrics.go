package graph

import (
	"regexp"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/vektah/gqlparser/v2/ast"
)

// The API's metrics, exported on /metrics by internal/app/server.go. Label values never come
// straight from a client: operation names are checked and capped in number, so a
// client sending random names cannot grow the series without bound.
var (
	operationDuration = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name:    "tradegraph_graphql_operation_duration_seconds",
		Help:    "Time from reading a GraphQL request to its response, by operation name (anonymous, or other past the first 100 names) and type.",
		Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10},
	}, []string{"operation", "type"})
	errorsTotal = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "tradegraph_graphql_errors_total",
		Help: "GraphQL errors by extensions.code, including requests refused before execution (body limit, concurrency limit, transport).",
	}, []string{"code"})
)

// Collectors returns the API's metrics, for the server's registry.
func Collectors() []prometheus.Collector {
	return []prometheus.Collector{operationDuration, errorsTotal}
}

// CountError counts one error with code.
func CountError(code string) {
	if !codePattern.MatchString(code) {
		code = "OTHER"
	}
	errorsTotal.WithLabelValues(code).Inc()
}

var codePattern = regexp.MustCompile(`^[A-Z][A-Z_]{0,39}$`)

// maxOperationNames caps the distinct operation names that get their own series.
const maxOperationNames = 100

var (
	opNamesMu   sync.Mutex
	opNames     = map[string]bool{}
	namePattern = regexp.MustCompile(`^[_A-Za-z][_0-9A-Za-z]{0,63}$`)
)

// operationLabel is the metric label of an operation name.
func operationLabel(name string) string {
	if name == "" {
		return "anonymous"
	}
	if !namePattern.MatchString(name) {
		return "other"
	}
	opNamesMu.Lock()
	defer opNamesMu.Unlock()
	if !opNames[name] {
		if len(opNames) >= maxOperationNames {
			return "other"
		}
		opNames[name] = true
	}
	return name
}

func observeOperation(op *ast.OperationDefinition, start time.Time) {
	if op == nil || start.IsZero() {
		return
	}
	operationDuration.WithLabelValues(operationLabel(op.Name), string(op.Operation)).Observe(time.Since(start).Seconds())
}
