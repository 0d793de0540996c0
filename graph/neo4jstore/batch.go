package neo4jstore

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"tradegraph/graph"
	"tradegraph/graph/model"
)

// The one batch writer: curated files, articles, bulk rows and the API's mutations
// all write a model.Batch through Prepare and WritePrepared, which run in Store.run.
// Each statement is an `UNWIND $rows AS row ... MERGE` on a uniquely constrained
// id, and a batch is one managed write transaction, so a retried batch is
// idempotent. Rows whose content hash matches what is stored are counted unchanged
// and not written.

// row is one parameter map of a batch: the Cypher parameter boundary.
type row = map[string]any

// preparedBatch is a model.Batch turned into statements (content hashes
// included), ready to send: documents, entities, relationships, then mentions.
type preparedBatch struct {
	stmts []statement
	keys  []string // the summary key of each statement's rows; "" counts nothing
	n     int
	// conflicts are the entity field conflicts the last attempt of the write found.
	conflicts []model.EntityConflict
	batch     model.Batch // what was prepared, rewritten when it names merged-away ids
}

// Len returns the number of records of the batch.
func (p *preparedBatch) Len() int { return p.n }

// Conflicts returns the entity fields the batch's source and another source
// disagree on, as the last write of the batch found them.
func (p *preparedBatch) Conflicts() []model.EntityConflict { return p.conflicts }

// add appends a statement over rows whose records (`outcome, count(*) AS c`, and a
// `key` column when the rows are of several kinds or types) must account for
// every row: a shortfall (an endpoint that does not exist) rolls the batch back.
func (p *preparedBatch) add(key, cypher string, params map[string]any, n int) {
	p.stmts = append(p.stmts, statement{cypher: cypher, params: params, check: func(recs []*neo4j.Record) error {
		_, err := tally(key, recs, n)
		return err
	}})
	p.keys = append(p.keys, key)
}

// addUncounted appends a statement whose records count nothing.
func (p *preparedBatch) addUncounted(st statement) {
	p.stmts = append(p.stmts, st)
	p.keys = append(p.keys, "")
}

// Prepare turns b into the statements WritePrepared runs. Preparing is CPU work
// that a bulk load does while the previous batch is being written. It fails on a
// kind or type outside the model, and on a batch without a valid source.
func (s *Store) Prepare(b model.Batch) (model.Prepared, error) {
	if len(b.Documents)+len(b.Entities)+len(b.Relationships) > 0 {
		// Mentions are derived from the documents (and carry no provenance); every
		// fact a source asserts records its source.
		if err := b.Source.Check(); err != nil {
			return nil, err
		}
	}
	p := &preparedBatch{n: b.Len(), batch: b}
	if ids := b.EntityIDs(); len(ids) > 0 {
		p.stmts = append(p.stmts, redirectGuard(ids))
		p.keys = append(p.keys, "")
	}
	prov := provParams(b.Source, time.Now())
	if len(b.Documents) > 0 {
		docs := len(p.stmts)
		p.add(string(model.KindDocument), documentsCypher, withProv(prov, rowsParams(documentRows(b.Documents))), len(b.Documents))
		p.addUncounted(citationCheck(docs, b.Relationships, b.Requoted))
	}
	if len(b.Entities) > 0 {
		if err := p.addEntities(b.Source, prov, b.Entities); err != nil {
			return nil, err
		}
	}
	rels, err := relationshipRows(b.Relationships)
	if err != nil {
		return nil, err
	}
	if len(rels) > 0 {
		p.addUncounted(evidenceCheck(b.Relationships))
		p.add("relationships", relationshipsCypher, withProv(prov, groupParams(rels, "type", model.RelTypeNames())), len(rels))
	}
	if len(b.Entities) > 0 || len(b.Documents) > 0 {
		// Then the relationships whose endpoints or evidence changed dates.
		var writers []int
		for i, k := range p.keys {
			if k == string(model.KindDocument) || k == "entities" {
				writers = append(writers, i)
			}
		}
		p.stmts = append(p.stmts, recomputeStatement(b, writers))
		p.keys = append(p.keys, "")
	}
	if len(b.Mentions) > 0 {
		rows, docs := mentionRows(b.Mentions)
		if len(rows) > 0 {
			p.add(model.MentionsType, mentionsCypher, rowsParams(rows), len(rows))
		}
		// Then the mentions each document no longer makes go.
		p.stmts = append(p.stmts, statement{cypher: staleMentionsCypher, params: map[string]any{"docs": docs}})
		p.keys = append(p.keys, "")
	}
	if b.Len() > 0 {
		// The entities whose knownFrom a statement above may have raised.
		p.addUncounted(knownStaleStatement())
		p.stmts = append(p.stmts, batchAudit(b, slices.Clone(p.keys)))
		p.keys = append(p.keys, "")
	}
	return p, nil
}

