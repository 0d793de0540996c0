package neo4jstore

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"tradegraph/graph/model"
)

// Retraction on reload (load --sync): the facts whose `sources` name a source
// that no longer asserts them are retracted. A fact other sources still assert
// only loses this source (from sources, prov and, on an entity, claims); a fact
// this source alone asserted is deleted, and a (:Retraction) node records what
// it was, when, by whom and by which load, so the retraction can be reviewed:
//
//	MATCH (r:Retraction) RETURN r ORDER BY r.at DESC
//
// An entity or document that other sources' relationships still need (as an
// endpoint, or as cited evidence) is kept, and reported so.

// staleCypher lists the facts that name $src among their sources and are not
// among the ids the source still asserts. It reads every node and relationship
// of the graph, and a bulk file's ids come as lists of up to millions (Neo4j
// turns `IN $list` into a hash lookup: 400,000 ids checked against a list of
// 400,000 in 0.56 s on the lead's test Neo4j, under load), so a bulk load runs
// it only with --sync.
const staleCypher = `
		CALL () {
			MATCH (d:Document) WHERE $src IN d.sources AND NOT d.id IN $docs
			RETURN 'document' AS what, d.id AS id, coalesce(d.title, '') AS label, d.sources AS sources
			UNION ALL
			MATCH (e:Entity) WHERE $src IN e.sources AND NOT e.id IN $ents
			RETURN 'entity' AS what, e.id AS id, coalesce(e.name, '') AS label, e.sources AS sources
			UNION ALL
			MATCH (a:Entity)-[r]->(b:Entity) WHERE $src IN r.sources AND NOT r.id IN $rels
			RETURN 'relationship' AS what, r.id AS id, a.id + ' ' + type(r) + ' ' + b.id AS label, r.sources AS sources
		}
		RETURN what, id, label, sources ORDER BY what, id`

// StaleFacts returns the facts that name src among their sources and that
// present does not name: what src asserted once and no longer does.
func (s *Store) StaleFacts(ctx context.Context, src string, present model.Facts) ([]model.Stale, error) {
	present, err := s.redirectFacts(ctx, present)
	if err != nil {
		return nil, err
	}
	res, err := s.read(ctx, staleCypher, map[string]any{"src": src,
		"docs": nonNil(present.Documents), "ents": nonNil(present.Entities), "rels": nonNil(present.Relationships)})
	if err != nil {
		return nil, fmt.Errorf("find the facts %s no longer asserts: %w", src, err)
	}
	out := make([]model.Stale, 0, len(res.Records))
	for _, rec := range res.Records {
		var st model.Stale
		if st.What, err = get[string](rec, "what"); err != nil {
			return nil, decodeErr(err)
		}
		if st.ID, err = get[string](rec, "id"); err != nil {
			return nil, decodeErr(err)
		}
		if st.Label, err = get[string](rec, "label"); err != nil {
			return nil, decodeErr(err)
		}
		raw, err := get[[]any](rec, "sources")
		if err != nil {
			return nil, decodeErr(err)
		}
		if st.Sources, err = stringList(raw); err != nil {
			return nil, decodeErr(err)
		}
		out = append(out, st)
	}
	return out, nil
}

// retractRecord is the Cypher of the (:Retraction) record of fact x.
const retractRecord = `CREATE (:Retraction {what: $what, id: x.id, label: label, source: $src, by: $by, at: $now, load: $load, sources: x.sources, prov: x.prov})`

// unsource is the Cypher that removes $src from the sources and prov of x,
// carrying vars: its prov entry (model.ProvEntryHead) is cut out with the comma
// that joined it to the list.
func unsource(vars string) string {
	return `WITH ` + vars + `, split(coalesce(x.prov, ''), $provHead) AS parts
			WITH ` + vars + `, CASE WHEN size(parts) < 2 THEN null ELSE parts[0] END AS pre,
				CASE WHEN size(parts) < 2 THEN null ELSE substring(parts[1], size(split(parts[1], '}')[0]) + 1) END AS post
			SET x.sources = [s IN x.sources WHERE s <> $src],
				x.prov = CASE WHEN pre IS NULL THEN x.prov
					WHEN pre ENDS WITH ',' THEN left(pre, size(pre) - 1) + post
					WHEN post STARTS WITH ',' THEN pre + substring(post, 1)
					ELSE pre + post END`
}

