package bulk

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"tradegraph/graph/model"
	"tradegraph/loaders"
)

// A CSV input follows the header conventions of neo4j-admin database import:
//
//	nodes:          id:ID, :LABEL, type, name, aliases:string[], rate:float, ...
//	relationships:  :START_ID, :END_ID, :TYPE, confidence:float, evidenceDocs:string[], ...
//
// :LABEL is the entity's kind (Actor, Meeting, Commodity, Policy, or Document),
// optionally with the Entity label ("Entity;Actor"). Array cells are split on the
// array delimiter (";" unless set). Empty cells are absent values. Columns typed
// :IGNORE are skipped. See docs/loading-bulk.md for every column.

type valueKind uint8

const (
	vString valueKind = iota
	vStrings
	vFloat
	vInts
)

// csvField is a model field that a CSV column can fill.
type csvField struct {
	kind valueKind
	// doc and ent say whether the field exists on documents and on entities (node files).
	doc, ent bool
	setDoc   func(*model.DocumentRecord, string)
	setEnt   func(*model.EntityRecord, string)
	setEntF  func(*model.EntityRecord, float64)
	setEntS  func(*model.EntityRecord, []string)
	setRel   func(*model.RelationshipRecord, string)
	setRelF  func(*model.RelationshipRecord, float64)
}

var nodeFields = map[string]csvField{
	"type":        {doc: true, ent: true, setDoc: func(d *model.DocumentRecord, v string) { d.Type = v }, setEnt: func(e *model.EntityRecord, v string) { e.Type = v }},
	"name":        {ent: true, setEnt: func(e *model.EntityRecord, v string) { e.Name = v }},
	"aliases":     {kind: vStrings, ent: true, setEntS: func(e *model.EntityRecord, v []string) { e.Aliases = v }},
	"description": {ent: true, setEnt: func(e *model.EntityRecord, v string) { e.Description = v }},
	"role":        {ent: true, setEnt: func(e *model.EntityRecord, v string) { e.Role = v }},
	"start":       {ent: true, setEnt: func(e *model.EntityRecord, v string) { e.Start = v }},
	"end":         {ent: true, setEnt: func(e *model.EntityRecord, v string) { e.End = v }},
	"place":       {ent: true, setEnt: func(e *model.EntityRecord, v string) { e.Place = v }},
	"category":    {ent: true, setEnt: func(e *model.EntityRecord, v string) { e.Category = v }},
	"uses":        {kind: vStrings, ent: true, setEntS: func(e *model.EntityRecord, v []string) { e.Uses = v }},
	"status":      {ent: true, setEnt: func(e *model.EntityRecord, v string) { e.Status = v }},
	"rate":        {kind: vFloat, ent: true, setEntF: func(e *model.EntityRecord, v float64) { e.Rate = &v }},
	"unit":        {ent: true, setEnt: func(e *model.EntityRecord, v string) { e.Unit = v }},
	"announced":   {ent: true, setEnt: func(e *model.EntityRecord, v string) { e.Announced = v }},
	"inForce":     {ent: true, setEnt: func(e *model.EntityRecord, v string) { e.InForce = v }},
	"suspended":   {ent: true, setEnt: func(e *model.EntityRecord, v string) { e.Suspended = v }},
	"ended":       {ent: true, setEnt: func(e *model.EntityRecord, v string) { e.Ended = v }},
	// statusHistory:string[] cells are DATE=STATUS, e.g. 2025-05-12=TENTATIVE.
	"statusHistory": {kind: vStrings, ent: true, setEntS: func(e *model.EntityRecord, v []string) { e.StatusHistory = statusCells(v) }},
	"title":         {doc: true, setDoc: func(d *model.DocumentRecord, v string) { d.Title = v }},
	"publisher":     {doc: true, setDoc: func(d *model.DocumentRecord, v string) { d.Publisher = v }},
	"date":          {doc: true, setDoc: func(d *model.DocumentRecord, v string) { d.Date = v }},
	"url":           {doc: true, setDoc: func(d *model.DocumentRecord, v string) { d.URL = v }},
	"language":      {doc: true, setDoc: func(d *model.DocumentRecord, v string) { d.Language = v }},
	"text":          {doc: true, setDoc: func(d *model.DocumentRecord, v string) { d.Text = v }},
}

