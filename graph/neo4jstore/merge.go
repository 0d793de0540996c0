package neo4jstore

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"tradegraph/graph"
	"tradegraph/graph/model"
)

// Merging two entities is one write transaction of reads and writes: it locks and
// reads both entities, refusing (before anything is written) unknown ids, an
// entity merged into itself or into another kind, and a relationship that would
// point at its own start; reads the relationships and mentions to move; then, from
// what it read, moves them onto the survivor (combining relationships that become
// the same with model.CombineRelationships), gives the survivor the other's names
// as aliases and its provenance, leaves a redirect, deletes the merged entity and
// appends the audit record. The writes are built from the reads inside the
// transaction (statement.build), so a retried transaction computes them again.

const (
	// mergeNodesCypher locks both entities (a write lock on each until commit) and
	// reads them and any redirect of their ids.
	mergeNodesCypher = `
		OPTIONAL MATCH (f:Entity {id: $from})
		OPTIONAL MATCH (i:Entity {id: $into})
		OPTIONAL MATCH (rf:Redirect {id: $from})
		OPTIONAL MATCH (ri:Redirect {id: $into})
		FOREACH (n IN [x IN [f, i] WHERE x IS NOT NULL] | SET n._lock = true REMOVE n._lock)
		RETURN properties(f) AS f, properties(i) AS i, rf.into AS fromMerged, ri.into AS intoMerged`
	// mergeRelsCypher reads the relationships of $from, other than mentions.
	mergeRelsCypher = `
		MATCH (f:Entity {id: $from})-[r]-(o:Entity)
		WHERE type(r) <> 'MENTIONS'
		RETURN type(r) AS type, startNode(r) = f AS out, o.id AS other, properties(r) AS props
		ORDER BY type, other, out`
	// mergeTwinsCypher reads the relationships of $into with the entities $from
	// is linked to, the ones a moved relationship may become.
	mergeTwinsCypher = `
		MATCH (i:Entity {id: $into})-[r]-(o:Entity)
		WHERE type(r) <> 'MENTIONS' AND o.id IN $others
		RETURN type(r) AS type, startNode(r) = i AS out, o.id AS other, properties(r) AS props`
	// mergeMentionsCypher reads the documents that mention $from, with the
	// sentences that mention it and those that mention $into.
	mergeMentionsCypher = `
		MATCH (d:Document)-[m:MENTIONS]->(:Entity {id: $from})
		OPTIONAL MATCH (d)-[n:MENTIONS]->(:Entity {id: $into})
		RETURN d.id AS doc, m.sentences AS fs, coalesce(n.sentences, []) AS is ORDER BY doc`
	mergeMentionsWriteCypher = `
		UNWIND $rows AS row
		MATCH (d:Document {id: row.doc})
		MATCH (e:Entity {id: $into})
		MERGE (d)-[x:MENTIONS]->(e)
		SET x = row.props
		RETURN count(*) AS c`
	mergeAttributionsCypher = `
		MATCH ()-[r]->() WHERE r.attributedTo = $from
		SET r.attributedTo = $into
		RETURN count(r) AS c`
	mergeSurvivorCypher = `
		MATCH (i:Entity {id: $into}) SET i += $props RETURN count(i) AS c`
	mergeRedirectCypher = `
		MATCH (f:Entity {id: $from})
		OPTIONAL MATCH (old:Redirect {into: $from})
		SET old.into = $into
		WITH DISTINCT f
		CREATE (:Redirect {id: $from, into: $into, kind: f.kind, name: f.name, by: $by, mergedAt: datetime()})
		DETACH DELETE f
		RETURN count(*) AS c`
)

// mergeRelsWriteCypher writes the moved relationships: each row's props replace
// what the relationship held. The type is dynamic, from the vocabulary's closed
// list, as in relationshipsCypher.
const mergeRelsWriteCypher = `
		UNWIND $groups AS g
		UNWIND g.rows AS row
		MATCH (a:Entity {id: row.from})
		MATCH (b:Entity {id: row.to})
		MERGE (a)-[x:$(g.key)]->(b)
		SET x = row.props
		RETURN g.key AS key, 'moved' AS outcome, count(*) AS c`

