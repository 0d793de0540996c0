package loaders

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"tradegraph/graph/model"
)

// Outcome counts what a write did to the rows it was given.
type Outcome struct {
	Created, Updated, Unchanged int
}

// Summary is the outcome of a load by kind (Actor, Document, ...) or relationship type.
type Summary map[string]*Outcome

func (s Summary) add(key, outcome string, n int) {
	o := s[key]
	if o == nil {
		o = &Outcome{}
		s[key] = o
	}
	switch outcome {
	case "created":
		o.Created += n
	case "updated":
		o.Updated += n
	default:
		o.Unchanged += n
	}
}

// Merge adds other's counts to s.
func (s Summary) Merge(other Summary) {
	for k, o := range other {
		s.add(k, "created", o.Created)
		s.add(k, "updated", o.Updated)
		s.add(k, "unchanged", o.Unchanged)
	}
}

// Table renders the summary as aligned text rows, sorted by name.
func (s Summary) Table() string {
	keys := make([]string, 0, len(s))
	for k := range s {
		keys = append(keys, k)
	}
	// Kinds first, in the model's order, then relationship types alphabetically.
	rank := func(k string) int {
		for i, kind := range model.Kinds {
			if string(kind) == k {
				return i
			}
		}
		return len(model.Kinds)
	}
	sort.Slice(keys, func(i, j int) bool {
		if ri, rj := rank(keys[i]), rank(keys[j]); ri != rj {
			return ri < rj
		}
		return keys[i] < keys[j]
	})
	var b strings.Builder
	fmt.Fprintf(&b, "%-18s %8s %8s %10s\n", "", "created", "updated", "unchanged")
	var tot Outcome
	for _, k := range keys {
		o := s[k]
		fmt.Fprintf(&b, "%-18s %8d %8d %10d\n", k, o.Created, o.Updated, o.Unchanged)
		tot.Created += o.Created
		tot.Updated += o.Updated
		tot.Unchanged += o.Unchanged
	}
	fmt.Fprintf(&b, "%-18s %8d %8d %10d\n", "total", tot.Created, tot.Updated, tot.Unchanged)
	return b.String()
}

// Writer is the one batch writer: every loader writes through it. Each statement is
// an `UNWIND $rows AS row ... MERGE` on a uniquely constrained id, run in managed
// write transactions of BatchSize rows, so a retried batch is idempotent. Rows whose
// content hash matches what is stored are counted unchanged and not written.
type Writer struct {
	Driver    neo4j.DriverWithContext
	Database  string
	BatchSize int // rows per transaction; 0 means DefaultBatchSize
}

// Row is one parameter map of a batch: the Cypher parameter boundary.
type Row = map[string]any

// write runs cypher over rows in batches of BatchSize, each with the parameters
// params builds from it. cypher must return `outcome, count(*) AS c` (and a `key`
// column when its rows are of several kinds or types) for every row it was given;
// a shortfall (for example an endpoint that does not exist) is an error, never a
// silent drop.
func (w *Writer) write(ctx context.Context, key, cypher string, rows []Row, params func([]Row) map[string]any) (Summary, error) {
	sum := Summary{}
	size := w.BatchSize
	if size <= 0 {
		size = DefaultBatchSize
	}
	for start := 0; start < len(rows); start += size {
		batch := rows[start:min(start+size, len(rows))]
		res, err := neo4j.ExecuteQuery(ctx, w.Driver, cypher, params(batch),
			neo4j.EagerResultTransformer, neo4j.ExecuteQueryWithDatabase(w.Database),
			neo4j.ExecuteQueryWithWritersRouting())
		if err != nil {
			return sum, fmt.Errorf("write %s rows %d-%d: %w", key, start+1, start+len(batch), err)
		}
		s, err := tally(key, res.Records, len(batch))
		if err != nil {
			return sum, fmt.Errorf("write %s rows %d-%d: %w", key, start+1, start+len(batch), err)
		}
		sum.Merge(s)
		rowsWritten.Add(float64(len(batch)))
	}
	return sum, nil
}

