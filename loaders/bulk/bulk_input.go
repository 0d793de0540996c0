package bulk

import (
	"bufio"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"

	"tradegraph/graph/model"
)

// IsInput reports whether path names a bulk input: CSV in the header style of
// neo4j-admin database import (.csv) or JSON Lines (.jsonl, .ndjson), each
// optionally gzip-compressed (.gz).
func IsInput(path string) bool {
	return bulkFormat(path) != ""
}

func bulkFormat(path string) string {
	p := strings.ToLower(strings.TrimSuffix(strings.ToLower(path), ".gz"))
	switch filepath.Ext(p) {
	case ".csv":
		return "csv"
	case ".jsonl", ".ndjson":
		return "jsonl"
	}
	return ""
}

// rowKind says what one input row holds.
type rowKind uint8

const (
	rowNone rowKind = iota // not a record: a row that cannot be read at all
	rowDocument
	rowEntity
	rowRelationship
)

// phase is a pass over the inputs: every node before any relationship.
type phase uint8

const (
	phaseNodes phase = iota + 1
	phaseRelationships
)

func (p phase) String() string {
	if p == phaseNodes {
		return "nodes"
	}
	return "relationships"
}

func (k rowKind) phase() phase {
	if k == rowRelationship {
		return phaseRelationships
	}
	return phaseNodes
}

// bulkRow is one input row, parsed but not yet validated against other rows.
type bulkRow struct {
	line int // 1-based line where the row starts
	kind rowKind
	doc  model.DocumentRecord
	ent  model.EntityRecord
	rel  model.RelationshipRecord
	// probs are problems found while reading the row; a row with any is rejected.
	probs []model.FieldError
	// broken rows could not be read into a record at all (bad CSV or JSON).
	broken bool
}

// size returns about how many bytes of text row holds (a document's text twice:
// it is sent with its sentences), which bounds the bytes of a batch.
func (r bulkRow) size() int {
	n := 64
	switch r.kind {
	case rowDocument:
		d := r.doc
		n += len(d.ID) + len(d.Title) + len(d.Publisher) + len(d.URL) + 2*len(d.Text)
	case rowEntity:
		e := r.ent
		n += len(e.ID) + len(e.Name) + len(e.Description) + len(e.Role) + len(e.Place)
		for _, a := range e.Aliases {
			n += len(a)
		}
		for _, u := range e.Uses {
			n += len(u)
		}
	case rowRelationship:
		rel := r.rel
		n += len(rel.From) + len(rel.To) + len(rel.Type) + len(rel.Note) + len(rel.AttributedTo)
		for _, ev := range rel.Evidence {
			n += len(ev.Doc) + len(ev.Quote) + 8
		}
	}
	return n
}

// source streams the rows of one input file.
type source interface {
	// next returns the next row; io.EOF at the end. Any other error means the file
	// cannot be read further.
	next() (bulkRow, error)
	// phases reports whether the file holds rows of phase p (a CSV file holds
	// nodes or relationships; a JSON Lines file may hold both).
	holds(p phase) bool
	close() error
}

// countingReader counts the bytes read from the file, for progress.
type countingReader struct {
	r io.Reader
	n *atomic.Int64
}

func (c countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n.Add(int64(n))
	return n, err
}

// openInput opens path for streaming, decompressing .gz; read counts the bytes
// read from the file itself.
func openInput(path string, read *atomic.Int64) (io.Reader, func() error, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, err
	}
	var r io.Reader = bufio.NewReaderSize(countingReader{f, read}, 1<<20)
	if strings.HasSuffix(strings.ToLower(path), ".gz") {
		gz, err := gzip.NewReader(r)
		if err != nil {
			return nil, nil, errors.Join(fmt.Errorf("%s: not gzip: %w", path, err), f.Close())
		}
		return gz, func() error { return errors.Join(gz.Close(), f.Close()) }, nil
	}
	return r, f.Close, nil
}

// openSource opens path as a CSV or JSON Lines source. A CSV header that cannot be
// mapped onto the model is a Problem (nothing in that file can be loaded).
func openSource(path string, read *atomic.Int64, arrayDelim string, maxRecord int) (source, error) {
	r, closeFn, err := openInput(path, read)
	if err != nil {
		return nil, err
	}
	switch bulkFormat(path) {
	case "csv":
		s, err := newCSVSource(path, r, closeFn, arrayDelim, maxRecord)
		if err != nil {
			return nil, errors.Join(err, closeFn())
		}
		return s, nil
	case "jsonl":
		return newJSONLSource(r, closeFn, maxRecord), nil
	}
	return nil, errors.Join(fmt.Errorf("%s: not a bulk input (want .csv, .jsonl or .ndjson, optionally .gz)", path), closeFn())
}
