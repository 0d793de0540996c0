package app

import (
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"slices"
	"strings"

	"github.com/rs/cors"

	"tradegraph/graph"
)

// withCORS answers cross-origin requests for the configured origins only. rs/cors
// reads an empty origin list as "allow every origin", so no origins means no CORS
// handler at all: no Access-Control-* header for anyone, and preflights refused.
// "*" allows every origin, and only when an operator writes it.
func withCORS(origins []string, next http.Handler) http.Handler {
	if len(origins) == 0 {
		return refusePreflight(next)
	}
	return cors.New(cors.Options{
		AllowedOrigins:   origins,
		AllowedMethods:   []string{http.MethodGet, http.MethodPost},
		AllowedHeaders:   []string{"Content-Type", "Authorization", "X-Request-Id"},
		AllowCredentials: false,
		MaxAge:           600,
	}).Handler(next)
}

// refusePreflight answers CORS preflights with 403 and no Access-Control-* header,
// so a browser never sends the request it asked about.
func refusePreflight(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodOptions && r.Header.Get("Access-Control-Request-Method") != "" {
			graph.WriteError(w, http.StatusForbidden, graph.EFORBIDDEN,
				"cross-origin requests are not allowed: the server has no CORS origins (TRADEGRAPH_CORS_ORIGINS)",
				requestIDFrom(r.Context()))
			return
		}
		next.ServeHTTP(w, r)
	})
}

// hostAllowList decides which Host headers the server answers. A browser tricked
// by DNS rebinding sends the attacker's domain name as Host while talking to
// 127.0.0.1, so only names the operator chose are accepted; IP literals are always
// accepted, since no rebinding attack can make a browser send one for a foreign
// site.
type hostAllowList struct {
	any   bool // "*" configured: no check
	names []string
}

// newHostAllowList allows localhost, the listen address's host name (when it is a
// name) and the extra names (TRADEGRAPH_ALLOWED_HOSTS); "*" among them turns the
// check off.
func newHostAllowList(listenAddr string, extra []string) hostAllowList {
	h := hostAllowList{names: []string{"localhost"}}
	if host, _, err := net.SplitHostPort(listenAddr); err == nil && host != "" {
		h.add(host)
	}
	for _, e := range extra {
		if e == "*" {
			h.any = true
			continue
		}
		h.add(e)
	}
	return h
}

func (h *hostAllowList) add(name string) {
	name = strings.ToLower(strings.TrimSuffix(strings.Trim(name, "[]"), "."))
	if name != "" && net.ParseIP(name) == nil && !slices.Contains(h.names, name) {
		h.names = append(h.names, name)
	}
}

// allows reports whether a request's Host header (with or without a port) names
// this server.
func (h hostAllowList) allows(hostHeader string) bool {
	if h.any {
		return true
	}
	host := hostHeader
	if hst, _, err := net.SplitHostPort(hostHeader); err == nil {
		host = hst
	}
	host = strings.ToLower(strings.TrimSuffix(strings.Trim(host, "[]"), "."))
	if host == "" {
		return false
	}
	if net.ParseIP(host) != nil {
		return true
	}
	return slices.Contains(h.names, host)
}

// checkHost refuses requests whose Host is not allowed with 421 Misdirected
// Request, and logs how to allow it. Health probes are exempt: load balancers send
// whatever Host they like, and the probes reveal nothing.
func checkHost(log *slog.Logger, allowed hostAllowList, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if allowed.allows(r.Host) || r.URL.Path == "/healthz" || r.URL.Path == "/readyz" {
			next.ServeHTTP(w, r)
			return
		}
		log.WarnContext(r.Context(), "refused a request for an unknown host (DNS rebinding?); to serve it, add the name to TRADEGRAPH_ALLOWED_HOSTS",
			"host", r.Host, "path", r.URL.Path, "request_id", requestIDFrom(r.Context()))
		graph.WriteError(w, http.StatusMisdirectedRequest, graph.EFORBIDDEN,
			fmt.Sprintf("this server does not answer for host %q: the operator can allow it with TRADEGRAPH_ALLOWED_HOSTS", truncate(r.Host, 100)),
			requestIDFrom(r.Context()))
	})
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}

// isLoopback reports whether a listen address reaches this machine only.
func isLoopback(addr string) bool {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return false
	}
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