// tally reads the `outcome, c` records of one statement over n rows, with a `key`
// column when the statement's rows are of several kinds or types. Every row must
// be accounted for.
func tally(key string, records []*neo4j.Record, n int) (Summary, error) {
	sum := Summary{}
	done := 0
	for _, rec := range records {
		outcome, _, err1 := neo4j.GetRecordValue[string](rec, "outcome")
		c, _, err2 := neo4j.GetRecordValue[int64](rec, "c")
		if err1 != nil || err2 != nil {
			return sum, fmt.Errorf("unexpected result record %v", rec.AsMap())
		}
		k := key
		if rk, ok := rec.Get("key"); ok {
			k, _ = rk.(string)
		}
		sum.add(k, outcome, int(c))
		done += int(c)
	}
	if done != n {
		return sum, fmt.Errorf("only %d of %d rows matched their endpoints", done, n)
	}
	return sum, nil
}

// Batch is one unit of bulk work: WriteBatch writes all of it or nothing.
type Batch struct {
	Documents     []model.DocumentRecord
	Entities      []model.EntityRecord
	Relationships []model.RelationshipRecord
}

// Len returns the number of records in b.
func (b Batch) Len() int { return len(b.Documents) + len(b.Entities) + len(b.Relationships) }

type statement struct {
	key, cypher string
	params      map[string]any
	n           int // rows
}

func newStatement(key, cypher string, rows []Row, params func([]Row) map[string]any) statement {
	return statement{key, cypher, params(rows), len(rows)}
}

// rowsParams is the parameter map of a statement that does `UNWIND $rows`.
func rowsParams(rows []Row) map[string]any { return map[string]any{"rows": rows} }

// PreparedBatch is a Batch turned into statement parameters (content hashes
// included), ready to send. Preparing is CPU work that a bulk load does while the
// previous batch is being written.
type PreparedBatch struct {
	stmts []statement
	n     int
}

// Len returns the number of rows in p.
func (p PreparedBatch) Len() int { return p.n }

// Prepare turns b into the statements WriteBatch runs: one for the documents, one
// for the entities, one for the relationships, in that order. It fails on a kind
// or type outside the model.
func (w *Writer) Prepare(b Batch) (PreparedBatch, error) {
	p := PreparedBatch{n: b.Len()}
	if len(b.Documents) > 0 {
		p.stmts = append(p.stmts, newStatement(string(model.KindDocument), documentsCypher, documentRows(b.Documents), rowsParams))
	}
	ents, err := entityRows(b.Entities)
	if err != nil {
		return p, err
	}
	if len(ents) > 0 {
		p.stmts = append(p.stmts, newStatement("entities", entitiesCypher, ents, entityParams))
	}
	rows, err := relationshipRows(b.Relationships)
	if err != nil {
		return p, err
	}
	if len(rows) > 0 {
		p.stmts = append(p.stmts, newStatement("relationships", relationshipsCypher, rows, relationshipParams))
	}
	return p, nil
}

// WriteBatch writes b in one managed write transaction, running the statements of
// Documents, Entities and Relationships, in that order.
// Either every row commits or none does, so a bulk load can checkpoint after it;
// the driver retries the whole transaction on transient errors, and a retry is
// idempotent (MERGE on unique ids).
func (w *Writer) WriteBatch(ctx context.Context, b Batch) (Summary, error) {
	p, err := w.Prepare(b)
	if err != nil {
		return nil, err
	}
	return w.WritePrepared(ctx, p)
}

// WritePrepared writes a prepared batch as WriteBatch does.
func (w *Writer) WritePrepared(ctx context.Context, p PreparedBatch) (Summary, error) {
	if len(p.stmts) == 0 {
		return Summary{}, nil
	}
	session := w.Driver.NewSession(ctx, neo4j.SessionConfig{DatabaseName: w.Database, AccessMode: neo4j.AccessModeWrite})
	defer session.Close(ctx)
	out, err := session.ExecuteWrite(ctx, func(tx neo4j.ManagedTransaction) (any, error) {
		sum := Summary{} // per attempt: a retried transaction starts again
		for _, st := range p.stmts {
			res, err := tx.Run(ctx, st.cypher, st.params)
			if err != nil {
				return nil, err
			}
			recs, err := res.Collect(ctx)
			if err != nil {
				return nil, err
			}
			s, err := tally(st.key, recs, st.n)
			if err != nil {
				return nil, fmt.Errorf("write %s: %w", st.key, err)
			}
			sum.Merge(s)
		}
		return sum, nil
	})
	if err != nil {
		return nil, err
	}
	rowsWritten.Add(float64(p.n))
	return out.(Summary), nil
}

