package graph

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/handler/transport"
)

// The HTTP transports of /graphql. gqlgen's GET and POST do the work; these wrappers
// refuse, with a status, a code and no database work, what the API does not take:
//
//   - a POST whose body is not application/json: HTML forms (urlencoded, multipart)
//     and text/plain are "simple" requests that a browser sends cross-site without
//     asking the server first, so accepting them would let any web page post
//     mutations with a user's credentials (CSRF). 415.
//   - a batch (a JSON array of operations): one request is one operation, so that
//     the budget of a request is the budget of one operation. 400.
//   - a mutation in a GET: GET must stay safe (links, prefetching, caches). 405 with
//     Allow: POST, as the GraphQL-over-HTTP spec says (gqlgen alone answers 406).
//   - any other method: 405.

// EBADREQUEST is the code of a request refused by the transport before parsing.
const EBADREQUEST = "BAD_REQUEST"

// requestIDFunc returns the request id of a request's context ("" when unknown).
type requestIDFunc func(ctx context.Context) string

func (f requestIDFunc) of(r *http.Request) string {
	if f == nil {
		return ""
	}
	return f(r.Context())
}

// postJSON is gqlgen's POST transport (application/json only) without batches.
type postJSON struct {
	transport.POST
	id requestIDFunc
}

func (t postJSON) Do(w http.ResponseWriter, r *http.Request, exec graphql.GraphExecutor) {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			WriteError(w, http.StatusRequestEntityTooLarge, EBUDGET, fmt.Sprintf("request body larger than %d bytes", tooLarge.Limit), t.id.of(r))
			return
		}
		WriteError(w, http.StatusBadRequest, EBADREQUEST, "the request body could not be read", t.id.of(r))
		return
	}
	if first := bytes.TrimLeft(body, " \t\r\n"); len(first) > 0 && first[0] == '[' {
		WriteError(w, http.StatusBadRequest, EBADREQUEST, "batched operations are not supported: send one operation per request", t.id.of(r))
		return
	}
	if msg := checkParams(body); msg != "" {
		WriteError(w, http.StatusBadRequest, EBADREQUEST, msg, t.id.of(r))
		return
	}
	r.Body = io.NopCloser(bytes.NewReader(body))
	t.POST.Do(w, r, exec)
}

// checkParams returns what is wrong with a POST body's JSON, or "". gqlgen would
// refuse the same bodies, but with a message and no code, which the error presenter
// can only show as INTERNAL.
func checkParams(body []byte) string {
	if len(bytes.TrimSpace(body)) == 0 {
		return "the request body is empty: send {\"query\": \"...\"}"
	}
	var p map[string]json.RawMessage
	if err := json.Unmarshal(body, &p); err != nil {
		return "the request body is not a JSON object: send {\"query\": \"...\"}"
	}
	for name, want := range map[string]byte{"query": '"', "operationName": '"', "variables": '{', "extensions": '{'} {
		v := bytes.TrimSpace(p[name])
		if len(v) == 0 || bytes.Equal(v, []byte("null")) {
			continue
		}
		if v[0] != want {
			kind := map[byte]string{'"': "a string", '{': "an object"}[want]
			return fmt.Sprintf("%q must be %s", name, kind)
		}
	}
	return ""
}

// getQueries is gqlgen's GET transport, answering a mutation with 405.
type getQueries struct {
	transport.GET
	id requestIDFunc
}

func (t getQueries) Do(w http.ResponseWriter, r *http.Request, exec graphql.GraphExecutor) {
	t.GET.Do(&getMutationWriter{ResponseWriter: w, id: t.id.of(r)}, r, exec)
}

// getMutationWriter turns gqlgen's answer to a GET mutation (406, its only use of
// that status in the GET transport) into 405 with a coded error.
type getMutationWriter struct {
	http.ResponseWriter
	id      string
	refused bool
}

func (g *getMutationWriter) WriteHeader(status int) {
	if status == http.StatusNotAcceptable {
		g.refused = true
		g.Header().Set("Allow", "POST")
		WriteError(g.ResponseWriter, http.StatusMethodNotAllowed, EBADREQUEST, "mutations must be sent with POST: GET runs queries only", g.id)
		return
	}
	g.ResponseWriter.WriteHeader(status)
}

func (g *getMutationWriter) Write(b []byte) (int, error) {
	if g.refused {
		return len(b), nil // gqlgen's own error body, already replaced
	}
	return g.ResponseWriter.Write(b)
}

// refuse takes every request that no other transport supports.
type refuse struct{ id requestIDFunc }

func (refuse) Supports(*http.Request) bool { return true }

func (t refuse) Do(w http.ResponseWriter, r *http.Request, _ graphql.GraphExecutor) {
	if r.Method == http.MethodPost {
		WriteError(w, http.StatusUnsupportedMediaType, EBADREQUEST,
			"POST /graphql takes Content-Type: application/json; form and text/plain bodies are refused (browsers send them cross-site without asking)", t.id.of(r))
		return
	}
	w.Header().Set("Allow", "GET, POST")
	WriteError(w, http.StatusMethodNotAllowed, EBADREQUEST, fmt.Sprintf("method %s is not allowed: use GET for queries or POST", r.Method), t.id.of(r))
}

// WriteError answers a request that is refused before GraphQL runs (by a transport,
// the body limit or the concurrency limit) with a GraphQL error body carrying code
// and the request id, and counts it in the errors metric.
func WriteError(w http.ResponseWriter, status int, code, msg, requestID string) {
	CountError(code)
	ext := map[string]any{"code": code}
	if requestID != "" {
		ext["requestId"] = requestID
	}
	body, _ := json.Marshal(map[string]any{"errors": []map[string]any{{"message": msg, "extensions": ext}}})
	w.Header().Set("Content-Type", "application/json")
	w.Header().Del("Content-Length")
	w.WriteHeader(status)
	_, _ = w.Write(body)
}
