package neo4jstore

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"hash/fnv"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"tradegraph/graph/model"
)

// The initial import (tradegraph import): the loaders validate the input exactly
// as for a transactional load and hand their batches to ImportFiles, which
// implements the loaders' Graph over the empty graph being built. Instead of
// sending a batch it computes the same rows the batch writer would send
// (documentRows, claimRows, relationshipRows, mentionRows: the same properties,
// content hashes and provenance) and appends them to the node and relationship
// files of Neo4j's offline importer, `neo4j-admin database import full`. What the
// writer derives inside its transaction from what is stored (a relationship's
// effective dates, effCypher) is derived here from what the files hold, with
// model.EffectiveValidity, the definition effCypher implements: every entity and
// document is written before the relationships that need them (the loaders
// write all node rows first), and a relationship that comes earlier waits in
// memory until Close.
//
// File format: one file per label set or relationship type and set of
// properties (a row's properties decide its columns), the header on its first
// line, every string quoted, array elements separated by ImportArrayDelimiter.

// ImportArrayDelimiter separates the elements of array cells in the import
// files: the unit separator, a control character that text does not hold (a
// value that does is refused with a clear error, not split).
const ImportArrayDelimiter = '\x1f'

// ImportFiles writes the import tool's files into one directory; it is a
// loaders.Graph for an empty database. Use NewImportFiles, then Close.
type ImportFiles struct {
	dir string
	now func() time.Time

	mu     sync.Mutex
	files  map[string]*importFile // by signature
	order  []*importFile
	nodes  map[string]struct{} // ids written (the importer needs unique node ids)
	rels   map[uint64]string   // hash of (from, type, to) -> the relationship, for duplicates
	groups map[string]*importGroup
	counts model.Summary
	closed bool

	lives       map[string]model.Span // the lifetimes written (lifeFrom, lifeTo) of the entities that have one
	docDays     map[string]docDay     // the publication dates written (dateFirst) of the documents that have one
	waiting     []importRow           // relationships written before an endpoint or an evidence document
	sourceFiles map[string]string     // the file each source id was read from (RecordSourceFiles)
}

// docDay is a document's date as written: its text and first day (dateFirst).
type docDay struct {
	text  string
	first time.Time
}

// importFile is one node or relationship file and its header.
type importFile struct {
	path      string
	rel       bool
	cols      []importCol
	multiline bool // a value spans lines: the importer must parse the file slowly
	f         *os.File
	w         *bufio.Writer
}

type importCol struct{ key, typ string }

// importGroup tracks, per label set or relationship type, how many rows carry
// each property and which properties were an empty list on some row: the
// importer cannot write an empty list (an empty cell is no property), so those
// are set after the import (ImportManifest.EmptyLists).
type importGroup struct {
	rel   bool
	label string // the kind (nodes) or type (relationships)
	rows  int64
	keys  map[string]int64
	empty map[string]bool
}

// NewImportFiles returns a writer of import files into dir, which must be empty
// or not exist.
func NewImportFiles(dir string) (*ImportFiles, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("import files: %w", err)
	}
	if ents, err := os.ReadDir(dir); err != nil {
		return nil, fmt.Errorf("import files: %w", err)
	} else if len(ents) > 0 {
		return nil, fmt.Errorf("import files: %s is not empty", dir)
	}
	return &ImportFiles{dir: dir, now: time.Now, files: map[string]*importFile{}, nodes: map[string]struct{}{},
		rels: map[uint64]string{}, groups: map[string]*importGroup{}, counts: model.Summary{},
		lives: map[string]model.Span{}, docDays: map[string]docDay{}}, nil
}

// Known finds nothing: the graph being built is empty, and the loaders keep
// what the input defines themselves.
func (w *ImportFiles) Known(context.Context, []string) (map[string]model.Kind, map[string][]string, error) {
	return map[string]model.Kind{}, map[string][]string{}, nil
}

// Names returns no names: the graph being built is empty.
func (w *ImportFiles) Names(context.Context) ([]model.Name, error) { return nil, nil }

// ChangedDocuments returns none: the graph being built holds no document.
func (w *ImportFiles) ChangedDocuments(context.Context, []model.DocumentRecord) ([]string, error) {
	return nil, nil
}

