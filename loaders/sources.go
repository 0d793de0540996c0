package loaders

import (
	"context"
	"fmt"
	"io"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/goccy/go-yaml/ast"

	"tradegraph/graph/model"
)

// Sources: every write carries the source that asserts it (model.Source). A
// curated file's source id is its `source:` key, else its path relative to the
// working directory; an article's and a bulk input's is their relative path.

// SourceID returns the default source id of the file at path: its path relative
// to the working directory, with forward slashes (the path as given when it is
// not under the working directory).
func SourceID(path string) string {
	if abs, err := filepath.Abs(path); err == nil {
		if wd, err := os.Getwd(); err == nil {
			if rel, err := filepath.Rel(wd, abs); err == nil && !strings.HasPrefix(rel, "..") {
				return filepath.ToSlash(rel)
			}
		}
	}
	return filepath.ToSlash(filepath.Clean(path))
}

// source returns the source of the curated file p, run by by.
func (p *Parsed) source(by string, prefer bool) model.Source {
	id := p.Data.Source
	if id == "" {
		id = SourceID(p.Path)
	}
	return model.Source{ID: id, By: by, Priority: p.Data.Priority, Prefer: prefer}
}

// markCleared records, on each entity of p, the claim fields its file sets to
// null explicitly (`description: null`): the source withdraws its value of each,
// where an absent field only says nothing.
func markCleared(p *Parsed, body ast.Node) {
	seq, ok := mappingValue(body, "entities").(*ast.SequenceNode)
	if !ok {
		return
	}
	fields := model.ClaimFields()
	for i, n := range seq.Values {
		if i >= len(p.Data.Entities) {
			return
		}
		for _, kv := range mappingValues(n) {
			key := strings.Trim(kv.Key.String(), `"'`)
			if kv.Value != nil && kv.Value.Type() == ast.NullType && slices.Contains(fields, key) {
				p.Data.Entities[i].Cleared = append(p.Data.Entities[i].Cleared, key)
			}
		}
	}
}

// mappingValues returns the key-value pairs of a mapping node.
func mappingValues(n ast.Node) []*ast.MappingValueNode {
	switch m := n.(type) {
	case *ast.MappingNode:
		return m.Values
	case *ast.MappingValueNode:
		return []*ast.MappingValueNode{m}
	}
	return nil
}

// mappingValue returns the value of key in a mapping node, or nil.
func mappingValue(n ast.Node, key string) ast.Node {
	for _, kv := range mappingValues(n) {
		if strings.Trim(kv.Key.String(), `"'`) == key {
			return kv.Value
		}
	}
	return nil
}

// sourceUnit is what one source of a load asserts, with where to report on it.
type sourceUnit struct {
	src  model.Source
	path string
	file *Parsed // nil for an article
	docs []model.DocumentRecord
	ents []model.EntityRecord
	rels []model.RelationshipRecord
}

// entityAt returns the problem location of entity id in the unit's file.
func (u sourceUnit) entityAt(id, field string) Problem {
	if u.file != nil {
		for i, e := range u.file.Data.Entities {
			if e.ID == id {
				return u.file.problem(fmt.Sprintf("entities[%d].%s", i, field), "")
			}
		}
	}
	return Problem{File: u.path, Field: field}
}

// facts returns what the unit asserts, by identity.
func (u sourceUnit) facts() model.Facts {
	var f model.Facts
	for _, d := range u.docs {
		f.Documents = append(f.Documents, d.ID)
	}
	for _, e := range u.ents {
		f.Entities = append(f.Entities, e.ID)
	}
	for _, r := range u.rels {
		f.Relationships = append(f.Relationships, model.RelationshipID(r.From, r.Type, r.To))
		f.Ends = append(f.Ends, [3]string{r.From, r.Type, r.To})
	}
	return f
}

// checkSourceIDs reports two inputs of one load with the same source id: each
// source must be one file, or --sync would retract what the other asserts.
func checkSourceIDs(units []sourceUnit) Problems {
	var probs Problems
	first := map[string]string{}
	for _, u := range units {
		if err := u.src.Check(); err != nil {
			probs = append(probs, Problem{File: u.path, Field: "source", Message: err.Error()})
			continue
		}
		if other, dup := first[u.src.ID]; dup {
			probs = append(probs, Problem{File: u.path, Field: "source", Message: fmt.Sprintf("source id %q is also the source of %s: give each file its own source", u.src.ID, other)})
			continue
		}
		first[u.src.ID] = u.path
	}
	return probs
}

