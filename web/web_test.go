package web

import (
	"bytes"
	"compress/gzip"
	"io"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func get(t *testing.T, h http.Handler, path string, header map[string]string) *http.Response {
	t.Helper()
	req := httptest.NewRequest(http.MethodGet, path, nil)
	for k, v := range header {
		req.Header.Set(k, v)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec.Result()
}

func TestRoutes(t *testing.T) {
	h := Handler()
	tests := []struct {
		path, wantType, wantBody string
		wantStatus               int
	}{
		{"/", "text/html", `src="dist/explorer.js"`, http.StatusOK},
		{"/playground", "text/html", `src="dist/playground.js"`, http.StatusOK},
		{"/playground/", "text/html", `<a href="/playground">Moved Permanently</a>`, http.StatusMovedPermanently},
		{"/dist/explorer.js", "text/javascript", "cytoscape", http.StatusOK},
		{"/dist/explorer.css", "text/css", ".suggestions", http.StatusOK},
		{"/dist/playground.js", "text/javascript", "graphiql", http.StatusOK},
		{"/review", "text/html", `src="dist/review.js"`, http.StatusOK},
		{"/dist/review.js", "text/javascript", "draftArticle", http.StatusOK},
		// A web worker answers the page's messages.
		{"/dist/graphql.worker.js", "text/javascript", "onmessage", http.StatusOK},
		{"/dist/nope.js", "text/plain", "404 page not found", http.StatusNotFound},
		{"/index.html", "text/plain", "404 page not found", http.StatusNotFound},
		{"/static/index.html", "text/plain", "404 page not found", http.StatusNotFound},
		{"/dist/", "text/plain", "404 page not found", http.StatusNotFound},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			if tt.wantType == "" || tt.wantBody == "" {
				t.Fatal("every row states a media type and a body: an empty one matches anything")
			}
			resp := get(t, h, tt.path, nil)
			body, _ := io.ReadAll(resp.Body)
			if resp.StatusCode != tt.wantStatus {
				t.Fatalf("status %d, want %d", resp.StatusCode, tt.wantStatus)
			}
			if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, tt.wantType) {
				t.Errorf("Content-Type %q, want %s", ct, tt.wantType)
			}
			if !bytes.Contains(body, []byte(tt.wantBody)) {
				t.Errorf("body lacks %q", tt.wantBody)
			}
			if tt.wantStatus == http.StatusMovedPermanently && resp.Header.Get("Location") != "/playground" {
				t.Errorf("Location %q, want /playground", resp.Header.Get("Location"))
			}
		})
	}
}

func TestPagesOnlyLoadFromThisServer(t *testing.T) {
	h := Handler()
	for _, p := range []string{"/", "/playground", "/review"} {
		csp := get(t, h, p, nil).Header.Get("Content-Security-Policy")
		for _, want := range []string{"default-src 'self'", "script-src 'self';", "connect-src 'self'"} {
			if !strings.Contains(csp, want) {
				t.Errorf("%s: Content-Security-Policy %q lacks %q", p, csp, want)
			}
		}
	}
	// The bundle must not name a CDN: the console works offline.
	sub, _ := fs.Sub(static, "static")
	err := fs.WalkDir(sub, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(sub, p)
		for _, cdn := range []string{"esm.sh", "unpkg.com", "cdn.jsdelivr.net", "cdnjs.cloudflare.com", "fonts.googleapis.com"} {
			if bytes.Contains(b, []byte(cdn)) {
				t.Errorf("%s names %s", p, cdn)
			}
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestAssetsRevalidateAndCompress(t *testing.T) {
	h := Handler()
	plain := get(t, h, "/dist/explorer.js", nil)
	raw, _ := io.ReadAll(plain.Body)
	etag := plain.Header.Get("ETag")
	if etag == "" || plain.Header.Get("Content-Encoding") != "" {
		t.Fatalf("plain response: ETag %q, Content-Encoding %q", etag, plain.Header.Get("Content-Encoding"))
	}
	if got := get(t, h, "/dist/explorer.js", map[string]string{"If-None-Match": etag}); got.StatusCode != http.StatusNotModified {
		t.Errorf("If-None-Match with the ETag: status %d, want 304", got.StatusCode)
	}

	gz := get(t, h, "/dist/explorer.js", map[string]string{"Accept-Encoding": "br, gzip"})
	if gz.Header.Get("Content-Encoding") != "gzip" || gz.Header.Get("ETag") == etag {
		t.Fatalf("gzip response: Content-Encoding %q, ETag %q (plain %q)", gz.Header.Get("Content-Encoding"), gz.Header.Get("ETag"), etag)
	}
	zr, err := gzip.NewReader(gz.Body)
	if err != nil {
		t.Fatal(err)
	}
	unzipped, err := io.ReadAll(zr)
	if err != nil || !bytes.Equal(unzipped, raw) {
		t.Errorf("gunzipped body differs from the plain one (err %v, %d vs %d bytes)", err, len(unzipped), len(raw))
	}
	if got := get(t, h, "/dist/explorer.js", map[string]string{"Accept-Encoding": "gzip;q=0"}); got.Header.Get("Content-Encoding") != "" {
		t.Error("gzip;q=0 still got gzip")
	}
}