// otherKindLabels returns ":A:B:C", the entity kind labels other than k, which an
// entity whose kind changed must lose.
func otherKindLabels(k model.Kind) string {
	var b strings.Builder
	for _, o := range model.Kinds {
		if o != k && o != model.KindDocument {
			b.WriteString(":" + string(o))
		}
	}
	return b.String()
}

const documentsCypher = `
		UNWIND $rows AS row
		MERGE (x:Document {id: row.id}) ` + onCreate + `
		WITH row, x, ` + outcome + `
		` + ifChanged + `SET x = row.props)
		RETURN outcome, count(*) AS c`

func documentRows(docs []model.DocumentRecord) []Row {
	rows := make([]Row, len(docs))
	for i, d := range docs {
		rows[i] = Row{"id": d.ID, "props": documentProps(d)}
	}
	return rows
}

// Documents merges documents on their id.
func (w *Writer) Documents(ctx context.Context, docs []model.DocumentRecord) (Summary, error) {
	return w.write(ctx, string(model.KindDocument), documentsCypher, documentRows(docs), rowsParams)
}

// Entities and relationships are written by one statement per batch each. Labels
// and relationship types cannot be parameters, so the statement has one branch per
// kind or type of the model, with the label or type as a literal, and its parameter
// $groups holds the batch's rows grouped by kind or type, [{key, rows}]: each branch
// takes its own group and runs a tight UNWIND ... MERGE over it. (A statement per
// type made a batch of 1,000 relationships about 25 round trips; one statement with
// a branch chosen per row evaluated every branch for every row. In a paired run on
// the 1M set this form wrote 1,000 new relationships in 82 ms, against 104 ms for a
// statement per type; docs/benchmarks.md has the loads.)
//
// Each row's outcome (created, updated or unchanged; see outcome) is read off
// what its MERGE found, which gives exact counts per kind and type: the statement's
// counters give one total.

// branchPerKey returns the statement over $groups with one branch per key, each
// running body(key) over `row`; body returns `outcome, count(*) AS c`.
func branchPerKey(keys []string, body func(key string) string) string {
	var b strings.Builder
	b.WriteString(`
		UNWIND $groups AS g
		CALL (g) {`)
	for i, k := range keys {
		if i > 0 {
			b.WriteString("\n\t\t\tUNION ALL")
		}
		fmt.Fprintf(&b, "\n\t\t\tWITH g WHERE g.key = '%s'\n\t\t\tUNWIND g.rows AS row", k)
		b.WriteString(body(k))
	}
	b.WriteString(`
		}
		RETURN g.key AS key, outcome, c`)
	return b.String()
}

// groupParams groups rows by their field, in the order of keys.
func groupParams(rows []Row, field string, keys []string) map[string]any {
	by := map[string][]Row{}
	for _, r := range rows {
		k := r[field].(string)
		by[k] = append(by[k], r)
	}
	groups := make([]Row, 0, len(by))
	for _, k := range keys {
		if len(by[k]) > 0 {
			groups = append(groups, Row{"key": k, "rows": by[k]})
		}
	}
	return map[string]any{"groups": groups}
}

// A row's outcome is read off what its MERGE found or made, one look-up per row.
// The MERGE marks what it creates with an empty content hash (onCreate), which the
// row's properties then replace: created when the hash is empty, unchanged when it
// equals the row's, updated otherwise (something stored without a hash included).
const (
	onCreate = `ON CREATE SET x._hash = ''`
	outcome  = `CASE x._hash WHEN '' THEN 'created' WHEN row.props._hash THEN 'unchanged' ELSE 'updated' END AS outcome`
)

// ifChanged opens a FOREACH that runs its SET for created and updated rows only
// (cheaper than a CALL subquery, which plans an Eager); the statement closes it
// with ")".
const ifChanged = `FOREACH (_ IN CASE WHEN outcome = 'unchanged' THEN [] ELSE [1] END | `

// entityKinds are the entity kinds, the labels of the entities statement.
var entityKinds = func() []string {
	var ks []string
	for _, k := range model.Kinds {
		if k != model.KindDocument {
			ks = append(ks, string(k))
		}
	}
	return ks
}()

// entitiesCypher merges entities on their id, with their kind's label; an entity
// whose kind changed loses the other kinds' labels.
var entitiesCypher = branchPerKey(entityKinds, func(k string) string {
	return fmt.Sprintf(`
			MERGE (x:Entity {id: row.id}) `+onCreate+`
			WITH row, x, `+outcome+`
			`+ifChanged+`SET x = row.props, x:%[1]s REMOVE x%[2]s)
			RETURN outcome, count(*) AS c`, k, otherKindLabels(model.Kind(k)))
})