// retractRelsCypher retracts the relationships $ids asserted by $src.
var retractRelsCypher = func() string {
	var parts []string
	for _, t := range model.RelTypeNames() {
		parts = append(parts, fmt.Sprintf("MATCH ()-[x:%s]->() WHERE x.id = id RETURN x", t))
	}
	return `
		UNWIND $ids AS id
		CALL (id) {
			` + strings.Join(parts, "\n\t\t\tUNION ALL\n\t\t\t") + `
		}
		WITH id, x, startNode(x).id + ' ' + type(x) + ' ' + endNode(x).id AS label
		WHERE $src IN x.sources
		// n is read before either branch runs: the first deletes x.
		WITH id, x, label, size(x.sources) AS n
		CALL (x, label, n) {
			WITH x, label WHERE n = 1
			` + retractRecord + `
			WITH x, startNode(x) AS a, endNode(x) AS b
			` + flagKnownCypher("a", "b") + `
			DELETE x
			RETURN 'retracted' AS outcome, '' AS reason
			UNION ALL
			WITH x, label WHERE n > 1
			` + unsource("x") + `
			RETURN 'unsourced' AS outcome, '' AS reason
		}
		RETURN id, outcome, reason`
}()

// retractDocsCypher retracts the documents $ids asserted by $src: kept while
// the evidence of a relationship cites them. The entities a deleted document
// mentioned are flagged for knownStaleCypher.
var retractDocsCypher = `
		UNWIND $ids AS id
		MATCH (x:Document {id: id}) WHERE $src IN x.sources
		WITH id, x, coalesce(x.title, '') AS label, size(x.sources) AS n,
			COUNT { MATCH (:Entity)-[r]->(:Entity) WHERE id IN r.evidenceDocs } AS cited
		CALL (x, label, n, cited) {
			WITH x, label WHERE n = 1 AND cited = 0
			` + retractRecord + `
			WITH x
			CALL (x) { MATCH (x)-[:MENTIONS]->(me:Entity) ` + flagKnownCypher("me") + ` }
			DETACH DELETE x
			RETURN 'retracted' AS outcome, '' AS reason
			UNION ALL
			WITH x, cited WHERE n = 1 AND cited > 0
			RETURN 'kept' AS outcome, toString(cited) + ' relationship(s) of other sources cite it' AS reason
			UNION ALL
			WITH x WHERE n > 1
			` + unsource("x") + `
			RETURN 'unsourced' AS outcome, '' AS reason
		}
		RETURN id, outcome, reason`

// lockRetractEntitiesCypher locks the entities $ids and reads what retracting
// $src's claims needs, with the number of relationships they still have.
const lockRetractEntitiesCypher = `
		UNWIND $ids AS id
		MATCH (x:Entity {id: id})
		SET x._lock = true REMOVE x._lock
		RETURN id, coalesce(x.claims, '') AS claims, coalesce(x.sources, []) AS sources, coalesce(x.prov, '') AS prov,
			COUNT { (x)-[r]-(:Entity) } AS rels`

// retractEntitiesCypher deletes the entities of $del (recording each) and rewrites
// those of $upd without the source's claim (keeping their knownFrom, which
// their relationships and mentions give).
const retractEntitiesCypher = `
		CALL () {
			UNWIND $del AS id
			MATCH (x:Entity {id: id})
			WITH x, coalesce(x.name, '') AS label
			` + retractRecord + `
			DETACH DELETE x
			RETURN count(*) AS deleted
		}
		CALL () {
			UNWIND $upd AS u
			MATCH (x:Entity {id: u.id})
			WITH u, x, x.knownFrom AS known0
			FOREACH (_ IN CASE WHEN u.props IS NULL THEN [] ELSE [1] END | SET x = u.props SET x.knownFrom = known0)
			SET x.sources = u.sources, x.prov = u.prov
			RETURN count(*) AS updated
		}
		RETURN deleted, updated`

