// Command loadcsv loads the CSV files that `tradegraph gen` writes with Neo4j's own
// LOAD CSV ... CALL {...} IN TRANSACTIONS, doing the MERGEs that loaders.Writer
// does (documents and entities on their unique id, relationships on (from, type,
// to) with a literal type from the vocabulary) and setting the same properties,
// without validation and without content hashes. bench/load.sh compares it with
// `tradegraph load`.
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

func statements(dir string, batch int) [][2]string {
	tx := fmt.Sprintf(" IN TRANSACTIONS OF %d ROWS", batch)
	docs := `LOAD CSV WITH HEADERS FROM 'file:///` + dir + `/documents.csv' AS row
CALL (row) {
  MERGE (d:Document {id: row.` + "`id:ID`" + `})
  SET d = {id: row.` + "`id:ID`" + `, type: row.type, title: row.title, publisher: row.publisher, date: row.date,
           url: row.url, language: row.language, text: row.text, sentences: split(row.text, '. ')}
}` + tx
	ents := `LOAD CSV WITH HEADERS FROM 'file:///` + dir + `/entities.csv' AS row
CALL (row) {
  WITH row, [l IN split(row.` + "`:LABEL`" + `, ';') WHERE l <> 'Entity'] AS kinds
  MERGE (n:Entity {id: row.` + "`id:ID`" + `})
  SET n = {id: row.` + "`id:ID`" + `, kind: kinds[0], type: row.type, name: row.name,
           aliases: coalesce(split(row.` + "`aliases:string[]`" + `, ';'), []),
           aliasText: coalesce(replace(row.` + "`aliases:string[]`" + `, ';', ' | '), ''),
           description: row.description, role: row.role, start: row.start, end: row.end, place: row.place,
           category: row.category, uses: split(row.` + "`uses:string[]`" + `, ';'), status: row.status,
           rate: toFloat(row.` + "`rate:float`" + `), unit: row.unit}
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
       attributedTo: row.attributedTo, note: row.note, validFrom: row.validFrom, validTo: row.validTo} AS props
`)
	// One branch per type of the vocabulary: a MERGE with a literal type, as the
	// Writer does. (MERGE (a)-[r:$(row.type)]->(b) also works in 5.26 but expands
	// every relationship of the start node: on hubs it is orders of magnitude slower.)
	for _, spec := range model.Vocabulary {
		fmt.Fprintf(&b, "  CALL (row, a, b, props) { WITH row, a, b, props WHERE row.`:TYPE` = '%s' MERGE (a)-[r:%s]->(b) SET r = props }\n", spec.Type, spec.Type)
	}
	b.WriteString("}" + tx)
	return [][2]string{{"documents", docs}, {"entities", ents}, {"relationships", b.String()}}
}

func main() {
	uri := flag.String("uri", "bolt://127.0.0.1:7687", "Neo4j URI")
	dir := flag.String("dir", "g1m", "directory of documents.csv, entities.csv, relationships.csv under the import directory")
	batch := flag.Int("batch", 1000, "rows per transaction (IN TRANSACTIONS OF n ROWS)")
	show := flag.Bool("print", false, "print the statements and exit")
	flag.Parse()
	if *show {
		for _, st := range statements(*dir, *batch) {
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
	start := time.Now()
	for _, st := range statements(*dir, *batch) {
		t := time.Now()
		// CALL {...} IN TRANSACTIONS needs an implicit (auto-commit) transaction.
		s := d.NewSession(ctx, neo4j.SessionConfig{DatabaseName: "neo4j"})
		res, err := s.Run(ctx, st[1], nil)
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
	fmt.Printf("loadcsv: total %s\n", time.Since(start).Round(time.Millisecond))
}
