package graph

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/errcode"
	"github.com/99designs/gqlgen/graphql/handler/transport"
)

// The HTTP transports of /graphql: gqlgen's GET, and POST as gqlgen does it (postJSON); they
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

// postJSON is the POST transport (application/json only, no batches). It does what
// gqlgen's POST does, the same statuses and media types, with one decoding of the
// body (which also checks the parameters' types) and one encoding of the answer:
// gqlgen's writer re-encodes the already encoded data through json.Marshal, which
// validates and copies it again, 9% of a path request's CPU (BenchmarkPathQueryStack).
type postJSON struct {
	transport.POST
	id requestIDFunc
}

func (t postJSON) Do(w http.ResponseWriter, r *http.Request, exec graphql.GraphExecutor) {
	start := graphql.Now()
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
	params, msg := decodeParams(body)
	if msg != "" {
		WriteError(w, http.StatusBadRequest, EBADREQUEST, msg, t.id.of(r))
		return
	}
	params.Headers = r.Header
	params.ReadTime = graphql.TraceTiming{Start: start, End: graphql.Now()}
	mediaType := responseMediaType(r.Header.Get("Accept"))
	w.Header().Set("Content-Type", mediaType)
	ctx := r.Context()
	oc, errs := exec.CreateOperationContext(ctx, params)
	if errs != nil {
		// Refused before running (parse, validation, budget): a protocol error is
		// 422 for application/json and 400 for application/graphql-response+json.
		status := http.StatusOK
		if errcode.GetErrorKind(errs) == errcode.KindProtocol {
			status = map[bool]int{true: http.StatusBadRequest, false: http.StatusUnprocessableEntity}[mediaType == graphqlResponseJSON]
		}
		w.WriteHeader(status)
		writeResponse(w, exec.DispatchError(graphql.WithOperationContext(ctx, oc), errs))
		return
	}
	responses, ctx := exec.DispatchOperation(ctx, oc)
	writeResponse(w, responses(ctx))
}

const graphqlResponseJSON = "application/graphql-response+json"

// responseMediaType picks the answer's media type from Accept as gqlgen does: the
// first of application/json (also for */* and application/*, and when Accept is
// absent) or application/graphql-response+json that the client lists; the latter
// when it lists neither.
func responseMediaType(accept string) string {
	if accept == "" {
		return "application/json"
	}
	for part := range strings.SplitSeq(accept, ",") {
		mt, _, err := mime.ParseMediaType(strings.TrimSpace(part))
		if err != nil {
			continue
		}
		switch mt {
		case "*/*", "application/*", "application/json":
			return "application/json"
		case graphqlResponseJSON:
			return graphqlResponseJSON
		}
	}
	return graphqlResponseJSON
}

// decodeParams decodes a POST body into the operation's parameters, or says what is
// wrong with it. Numbers in variables stay json.Number, as gqlgen's own decoding
// leaves them, so that Int and Float arguments convert exactly.
func decodeParams(body []byte) (*graphql.RawParams, string) {
	const send = `: send {"query": "..."}`
	trimmed := bytes.TrimSpace(body)
	if len(trimmed) == 0 {
		return nil, "the request body is empty" + send
	}
	if trimmed[0] != '{' {
		// null, a string or a number decode into empty parameters without an error.
		return nil, "the request body is not a JSON object" + send
	}
	var p graphql.RawParams
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	err := dec.Decode(&p)
	if err == nil {
		if _, after := dec.Token(); after != io.EOF {
			err = errors.New("data after the object")
		}
	}
	var typeErr *json.UnmarshalTypeError
	switch {
	case err == nil:
		return &p, ""
	case errors.As(err, &typeErr) && typeErr.Field != "":
		kind := "a string"
		if typeErr.Field == "variables" || typeErr.Field == "extensions" {
			kind = "an object"
		}
		return nil, fmt.Sprintf("%q must be %s", typeErr.Field, kind)
	}
	return nil, "the request body is not a JSON object" + send
}

// writeResponse writes a GraphQL response in one Write with its Content-Length,
// copying the data gqlgen encoded instead of re-encoding it.
func writeResponse(w http.ResponseWriter, resp *graphql.Response) {
	var b bytes.Buffer
	b.Grow(len(resp.Data) + 64)
	b.WriteByte('{')
	if len(resp.Errors) > 0 {
		errs, _ := json.Marshal(resp.Errors)
		b.WriteString(`"errors":`)
		b.Write(errs)
		b.WriteByte(',')
	}
	b.WriteString(`"data":`)
	if len(resp.Data) == 0 {
		b.WriteString("null")
	} else {
		b.Write(resp.Data)
	}
	if len(resp.Extensions) > 0 {
		ext, err := json.Marshal(resp.Extensions)
		if err == nil {
			b.WriteString(`,"extensions":`)
			b.Write(ext)
		}
	}
	b.WriteByte('}')
	w.Header().Set("Content-Length", strconv.Itoa(b.Len()))
	_, _ = w.Write(b.Bytes())
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
