package app

import (
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"sync"
	"time"
)

// Slow clients. A client that sends its request slowly (a byte a second) must not
// hold anything that other clients need: its headers are bounded by
// ReadHeaderTimeout, its body is read whole (and size-checked) before the request
// may take one of the in-flight slots (limitBody), within a time of its own, and one
// client address may hold only so many connections at once (limitConnsPerClient).

// httpLimits are the read bounds of the HTTP server.
type httpLimits struct {
	// headerTimeout bounds the reading of a request's headers.
	headerTimeout time.Duration
	// bodyTimeout bounds the reading of a request's body (limitBody sets it).
	bodyTimeout time.Duration
	// writeTimeout bounds the answer (the request budget and a margin).
	writeTimeout time.Duration
	// maxHeaderBytes caps the request line and headers.
	maxHeaderBytes int
}

// newHTTPServer returns the server serve runs, with h and the read bounds of l.
func newHTTPServer(h http.Handler, l httpLimits) *http.Server {
	return &http.Server{Handler: h, ReadHeaderTimeout: l.headerTimeout,
		// A backstop for routes that never read their body: limitBody moves the
		// deadline to bodyTimeout from the end of the headers for /graphql.
		ReadTimeout:  l.headerTimeout + l.bodyTimeout,
		WriteTimeout: l.writeTimeout, IdleTimeout: time.Minute, MaxHeaderBytes: l.maxHeaderBytes}
}

// readBody reads r's body whole, at most n bytes and within timeout, into memory.
// It returns the HTTP status and message of a refusal, or 0.
func readBody(w http.ResponseWriter, r *http.Request, n int64, timeout time.Duration) ([]byte, int, string) {
	if r.ContentLength > n {
		return nil, http.StatusRequestEntityTooLarge, fmt.Sprintf("request body larger than %d bytes", n)
	}
	rc := http.NewResponseController(w)
	if timeout > 0 {
		// Not supported only under test recorders; then the server's ReadTimeout bounds it.
		_ = rc.SetReadDeadline(time.Now().Add(timeout))
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, n))
	if timeout > 0 {
		_ = rc.SetReadDeadline(time.Time{})
	}
	var tooLarge *http.MaxBytesError
	var netErr net.Error
	switch {
	case err == nil:
		return body, 0, ""
	case errors.As(err, &tooLarge):
		return nil, http.StatusRequestEntityTooLarge, fmt.Sprintf("request body larger than %d bytes", n)
	case errors.As(err, &netErr) && netErr.Timeout():
		return nil, http.StatusRequestTimeout, fmt.Sprintf("the request body did not arrive within %s", timeout)
	}
	return nil, http.StatusBadRequest, "the request body could not be read"
}

// limitConnsPerClient returns a listener that lets one client address (an IP)
// hold at most max connections at once; a connection over the cap is answered 429
// and closed. max <= 0 means no cap. Behind a load balancer every client has the
// balancer's address: turn the cap off there (docs/operations.md).
func limitConnsPerClient(ln net.Listener, max int) net.Listener {
	if max <= 0 {
		return ln
	}
	return &perClientListener{Listener: ln, max: max, open: map[string]int{}}
}

type perClientListener struct {
	net.Listener
	max  int
	mu   sync.Mutex
	open map[string]int
}

func (l *perClientListener) Accept() (net.Conn, error) {
	for {
		c, err := l.Listener.Accept()
		if err != nil {
			return nil, err
		}
		host, _, err := net.SplitHostPort(c.RemoteAddr().String())
		if err != nil {
			host = c.RemoteAddr().String()
		}
		l.mu.Lock()
		full := l.open[host] >= l.max
		if !full {
			l.open[host]++
		}
		l.mu.Unlock()
		if full {
			connsRefused.Inc()
			go refuseConn(c, l.max)
			continue
		}
		return &clientConn{Conn: c, release: func() { l.release(host) }}, nil
	}
}

func (l *perClientListener) release(host string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.open[host]--; l.open[host] <= 0 {
		delete(l.open, host)
	}
}

// refuseConn answers a connection over the per-client cap and closes it.
func refuseConn(c net.Conn, max int) {
	msg := fmt.Sprintf("too many connections from your address (at most %d at once)\n", max)
	_ = c.SetDeadline(time.Now().Add(time.Second))
	fmt.Fprintf(c, "HTTP/1.1 429 Too Many Requests\r\nContent-Type: text/plain; charset=utf-8\r\nRetry-After: 1\r\nConnection: close\r\nContent-Length: %d\r\n\r\n%s", len(msg), msg)
	c.Close()
}

// clientConn gives its slot back once, when it is closed.
type clientConn struct {
	net.Conn
	once    sync.Once
	release func()
}

func (c *clientConn) Close() error {
	c.once.Do(c.release)
	return c.Conn.Close()
}