// WritePrepared writes a batch that Prepare made in one managed write transaction,
// through Store.run: either every row commits or none does, so a bulk load can
// checkpoint after it. It returns what the batch created, updated and left
// unchanged, by kind and relationship type.
func (s *Store) WritePrepared(ctx context.Context, prepared model.Prepared) (model.Summary, error) {
	p, ok := prepared.(*preparedBatch)
	if !ok {
		return nil, fmt.Errorf("write: a %T was not prepared by this store", prepared)
	}
	sum := model.Summary{}
	if len(p.stmts) == 0 {
		return sum, nil
	}
	recs, keys, skipped, err := s.runRedirected(ctx, p)
	if err != nil {
		return nil, err
	}
	sum.Merge(skipped)
	for i, key := range keys {
		if key == "" {
			continue
		}
		got, err := tally(key, recs[i], -1)
		if err != nil {
			return nil, err
		}
		sum.Merge(got)
	}
	return sum, nil
}

// writeBatch prepares and writes b.
func (s *Store) writeBatch(ctx context.Context, b model.Batch) (model.Summary, error) {
	p, err := s.Prepare(b)
	if err != nil {
		return nil, err
	}
	return s.WritePrepared(ctx, p)
}

// tally reads the `outcome, c` records of one statement over n rows (n < 0: any
// number), with a `key` column when the statement's rows are of several kinds or
// types. Every row must be accounted for.
func tally(key string, records []*neo4j.Record, n int) (model.Summary, error) {
	sum := model.Summary{}
	done := 0
	for _, rec := range records {
		outcome, err := get[string](rec, "outcome")
		if err != nil {
			return nil, decodeErr(err)
		}
		c, err := get[int64](rec, "c")
		if err != nil {
			return nil, decodeErr(err)
		}
		k := key
		if _, ok := rec.Get("key"); ok {
			if k, err = get[string](rec, "key"); err != nil {
				return nil, decodeErr(err)
			}
		}
		sum.Add(k, outcome, int(c))
		done += int(c)
	}
	if n >= 0 && done != n {
		return nil, graph.Errorf(graph.ECONFLICT, "write %s: only %d of %d rows matched their endpoints", key, done, n)
	}
	return sum, nil
}

// rowsParams is the parameter map of a statement that does `UNWIND $rows`.
func rowsParams(rows []row) map[string]any { return map[string]any{"rows": rows} }

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

var documentsCypher = `
		UNWIND $rows AS row
		MERGE (x:Document {id: row.id}) ` + onCreate + `
		WITH row, x, ` + outcome + `, x.sentences IS NOT NULL AND x.sentences <> row.props.sentences AS textChanged, ` + docDateKey("x") + ` AS life0
		` + provFragment("textChanged", "life0") + `
		` + ifChanged + `SET x = row.props)` + markStale(docDateKey("row.props")) + `
		SET x.sources = newSources, x.prov = newProv
		RETURN outcome, count(*) AS c, [id IN collect(CASE WHEN textChanged THEN row.id END) WHERE id IS NOT NULL] AS changed`