// storedRel is a relationship as a merge reads it.
type storedRel struct {
	typ   string
	out   bool // it starts at the merged entity (or the survivor)
	other string
	props map[string]any
}

// mergePlan is what a merge writes, computed from its reads.
type mergePlan struct {
	rels     []row // rows of mergeRelsWriteCypher
	mentions []row // rows of mergeMentionsWriteCypher
	survivor row   // properties the survivor gets
	ids      []string
	result   model.MergeResult
}

// MergeEntities merges entity from into entity into, in one write transaction,
// and records the merge in the audit trail as src. It returns EINVALID for an
// entity merged into itself or into another kind, or a relationship that would
// point at its own start; ENOTFOUND for an unknown id; nothing changes then.
func (s *Store) MergeEntities(ctx context.Context, from, into string, src model.Source) (*model.MergeResult, error) {
	switch {
	case from == "" || into == "":
		return nil, graph.Errorf(graph.EINVALID, "merge: name the entity to merge and the one to merge it into")
	case from == into:
		return nil, graph.Errorf(graph.EINVALID, "merge: cannot merge %s into itself", from)
	}
	params := map[string]any{"from": from, "into": into}
	var f, i map[string]any
	var plan *mergePlan
	stmts := []statement{
		{cypher: mergeNodesCypher, params: params, check: func(recs []*neo4j.Record) error {
			var err error
			f, i, err = mergeEndpoints(recs, from, into)
			return err
		}},
		{cypher: mergeRelsCypher, params: params},
		{build: func(prev [][]*neo4j.Record) (*statement, error) {
			rels, err := decodeStoredRels(prev[1])
			if err != nil {
				return nil, err
			}
			others := []string{}
			for _, r := range rels {
				if r.other == into {
					return nil, graph.Errorf(graph.EINVALID, "merge: %s %s %s would point at its own start once %s is merged into %s; delete that relationship first",
						from, r.typ, into, from, into)
				}
				others = append(others, r.other)
			}
			return &statement{cypher: mergeTwinsCypher, params: map[string]any{"into": into, "others": others}}, nil
		}},
		{cypher: mergeMentionsCypher, params: params},
		{build: func(prev [][]*neo4j.Record) (*statement, error) {
			var err error
			if plan, err = planMerge(from, into, f, i, prev[1], prev[2], prev[3]); err != nil {
				return nil, err
			}
			if len(plan.rels) == 0 {
				return nil, nil
			}
			n := len(plan.rels)
			return &statement{cypher: mergeRelsWriteCypher, params: groupParams(plan.rels, "type", model.RelTypeNames()),
				check: func(recs []*neo4j.Record) error { _, err := tally("relationships", recs, n); return err }}, nil
		}},
		{build: func([][]*neo4j.Record) (*statement, error) {
			if len(plan.mentions) == 0 {
				return nil, nil
			}
			return &statement{cypher: mergeMentionsWriteCypher, params: map[string]any{"into": into, "rows": plan.mentions}}, nil
		}},
		{cypher: mergeAttributionsCypher, params: params},
		{build: func([][]*neo4j.Record) (*statement, error) {
			return &statement{cypher: mergeSurvivorCypher, params: map[string]any{"into": into, "props": plan.survivor}}, nil
		}},
		{cypher: mergeRedirectCypher, params: map[string]any{"from": from, "into": into, "by": src.By}},
		// The survivor and the entities the merged one was linked to: their
		// relationships changed (moved, combined), so their knownFrom may have.
		{build: func(prev [][]*neo4j.Record) (*statement, error) {
			rels, err := decodeStoredRels(prev[1])
			if err != nil {
				return nil, err
			}
			ids := []string{into}
			for _, r := range rels {
				ids = append(ids, r.other)
			}
			return &statement{cypher: `
				UNWIND $ids AS id
				MATCH (e:Entity {id: id})
				` + flagKnownCypher("e") + `
				WITH count(*) AS flagged` + knownStaleCypher, params: map[string]any{"ids": ids}}, nil
		}},
		{build: func(prev [][]*neo4j.Record) (*statement, error) {
			if len(prev[6]) == 1 {
				n, err := get[int64](prev[6][0], "c")
				if err != nil {
					return nil, decodeErr(err)
				}
				plan.result.AttributionsMoved = int(n)
			}
			r := plan.result
			source := src.ID
			if source == "" {
				source = "merge"
			}
			return auditStatement(auditEntry{by: src.By, action: model.ActionMerge, source: source, ids: plan.ids, counts: []model.AuditCount{
				{Key: "relationships moved", Count: r.RelationshipsMoved}, {Key: "relationships combined", Count: r.RelationshipsCombined},
				{Key: "mentions moved", Count: r.MentionsMoved}, {Key: "attributions moved", Count: r.AttributionsMoved},
				{Key: "aliases added", Count: len(r.AliasesAdded)}, {Key: "conflicts", Count: len(r.Conflicts)},
			}}), nil
		}},
	}
	recs, err := s.run(ctx, true, stmts)
	if err != nil {
		return nil, err
	}
	audit := recs[len(recs)-1]
	if len(audit) != 1 {
		return nil, decodeErr(fmt.Errorf("merge: %d audit records, want 1", len(audit)))
	}
	seq, err := get[int64](audit[0], "seq")
	if err != nil {
		return nil, decodeErr(err)
	}
	plan.result.AuditSeq = int(seq)
	plan.result.From = from
	nodes, err := s.Nodes(ctx, []string{into})
	if err != nil {
		return nil, err
	}
	if plan.result.Into, _ = nodes[into].(model.Entity); plan.result.Into == nil {
		return nil, graph.Errorf(graph.EINTERNAL, "merge: %s not found after the merge", into)
	}
	return &plan.result, nil
}