var relFields = map[string]csvField{
	"validFrom":         {setRel: func(r *model.RelationshipRecord, v string) { r.ValidFrom = v }},
	"validTo":           {setRel: func(r *model.RelationshipRecord, v string) { r.ValidTo = v }},
	"confidence":        {kind: vFloat, setRelF: func(r *model.RelationshipRecord, v float64) { r.Confidence = &v }},
	"attributedTo":      {setRel: func(r *model.RelationshipRecord, v string) { r.AttributedTo = v }},
	"note":              {setRel: func(r *model.RelationshipRecord, v string) { r.Note = v }},
	"evidenceDocs":      {kind: vStrings},
	"evidenceSentences": {kind: vInts},
	"evidenceQuotes":    {kind: vStrings},
}

// The special columns of neo4j-admin headers.
const (
	colID      = "ID"
	colLabel   = "LABEL"
	colStartID = "START_ID"
	colEndID   = "END_ID"
	colType    = "TYPE"
	colIgnore  = "IGNORE"
)

type csvColumn struct {
	name  string // property name; for special columns the part before the colon
	typ   string // declared type without "[]" and id group: "", "string", "float", "ID", ...
	array bool
	field csvField
}

type csvSource struct {
	path     string
	r        *csv.Reader
	limit    *recordLimit
	nextLine int // the line where the next record starts, for errors without one
	closeFn  func() error
	cols     []csvColumn
	rels     bool // a relationship file (has :START_ID)
	delim    string
	evidence [3]int // column indexes of evidenceDocs, evidenceSentences, evidenceQuotes; -1 when absent
}

// HeaderError is a CSV header that cannot be mapped onto the model: no row of the
// file can be loaded, so the whole run stops before writing anything.
type HeaderError struct {
	File, Message string
}

func (e *HeaderError) Error() string { return fmt.Sprintf("%s:1: header: %s", e.File, e.Message) }

func newCSVSource(path string, r io.Reader, closeFn func() error, delim string, maxRecord int) (*csvSource, error) {
	limit := &recordLimit{r: r, max: int64(maxRecord)}
	cr := csv.NewReader(limit)
	cr.FieldsPerRecord = -1 // rows with the wrong number of fields are rejected, not fatal
	cr.ReuseRecord = true
	header, err := cr.Read()
	if err == io.EOF {
		return nil, &HeaderError{path, "the file is empty: want a header line"}
	}
	if errors.Is(err, errRecordTooLong) {
		return nil, &HeaderError{path, recordTooLong(maxRecord)}
	}
	if err != nil {
		return nil, &HeaderError{path, err.Error()}
	}
	s := &csvSource{path: path, r: cr, limit: limit, closeFn: closeFn, delim: delim, evidence: [3]int{-1, -1, -1}}
	s.advance(header)
	if err := s.parseHeader(slices.Clone(header)); err != nil {
		return nil, &HeaderError{path, err.Error()}
	}
	return s, nil
}

func (s *csvSource) parseHeader(header []string) error {
	if len(header) > 0 {
		header[0] = strings.TrimPrefix(header[0], "\ufeff")
	}
	seen := map[string]bool{}
	for _, h := range header {
		name, typ, _ := strings.Cut(strings.TrimSpace(h), ":")
		if i := strings.IndexByte(typ, '('); i >= 0 && strings.HasSuffix(typ, ")") {
			typ = typ[:i] // an id space such as id:ID(Actor): ids are global here
		}
		c := csvColumn{name: name, typ: typ}
		if strings.HasSuffix(typ, "[]") {
			c.array, c.typ = true, strings.TrimSuffix(typ, "[]")
		}
		if c.typ == colStartID || c.typ == colEndID {
			s.rels = true
		}
		key := c.typ
		switch c.typ {
		case colID, colLabel, colStartID, colEndID, colType:
		case colIgnore:
			key = ""
		default:
			key = c.name
		}
		if key != "" {
			if seen[key] {
				return fmt.Errorf("column %q appears twice", h)
			}
			seen[key] = true
		}
		s.cols = append(s.cols, c)
	}
	if s.rels && seen[colID] {
		return errors.New("a file holds nodes (id:ID) or relationships (:START_ID, :END_ID), not both")
	}
	var missing []string
	need := []string{colID, colLabel}
	fields := nodeFields
	if s.rels {
		need, fields = []string{colStartID, colEndID, colType}, relFields
	}
	for _, n := range need {
		if !seen[n] {
			missing = append(missing, ":"+n)
		}
	}
	if len(missing) > 0 {
		return fmt.Errorf("missing column %s (nodes need id:ID and :LABEL; relationships need :START_ID, :END_ID and :TYPE)", strings.Join(missing, ", "))
	}
	for i := range s.cols {
		c := &s.cols[i]
		switch c.typ {
		case colID, colLabel, colStartID, colEndID, colType, colIgnore:
			if c.array {
				return fmt.Errorf("column %q: :%s cannot be an array", header[i], c.typ)
			}
			continue
		}
		f, ok := fields[c.name]
		if !ok {
			names := make([]string, 0, len(fields))
			for n := range fields {
				names = append(names, n)
			}
			slices.Sort(names)
			return fmt.Errorf("unknown column %q (want one of %s, or a column typed :IGNORE)", header[i], strings.Join(names, ", "))
		}
		if !typeFits(f.kind, c.typ, c.array) {
			return fmt.Errorf("column %q: %s is %s", header[i], c.name, kindName(f.kind))
		}
		c.field = f
		switch c.name {
		case "evidenceDocs":
			s.evidence[0] = i
		case "evidenceSentences":
			s.evidence[1] = i
		case "evidenceQuotes":
			s.evidence[2] = i
		}
	}
	if s.rels && (s.evidence[0] < 0 || s.evidence[1] < 0 || s.evidence[2] < 0) {
		return errors.New("relationships need evidenceDocs:string[], evidenceSentences:int[] and evidenceQuotes:string[] columns (one item per evidence)")
	}
	return nil
}