// Citations returns none: the graph being built holds no evidence.
func (w *ImportFiles) Citations(context.Context, []string) ([]model.Citation, error) { return nil, nil }

// PreviewEntities returns no changes: no entity exists yet.
func (w *ImportFiles) PreviewEntities(context.Context, model.Source, []model.EntityRecord) ([]model.EntityPreview, error) {
	return nil, nil
}

// StaleFacts returns none: no source asserted anything before.
func (w *ImportFiles) StaleFacts(context.Context, string, model.Facts) ([]model.Stale, error) {
	return nil, nil
}

// SourceFiles returns none: no source was loaded before.
func (w *ImportFiles) SourceFiles(context.Context, []string) (map[string]string, error) {
	return nil, nil
}

// RecordSourceFiles keeps the file each source id was read from for the
// manifest: FinishImport records them in the graph as a load does, so that a
// later load --sync of another file under the same id is refused.
func (w *ImportFiles) RecordSourceFiles(_ context.Context, files map[string]string) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.sourceFiles == nil {
		w.sourceFiles = map[string]string{}
	}
	maps.Copy(w.sourceFiles, files)
	return nil
}

// Retract has nothing to retract in an empty graph; it fails if asked to.
func (w *ImportFiles) Retract(_ context.Context, _ model.Source, stale []model.Stale, _ string) ([]model.Retraction, error) {
	if len(stale) > 0 {
		return nil, errors.New("import: an initial import retracts nothing")
	}
	return nil, nil
}

// importRow is one node or relationship of an import file.
type importRow struct {
	rel        bool
	group      string // kind (nodes) or type (relationships)
	labels     []string
	space      string // the id space of a node, or of a relationship's start node
	endSpace   string
	from, to   string
	props      row
	summaryKey string
	// stated holds the stated dates of a relationship between entities, whose
	// effective dates are derived when it is written (nil for nodes and MENTIONS);
	// its evidence documents are props' evidenceDocs. A copy: the loaders may
	// reuse their batches' records once written.
	stated *model.RelationshipRecord
}

// importBatch is a batch prepared for the import files.
type importBatch struct {
	rows []importRow
	n    int
}

func (p *importBatch) Len() int                          { return p.n }
func (p *importBatch) Conflicts() []model.EntityConflict { return nil }

// Prepare computes the rows the batch writer would write for b into an empty
// graph: the same properties, content hashes, claims and provenance.
func (w *ImportFiles) Prepare(b model.Batch) (model.Prepared, error) {
	if len(b.Documents)+len(b.Entities)+len(b.Relationships) > 0 {
		if err := b.Source.Check(); err != nil {
			return nil, err
		}
	}
	now := model.ProvTime(w.now())
	sources := []string{b.Source.ID}
	prov := model.EncodeProvenance([]model.Provenance{{Source: b.Source.ID, FirstSeen: now, LastSeen: now, By: b.Source.By}})
	p := &importBatch{n: b.Len()}
	for _, d := range documentRows(b.Documents) {
		props := d["props"].(row)
		props["sources"], props["prov"] = sources, prov
		p.rows = append(p.rows, importRow{group: string(model.KindDocument), labels: []string{string(model.KindDocument)},
			space: string(model.KindDocument), props: props, summaryKey: string(model.KindDocument)})
	}
	if len(b.Entities) > 0 {
		ents, _, err := claimRows(b.Source, now, b.Entities, nil)
		if err != nil {
			return nil, err
		}
		for _, e := range ents {
			props := e["props"].(row)
			props["sources"], props["prov"] = e["sources"], e["prov"]
			k := e["kind"].(string)
			p.rows = append(p.rows, importRow{group: k, labels: []string{"Entity", k}, space: "Entity", props: props, summaryKey: k})
		}
	}
	rels, err := relationshipRows(b.Relationships)
	if err != nil {
		return nil, err
	}
	for i, r := range rels { // relationshipRows keeps the order of b.Relationships
		props := r["props"].(row)
		props["sources"], props["prov"] = sources, prov
		t := r["type"].(string)
		rec := b.Relationships[i]
		p.rows = append(p.rows, importRow{rel: true, group: t, space: "Entity", endSpace: "Entity",
			from: r["from"].(string), to: r["to"].(string), props: props, summaryKey: t,
			stated: &model.RelationshipRecord{From: rec.From, Type: rec.Type, To: rec.To, ValidFrom: rec.ValidFrom, ValidTo: rec.ValidTo}})
	}
	if len(b.Mentions) > 0 {
		rows, _ := mentionRows(b.Mentions)
		for _, m := range rows {
			p.rows = append(p.rows, importRow{rel: true, group: model.MentionsType, space: string(model.KindDocument), endSpace: "Entity",
				from: m["doc"].(string), to: m["entity"].(string), props: m["props"].(row), summaryKey: model.MentionsType})
		}
	}
	return p, nil
}

