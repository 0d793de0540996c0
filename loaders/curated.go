package loaders

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/parser"

	"tradegraph/graph/model"
)

// CuratedFile is the curated dataset format, in YAML or the same structure in JSON.
// See docs/loading.md for a worked example.
type CuratedFile struct {
	// Source is the file's stable source id (default: its path relative to the
	// working directory); Priority decides entity field conflicts with other
	// sources (default 0; higher wins). See docs/loading.md, "Several sources".
	Source        string                     `yaml:"source" json:"source"`
	Priority      int                        `yaml:"priority" json:"priority"`
	Documents     []CuratedDocument          `yaml:"documents" json:"documents"`
	Entities      []model.EntityRecord       `yaml:"entities" json:"entities"`
	Relationships []model.RelationshipRecord `yaml:"relationships" json:"relationships"`
}

// CuratedDocument is a document whose text is given inline (text) or in a file
// next to the dataset (textFile).
type CuratedDocument struct {
	model.DocumentRecord `yaml:",inline" json:",inline"`
	TextFile             string `yaml:"textFile" json:"textFile"`
}

// Parsed is one curated file after parsing: its records and a way to find the line
// of any field in it.
type Parsed struct {
	Path string
	Data CuratedFile
	ast  *ast.File
}

// IsCurated reports whether path names a curated dataset (by extension).
func IsCurated(path string) bool {
	switch strings.ToLower(filepath.Ext(path)) {
	case ".yaml", ".yml", ".json":
		return true
	}
	return false
}

var posPattern = regexp.MustCompile(`^\[(\d+):(\d+)\]\s*`)

// ParseCurated reads and parses a curated YAML or JSON file. A syntax error, or
// else every unknown field and every value of the wrong type, comes back as
// problems with their line; then the file is not decoded further. Text files named
// by textFile are read relative to the dataset.
func ParseCurated(path string) (*Parsed, Problems) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, Problems{{File: path, Message: fmt.Sprintf("cannot read: %v", err)}}
	}
	return parseCurated(path, raw, true)
}

// ParseCuratedText parses a curated dataset given as text (YAML or JSON), as
// ParseCurated parses a file; name is what its problems call it. A document's
// textFile is refused: text from a request has no directory of its own, and must
// not read the server's files.
func ParseCuratedText(name string, raw []byte) (*Parsed, Problems) {
	return parseCurated(name, raw, false)
}

func parseCurated(path string, raw []byte, textFiles bool) (*Parsed, Problems) {
	raw, badLine := MarkInvalidUTF8(bytes.TrimPrefix(raw, BOM))
	f, err := parser.ParseBytes(raw, 0)
	if err != nil && badLine > 0 {
		return nil, Problems{{File: path, Line: badLine, Message: "not valid UTF-8 (save the file as UTF-8)"}}
	}
	if err != nil {
		return nil, Problems{yamlProblem(path, err)}
	}
	p := &Parsed{Path: path, ast: f}
	if len(f.Docs) == 0 || f.Docs[0].Body == nil {
		return nil, Problems{{File: path, Line: 1, Message: "empty dataset: want documents, entities and relationships"}}
	}
	var probs Problems
	checkShape(path, f.Docs[0].Body, reflect.TypeOf(CuratedFile{}), "", &probs)
	if len(probs) > 0 {
		return nil, probs
	}
	if err := yaml.NodeToValue(f.Docs[0].Body, &p.Data); err != nil {
		return nil, Problems{yamlProblem(path, err)}
	}
	if badLine > 0 {
		for _, field := range MarkedFields(p.Data) {
			probs = append(probs, p.problem(field, InvalidUTF8Message))
		}
		if len(probs) == 0 { // in a key or a comment
			probs = Problems{{File: path, Line: badLine, Message: "not valid UTF-8 (save the file as UTF-8)"}}
		}
		return nil, probs
	}
	markCleared(p, f.Docs[0].Body)
	for i := range p.Data.Documents {
		d := &p.Data.Documents[i]
		field := fmt.Sprintf("documents[%d]", i)
		switch {
		case d.TextFile != "" && d.Text != "":
			probs = append(probs, p.problem(field+".textFile", "give text or textFile, not both"))
		case d.TextFile != "" && !textFiles:
			probs = append(probs, p.problem(field+".textFile", "not accepted here: give the document's text"))
		case d.TextFile != "":
			text, err := os.ReadFile(filepath.Join(filepath.Dir(path), d.TextFile))
			if err != nil {
				probs = append(probs, p.problem(field+".textFile", fmt.Sprintf("cannot read %s: %v", d.TextFile, errors.Unwrap(err))))
				continue
			}
			text = bytes.TrimPrefix(text, BOM)
			if line := FirstInvalidLine(text); line > 0 {
				probs = append(probs, p.problem(field+".textFile", fmt.Sprintf("%s line %d is not valid UTF-8 (save the file as UTF-8)", d.TextFile, line)))
				continue
			}
			d.Text = string(text)
		}
		d.Sentences = model.SplitSentences(d.Text)
	}
	if len(probs) > 0 {
		// A document without its text would only add an error for every quote from it.
		return nil, probs
	}
	return p, nil
}