func entityRows(ents []model.EntityRecord) ([]Row, error) {
	rows := make([]Row, len(ents))
	for i, e := range ents {
		k, ok := model.ParseKind(e.Kind)
		if !ok || k == model.KindDocument {
			return nil, fmt.Errorf("entity %s: unknown kind %q", e.ID, e.Kind)
		}
		rows[i] = Row{"id": e.ID, "kind": string(k), "props": entityProps(e)}
	}
	return rows, nil
}

func entityParams(rows []Row) map[string]any { return groupParams(rows, "kind", entityKinds) }

// Entities merges entities on their id.
func (w *Writer) Entities(ctx context.Context, ents []model.EntityRecord) (Summary, error) {
	rows, err := entityRows(ents)
	if err != nil {
		return nil, err
	}
	return w.write(ctx, "entities", entitiesCypher, rows, entityParams)
}

// relationshipsCypher merges relationships on (from, type, to).
var relationshipsCypher = branchPerKey(model.RelTypeNames(), func(t string) string {
	return fmt.Sprintf(`
			MATCH (a:Entity {id: row.from})
			MATCH (b:Entity {id: row.to})
			MERGE (a)-[x:%[1]s]->(b) `+onCreate+`
			WITH row, x, `+outcome+`
			`+ifChanged+`SET x = row.props)
			RETURN outcome, count(*) AS c`, t)
})

// relationshipRows returns the rows of rels, each with its type.
func relationshipRows(rels []model.RelationshipRecord) ([]Row, error) {
	rows := make([]Row, len(rels))
	for i, r := range rels {
		if _, ok := model.LookupRel(r.Type); !ok {
			return nil, fmt.Errorf("relationship %s: unknown type %q", r.Key(), r.Type)
		}
		props, err := relationshipProps(r)
		if err != nil {
			return nil, err
		}
		rows[i] = Row{"from": r.From, "type": r.Type, "to": r.To, "props": props}
	}
	return rows, nil
}

func relationshipParams(rows []Row) map[string]any {
	return groupParams(rows, "type", model.RelTypeNames())
}

// Relationships merges relationships on (from, type, to).
func (w *Writer) Relationships(ctx context.Context, rels []model.RelationshipRecord) (Summary, error) {
	rows, err := relationshipRows(rels)
	if err != nil {
		return nil, err
	}
	return w.write(ctx, "relationships", relationshipsCypher, rows, relationshipParams)
}

// Mentions replaces the MENTIONS of document docID with mentions (entity id ->
// sentence numbers): it merges the given ones and deletes ones no longer found.
// adjectival lists, per entity, the sentences that name it only by an adjective.
func (w *Writer) Mentions(ctx context.Context, docID string, mentions, adjectival map[string][]int) (Summary, error) {
	ids := make([]string, 0, len(mentions))
	for id := range mentions {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	rows := make([]Row, len(ids))
	for i, id := range ids {
		props := Row{"sentences": mentions[id], "count": len(mentions[id])}
		if len(adjectival[id]) > 0 {
			props["adjectival"] = adjectival[id]
		}
		props["_hash"] = hashOf(props)
		rows[i] = Row{"doc": docID, "entity": id, "props": props}
	}
	sum, err := w.write(ctx, model.MentionsType, `
		UNWIND $rows AS row
		MATCH (d:Document {id: row.doc})
		MATCH (e:Entity {id: row.entity})
		MERGE (d)-[x:MENTIONS]->(e) `+onCreate+`
		WITH row, x, `+outcome+`
		`+ifChanged+`SET x = row.props)
		RETURN outcome, count(*) AS c`, rows, rowsParams)
	if err != nil {
		return sum, err
	}
	_, err = neo4j.ExecuteQuery(ctx, w.Driver, `
		MATCH (:Document {id: $doc})-[m:MENTIONS]->(e:Entity) WHERE NOT e.id IN $ids DELETE m`,
		map[string]any{"doc": docID, "ids": ids}, neo4j.EagerResultTransformer,
		neo4j.ExecuteQueryWithDatabase(w.Database), neo4j.ExecuteQueryWithWritersRouting())
	if err != nil {
		return sum, fmt.Errorf("remove stale mentions of %s: %w", docID, err)
	}
	return sum, nil
}

// hashOf returns a short content hash of v's JSON form (map keys are sorted by
// encoding/json), stored as _hash to tell unchanged rows from updated ones.
func hashOf(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err) // rows hold only JSON-encodable values
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:12])
}