// WritePrepared appends a prepared batch to the import files and counts its
// rows as created. It fails on an id written before (the importer needs unique
// ids; an initial import does not combine two writes of one entity) and on a
// value the files cannot hold.
func (w *ImportFiles) WritePrepared(_ context.Context, prepared model.Prepared) (model.Summary, error) {
	p, ok := prepared.(*importBatch)
	if !ok {
		return nil, fmt.Errorf("import: a %T was not prepared by the import writer", prepared)
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.closed {
		return nil, errors.New("import: the files are closed")
	}
	sum := model.Summary{}
	for _, r := range p.rows {
		if err := w.writeRow(r); err != nil {
			return nil, err
		}
		sum.Add(r.summaryKey, model.Created, 1)
	}
	w.counts.Merge(sum)
	return sum, nil
}

// writeRow appends r to the file of its signature; a relationship between
// entities gets its effective dates first, or waits for Close when an endpoint
// or an evidence document has not been written yet.
func (w *ImportFiles) writeRow(r importRow) error {
	id, _ := r.props["id"].(string)
	if !r.rel {
		if _, dup := w.nodes[id]; dup {
			return fmt.Errorf("import: %s %s is written twice: an initial import writes each id once (load the second write with `tradegraph load` afterwards)", r.group, id)
		}
		w.nodes[id] = struct{}{}
		w.keepDates(id, r.props)
	} else {
		h := fnv.New64a()
		h.Write([]byte(r.from + "|" + r.group + "|" + r.to))
		k := h.Sum64()
		if first, dup := w.rels[k]; dup {
			return fmt.Errorf("import: relationship %s %s %s is written twice (first: %s)", r.from, r.group, r.to, first)
		}
		w.rels[k] = r.from + " " + r.group + " " + r.to
		if r.stated != nil {
			if !w.written(r) {
				w.waiting = append(w.waiting, r)
				return nil
			}
			w.effectiveDates(r)
		}
	}
	return w.appendRow(r)
}

// keepDates keeps what the relationships' effective dates are derived from: an
// entity's lifetime and a document's publication date, as written.
func (w *ImportFiles) keepDates(id string, p row) {
	from, to := dateOf(p["lifeFrom"]), dateOf(p["lifeTo"])
	if !from.IsZero() || !to.IsZero() {
		w.lives[id] = model.Span{From: from, To: to}
	}
	if first := dateOf(p["dateFirst"]); !first.IsZero() {
		text, _ := p["date"].(string)
		w.docDays[id] = docDay{text: text, first: first}
	}
}

// written reports whether the endpoints and the evidence documents of r have
// been written.
func (w *ImportFiles) written(r importRow) bool {
	for _, id := range []string{r.from, r.to} {
		if _, ok := w.nodes[id]; !ok {
			return false
		}
	}
	for _, doc := range r.props["evidenceDocs"].([]string) {
		if _, ok := w.nodes[doc]; !ok {
			return false
		}
	}
	return true
}

// effectiveDates sets r's knownFrom (the first day of its earliest dated
// evidence document), effFrom, effTo, effSpan and dateSource from its stated dates, its
// endpoints' lifetimes and its evidence documents' dates as written:
// model.EffectiveValidity, which effCypher, the writer's derivation, implements
// in Cypher (TestEffectiveMatchesModel holds the two together). A property that
// derives to nothing is left out, as effCypher's SET of null leaves it out.
func (w *ImportFiles) effectiveDates(r importRow) {
	var known docDay
	for _, doc := range r.props["evidenceDocs"].([]string) {
		if d, ok := w.docDays[doc]; ok && (known.first.IsZero() || d.first.Before(known.first)) {
			known = d
		}
	}
	eff, _ := model.EffectiveValidity(*r.stated, w.lives[r.from], w.lives[r.to], known.text)
	for k, t := range map[string]time.Time{"knownFrom": known.first, "effFrom": eff.Span.From, "effTo": eff.Span.To} {
		if !t.IsZero() {
			r.props[k] = neo4j.DateOf(t)
		}
	}
	r.props["dateSource"] = string(eff.Source)
	if eff.Source != model.DatesUnknown {
		r.props["effSpan"] = []neo4j.Date{spanEnd(eff.Span.From, spanMin), spanEnd(eff.Span.To, spanMax)}
	}
}

// spanEnd is an end of effSpan: the day, or the stand-in for an open end.
func spanEnd(t time.Time, open string) neo4j.Date {
	if t.IsZero() {
		t, _ = time.Parse(time.DateOnly, open)
	}
	return neo4j.DateOf(t)
}

// appendRow writes r to the file of its signature.
func (w *ImportFiles) appendRow(r importRow) error {
	id, _ := r.props["id"].(string)
	gk := "n:" + r.group
	if r.rel {
		gk = "r:" + r.group
	}
	g := w.groups[gk]
	if g == nil {
		g = &importGroup{rel: r.rel, label: r.group, keys: map[string]int64{}, empty: map[string]bool{}}
		w.groups[gk] = g
	}
	g.rows++
	cols := make([]importCol, 0, len(r.props))
	for k, v := range r.props {
		if v == nil {
			continue
		}
		g.keys[k]++
		if isEmptyList(v) {
			g.empty[k] = true
			continue
		}
		typ, err := importType(v)
		if err != nil {
			return fmt.Errorf("import: %s %s property %s: %w", r.group, id, k, err)
		}
		cols = append(cols, importCol{k, typ})
	}
	slices.SortFunc(cols, func(a, b importCol) int { return strings.Compare(a.key, b.key) })
	var sig strings.Builder
	if r.rel {
		fmt.Fprintf(&sig, "r|%s|%s|%s", r.space, r.endSpace, r.group)
	} else {
		fmt.Fprintf(&sig, "n|%s|%s", r.space, strings.Join(r.labels, ";"))
	}
	for _, c := range cols {
		sig.WriteString("|" + c.key + ":" + c.typ)
	}
	f, err := w.file(sig.String(), r, cols)
	if err != nil {
		return err
	}
	var line strings.Builder
	if r.rel {
		line.WriteString(quoteCSV(r.from) + "," + quoteCSV(r.to) + "," + quoteCSV(r.group))
	} else {
		line.WriteString(quoteCSV(id) + "," + quoteCSV(strings.Join(r.labels, string(ImportArrayDelimiter))))
	}
	for _, c := range cols {
		if !r.rel && c.key == "id" {
			continue
		}
		cell, multi, err := importCell(r.props[c.key])
		if err != nil {
			return fmt.Errorf("import: %s %s property %s: %w", r.group, id, c.key, err)
		}
		f.multiline = f.multiline || multi
		line.WriteString("," + cell)
	}
	line.WriteString("\n")
	if _, err := f.w.WriteString(line.String()); err != nil {
		return fmt.Errorf("import: write %s: %w", f.path, err)
	}
	return nil
}

// file returns the file of signature sig, creating it with its header.
func (w *ImportFiles) file(sig string, r importRow, cols []importCol) (*importFile, error) {
	if f, ok := w.files[sig]; ok {
		return f, nil
	}
	kind := "nodes"
	if r.rel {
		kind = "relationships"
	}
	f := &importFile{path: filepath.Join(w.dir, fmt.Sprintf("%s-%s-%03d.csv", kind, r.group, len(w.order)+1)), rel: r.rel, cols: cols}
	var err error
	if f.f, err = os.Create(f.path); err != nil {
		return nil, fmt.Errorf("import files: %w", err)
	}
	f.w = bufio.NewWriterSize(f.f, 256<<10)
	hdr := []string{}
	if r.rel {
		hdr = append(hdr, ":START_ID("+r.space+")", ":END_ID("+r.endSpace+")", ":TYPE")
	} else {
		hdr = append(hdr, "id:ID("+r.space+")", ":LABEL")
	}
	for _, c := range cols {
		if !r.rel && c.key == "id" {
			continue
		}
		hdr = append(hdr, c.key+":"+c.typ)
	}
	if _, err := f.w.WriteString(strings.Join(hdr, ",") + "\n"); err != nil {
		return nil, errors.Join(fmt.Errorf("import files: %w", err), f.f.Close())
	}
	w.files[sig] = f
	w.order = append(w.order, f)
	return f, nil
}

func isEmptyList(v any) bool {
	switch v := v.(type) {
	case []string:
		return len(v) == 0
	case []int64:
		return len(v) == 0
	case []int:
		return len(v) == 0
	case []float64:
		return len(v) == 0
	}
	return false
}

// importType returns the header type of a property value.
func importType(v any) (string, error) {
	switch v.(type) {
	case string:
		return "string", nil
	case []string:
		return "string[]", nil
	case int, int64:
		return "long", nil
	case []int, []int64:
		return "long[]", nil
	case float64:
		return "double", nil
	case []float64:
		return "double[]", nil
	case bool:
		return "boolean", nil
	case neo4j.Date:
		return "date", nil
	case []neo4j.Date:
		return "date[]", nil
	}
	return "", fmt.Errorf("a %T cannot be written to an import file", v)
}

// importCell returns the CSV cell of a property value, and whether it spans lines.
func importCell(v any) (cell string, multiline bool, err error) {
	switch v := v.(type) {
	case string:
		return quoteCSV(v), strings.ContainsAny(v, "\r\n"), nil
	case []string:
		for _, s := range v {
			if strings.ContainsRune(s, ImportArrayDelimiter) {
				return "", false, fmt.Errorf("an element holds the control character U+001F, which separates list elements in import files: load this input with `tradegraph load`")
			}
			multiline = multiline || strings.ContainsAny(s, "\r\n")
		}
		return quoteCSV(strings.Join(v, string(ImportArrayDelimiter))), multiline, nil
	case int:
		return strconv.Itoa(v), false, nil
	case int64:
		return strconv.FormatInt(v, 10), false, nil
	case []int:
		parts := make([]string, len(v))
		for i, n := range v {
			parts[i] = strconv.Itoa(n)
		}
		return strings.Join(parts, string(ImportArrayDelimiter)), false, nil
	case []int64:
		parts := make([]string, len(v))
		for i, n := range v {
			parts[i] = strconv.FormatInt(n, 10)
		}
		return strings.Join(parts, string(ImportArrayDelimiter)), false, nil
	case float64:
		return strconv.FormatFloat(v, 'g', -1, 64), false, nil
	case []float64:
		parts := make([]string, len(v))
		for i, n := range v {
			parts[i] = strconv.FormatFloat(n, 'g', -1, 64)
		}
		return strings.Join(parts, string(ImportArrayDelimiter)), false, nil
	case bool:
		return strconv.FormatBool(v), false, nil
	case neo4j.Date:
		return v.Time().Format(time.DateOnly), false, nil
	case []neo4j.Date:
		parts := make([]string, len(v))
		for i, d := range v {
			parts[i] = d.Time().Format(time.DateOnly)
		}
		return strings.Join(parts, string(ImportArrayDelimiter)), false, nil
	}
	return "", false, fmt.Errorf("a %T cannot be written to an import file", v)
}

// quoteCSV quotes s for the importer: always, so that an empty string stays a
// string (an unquoted empty cell is no property).
func quoteCSV(s string) string {
	return `"` + strings.ReplaceAll(s, `"`, `""`) + `"`
}

// ImportManifest describes the files of an initial import: what to pass to the
// importer and what to do after it (FinishImport). It is saved beside the files.
type ImportManifest struct {
	Dir           string        `json:"dir"`
	Nodes         []string      `json:"nodes"`
	Relationships []string      `json:"relationships"`
	Multiline     []string      `json:"multiline"`
	EmptyLists    []EmptyList   `json:"emptyLists"`
	Counts        model.Summary `json:"counts"`
	Sources       []string      `json:"sources"`
	// SourceFiles is the file each source id was read from.
	SourceFiles map[string]string `json:"sourceFiles,omitempty"`
	By          string            `json:"by"`
}

// EmptyList is a property that some rows of a kind or relationship type hold as
// an empty list, which the importer cannot write: FinishImport sets it to [] on
// the rows that lack it (every row of the kind or type has it, which Close checks).
type EmptyList struct {
	Rel   bool   `json:"rel"`
	Label string `json:"label"`
	Key   string `json:"key"`
}

// ManifestFile is the name of the manifest in the import directory.
const ManifestFile = "manifest.json"

// Close flushes and closes the files and returns, and saves, their manifest.
func (w *ImportFiles) Close(sources []string, by string) (ImportManifest, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.closed = true
	m := ImportManifest{Dir: w.dir, Counts: w.counts, Sources: sources, SourceFiles: w.sourceFiles, By: by}
	var errs []error
	// What waited for a node has them all now; an evidence document still
	// missing is not in the graph either, and an endpoint still missing fails the
	// importer (it refuses relationships to unknown nodes).
	for _, r := range w.waiting {
		w.effectiveDates(r)
		errs = append(errs, w.appendRow(r))
	}
	w.waiting = nil
	for _, f := range w.order {
		errs = append(errs, f.w.Flush(), f.f.Close())
		if f.rel {
			m.Relationships = append(m.Relationships, f.path)
		} else {
			m.Nodes = append(m.Nodes, f.path)
		}
		if f.multiline {
			m.Multiline = append(m.Multiline, f.path)
		}
	}
	if err := errors.Join(errs...); err != nil {
		return m, fmt.Errorf("import files: %w", err)
	}
	gks := make([]string, 0, len(w.groups))
	for gk := range w.groups {
		gks = append(gks, gk)
	}
	slices.Sort(gks)
	for _, gk := range gks {
		g := w.groups[gk]
		keys := make([]string, 0, len(g.empty))
		for k := range g.empty {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		for _, k := range keys {
			if g.keys[k] != g.rows {
				return m, fmt.Errorf("import: property %s of %s is an empty list on some rows and absent on others, which import files cannot tell apart: load this input with `tradegraph load`", k, g.label)
			}
			m.EmptyLists = append(m.EmptyLists, EmptyList{Rel: g.rel, Label: g.label, Key: k})
		}
	}
	b, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return m, err
	}
	if err := os.WriteFile(filepath.Join(w.dir, ManifestFile), b, 0o644); err != nil {
		return m, fmt.Errorf("import files: %w", err)
	}
	return m, nil
}

// ReadImportManifest reads the manifest that Close saved in dir.
func ReadImportManifest(dir string) (ImportManifest, error) {
	var m ImportManifest
	b, err := os.ReadFile(filepath.Join(dir, ManifestFile))
	if err != nil {
		return m, fmt.Errorf("import manifest: %w", err)
	}
	if err := json.Unmarshal(b, &m); err != nil {
		return m, fmt.Errorf("import manifest %s: %w", filepath.Join(dir, ManifestFile), err)
	}
	return m, nil
}

// ImportArgs returns the arguments of `neo4j-admin` that import the files of m
// into database db (its store files are replaced: run it on a stopped database
// or, as tradegraph import does, into a home of its own).
func (m ImportManifest) ImportArgs(db, report string) []string {
	args := []string{"database", "import", "full"}
	for _, p := range m.Nodes {
		args = append(args, "--nodes="+p)
	}
	for _, p := range m.Relationships {
		args = append(args, "--relationships="+p)
	}
	args = append(args, "--array-delimiter=U+001F", "--id-type=string", "--bad-tolerance=0",
		"--skip-bad-relationships=false", "--skip-duplicate-nodes=false", "--report-file="+report)
	if len(m.Multiline) > 0 {
		args = append(args, "--multiline-fields-format=v2", "--multiline-fields="+strings.Join(m.Multiline, ","))
	}
	return append(args, "--overwrite-destination=true", db)
}

// identifier is what a label, type or property key from the manifest must look
// like to be written into Cypher (they come from this package's own rows and the
// model's vocabulary, and are checked again because the manifest is a file).
var identifier = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)

// WarmUpWriter does nothing: the import files have no statements to plan.
func (w *ImportFiles) WarmUpWriter(context.Context) error { return nil }
