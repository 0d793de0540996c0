// Package loaders turns input files into validated model records and hands them
// to the one batch writer (Writer, implemented by graph/neo4jstore): curated
// YAML/JSON datasets and articles here, CSV and JSON Lines bulk input in
// loaders/bulk. It validates with the rules in graph/model, declares the Graph it
// consumes (look-ups and the writer), holds no Cypher and knows nothing about
// Neo4j, GraphQL or HTTP: it imports graph/model, its YAML parser and the standard
// library only.
package loaders

import (
	"fmt"
	"sort"
	"strings"
)

// Problem is one thing wrong with the input, located by file, line and field.
type Problem struct {
	File    string
	Line    int    // 1-based; 0 when unknown
	Field   string // a path such as relationships[3].evidence[0].quote
	Message string
}

func (p Problem) String() string {
	loc := p.File
	if p.Line > 0 {
		loc = fmt.Sprintf("%s:%d", p.File, p.Line)
	}
	if p.Field == "" {
		return loc + ": " + p.Message
	}
	return fmt.Sprintf("%s: %s: %s", loc, p.Field, p.Message)
}

// Problems is a list of problems that is also an error, reporting all of them.
type Problems []Problem

func (ps Problems) Error() string {
	lines := make([]string, len(ps))
	for i, p := range ps {
		lines[i] = p.String()
	}
	return fmt.Sprintf("%d problem(s):\n%s", len(ps), strings.Join(lines, "\n"))
}

// Sort orders problems by file, then line, then field.
func (ps Problems) Sort() {
	sort.SliceStable(ps, func(i, j int) bool {
		a, b := ps[i], ps[j]
		if a.File != b.File {
			return a.File < b.File
		}
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		return a.Field < b.Field
	})
}