func typeFits(k valueKind, typ string, array bool) bool {
	switch k {
	case vStrings:
		return array && (typ == "string" || typ == "")
	case vInts:
		return array && (typ == "int" || typ == "long")
	case vFloat:
		return !array && (typ == "" || typ == "float" || typ == "double")
	default:
		return !array && (typ == "" || typ == "string")
	}
}

func kindName(k valueKind) string {
	return [...]string{"a string (no type or :string)", "a string array (:string[])", "a number (:float or :double)", "an integer array (:int[])"}[k]
}

func (s *csvSource) holds(p phase) bool { return s.rels == (p == phaseRelationships) }

func (s *csvSource) close() error { return s.closeFn() }

func (s *csvSource) next() (bulkRow, error) {
	s.limit.start = s.r.InputOffset()
	rec, err := s.r.Read()
	if err == io.EOF {
		return bulkRow{}, io.EOF
	}
	if errors.Is(err, errRecordTooLong) {
		return bulkRow{}, fmt.Errorf("%s:%d: %s; the rest of the file cannot be read", s.path, s.nextLine, recordTooLong(int(s.limit.max)))
	}
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		kind := rowEntity
		if s.rels {
			kind = rowRelationship
		}
		return bulkRow{line: pe.StartLine, kind: kind, broken: true, probs: []model.FieldError{{Field: "csv", Message: pe.Err.Error()}}}, nil
	}
	if err != nil {
		return bulkRow{}, fmt.Errorf("%s: %w", s.path, err)
	}
	line, _ := s.r.FieldPos(0)
	s.advance(rec)
	row := bulkRow{line: line}
	for i, v := range rec {
		if !utf8.ValidString(v) && i < len(s.cols) {
			row.probs = append(row.probs, model.FieldError{Field: s.cols[i].label(), Message: loaders.InvalidUTF8Message})
		}
	}
	if len(row.probs) > 0 {
		row.kind, row.broken = rowEntity, true
		if s.rels {
			row.kind = rowRelationship
		}
		return row, nil
	}
	if len(rec) != len(s.cols) {
		row.kind = rowEntity
		if s.rels {
			row.kind = rowRelationship
		}
		row.broken = true
		row.probs = append(row.probs, model.FieldError{Field: "csv", Message: fmt.Sprintf("has %d fields, the header has %d", len(rec), len(s.cols))})
		return row, nil
	}
	if s.rels {
		s.relationship(&row, rec)
	} else {
		s.node(&row, rec)
	}
	return row, nil
}

// advance notes where the record after rec starts.
func (s *csvSource) advance(rec []string) {
	if len(rec) == 0 {
		return
	}
	last, _ := s.r.FieldPos(len(rec) - 1)
	s.nextLine = last + strings.Count(rec[len(rec)-1], "\n") + 1
}

// label names a column in problems: its property name, or its special type.
func (c csvColumn) label() string {
	if c.name != "" {
		return c.name
	}
	return ":" + c.typ
}

// errRecordTooLong stops a CSV file at a record longer than the limit.
var errRecordTooLong = errors.New("record too long")

// recordLimit passes a CSV file to encoding/csv, which has no bound of its own on
// a record (a quoted cell may run to the end of the file), failing once the
// current record has taken more than max bytes (plus the csv reader's buffer).
type recordLimit struct {
	r      io.Reader
	max    int64
	pulled int64 // bytes passed on
	start  int64 // input offset where the current record starts
}

