package neo4jstore

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"tradegraph/graph/model"
)

// GraphSize returns how many nodes and relationships the database holds (Neo4j's
// count store: constant time). An initial import refuses a database that holds any.
func (s *Store) GraphSize(ctx context.Context) (nodes, rels int64, err error) {
	res, err := s.read(ctx, `CALL () { MATCH (n) RETURN count(n) AS n } CALL () { MATCH ()-[r]->() RETURN count(r) AS r } RETURN n, r`, nil)
	if err != nil {
		return 0, 0, err
	}
	if len(res.Records) != 1 {
		return 0, 0, decodeErr(fmt.Errorf("graph size: want one record"))
	}
	if nodes, err = get[int64](res.Records[0], "n"); err != nil {
		return 0, 0, decodeErr(err)
	}
	if rels, err = get[int64](res.Records[0], "r"); err != nil {
		return 0, 0, decodeErr(err)
	}
	return nodes, rels, nil
}

// FinishImport makes a graph that the importer just wrote from the files of m
// what a transactional load of the same input leaves: it applies the schema of
// Migrations (constraints, indexes, the full-text index; the relationships'
// effective dates, which Migrate's backfill would derive, are in the files
// already), sets the empty lists the files could not hold, derives the
// entities' knownFrom (deriveEntityKnown), and records the
// import in the audit trail. It then counts the graph by kind and relationship
// type and fails when the counts differ from what the files hold. Each step's
// time goes to step.
func (s *Store) FinishImport(ctx context.Context, m ImportManifest, step StepFunc) (map[string]int64, error) {
	if err := s.applySchema(ctx, step); err != nil {
		return nil, err
	}
	for _, els := range groupEmptyLists(m.EmptyLists) {
		if err := step.time("empty lists "+els[0].Key+" of "+labelsOf(els, ", "), func() error { return s.setEmptyLists(ctx, els) }); err != nil {
			return nil, err
		}
	}
	// An entity's knownFrom depends on relationships and mentions that the files
	// hold after it, so it is derived here, as Migrate's backfill would.
	if err := step.time("entities' knownFrom", func() error { return s.deriveEntityKnown(ctx) }); err != nil {
		return nil, err
	}
	var counts map[string]int64
	if err := step.time("count by kind and type", func() (err error) {
		counts, err = s.CountByKindAndType(ctx)
		return err
	}); err != nil {
		return nil, err
	}
	var diff []string
	for k, o := range m.Counts {
		if counts[k] != int64(o.Created) {
			diff = append(diff, fmt.Sprintf("%s: %d in the files, %d in the graph", k, o.Created, counts[k]))
		}
	}
	for k, n := range counts {
		if _, ok := m.Counts[k]; !ok && n > 0 {
			diff = append(diff, fmt.Sprintf("%s: none in the files, %d in the graph", k, n))
		}
	}
	if len(diff) > 0 {
		slices.Sort(diff)
		return counts, fmt.Errorf("import: the graph does not hold what the files do: %s", strings.Join(diff, "; "))
	}
	audit := auditStatement(auditEntry{by: m.By, action: model.ActionLoad, source: "import: " + strings.Join(m.Sources, " "),
		counts: summaryCounts(m.Counts)})
	if err := step.time("audit record", func() error {
		_, err := s.run(ctx, true, []statement{*audit})
		return err
	}); err != nil {
		return counts, fmt.Errorf("import: audit record: %w", err)
	}
	if len(m.SourceFiles) > 0 {
		if err := step.time("source files", func() error { return s.RecordSourceFiles(ctx, m.SourceFiles) }); err != nil {
			return counts, fmt.Errorf("import: record the files of the sources: %w", err)
		}
	}
	return counts, nil
}

// groupEmptyLists groups the empty lists by property key, nodes and
// relationships apart, in the order of their first appearance.
func groupEmptyLists(els []EmptyList) [][]EmptyList {
	var out [][]EmptyList
	at := map[EmptyList]int{}
	for _, el := range els {
		k := EmptyList{Rel: el.Rel, Key: el.Key}
		i, ok := at[k]
		if !ok {
			i = len(out)
			at[k] = i
			out = append(out, nil)
		}
		out[i] = append(out[i], el)
	}
	return out
}

func labelsOf(els []EmptyList, sep string) string {
	labels := make([]string, len(els))
	for i, el := range els {
		labels[i] = el.Label
	}
	return strings.Join(labels, sep)
}

// setEmptyLists sets the property of els (one key, on nodes or on
// relationships) to [] where it is absent, for all their labels or types in one
// pass of an auto-commit CALL {...} IN TRANSACTIONS (a LIMIT loop would rescan the
// rows it has set). Labels and types are checked against the model's vocabulary.
func (s *Store) setEmptyLists(ctx context.Context, els []EmptyList) error {
	key := els[0].Key
	if !identifier.MatchString(key) {
		return fmt.Errorf("import: property key %q", key)
	}
	for _, el := range els {
		if el.Key != key || el.Rel != els[0].Rel {
			return fmt.Errorf("import: empty lists of different keys in one pass: %s and %s", key, el.Key)
		}
		switch {
		case !el.Rel:
			if k, ok := model.ParseKind(el.Label); !ok || string(k) != el.Label {
				return fmt.Errorf("import: unknown kind %q", el.Label)
			}
		default:
			if _, ok := model.LookupRel(el.Label); !ok && el.Label != model.MentionsType {
				return fmt.Errorf("import: unknown relationship type %q", el.Label)
			}
		}
	}
	match := "MATCH (x:" + labelsOf(els, "|") + ")"
	if els[0].Rel {
		match = "MATCH ()-[x:" + labelsOf(els, "|") + "]->()"
	}
	sess := s.driver.NewSession(ctx, neo4j.SessionConfig{DatabaseName: s.db, AccessMode: neo4j.AccessModeWrite})
	defer sess.Close(context.Background())
	res, err := sess.Run(ctx, match+" WHERE x."+key+" IS NULL CALL (x) { SET x."+key+" = [] } IN TRANSACTIONS OF $n ROWS",
		map[string]any{"n": backfillBatch})
	if err == nil {
		_, err = res.Consume(ctx)
	}
	if err != nil {
		return fmt.Errorf("import: set empty %s of %s: %w", key, labelsOf(els, ", "), err)
	}
	return nil
}

// CountByKindAndType returns the graph's documents and entities by kind and its
// relationships by type (MENTIONS included), the audit trail aside: statsCypher,
// which Neo4j answers from its count store.
func (s *Store) CountByKindAndType(ctx context.Context) (map[string]int64, error) {
	res, err := s.read(ctx, statsCypher, nil)
	if err != nil {
		return nil, err
	}
	out := map[string]int64{}
	for _, rec := range res.Records {
		k, err := get[string](rec, "name")
		if err != nil {
			return nil, decodeErr(err)
		}
		c, err := get[int64](rec, "c")
		if err != nil {
			return nil, decodeErr(err)
		}
		if c > 0 {
			out[k] = c
		}
	}
	return out, nil
}
