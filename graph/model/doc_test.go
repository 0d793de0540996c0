package model

import (
	"flag"
	"fmt"
	"os"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the generated tables in docs/model.md")

const (
	modelDoc   = "../../docs/model.md"
	beginTable = "<!-- BEGIN GENERATED from graph/model: go test ./graph/model -run TestModelDoc -update -->\n"
	endTable   = "<!-- END GENERATED -->\n"
)

// modelTables renders the kinds, subtypes, statuses and relationship vocabulary as
// Markdown, so that docs/model.md shows exactly what the code enforces.
func modelTables() string {
	var b strings.Builder
	code := func(ss []string) string { return "`" + strings.Join(ss, "`, `") + "`" }
	b.WriteString("### Kinds and subtypes\n\n| Kind | Id prefix | Subtypes (`type`) |\n|---|---|---|\n")
	for _, k := range Kinds {
		fmt.Fprintf(&b, "| %s | `%s` | %s |\n", k, IDPrefix[k], code(Subtypes[k]))
	}
	fmt.Fprintf(&b, "\n### Policy statuses\n\n%s\n", code(PolicyStatuses))
	b.WriteString("\n### Relationship types\n\n| Type | From | To | Reads as | Meaning |\n|---|---|---|---|---|\n")
	for _, s := range Vocabulary {
		fmt.Fprintf(&b, "| `%s` | %s | %s | *from* %s *to* | %s |\n", s.Type, kindList(s.From), kindList(s.To), s.Verb, s.Description)
	}
	return b.String()
}

func TestModelDocIsCurrent(t *testing.T) {
	raw, err := os.ReadFile(modelDoc)
	if err != nil {
		t.Fatal(err)
	}
	doc := string(raw)
	before, rest, ok1 := strings.Cut(doc, beginTable)
	current, after, ok2 := strings.Cut(rest, endTable)
	if !ok1 || !ok2 {
		t.Fatalf("%s: want the generated section between %q and %q", modelDoc, beginTable, endTable)
	}
	want := modelTables()
	if current == want {
		return
	}
	if *update {
		if err := os.WriteFile(modelDoc, []byte(before+beginTable+want+endTable+after), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	t.Errorf("%s is out of date with graph/model: run `go test ./graph/model -run TestModelDoc -update`\ngot:\n%s\nwant:\n%s", modelDoc, current, want)
}