func documentRows(docs []model.DocumentRecord) []row {
	rows := make([]row, len(docs))
	for i, d := range docs {
		rows[i] = row{"id": d.ID, "props": documentProps(d)}
	}
	return rows
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
func groupParams(rows []row, field string, keys []string) map[string]any {
	by := map[string][]row{}
	for _, r := range rows {
		k := r[field].(string)
		by[k] = append(by[k], r)
	}
	groups := make([]row, 0, len(by))
	for _, k := range keys {
		if len(by[k]) > 0 {
			groups = append(groups, row{"key": k, "rows": by[k]})
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
			WITH row, x, `+outcome+`, `+lifeKey("x")+` AS life0, x.knownFrom AS known0
			`+ifChanged+`SET x = row.props, x:%[1]s SET x.knownFrom = known0 REMOVE x%[2]s)`+markStale(lifeKey("row.props"))+`
			SET x.sources = row.sources, x.prov = row.prov
			RETURN outcome, count(*) AS c`, k, otherKindLabels(model.Kind(k)))
})

// entityKind returns the kind label of e, or an error for a kind outside the model.
func entityKind(e model.EntityRecord) (model.Kind, error) {
	k, ok := model.ParseKind(e.Kind)
	if !ok || k == model.KindDocument {
		return "", fmt.Errorf("entity %s: unknown kind %q", e.ID, e.Kind)
	}
	return k, nil
}

// relationshipsCypher merges relationships on (from, type, to): one UNION branch
// per type of the model's closed vocabulary holds only the MERGE with its
// literal type (so Neo4j expands a hub by type), and the rest of the work (the
// outcome, provenance, properties, effective dates) follows once, after the
// union. With the whole work in every branch (54 KB of Cypher) planning took 38 s
// under load ~25; with a dynamic type ($(g.key)) 2.7 s, but a 1M load with hubs
// ran 12 % slower (docs/benchmarks.md, run 17).
var relationshipsCypher = func() string {
	var b strings.Builder
	b.WriteString(`
		UNWIND $groups AS g
		CALL (g) {`)
	for i, t := range model.RelTypeNames() {
		if i > 0 {
			b.WriteString("\n\t\t\tUNION ALL")
		}
		fmt.Fprintf(&b, `
			WITH g WHERE g.key = '%[1]s'
			UNWIND g.rows AS row
			MATCH (a:Entity {id: row.from})
			MATCH (b:Entity {id: row.to})
			MERGE (a)-[x:%[1]s]->(b) `+onCreate+`
			RETURN row, x`, t)
	}
	b.WriteString(`
		}
		WITH g, row, x, ` + outcome + `, x.knownFrom AS known0
		` + provFragment("g", "known0") + `
		` + ifChanged + `SET x = row.props)
		SET x.sources = newSources, x.prov = newProv
		WITH g, x, outcome, known0` + relEffCypher + relKnownCypher + `
		RETURN g.key AS key, outcome, count(*) AS c`)
	return b.String()
}()

// relationshipRows returns the rows of rels, each with its type.
func relationshipRows(rels []model.RelationshipRecord) ([]row, error) {
	rows := make([]row, len(rels))
	for i, r := range rels {
		if _, ok := model.LookupRel(r.Type); !ok {
			return nil, fmt.Errorf("relationship %s: unknown type %q", r.Key(), r.Type)
		}
		props, err := relationshipProps(r)
		if err != nil {
			return nil, err
		}
		rows[i] = row{"from": r.From, "type": r.Type, "to": r.To, "props": props}
	}
	return rows, nil
}

// mentionsCypher merges the MENTIONS of documents (a new one lowers its
// entity's knownFrom); staleMentionsCypher then deletes those each document no
// longer makes (flagging their entities' knownFrom for knownStaleCypher).
var (
	mentionsCypher = `
		UNWIND $rows AS row
		MATCH (d:Document {id: row.doc})
		MATCH (e:Entity {id: row.entity})
		MERGE (d)-[x:MENTIONS]->(e) ` + onCreate + `
		WITH row, d, e, x, ` + outcome + `
		` + ifChanged + `SET x = row.props)` + mentionKnownCypher + `
		RETURN outcome, count(*) AS c`
	staleMentionsCypher = `
		UNWIND $docs AS doc
		MATCH (:Document {id: doc.id})-[m:MENTIONS]->(e:Entity) WHERE NOT e.id IN doc.entities
		DELETE m
		` + flagKnownCypher("e")
)

// mentionRows returns the rows of mentionsCypher and the $docs of
// staleMentionsCypher for ms, in a stable order.
func mentionRows(ms []model.DocumentMentions) (rows, docs []row) {
	for _, m := range ms {
		ids := make([]string, 0, len(m.Entities))
		for id := range m.Entities {
			ids = append(ids, id)
		}
		sort.Strings(ids)
		for _, id := range ids {
			props := row{"sentences": m.Entities[id], "count": len(m.Entities[id])}
			if adj := m.Adjectival[id]; len(adj) > 0 {
				props["adjectival"] = adj
			}
			props["_hash"] = hashOf(props)
			rows = append(rows, row{"doc": m.Doc, "entity": id, "props": props})
		}
		docs = append(docs, row{"id": m.Doc, "entities": ids})
	}
	return rows, docs
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

func documentProps(d model.DocumentRecord) row {
	p := row{
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

// entityProps returns the properties of the entity e, whose sources claim what
// claims holds (the `claims` property, "" for none).
func entityProps(e model.EntityRecord, claims string) row {
	p := row{
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
	if claims != "" {
		p["claims"] = claims
	}
	entityTimeProps(e, p)
	p["_hash"] = hashOf(p)
	entityLifeProps(e, p)
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
func relationshipProps(r model.RelationshipRecord) (row, error) {
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
	p := row{
		"id": model.RelationshipID(r.From, r.Type, r.To), "confidence": conf,
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