// mergeEndpoints reads mergeNodesCypher's record: the two entities' properties,
// or the refusal.
func mergeEndpoints(recs []*neo4j.Record, from, into string) (f, i map[string]any, err error) {
	if len(recs) != 1 {
		return nil, nil, decodeErr(fmt.Errorf("merge: %d records, want 1", len(recs)))
	}
	rec := recs[0]
	f, fNil, err := getOrNil[map[string]any](rec, "f")
	if err != nil {
		return nil, nil, decodeErr(err)
	}
	i, iNil, err := getOrNil[map[string]any](rec, "i")
	if err != nil {
		return nil, nil, decodeErr(err)
	}
	for _, e := range []struct {
		id, col string
		absent  bool
	}{{from, "fromMerged", fNil}, {into, "intoMerged", iNil}} {
		if !e.absent {
			continue
		}
		if to, isNil, _ := getOrNil[string](rec, e.col); !isNil && to != "" {
			return nil, nil, graph.Errorf(graph.EINVALID, "merge: %s was already merged into %s; use %s", e.id, to, to)
		}
		return nil, nil, graph.Errorf(graph.ENOTFOUND, "merge: unknown entity %q", e.id)
	}
	if fk, ik := str(f, "kind"), str(i, "kind"); fk != ik {
		return nil, nil, graph.Errorf(graph.EINVALID, "merge: %s is %s and %s is %s; only entities of the same kind merge",
			from, withArticle(fk), into, withArticle(ik))
	}
	return f, i, nil
}

func withArticle(k string) string {
	if k != "" && strings.ContainsRune("AEIOU", rune(k[0])) {
		return "an " + k
	}
	return "a " + k
}

func decodeStoredRels(recs []*neo4j.Record) ([]storedRel, error) {
	out := make([]storedRel, 0, len(recs))
	for _, rec := range recs {
		var r storedRel
		var err error
		if r.typ, err = get[string](rec, "type"); err != nil {
			return nil, decodeErr(err)
		}
		if r.out, err = get[bool](rec, "out"); err != nil {
			return nil, decodeErr(err)
		}
		if r.other, err = get[string](rec, "other"); err != nil {
			return nil, decodeErr(err)
		}
		if r.props, err = get[map[string]any](rec, "props"); err != nil {
			return nil, decodeErr(err)
		}
		out = append(out, r)
	}
	return out, nil
}