// redirectFacts adds to present the survivors of the merged-away entities it
// names, and the relationships of present.Ends renamed after them: a source that
// still names a merged-away id asserts the survivor (its writes go there).
func (s *Store) redirectFacts(ctx context.Context, present model.Facts) (model.Facts, error) {
	ids := slices.Clone(present.Entities)
	for _, e := range present.Ends {
		ids = append(ids, e[0], e[2])
	}
	if len(ids) == 0 {
		return present, nil
	}
	slices.Sort(ids)
	into, err := s.redirects(ctx, slices.Compact(ids))
	if err != nil || len(into) == 0 {
		return present, err
	}
	survivor := func(id string) string {
		if to, ok := into[id]; ok {
			return to
		}
		return id
	}
	out := present
	out.Entities = slices.Clone(present.Entities)
	out.Relationships = slices.Clone(present.Relationships)
	for _, id := range present.Entities {
		if to, ok := into[id]; ok {
			out.Entities = append(out.Entities, to)
		}
	}
	for _, e := range present.Ends {
		if from, to := survivor(e[0]), survivor(e[2]); from != e[0] || to != e[2] {
			out.Relationships = append(out.Relationships, model.RelationshipID(from, e[1], to))
		}
	}
	return out, nil
}

// Retract retracts the stale facts of src (StaleFacts) in one write
// transaction, load naming the load that retracts them in the records, and
// returns what it did to each.
func (s *Store) Retract(ctx context.Context, src model.Source, stale []model.Stale, load string) ([]model.Retraction, error) {
	if err := src.Check(); err != nil {
		return nil, err
	}
	var ids model.Facts
	for _, st := range stale {
		switch st.What {
		case "document":
			ids.Documents = append(ids.Documents, st.ID)
		case "entity":
			ids.Entities = append(ids.Entities, st.ID)
		case "relationship":
			ids.Relationships = append(ids.Relationships, st.ID)
		default:
			return nil, fmt.Errorf("retract: unknown kind of fact %q", st.What)
		}
	}
	base := map[string]any{"src": src.ID, "by": src.By, "now": model.ProvTime(time.Now()), "load": load, "provHead": model.ProvEntryHead(src.ID)}
	params := func(what string, extra map[string]any) map[string]any {
		p := map[string]any{"what": what}
		for k, v := range base {
			p[k] = v
		}
		for k, v := range extra {
			p[k] = v
		}
		return p
	}
	var entityOutcomes []model.Retraction
	stmts := []statement{
		{cypher: retractRelsCypher, params: params("relationship", map[string]any{"ids": nonNil(ids.Relationships)})},
		{cypher: lockRetractEntitiesCypher, params: map[string]any{"ids": nonNil(ids.Entities)}},
		{build: func(prev [][]*neo4j.Record) (*statement, error) {
			del, upd, outs, err := retractClaims(src, prev[1])
			if err != nil {
				return nil, err
			}
			entityOutcomes = outs
			return &statement{cypher: retractEntitiesCypher, params: params("entity", map[string]any{"del": del, "upd": upd})}, nil
		}},
		{cypher: retractDocsCypher, params: params("document", map[string]any{"ids": nonNil(ids.Documents)})},
		// The entities whose knownFrom a retracted relationship or document gave.
		knownStaleStatement(),
	}
	var out []model.Retraction
	// Last, in the same transaction: the audit record of what the sync changed.
	stmts = append(stmts, statement{build: func(prev [][]*neo4j.Record) (*statement, error) {
		outcomes := map[string]model.Retraction{}
		for _, i := range []int{0, 3} {
			for _, rec := range prev[i] {
				id, err1 := get[string](rec, "id")
				o, err2 := get[string](rec, "outcome")
				reason, err3 := get[string](rec, "reason")
				if err := errors.Join(err1, err2, err3); err != nil {
					return nil, decodeErr(err)
				}
				outcomes[id] = model.Retraction{Outcome: o, Reason: reason}
			}
		}
		for _, o := range entityOutcomes {
			outcomes[o.ID] = o
		}
		out = make([]model.Retraction, 0, len(stale))
		counts := map[string]int{}
		var changed []string
		for _, st := range stale {
			o, ok := outcomes[st.ID]
			if !ok {
				o = model.Retraction{Outcome: "kept", Reason: "no longer asserted by this source already"}
			}
			o.Stale = st
			out = append(out, o)
			if o.Outcome != "kept" {
				counts[st.What+" "+o.Outcome]++
				changed = append(changed, st.ID)
			}
		}
		if len(changed) == 0 {
			return nil, nil
		}
		var cs []model.AuditCount
		for _, k := range slices.Sorted(maps.Keys(counts)) {
			cs = append(cs, model.AuditCount{Key: k, Count: counts[k]})
		}
		return auditStatement(auditEntry{by: src.By, action: model.ActionSync, source: src.ID, counts: cs, ids: changed}), nil
	}})
	if _, err := s.run(ctx, true, stmts); err != nil {
		return nil, err
	}
	return out, nil
}

