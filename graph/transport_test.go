package graph

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/gqlerror"
)

// TestPostParams checks the POST body decoding: what is refused and with which
// message, and that variables keep their numbers exact.
func TestPostParams(t *testing.T) {
	for _, c := range []struct{ body, msg string }{
		{``, `the request body is empty: send {"query": "..."}`},
		{" \n", `the request body is empty: send {"query": "..."}`},
		{`{"query": "{ version }"`, `the request body is not a JSON object: send {"query": "..."}`},
		{`"{ version }"`, `the request body is not a JSON object: send {"query": "..."}`},
		{`null`, `the request body is not a JSON object: send {"query": "..."}`},
		{` null `, `the request body is not a JSON object: send {"query": "..."}`},
		{`42`, `the request body is not a JSON object: send {"query": "..."}`},
		{`{"query": "{ version }"} {"query": "{ version }"}`, `the request body is not a JSON object: send {"query": "..."}`},
		{`{"query": 1}`, `"query" must be a string`},
		{`{"query": "{ version }", "operationName": ["a"]}`, `"operationName" must be a string`},
		{`{"query": "{ version }", "variables": "x"}`, `"variables" must be an object`},
		{`{"query": "{ version }", "extensions": 2}`, `"extensions" must be an object`},
		{`{"query": "{ version }", "variables": null}`, ``},
		{` {"query": "{ version }", "variables": {"n": 12345678901234567890}} ` + "\n", ``},
	} {
		p, msg := decodeParams([]byte(c.body))
		if msg != c.msg {
			t.Errorf("%q: message %q, want %q", c.body, msg, c.msg)
		}
		if (p == nil) != (c.msg != "") {
			t.Errorf("%q: params %v with message %q", c.body, p, msg)
		}
	}
	p, _ := decodeParams([]byte(`{"query": "q", "variables": {"n": 12345678901234567890}}`))
	if n, ok := p.Variables["n"].(json.Number); !ok || n.String() != "12345678901234567890" {
		t.Errorf("variable n = %#v, want the exact json.Number", p.Variables["n"])
	}
}

// TestResponseMediaType checks the Accept negotiation of POST answers.
func TestResponseMediaType(t *testing.T) {
	for accept, want := range map[string]string{
		"":                                  "application/json",
		"*/*":                               "application/json",
		"application/json":                  "application/json",
		"application/*;q=0.9":               "application/json",
		"application/graphql-response+json": graphqlResponseJSON,
		"application/graphql-response+json, application/json;q=0.9": graphqlResponseJSON,
		"application/json, application/graphql-response+json":       "application/json",
		"text/html":                graphqlResponseJSON,
		"bad/;;, application/json": "application/json",
	} {
		if got := responseMediaType(accept); got != want {
			t.Errorf("Accept %q: %s, want %s", accept, got, want)
		}
	}
}

// TestWriteResponse checks that the data gqlgen encoded goes out as it is, with
// errors and extensions around it and the right Content-Length.
func TestWriteResponse(t *testing.T) {
	rec := httptest.NewRecorder()
	resp := &graphql.Response{
		Errors:     gqlerror.List{{Message: "boom", Extensions: map[string]any{"code": "X"}}},
		Data:       json.RawMessage(`{"a":[1,2]}`),
		Extensions: map[string]any{"cypher": []any{}},
	}
	writeResponse(rec, resp)
	body := rec.Body.String()
	if want := `{"errors":[{"message":"boom","extensions":{"code":"X"}}],"data":{"a":[1,2]},"extensions":{"cypher":[]}}`; body != want {
		t.Errorf("body %s\nwant %s", body, want)
	}
	if cl := rec.Header().Get("Content-Length"); cl != strconv.Itoa(len(body)) {
		t.Errorf("Content-Length %s for %d bytes", cl, len(body))
	}
	if !json.Valid(rec.Body.Bytes()) {
		t.Error("not valid JSON")
	}
	rec = httptest.NewRecorder()
	resp.Errors, resp.Extensions, resp.Data = nil, nil, nil
	writeResponse(rec, resp)
	if rec.Body.String() != `{"data":null}` || rec.Code != http.StatusOK {
		t.Errorf("empty response: %d %s", rec.Code, rec.Body)
	}
}