// planMerge computes a merge's writes from its reads: f and i are the two
// entities' properties; rels, twins and mentions the records of mergeRelsCypher,
// mergeTwinsCypher and mergeMentionsCypher.
func planMerge(from, into string, f, i map[string]any, relRecs, twinRecs, mentionRecs []*neo4j.Record) (*mergePlan, error) {
	rels, err := decodeStoredRels(relRecs)
	if err != nil {
		return nil, err
	}
	twins, err := decodeStoredRels(twinRecs)
	if err != nil {
		return nil, err
	}
	twinAt := map[string]storedRel{}
	for _, t := range twins {
		twinAt[fmt.Sprint(t.typ, t.out, t.other)] = t
	}
	p := &mergePlan{ids: []string{from, into}}
	for _, r := range rels {
		a, b := into, r.other
		if !r.out {
			a, b = r.other, into
		}
		rec, err := relRecord(r.typ, a, b, r.props)
		if err != nil {
			return nil, err
		}
		if rec.AttributedTo == from {
			rec.AttributedTo = into
		}
		stored := []map[string]any{r.props}
		if t, ok := twinAt[fmt.Sprint(r.typ, r.out, r.other)]; ok {
			keep, err := relRecord(t.typ, a, b, t.props)
			if err != nil {
				return nil, err
			}
			var conflicts []string
			rec, conflicts = model.CombineRelationships(keep, rec)
			p.result.Conflicts = append(p.result.Conflicts, conflicts...)
			p.result.RelationshipsCombined++
			stored = []map[string]any{t.props, r.props}
		}
		props, err := relationshipProps(rec)
		if err != nil {
			return nil, err
		}
		if err := carryOver(props, stored); err != nil {
			return nil, decodeErr(err)
		}
		if len(stored) == 2 && stored[0]["_hash"] != nil {
			// The survivor's relationship keeps its content hash: reloading the
			// survivor's own unchanged record leaves the combined one as it is.
			props["_hash"] = stored[0]["_hash"]
		}
		p.rels = append(p.rels, row{"from": a, "type": r.typ, "to": b, "props": props})
		p.ids = append(p.ids, model.RelationshipID(a, r.typ, b))
		p.result.RelationshipsMoved++
	}
	for _, rec := range mentionRecs {
		doc, err := get[string](rec, "doc")
		if err != nil {
			return nil, decodeErr(err)
		}
		var sents []int
		for _, col := range []string{"fs", "is"} {
			raw, err := get[[]any](rec, col)
			if err != nil {
				return nil, decodeErr(err)
			}
			for _, v := range raw {
				n, ok := v.(int64)
				if !ok {
					return nil, decodeErr(fmt.Errorf("mentions of %s: a sentence number is a %T", doc, v))
				}
				sents = append(sents, int(n))
			}
		}
		slices.Sort(sents)
		sents = slices.Compact(sents)
		props := row{"sentences": sents, "count": len(sents)}
		props["_hash"] = hashOf(props)
		p.mentions = append(p.mentions, row{"doc": doc, "props": props})
		p.result.MentionsMoved++
	}
	if p.survivor, p.result.AliasesAdded, err = survivorProps(f, i); err != nil {
		return nil, decodeErr(err)
	}
	p.result.Conflicts = nonNil(p.result.Conflicts)
	return p, nil
}

// survivorProps returns the properties the survivor i gets from f: f's name and
// aliases as aliases (those it does not already have under any case), and the
// union of both provenances (issue 16.1's `sources` and `prov` lists, each absent
// meaning empty). The survivor's content hash is kept, so reloading the
// survivor's own unchanged record leaves the aliases it gained.
func survivorProps(f, i map[string]any) (row, []string, error) {
	if ic, fc := str(i, "claims"), str(f, "claims"); ic != "" || fc != "" {
		return survivorFromClaims(f, i, ic, fc)
	}
	aliases := strs(i, "aliases")
	have := map[string]bool{strings.ToLower(str(i, "name")): true}
	for _, a := range aliases {
		have[strings.ToLower(a)] = true
	}
	var added []string
	for _, n := range append([]string{str(f, "name")}, strs(f, "aliases")...) {
		if n != "" && !have[strings.ToLower(n)] {
			have[strings.ToLower(n)] = true
			aliases = append(aliases, n)
			added = append(added, n)
		}
	}
	props := row{"aliases": nonNil(aliases), "aliasText": strings.Join(aliases, " | ")}
	err := carryProvenance(props, []map[string]any{i, f})
	return props, nonNil(added), err
}

