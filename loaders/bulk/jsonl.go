package bulk

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"tradegraph/graph/model"
	"tradegraph/loaders"
)

// A JSON Lines input holds one record per line, with the field names of the curated
// format: an entity has "kind" (Actor, Meeting, Commodity, Policy); a document has
// "kind": "Document" and its "text"; a relationship has "from", "type" and "to" and
// no "kind". Records of all three may be mixed in one file: nodes are loaded in a
// first pass and relationships in a second.

type jsonlSource struct {
	r       *bufio.Reader
	closeFn func() error
	line    int
	// maxLine caps one line (BulkOptions.MaxRecordBytes), so a corrupt file without
	// newlines cannot exhaust memory; a longer line is rejected.
	maxLine int
}

func newJSONLSource(r io.Reader, closeFn func() error, maxLine int) *jsonlSource {
	return &jsonlSource{r: bufio.NewReaderSize(r, 64<<10), closeFn: closeFn, maxLine: maxLine}
}

func (s *jsonlSource) holds(phase) bool { return true }

func (s *jsonlSource) close() error { return s.closeFn() }

// readLine returns the next line without its newline; too long is set (and the
// line is skipped) when it exceeds maxLine.
func (s *jsonlSource) readLine() (line []byte, tooLong bool, err error) {
	var buf []byte
	for {
		chunk, err := s.r.ReadSlice('\n')
		if !tooLong {
			if len(buf)+len(chunk) > s.maxLine {
				tooLong, buf = true, nil
			} else {
				buf = append(buf, chunk...)
			}
		}
		if err == bufio.ErrBufferFull {
			continue
		}
		if err == io.EOF && (len(buf) > 0 || tooLong) {
			err = nil
		} else if err == io.EOF {
			return nil, false, io.EOF
		}
		return bytes.TrimRight(buf, "\r\n"), tooLong, err
	}
}

// jsonProbe is just enough of a line to tell what record it holds.
type jsonProbe struct {
	Kind *string `json:"kind"`
	From *string `json:"from"`
	To   *string `json:"to"`
}

func (s *jsonlSource) next() (bulkRow, error) {
	for {
		b, tooLong, err := s.readLine()
		if err != nil {
			return bulkRow{}, err
		}
		s.line++
		if s.line == 1 {
			b = bytes.TrimPrefix(b, loaders.BOM)
		}
		row := bulkRow{line: s.line, broken: true}
		if tooLong {
			row.probs = []model.FieldError{{Field: "json", Message: recordTooLong(s.maxLine)}}
			return row, nil
		}
		if len(bytes.TrimSpace(b)) == 0 {
			continue // blank lines are not rows
		}
		b, badLine := loaders.MarkInvalidUTF8(b)
		var probe jsonProbe
		if err := json.Unmarshal(b, &probe); err != nil {
			row.probs = []model.FieldError{{Field: "json", Message: jsonMessage(err)}}
			return row, nil
		}
		if key := loaders.DuplicateKey(b); key != "" {
			row.probs = []model.FieldError{{Field: key, Message: "appears twice in one object: give each key once"}}
			return row, nil
		}
		var target any
		switch {
		case probe.Kind != nil && *probe.Kind == string(model.KindDocument):
			row.kind, target = rowDocument, &jsonDocument{DocumentRecord: &row.doc}
		case probe.Kind != nil:
			row.kind, target = rowEntity, &row.ent
		case probe.From != nil || probe.To != nil:
			row.kind, target = rowRelationship, &row.rel
		default:
			row.probs = []model.FieldError{{Field: "json", Message: `cannot tell the record: want "kind" (an entity or a document) or "from" and "to" (a relationship)`}}
			return row, nil
		}
		row.broken = false
		dec := json.NewDecoder(bytes.NewReader(b))
		dec.DisallowUnknownFields()
		if err := dec.Decode(target); err != nil {
			row.broken = true
			row.probs = []model.FieldError{{Field: "json", Message: jsonMessage(err)}}
			return row, nil
		}
		if badLine > 0 {
			row.broken = true
			row.probs = []model.FieldError{{Field: "json", Message: "not valid UTF-8 (save the file as UTF-8)"}}
			if fields := loaders.MarkedFields(target); len(fields) > 0 {
				row.probs = nil
				for _, f := range fields {
					row.probs = append(row.probs, model.FieldError{Field: f, Message: loaders.InvalidUTF8Message})
				}
			}
		}
		return row, nil
	}
}

// jsonDocument is a document line: the document's fields plus its "kind".
type jsonDocument struct {
	*model.DocumentRecord
	Kind string `json:"kind"`
}

// jsonMessage makes encoding/json's errors read like the model's.
func jsonMessage(err error) string {
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) && te.Field == "" {
		return fmt.Sprintf("want a JSON object ({...}) on each line, got %s", withArticle(te.Value))
	}
	if errors.As(err, &te) {
		return fmt.Sprintf("%s: want %s, got %s", te.Field, te.Type, te.Value)
	}
	msg := strings.TrimPrefix(err.Error(), "json: ")
	return msg
}

// withArticle returns a JSON value kind with its indefinite article: "an array".
func withArticle(kind string) string {
	if kind != "" && strings.ContainsRune("aeiou", rune(kind[0])) {
		return "an " + kind
	}
	return "a " + kind
}

// recordTooLong is the problem of a record longer than max bytes.
func recordTooLong(max int) string {
	return fmt.Sprintf("the record is longer than %s, the limit (--max-record-mib raises it)", mib(max))
}

// mib writes a byte count in MiB: "16 MiB", "0.5 MiB".
func mib(n int) string {
	return strconv.FormatFloat(float64(n)/(1<<20), 'f', -1, 64) + " MiB"
}
