// Command loadcsv loads the CSV files that `tradegraph gen` writes with Neo4j's own
// LOAD CSV ... CALL {...} IN TRANSACTIONS, doing the MERGEs that the batch writer (graph/neo4jstore)
// does (documents and entities on their unique id, relationships on (from, type,
// to) with a literal type from the vocabulary) and setting the same properties,
// the derived ones included (the first and last days of partial dates and their
// precision, which the API's time filters read), with the same provenance (the
// source and when it was seen, on every node and relationship), then deriving
// every relationship's effective dates with the store's own pass (timed: the
// writer derives them in its transactions), without validation, without content
// hashes and without the entities' per-source claims. bench/load.sh compares it
// with `tradegraph load`. -bare leaves out the provenance and the effective dates
// (what the reference did before run 18; loadcsv -shape derives them afterwards,
// untimed, so that the shapes still compare).
//
//	go run ./bench/loadcsv -uri bolt://127.0.0.1:7699 -dir g1m -batch 1000
//
// dir is relative to the DBMS import directory (NEO4J_IMPORT_DIR of the Launcher).
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"tradegraph/graph/model"
	"tradegraph/graph/neo4jstore"
)

// firstDay, lastDay and precision are Cypher for what the loader derives from a
// partial date ("2025", "2025-05" or "2025-05-20"; null stays null).
func firstDay(e string) string { return "date(" + e + ")" }

func lastDay(e string) string {
	return "CASE size(" + e + ") WHEN 4 THEN date(" + e + ") + duration({years: 1}) - duration({days: 1})" +
		" WHEN 7 THEN date(" + e + ") + duration({months: 1}) - duration({days: 1}) ELSE date(" + e + ") END"
}

func precision(e string) string {
	return "CASE size(" + e + ") WHEN 4 THEN 'YEAR' WHEN 7 THEN 'MONTH' WHEN 10 THEN 'DAY' END"
}

// statements returns the LOAD CSV statements; with provenance, they set the
// $sources and $prov of params.
func statements(dir string, batch int, provenance bool) [][2]string {
	tx := fmt.Sprintf(" IN TRANSACTIONS OF %d ROWS", batch)
	prov := func(v string) string {
		if !provenance {
			return ""
		}
		return " SET " + v + ".sources = $sources, " + v + ".prov = $prov"
	}
	docs := `LOAD CSV WITH HEADERS FROM 'file:///` + dir + `/documents.csv' AS row
CALL (row) {
  MERGE (d:Document {id: row.` + "`id:ID`" + `})
  SET d = {id: row.` + "`id:ID`" + `, type: row.type, title: row.title, publisher: row.publisher, date: row.date,
           url: row.url, language: row.language, text: row.text, sentences: split(row.text, '. '),
           dateFirst: ` + firstDay("row.date") + `, dateLast: ` + lastDay("row.date") + `}` + prov("d") + `
}` + tx
	ents := `LOAD CSV WITH HEADERS FROM 'file:///` + dir + `/entities.csv' AS row
CALL (row) {
  WITH row, [l IN split(row.` + "`:LABEL`" + `, ';') WHERE l <> 'Entity'] AS kinds
  MERGE (n:Entity {id: row.` + "`id:ID`" + `})
  SET n = {id: row.` + "`id:ID`" + `, kind: kinds[0], type: row.type, name: row.name,
           aliases: coalesce(split(row.` + "`aliases:string[]`" + `, ';'), []),
           aliasText: coalesce(replace(row.` + "`aliases:string[]`" + `, ';', ' | '), ''),
           description: coalesce(row.description, ''), role: row.role, start: row.start, end: row.end, place: row.place,
           category: row.category, uses: split(row.` + "`uses:string[]`" + `, ';'), status: row.status,
           rate: toFloat(row.` + "`rate:float`" + `), unit: row.unit,
           startFrom: ` + firstDay("row.start") + `, endTo: ` + lastDay("coalesce(row.end, row.start)") + `,
           lifeFrom: CASE kinds[0] WHEN 'Meeting' THEN ` + firstDay("row.start") + ` END,
           lifeTo: CASE kinds[0] WHEN 'Meeting' THEN ` + lastDay("coalesce(row.end, row.start)") + ` END}` + prov("n") + `
  SET n:$(kinds)
}` + tx
	var b strings.Builder
	b.WriteString(`LOAD CSV WITH HEADERS FROM 'file:///` + dir + `/relationships.csv' AS row
CALL (row) {
  MATCH (a:Entity {id: row.` + "`:START_ID`" + `})
  MATCH (b:Entity {id: row.` + "`:END_ID`" + `})
  WITH row, a, b, {id: row.` + "`:START_ID`" + ` + '|' + row.` + "`:TYPE`" + ` + '|' + row.` + "`:END_ID`" + `,
       confidence: coalesce(toFloat(row.` + "`confidence:float`" + `), 1.0),
       evidenceDocs: split(row.` + "`evidenceDocs:string[]`" + `, ';'),
       evidenceSentences: [s IN split(row.` + "`evidenceSentences:int[]`" + `, ';') | toInteger(s)],
       evidenceQuotes: split(row.` + "`evidenceQuotes:string[]`" + `, ';'),
       attributedTo: row.attributedTo, note: row.note, validFrom: row.validFrom, validTo: row.validTo,
       validFromDate: ` + firstDay("row.validFrom") + `, validFromPrecision: ` + precision("row.validFrom") + `,
       validToDate: ` + lastDay("row.validTo") + `, validToPrecision: ` + precision("row.validTo") + `} AS props
`)
	// One branch per type of the vocabulary: a MERGE with a literal type, as the
	// Writer does. (MERGE (a)-[r:$(row.type)]->(b) also works in 5.26 but expands
	// every relationship of the start node: on hubs it is orders of magnitude slower.)
	for _, spec := range model.Vocabulary {
		fmt.Fprintf(&b, "  CALL (row, a, b, props) { WITH row, a, b, props WHERE row.`:TYPE` = '%s' MERGE (a)-[r:%s]->(b) SET r = props%s }\n", spec.Type, spec.Type, prov("r"))
	}
	b.WriteString("}" + tx)
	return [][2]string{{"documents", docs}, {"entities", ents}, {"relationships", b.String()}}
}