// yamlProblem turns a go-yaml error ("[3:5] message ...") into a Problem.
func yamlProblem(path string, err error) Problem {
	msg := err.Error()
	if i := strings.IndexByte(msg, '\n'); i > 0 {
		msg = msg[:i] // the rest is a source excerpt
	}
	p := Problem{File: path, Message: msg}
	if m := posPattern.FindStringSubmatch(msg); m != nil {
		p.Line, _ = strconv.Atoi(m[1])
		p.Message = strings.TrimSpace(msg[len(m[0]):])
	}
	return p
}

// problem returns a Problem for field (a path like relationships[3].to), located at
// that field's line, or at its nearest enclosing record when the field is absent.
func (p *Parsed) problem(field, msg string) Problem {
	return Problem{File: p.Path, Line: p.lineOf(field), Field: field, Message: msg}
}

func (p *Parsed) lineOf(field string) int {
	for field != "" {
		if path, err := yaml.PathString("$." + field); err == nil {
			if n, err := path.FilterFile(p.ast); err == nil && n != nil {
				return n.GetToken().Position.Line
			}
		}
		i := strings.LastIndexAny(field, ".[")
		if i < 0 {
			break
		}
		field = field[:i]
	}
	return 0
}

// checkShape walks node n against the Go type t it will be decoded into and reports
// every mapping key that t has no field for and every value of the wrong shape (a
// word where a number belongs, a single name where a list belongs), each with its
// field path and line. The decoder would stop at the first such value and name Go
// types in its message; this reports them all, in the dataset's own terms.
func checkShape(file string, n ast.Node, t reflect.Type, path string, probs *Problems) {
	for {
		switch v := n.(type) {
		case *ast.AnchorNode:
			n = v.Value
			continue
		case *ast.TagNode:
			n = v.Value
			continue
		}
		break
	}
	if n == nil || n.Type() == ast.NullType || n.Type() == ast.AliasType {
		return // null decodes to the zero value; an alias repeats a checked anchor
	}
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	bad := func(want string) {
		*probs = append(*probs, Problem{File: file, Line: n.GetToken().Position.Line, Field: path,
			Message: fmt.Sprintf("want %s, got %s", want, describeNode(n))})
	}
	switch t.Kind() {
	case reflect.Struct:
		var values []*ast.MappingValueNode
		switch m := n.(type) {
		case *ast.MappingNode:
			values = m.Values
		case *ast.MappingValueNode:
			values = []*ast.MappingValueNode{m}
		default:
			bad("a mapping of fields (key: value)")
			return
		}
		fields := yamlFields(t)
		for _, kv := range values {
			key := strings.Trim(kv.Key.String(), `"'`)
			ft, ok := fields[key]
			if !ok {
				*probs = append(*probs, Problem{File: file, Line: kv.Key.GetToken().Position.Line,
					Field: joinPath(path, key), Message: fmt.Sprintf("unknown field %q (want one of %s)", key, strings.Join(sortedKeys(fields), ", "))})
				continue
			}
			checkShape(file, kv.Value, ft, joinPath(path, key), probs)
		}
	case reflect.Slice:
		s, ok := n.(*ast.SequenceNode)
		if !ok {
			bad("a list")
			return
		}
		for i, v := range s.Values {
			checkShape(file, v, t.Elem(), fmt.Sprintf("%s[%d]", path, i), probs)
		}
	case reflect.String:
		// Any scalar reads as text: the decoder turns 2025 into "2025".
		switch n.Type() {
		case ast.MappingType, ast.MappingValueType, ast.SequenceType:
			bad("text")
		}
	case reflect.Int, reflect.Int64:
		if n.Type() != ast.IntegerType {
			bad("a whole number")
		}
	case reflect.Float64:
		switch n.Type() {
		case ast.IntegerType, ast.FloatType, ast.InfinityType, ast.NanType:
		default:
			bad("a number")
		}
	}
}

// describeNode says what a value is, for a message: `text "three"`, `a list`.
func describeNode(n ast.Node) string {
	switch n.Type() {
	case ast.MappingType, ast.MappingValueType:
		return "a mapping"
	case ast.SequenceType:
		return "a list"
	case ast.StringType:
		return fmt.Sprintf("text %q", n.(*ast.StringNode).Value)
	case ast.LiteralType:
		return "a block of text"
	case ast.BoolType:
		return "true/false " + n.GetToken().Value
	}
	return n.GetToken().Value
}

func joinPath(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

// yamlFields maps the yaml names of t's fields (following inline embeds) to their types.
func yamlFields(t reflect.Type) map[string]reflect.Type {
	out := map[string]reflect.Type{}
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		name, opts, _ := strings.Cut(f.Tag.Get("yaml"), ",")
		switch {
		case name == "-":
		case strings.Contains(opts, "inline"):
			for k, v := range yamlFields(f.Type) {
				out[k] = v
			}
		case name != "":
			out[name] = f.Type
		}
	}
	return out
}

func sortedKeys(m map[string]reflect.Type) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
