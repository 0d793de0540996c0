// Package web serves tradegraph's browser console from assets embedded in the binary,
// so that it works offline: no CDN is contacted at run time.
//
// The pages are static/index.html (the explorer, at /), static/playground.html
// (GraphiQL, at /playground) and static/review.html (reviewing drafted facts, at
// /review); their scripts and styles are bundled from src/ into
// static/dist by `npm run build` (see build.mjs) and committed, so `go build` needs
// no Node. check-build.sh proves the committed bundle matches its sources.
package web

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strings"
	"sync"
	"time"
)

//go:embed static
var static embed.FS

// contentSecurityPolicy lets the console load only what this server serves: a
// stray CDN reference fails loudly in the browser instead of working online only.
// Monaco (GraphiQL's editor) sets inline styles and starts workers; Cytoscape's PNG
// export and the downloads use data: and blob: URLs.
const contentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; " +
	"img-src 'self' data: blob:; font-src 'self' data:; worker-src 'self' blob:; connect-src 'self'; " +
	"object-src 'none'; base-uri 'self'; frame-ancestors 'none'"

// Handler serves the console: the explorer at /, the playground at /playground, the
// review of drafted facts at /review and the bundled assets under /dist/. Anything
// else is 404.
func Handler() http.Handler {
	sub, err := fs.Sub(static, "static")
	if err != nil {
		panic(err) // the embedded tree is fixed at build time
	}
	page := func(name string) http.Handler {
		a := newAsset(sub, name)
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Security-Policy", contentSecurityPolicy)
			a.serve(w, r)
		})
	}
	mux := http.NewServeMux()
	mux.Handle("GET /{$}", page("index.html"))
	mux.Handle("GET /playground", page("playground.html"))
	mux.Handle("GET /playground/{$}", http.RedirectHandler("../playground", http.StatusMovedPermanently))
	mux.Handle("GET /review", page("review.html"))
	dist := map[string]*asset{}
	_ = fs.WalkDir(sub, "dist", func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			dist["/"+p] = newAsset(sub, p)
		}
		return nil
	})
	mux.HandleFunc("GET /dist/", func(w http.ResponseWriter, r *http.Request) {
		a, ok := dist[r.URL.Path]
		if !ok {
			http.NotFound(w, r)
			return
		}
		a.serve(w, r)
	})
	return mux
}

// asset is one embedded file, served with a content ETag (the names carry no hash,
// so browsers revalidate) and gzipped once, on first request, when that helps.
type asset struct {
	name, ctype, etag string
	body              []byte
	once              sync.Once
	gz                []byte // nil when gzip does not pay
}

func newAsset(fsys fs.FS, name string) *asset {
	body, err := fs.ReadFile(fsys, name)
	if err != nil {
		panic(err) // the embedded tree is fixed at build time
	}
	sum := sha256.Sum256(body)
	ctype := mime.TypeByExtension(path.Ext(name))
	if ctype == "" {
		ctype = http.DetectContentType(body)
	}
	return &asset{name: name, ctype: ctype, etag: `"` + hex.EncodeToString(sum[:12]) + `"`, body: body}
}

func (a *asset) serve(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("Content-Type", a.ctype)
	h.Set("Cache-Control", "no-cache")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Add("Vary", "Accept-Encoding")
	body := a.body
	if acceptsGzip(r) {
		a.once.Do(a.compress)
		if a.gz != nil {
			body = a.gz
			h.Set("Content-Encoding", "gzip")
			h.Set("ETag", strings.TrimSuffix(a.etag, `"`)+`-gz"`)
		}
	}
	if h.Get("ETag") == "" {
		h.Set("ETag", a.etag)
	}
	http.ServeContent(w, r, a.name, time.Time{}, bytes.NewReader(body))
}

func (a *asset) compress() {
	if len(a.body) < 1024 || strings.HasSuffix(a.name, ".png") {
		return
	}
	var buf bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&buf, gzip.BestSpeed)
	_, _ = zw.Write(a.body)
	if zw.Close() == nil && buf.Len() < len(a.body)*9/10 {
		a.gz = buf.Bytes()
	}
}

func acceptsGzip(r *http.Request) bool {
	for _, part := range strings.Split(r.Header.Get("Accept-Encoding"), ",") {
		enc, q, _ := strings.Cut(strings.TrimSpace(part), ";")
		if strings.EqualFold(strings.TrimSpace(enc), "gzip") && strings.ReplaceAll(q, " ", "") != "q=0" {
			return true
		}
	}
	return false
}