// shapeCypher summarises what a load left in the graph: for each kind and
// relationship type, how many carry each property; for each derived date
// property, the sum of its days as YYYYMMDD numbers; for each precision property,
// how many carry each value. Two loads that did the same work print the same
// lines. The loader's content hashes (_hash) and the entities' per-source
// claims, which LOAD CSV does not record, are left out.
const shapeCypher = `
CALL () {
  MATCH (n:Document) UNWIND keys(n) AS k RETURN 'Document' AS what, k, count(*) AS c
  UNION ALL MATCH (n:Entity) UNWIND keys(n) AS k RETURN n.kind AS what, k, count(*) AS c
  UNION ALL MATCH ()-[r]->() UNWIND keys(r) AS k RETURN type(r) AS what, k, count(*) AS c
  UNION ALL MATCH (n:Document) UNWIND ['dateFirst', 'dateLast'] AS k
    RETURN 'Document days' AS what, k, sum(n[k].year * 10000 + n[k].month * 100 + n[k].day) AS c
  UNION ALL MATCH (n:Entity) UNWIND ['startFrom', 'endTo'] AS k
    RETURN 'Entity days' AS what, k, sum(n[k].year * 10000 + n[k].month * 100 + n[k].day) AS c
  UNION ALL MATCH ()-[r]->() UNWIND ['validFromDate', 'validToDate'] AS k
    RETURN 'relationship days' AS what, k, sum(r[k].year * 10000 + r[k].month * 100 + r[k].day) AS c
  UNION ALL MATCH ()-[r]->() UNWIND ['validFromPrecision', 'validToPrecision'] AS p
    RETURN 'relationship ' + p AS what, r[p] AS k, count(*) AS c
}
WITH what, k, c WHERE NOT k IN ['_hash', 'claims'] AND k IS NOT NULL
RETURN what, k, c ORDER BY what, k`

func main() {
	uri := flag.String("uri", "bolt://127.0.0.1:7687", "Neo4j URI")
	dir := flag.String("dir", "g1m", "directory of documents.csv, entities.csv, relationships.csv under the import directory")
	batch := flag.Int("batch", 1000, "rows per transaction (IN TRANSACTIONS OF n ROWS)")
	show := flag.Bool("print", false, "print the statements and exit")
	bare := flag.Bool("bare", false, "leave out the provenance and the effective dates (the reference before run 18)")
	shape := flag.Bool("shape", false, "load nothing: print what the graph holds (property counts by kind and type, sums of derived dates), to compare two loads")
	flag.Parse()
	if *show {
		for _, st := range statements(*dir, *batch, !*bare) {
			fmt.Printf("// %s\n%s;\n\n", st[0], st[1])
		}
		return
	}
	ctx := context.Background()
	d, err := neo4j.NewDriverWithContext(*uri, neo4j.NoAuth())
	if err == nil {
		err = d.VerifyConnectivity(ctx)
	}
	if err == nil {
		err = neo4jstore.Migrate(ctx, d, "neo4j") // the same constraints as the loader
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "loadcsv:", err)
		os.Exit(1)
	}
	defer d.Close(ctx)
	if *shape {
		res, err := neo4j.ExecuteQuery(ctx, d, shapeCypher, nil, neo4j.EagerResultTransformer, neo4j.ExecuteQueryWithDatabase("neo4j"))
		if err != nil {
			fmt.Fprintln(os.Stderr, "loadcsv:", err)
			os.Exit(1)
		}
		for _, r := range res.Records {
			fmt.Println(r.Values...)
		}
		return
	}
	// One source for the whole load, seen now: what the writer records for a bulk load.
	src := "bulk:loadcsv"
	now := model.ProvTime(time.Now())
	params := map[string]any{"sources": []string{src},
		"prov": model.EncodeProvenance([]model.Provenance{{Source: src, FirstSeen: now, LastSeen: now}})}
	start := time.Now()
	for _, st := range statements(*dir, *batch, !*bare) {
		t := time.Now()
		// CALL {...} IN TRANSACTIONS needs an implicit (auto-commit) transaction.
		s := d.NewSession(ctx, neo4j.SessionConfig{DatabaseName: "neo4j"})
		res, err := s.Run(ctx, st[1], params)
		if err == nil {
			_, err = res.Consume(ctx)
		}
		s.Close(ctx)
		if err != nil {
			fmt.Fprintf(os.Stderr, "loadcsv %s: %v\n", st[0], err)
			os.Exit(1)
		}
		fmt.Printf("loadcsv: %s in %s\n", st[0], time.Since(t).Round(time.Millisecond))
	}
	if !*bare {
		t := time.Now()
		if err := neo4jstore.New(d, "neo4j", nil).DeriveDates(ctx); err != nil {
			fmt.Fprintln(os.Stderr, "loadcsv:", err)
			os.Exit(1)
		}
		fmt.Printf("loadcsv: effective dates in %s\n", time.Since(t).Round(time.Millisecond))
	}
	fmt.Printf("loadcsv: total %s\n", time.Since(start).Round(time.Millisecond))
}