// survivorFromClaims is survivorProps for entities that keep their sources'
// claims: the survivor's claims gain the merged entity's (model.MergedClaims) and
// its fields are what they combine to, content hash included, as a load of the
// same claims would write them.
func survivorFromClaims(f, i map[string]any, ic, fc string) (row, []string, error) {
	into, err := model.DecodeClaims(ic)
	if err != nil {
		return nil, nil, err
	}
	from, err := model.DecodeClaims(fc)
	if err != nil {
		return nil, nil, err
	}
	claims := model.MergedClaims(into, from, str(f, "id"), str(i, "id"))
	combined, _ := model.CombineClaims(claims)
	props := entityProps(combined, model.EncodeClaims(claims))
	before := strs(i, "aliases")
	var added []string
	for _, a := range combined.Aliases {
		if !slices.Contains(before, a) {
			added = append(added, a)
		}
	}
	err = carryProvenance(props, []map[string]any{i, f})
	return props, nonNil(added), err
}

// carryOver copies into props the stored properties that relationshipProps does
// not make (provenance and whatever later features add), from the first of
// stored that has each, and unions the provenance lists.
func carryOver(props row, stored []map[string]any) error {
	for _, m := range stored {
		for k, v := range m {
			if _, ok := props[k]; !ok && k != "sources" && k != "prov" {
				props[k] = v
			}
		}
	}
	return carryProvenance(props, stored)
}

// carryProvenance sets props' `sources` to the union of the stored lists and
// `prov` to the union of their entries (model.UniteProvenance), when any of
// stored has them. A `prov` that does not decode is an error of the store.
func carryProvenance(props row, stored []map[string]any) error {
	var sources []string
	var provs [][]model.Provenance
	has := false
	for _, m := range stored {
		if _, ok := m["sources"]; ok {
			has = true
			for _, s := range strs(m, "sources") {
				if !slices.Contains(sources, s) {
					sources = append(sources, s)
				}
			}
		}
		if pv, ok := m["prov"].(string); ok {
			has = true
			ps, err := model.DecodeProvenance(pv)
			if err != nil {
				return err
			}
			provs = append(provs, ps)
		}
	}
	if has {
		props["sources"] = nonNil(sources)
		props["prov"] = model.EncodeProvenance(model.UniteProvenance(provs...))
	}
	return nil
}

// relRecord reads a stored relationship's properties back into a record.
func relRecord(typ, from, to string, p map[string]any) (model.RelationshipRecord, error) {
	r := model.RelationshipRecord{Type: typ, From: from, To: to,
		ValidFrom: str(p, "validFrom"), ValidTo: str(p, "validTo"), AttributedTo: str(p, "attributedTo"), Note: str(p, "note")}
	if c, ok := p["confidence"].(float64); ok {
		r.Confidence = &c
	}
	docs, quotes := strs(p, "evidenceDocs"), strs(p, "evidenceQuotes")
	sents, _ := p["evidenceSentences"].([]any)
	if len(docs) != len(quotes) || len(docs) != len(sents) {
		return r, decodeErr(fmt.Errorf("%s: evidence lists of %d docs, %d sentences, %d quotes", r.Key(), len(docs), len(sents), len(quotes)))
	}
	for k := range docs {
		n, ok := sents[k].(int64)
		if !ok {
			return r, decodeErr(fmt.Errorf("%s: evidence sentence %d is a %T", r.Key(), k, sents[k]))
		}
		r.Evidence = append(r.Evidence, model.Evidence{Doc: docs[k], Sentence: int(n), Quote: quotes[k]})
	}
	return r, nil
}