// retractClaims works out, from the locked entities' records, which entities
// to delete (src was their only source and no relationship needs them) and the
// new properties of those other sources still claim.
func retractClaims(src model.Source, recs []*neo4j.Record) (del []string, upd []row, outs []model.Retraction, err error) {
	del, upd = []string{}, []row{}
	stored, err := decodeStoredEntities(recs)
	if err != nil {
		return nil, nil, nil, decodeErr(err)
	}
	rels := map[string]int64{}
	for _, rec := range recs {
		id, err1 := get[string](rec, "id")
		n, err2 := get[int64](rec, "rels")
		if err := errors.Join(err1, err2); err != nil {
			return nil, nil, nil, decodeErr(err)
		}
		rels[id] = n
	}
	for id, st := range stored {
		claims := model.DropClaim(st.claims, src.ID)
		var sources []string
		for _, s := range st.sources {
			if s != src.ID {
				sources = append(sources, s)
			}
		}
		switch {
		case len(sources) == 0 && rels[id] == 0:
			del = append(del, id)
			outs = append(outs, model.Retraction{Stale: model.Stale{ID: id}, Outcome: "retracted"})
		case len(sources) == 0:
			outs = append(outs, model.Retraction{Stale: model.Stale{ID: id}, Outcome: "kept",
				Reason: fmt.Sprintf("%d relationship(s) of other sources join it", rels[id])})
		default:
			var prov []model.Provenance
			for _, p := range st.prov {
				if p.Source != src.ID {
					prov = append(prov, p)
				}
			}
			var props row // nil: no claim left (sources that wrote before claims were kept), the fields stay
			if len(claims) > 0 {
				combined, _ := model.CombineClaims(claims)
				props = entityProps(combined, model.EncodeClaims(claims))
			}
			upd = append(upd, row{"id": id, "props": props, "sources": sources, "prov": model.EncodeProvenance(prov)})
			outs = append(outs, model.Retraction{Stale: model.Stale{ID: id}, Outcome: "unsourced"})
		}
	}
	return del, upd, outs, nil
}

// SourceFiles returns, for those of ids that were loaded from a file, the file
// they were last loaded from (a (:Source {id, file}) node each).
func (s *Store) SourceFiles(ctx context.Context, ids []string) (map[string]string, error) {
	res, err := s.read(ctx, `UNWIND $ids AS id MATCH (s:Source {id: id}) RETURN s.id AS id, s.file AS file`, map[string]any{"ids": ids})
	if err != nil {
		return nil, err
	}
	out := map[string]string{}
	for _, rec := range res.Records {
		id, err1 := get[string](rec, "id")
		file, err2 := get[string](rec, "file")
		if err := errors.Join(err1, err2); err != nil {
			return nil, decodeErr(err)
		}
		out[id] = file
	}
	return out, nil
}

// RecordSourceFiles records the file each source id was loaded from, so that a
// --sync of another file under the same id can be refused (loaders).
func (s *Store) RecordSourceFiles(ctx context.Context, files map[string]string) error {
	rows := make([]row, 0, len(files))
	for _, id := range slices.Sorted(maps.Keys(files)) {
		rows = append(rows, row{"id": id, "file": files[id]})
	}
	_, err := s.run(ctx, true, []statement{{cypher: `
		UNWIND $rows AS r
		MERGE (s:Source {id: r.id})
		SET s.file = r.file, s.at = datetime()`, params: map[string]any{"rows": rows}}})
	return err
}
