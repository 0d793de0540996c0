package app

import (
	"net/http"
	"time"

	"tradegraph/graph"
)

// limitInFlight lets at most n requests through at once. A request that finds every
// slot taken waits up to wait for one, then gets 503 SERVICE_UNAVAILABLE with
// Retry-After: under overload clients get a fast answer instead of piling up on the
// Neo4j connection pool, and the requests being served keep their latency. n <= 0
// disables the limit.
func limitInFlight(n int, wait time.Duration, next http.Handler) http.Handler {
	if n <= 0 {
		return next
	}
	slots := make(chan struct{}, n)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case slots <- struct{}{}:
		default:
			graphqlQueued.Inc()
			t := time.NewTimer(wait)
			select {
			case slots <- struct{}{}:
			case <-t.C:
				graphqlQueued.Dec()
				w.Header().Set("Retry-After", "1")
				graph.WriteError(w, http.StatusServiceUnavailable, graph.EUNAVAILABLE,
					"the server is busy: too many requests in flight; retry in a moment", requestIDFrom(r.Context()))
				return
			case <-r.Context().Done():
				t.Stop()
				graphqlQueued.Dec()
				return // the client went away
			}
			t.Stop()
			graphqlQueued.Dec()
		}
		graphqlInFlight.Inc()
		defer func() {
			graphqlInFlight.Dec()
			<-slots
		}()
		next.ServeHTTP(w, r)
	})
}