// writeUnits writes what each source asserts, as that source: first every
// source's documents and entities, then every source's relationships (one
// source's relationships may join another's entities). It prints each entity
// field conflict with another source at its file:line.
func writeUnits(ctx context.Context, g Graph, size int, units []sourceUnit, out io.Writer) (Summary, int, error) {
	sum := Summary{}
	var requoted []string
	for _, u := range units {
		for _, r := range u.rels {
			requoted = append(requoted, model.RelationshipID(r.From, r.Type, r.To))
		}
	}
	conflicts := 0
	for _, u := range units {
		for _, b := range batches(u.docs, u.ents, nil, size) {
			b.Source, b.Requoted = u.src, requoted
			s, cs, err := writeSourced(ctx, g, b)
			sum.Merge(s)
			if err != nil {
				return sum, conflicts, fmt.Errorf("%s: %w", u.path, err)
			}
			conflicts += len(cs)
			printConflicts(out, u, cs)
		}
	}
	for _, u := range units {
		for _, b := range batches(nil, nil, u.rels, size) {
			b.Source = u.src
			s, _, err := writeSourced(ctx, g, b)
			sum.Merge(s)
			if err != nil {
				return sum, conflicts, fmt.Errorf("%s: %w", u.path, err)
			}
		}
	}
	return sum, conflicts, nil
}

// writeSourced prepares and writes b through w, and returns the entity field
// conflicts the write found.
func writeSourced(ctx context.Context, w Writer, b model.Batch) (Summary, []model.EntityConflict, error) {
	p, err := w.Prepare(b)
	if err != nil {
		return nil, nil, err
	}
	sum, err := w.WritePrepared(ctx, p)
	if err != nil {
		return sum, nil, err
	}
	rowsWritten.Add(int64(p.Len()))
	return sum, p.Conflicts(), nil
}

// printConflicts prints each conflict of u's source at the entity's field:
// file:line: entities[i].field: both values, the other source, which is shown.
func printConflicts(out io.Writer, u sourceUnit, cs []model.EntityConflict) {
	for _, c := range cs {
		mine, others := c.Other(u.src.ID)
		var says []string
		for _, o := range others {
			says = append(says, fmt.Sprintf("%q from %s", o.Value, strings.Join(o.Sources, ", ")))
		}
		shown := "this source's value is shown"
		if !slices.Contains(c.Values[0].Sources, u.src.ID) {
			shown = fmt.Sprintf("%q is shown (higher priority or more sources; --prefer-this-source or a higher priority: to show this one)", c.Values[0].Value)
		}
		p := u.entityAt(c.Entity, c.Field)
		p.Message = fmt.Sprintf("conflict on %s: this source says %q, other sources say %s; %s", c.Entity, mine, strings.Join(says, "; "), shown)
		fmt.Fprintln(out, p.String())
	}
}

// SourceFile is the file a source id is recorded as loaded from: path, made
// absolute.
func SourceFile(path string) string {
	abs, err := filepath.Abs(path)
	if err != nil {
		return filepath.Clean(path)
	}
	return abs
}

// unitFiles maps each unit's source id to the path it is loaded from (none when
// the inputs take their source from the request).
func unitFiles(o Options, units []sourceUnit) map[string]string {
	files := map[string]string{}
	if o.Source != "" {
		return files
	}
	for _, u := range units {
		files[u.src.ID] = u.path
	}
	return files
}

// CheckSourceFiles refuses --sync of a file whose source id was last loaded
// from another file: the sync would retract everything that file asserts. files
// maps each source id of the load to the path it is loaded from now.
func CheckSourceFiles(ctx context.Context, g Graph, files map[string]string) (Problems, error) {
	if len(files) == 0 {
		return nil, nil
	}
	ids := slices.Sorted(maps.Keys(files))
	recorded, err := g.SourceFiles(ctx, ids)
	if err != nil {
		return nil, fmt.Errorf("read the files the sources were loaded from: %w", err)
	}
	var probs Problems
	for _, id := range ids {
		if was := recorded[id]; was != "" && was != SourceFile(files[id]) {
			probs = append(probs, Problem{File: files[id], Field: "source", Message: fmt.Sprintf(
				"source id %q was last loaded from %s: --sync would retract what that file asserts; if this file replaces that one, load it once without --sync (a curated file can also take a `source:` of its own)", id, was)})
		}
	}
	return probs, nil
}

// RecordSourceFiles records the file each source id (files: id -> path) was
// loaded from, so that a later --sync can tell a file that replaces another.
func RecordSourceFiles(ctx context.Context, g Graph, files map[string]string) error {
	if len(files) == 0 {
		return nil
	}
	abs := make(map[string]string, len(files))
	for id, p := range files {
		abs[id] = SourceFile(p)
	}
	return g.RecordSourceFiles(ctx, abs)
}