func (l *recordLimit) Read(p []byte) (int, error) {
	// encoding/csv reads through a 4 KiB buffer: what it holds beyond the record
	// is not the record's.
	if l.pulled-l.start > l.max+4096 {
		return 0, errRecordTooLong
	}
	n, err := l.r.Read(p)
	l.pulled += int64(n)
	return n, err
}

func (s *csvSource) split(v string) []string {
	if v == "" {
		return nil
	}
	return strings.Split(v, s.delim)
}

func (s *csvSource) node(row *bulkRow, rec []string) {
	add := func(field, format string, args ...any) {
		row.probs = append(row.probs, model.FieldError{Field: field, Message: fmt.Sprintf(format, args...)})
	}
	row.kind = rowEntity
	// The label decides what the row is, so read it first.
	for i, c := range s.cols {
		if c.typ != colLabel {
			continue
		}
		var kinds []string
		for _, l := range strings.Split(rec[i], ";") {
			if l = strings.TrimSpace(l); l != "" && l != "Entity" {
				kinds = append(kinds, l)
			}
		}
		switch {
		case len(kinds) == 1 && kinds[0] == string(model.KindDocument):
			row.kind = rowDocument
		case len(kinds) == 1:
			row.ent.Kind = kinds[0] // EntityRecord.Validate checks it
		case len(kinds) > 1:
			row.broken = true
			add("kind", ":LABEL %q has more than one kind (want one of Actor, Meeting, Commodity, Policy or Document, optionally with Entity)", rec[i])
		}
	}
	for i, c := range s.cols {
		v := rec[i]
		switch c.typ {
		case colID:
			row.doc.ID, row.ent.ID = v, v
			continue
		case colLabel, colIgnore:
			continue
		}
		if v == "" {
			continue
		}
		f := c.field
		if row.kind == rowDocument && !f.doc {
			add(c.name, "applies to entities only, not to a Document")
			continue
		}
		if row.kind == rowEntity && !f.ent {
			add(c.name, "applies to Document only, not to an entity")
			continue
		}
		switch {
		case row.kind == rowDocument:
			f.setDoc(&row.doc, v)
		case f.kind == vFloat:
			x, err := strconv.ParseFloat(v, 64)
			if err != nil {
				add(c.name, "%q is not a number", v)
				continue
			}
			f.setEntF(&row.ent, x)
		case f.kind == vStrings:
			f.setEntS(&row.ent, s.split(v))
		default:
			f.setEnt(&row.ent, v)
		}
	}
}

func (s *csvSource) relationship(row *bulkRow, rec []string) {
	row.kind = rowRelationship
	r := &row.rel
	add := func(field, format string, args ...any) {
		row.probs = append(row.probs, model.FieldError{Field: field, Message: fmt.Sprintf(format, args...)})
	}
	for i, c := range s.cols {
		v := rec[i]
		switch c.typ {
		case colStartID:
			r.From = v
			continue
		case colEndID:
			r.To = v
			continue
		case colType:
			r.Type = v
			continue
		case colIgnore:
			continue
		}
		if v == "" || c.field.kind == vStrings || c.field.kind == vInts {
			continue
		}
		if c.field.kind == vFloat {
			x, err := strconv.ParseFloat(v, 64)
			if err != nil {
				add(c.name, "%q is not a number", v)
				continue
			}
			c.field.setRelF(r, x)
			continue
		}
		c.field.setRel(r, v)
	}
	docs, sents, quotes := s.split(rec[s.evidence[0]]), s.split(rec[s.evidence[1]]), s.split(rec[s.evidence[2]])
	if len(docs) != len(sents) || len(docs) != len(quotes) {
		row.broken = true // the model would only add that evidence is missing
		add("evidence", "evidenceDocs, evidenceSentences and evidenceQuotes have %d, %d and %d items: want one of each per evidence item", len(docs), len(sents), len(quotes))
		return
	}
	for i := range docs {
		n, err := strconv.Atoi(strings.TrimSpace(sents[i]))
		if err != nil {
			row.broken = true
			add(fmt.Sprintf("evidence[%d].sentence", i), "%q is not a sentence number", sents[i])
			continue
		}
		r.Evidence = append(r.Evidence, model.Evidence{Doc: docs[i], Sentence: n, Quote: quotes[i]})
	}
}

// statusCells reads a statusHistory cell's items, DATE=STATUS each. An item
// without "=" becomes a change with that date and no status, which validation
// reports on its field.
func statusCells(items []string) []model.StatusChange {
	out := make([]model.StatusChange, len(items))
	for i, it := range items {
		date, status, _ := strings.Cut(it, "=")
		out[i] = model.StatusChange{Date: strings.TrimSpace(date), Status: strings.TrimSpace(status)}
	}
	return out
}