// RelationshipID returns the stable public id of a relationship.
func RelationshipID(from, typ, to string) string {
	sum := sha256.Sum256([]byte(from + "|" + typ + "|" + to))
	return "rel:" + hex.EncodeToString(sum[:10])
}

func documentProps(d model.DocumentRecord) Row {
	p := Row{
		"id": d.ID, "type": d.Type, "title": d.Title, "publisher": d.Publisher, "date": d.Date,
		"url": d.URL, "language": d.Language, "text": d.Text, "sentences": d.Sentences,
	}
	if d.Type == "" {
		p["type"] = "ARTICLE"
	}
	p["_hash"] = hashOf(p)
	if dt, err := model.ParseDate(d.Date); err == nil {
		p["dateFirst"] = neo4j.DateOf(dt.First())
		p["dateLast"] = neo4j.DateOf(dt.Last())
	}
	return p
}

func entityProps(e model.EntityRecord) Row {
	p := Row{
		"id": e.ID, "kind": e.Kind, "type": e.Type, "name": e.Name, "aliases": nonNil(e.Aliases),
		"description": e.Description,
		// aliasText feeds the full-text index, which indexes strings only.
		"aliasText": strings.Join(e.Aliases, " | "),
	}
	set := func(k string, v string) {
		if v != "" {
			p[k] = v
		}
	}
	set("role", e.Role)
	set("place", e.Place)
	set("category", e.Category)
	set("status", e.Status)
	set("unit", e.Unit)
	set("start", e.Start)
	set("end", e.End)
	if len(e.Uses) > 0 {
		p["uses"] = e.Uses
	}
	if e.Rate != nil {
		p["rate"] = *e.Rate
	}
	p["_hash"] = hashOf(p)
	if d, err := model.ParseDate(e.Start); err == nil {
		p["startFrom"] = neo4j.DateOf(d.First())
	}
	if d, err := model.ParseDate(e.End); err == nil {
		p["endTo"] = neo4j.DateOf(d.Last())
	} else if d, err := model.ParseDate(e.Start); err == nil {
		p["endTo"] = neo4j.DateOf(d.Last())
	}
	return p
}

// relationshipProps flattens a relationship for Neo4j, which stores no maps on
// relationships: evidence becomes three parallel lists, and each validity date is
// kept as written, with its precision, and as the first or last day it covers.
func relationshipProps(r model.RelationshipRecord) (Row, error) {
	conf := 1.0
	if r.Confidence != nil {
		conf = *r.Confidence
	}
	docs := make([]string, len(r.Evidence))
	sents := make([]int64, len(r.Evidence))
	quotes := make([]string, len(r.Evidence))
	for i, ev := range r.Evidence {
		docs[i], sents[i], quotes[i] = ev.Doc, int64(ev.Sentence), ev.Quote
	}
	p := Row{
		"id": RelationshipID(r.From, r.Type, r.To), "confidence": conf,
		"evidenceDocs": docs, "evidenceSentences": sents, "evidenceQuotes": quotes,
	}
	if r.AttributedTo != "" {
		p["attributedTo"] = r.AttributedTo
	}
	if r.Note != "" {
		p["note"] = r.Note
	}
	if r.ValidFrom != "" {
		p["validFrom"] = r.ValidFrom
	}
	if r.ValidTo != "" {
		p["validTo"] = r.ValidTo
	}
	p["_hash"] = hashOf(p)
	if r.ValidFrom != "" {
		d, err := model.ParseDate(r.ValidFrom)
		if err != nil {
			return nil, fmt.Errorf("relationship %s: %w", r.Key(), err)
		}
		p["validFromPrecision"] = string(d.Precision)
		p["validFromDate"] = neo4j.DateOf(d.First())
	}
	if r.ValidTo != "" {
		d, err := model.ParseDate(r.ValidTo)
		if err != nil {
			return nil, fmt.Errorf("relationship %s: %w", r.Key(), err)
		}
		p["validToPrecision"] = string(d.Precision)
		p["validToDate"] = neo4j.DateOf(d.Last())
	}
	return p, nil
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
