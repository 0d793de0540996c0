package neo4jstore

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"tradegraph/graph/model"
)

// Entity claims: an entity keeps every source's claim (its `claims` property) and
// shows what model.CombineClaims makes of them. A batch writes its entities in at
// most two statements of one transaction. The first merges them in id order (so
// two writers of one entity take turns): an entity that does not exist yet is
// created with the batch's claim as its only claim, which Prepare has combined
// beforehand (the rows claimRows makes over an empty store), and is done; an
// entity that exists is locked and its claims, sources and prov are read. Go then
// puts the batch's claim in among the stored ones, combines, and the second
// statement writes the combined fields with the new claims, sources and prov; a
// batch of new entities (a first load) needs no second statement. A concurrent
// writer of the same entity waits for the lock (or for the creating transaction)
// and then reads the claims this one wrote, so no claim is lost and the fields
// never depend on which writer came last.

// createOrLockEntitiesCypher merges the entities $rows (sorted by id): a new one
// gets its row's properties, kind label, sources and prov; an existing one is
// locked. It returns, per kind, how many it created (outcome and c, as the
// writer's statements count) and what the combination needs of the others
// (stored).
var createOrLockEntitiesCypher = func() string {
	var labels strings.Builder
	for _, k := range entityKinds {
		fmt.Fprintf(&labels, `
		FOREACH (_ IN CASE WHEN created AND row.kind = '%[1]s' THEN [1] ELSE [] END | SET x:%[1]s)`, k)
	}
	return `
		UNWIND $rows AS row
		MERGE (x:Entity {id: row.id})
			ON CREATE SET x = row.props, x.sources = row.sources, x.prov = row.prov, x._created = true
		WITH row, x, x._created IS NOT NULL AS created
		REMOVE x._created` + labels.String() + `
		FOREACH (_ IN CASE WHEN created THEN [] ELSE [1] END | SET x._lock = true REMOVE x._lock)
		WITH row, created, CASE WHEN created THEN null ELSE
			{id: row.id, claims: coalesce(x.claims, ''), sources: coalesce(x.sources, []), prov: coalesce(x.prov, '')} END AS stored
		RETURN row.kind AS key, 'created' AS outcome, sum(CASE WHEN created THEN 1 ELSE 0 END) AS c, collect(stored) AS stored`
}()

// lockEntitiesCypher merges the entities $ids (creating the missing ones bare,
// with an empty content hash, for the write to fill in), locks them and returns
// what the combination needs. It is the first statement of a batch that names
// an entity twice, whose later record must see the earlier one written.
const lockEntitiesCypher = `
		UNWIND $ids AS id
		MERGE (x:Entity {id: id}) ` + onCreate + `
		SET x._lock = true REMOVE x._lock
		RETURN id, coalesce(x.claims, '') AS claims, coalesce(x.sources, []) AS sources, coalesce(x.prov, '') AS prov`

// storedEntity is what the first statement read of one existing entity.
type storedEntity struct {
	claims  []model.EntityClaim
	sources []string
	prov    []model.Provenance
}

// decodeStored reads one entity's claims, sources and prov as the first
// statement returns them, into out[id].
func decodeStored(out map[string]storedEntity, id string, claims string, sources []any, prov string) error {
	var st storedEntity
	var err error
	if st.claims, err = model.DecodeClaims(claims); err != nil {
		return fmt.Errorf("entity %s: %w", id, err)
	}
	if st.sources, err = stringList(sources); err != nil {
		return fmt.Errorf("entity %s sources: %w", id, err)
	}
	if st.prov, err = model.DecodeProvenance(prov); err != nil {
		return fmt.Errorf("entity %s: %w", id, err)
	}
	out[id] = st
	return nil
}

// decodeStoredEntities reads the records of lockEntitiesCypher by id.
func decodeStoredEntities(recs []*neo4j.Record) (map[string]storedEntity, error) {
	out := make(map[string]storedEntity, len(recs))
	for _, rec := range recs {
		id, err := get[string](rec, "id")
		if err != nil {
			return nil, err
		}
		claims, err := get[string](rec, "claims")
		if err != nil {
			return nil, err
		}
		srcs, err := get[[]any](rec, "sources")
		if err != nil {
			return nil, err
		}
		prov, err := get[string](rec, "prov")
		if err != nil {
			return nil, err
		}
		if err := decodeStored(out, id, claims, srcs, prov); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// decodeLocked reads the `stored` lists of createOrLockEntitiesCypher's records
// by id, and checks that its records account for all n rows.
func decodeLocked(recs []*neo4j.Record, n int) (map[string]storedEntity, error) {
	out := map[string]storedEntity{}
	created := 0
	for _, rec := range recs {
		c, err := get[int64](rec, "c")
		if err != nil {
			return nil, err
		}
		created += int(c)
		list, err := get[[]any](rec, "stored")
		if err != nil {
			return nil, err
		}
		for _, v := range list {
			m, ok := v.(map[string]any)
			if !ok {
				return nil, fmt.Errorf("stored: want a map, got %T", v)
			}
			id, ok1 := m["id"].(string)
			claims, ok2 := m["claims"].(string)
			srcs, ok3 := m["sources"].([]any)
			prov, ok4 := m["prov"].(string)
			if !(ok1 && ok2 && ok3 && ok4) {
				return nil, fmt.Errorf("stored: missing or mistyped fields in %v", m)
			}
			if err := decodeStored(out, id, claims, srcs, prov); err != nil {
				return nil, err
			}
		}
	}
	if created+len(out) != n {
		return nil, fmt.Errorf("entities: %d created and %d locked of %d rows", created, len(out), n)
	}
	return out, nil
}

// addEntities appends the statements that write ents as src's claims.
func (p *preparedBatch) addEntities(src model.Source, prov map[string]any, ents []model.EntityRecord) error {
	ids := make([]string, 0, len(ents))
	for _, e := range ents {
		if _, err := entityKind(e); err != nil {
			return err
		}
		ids = append(ids, e.ID)
	}
	slices.Sort(ids)
	ids = slices.Compact(ids)
	now := prov["provNow"].(string)
	first := len(p.stmts)
	if len(ids) < len(ents) {
		p.addUncounted(statement{cypher: lockEntitiesCypher, params: map[string]any{"ids": ids}})
		p.addCombined(src, now, ents, first, decodeStoredEntities)
		return nil
	}
	// Each entity once: the rows of the new ones are combined here, while the
	// previous batch is being written, not inside this batch's transaction.
	rows, _, err := claimRows(src, now, ents, nil)
	if err != nil {
		return err
	}
	slices.SortFunc(rows, func(a, b row) int { return strings.Compare(a["id"].(string), b["id"].(string)) })
	// Its records are checked (every row created or locked) where the next
	// statement is built from them, in the same transaction.
	p.stmts = append(p.stmts, statement{cypher: createOrLockEntitiesCypher, params: rowsParams(rows)})
	p.keys = append(p.keys, "entities")
	p.addCombined(src, now, ents, first, func(recs []*neo4j.Record) (map[string]storedEntity, error) {
		return decodeLocked(recs, len(rows))
	})
	return nil
}

// addCombined appends the statement that writes, of ents, those the statement
// at index first found in the graph (decode reads them off its records),
// combined with what they stored; nothing when it found none.
func (p *preparedBatch) addCombined(src model.Source, now string, ents []model.EntityRecord, first int,
	decode func([]*neo4j.Record) (map[string]storedEntity, error)) {
	p.stmts = append(p.stmts, statement{build: func(prev [][]*neo4j.Record) (*statement, error) {
		stored, err := decode(prev[first])
		if err != nil {
			return nil, decodeErr(err)
		}
		var found []model.EntityRecord
		for _, e := range ents {
			if _, ok := stored[e.ID]; ok {
				found = append(found, e)
			}
		}
		p.conflicts = nil
		if len(found) == 0 {
			return nil, nil
		}
		rows, conflicts, err := claimRows(src, now, found, stored)
		if err != nil {
			return nil, err
		}
		p.conflicts = conflicts
		n := len(found)
		return &statement{cypher: entitiesCypher, params: groupParams(rows, "kind", entityKinds), check: func(recs []*neo4j.Record) error {
			_, err := tally("entities", recs, n)
			return err
		}}, nil
	}})
	p.keys = append(p.keys, "entities")
}

// claimRows returns the rows of entitiesCypher for ents claimed by src at now,
// over what the graph stored, and the conflicts src's claims take part in.
func claimRows(src model.Source, now string, ents []model.EntityRecord, stored map[string]storedEntity) ([]row, []model.EntityConflict, error) {
	rows := make([]row, 0, len(ents))
	var conflicts []model.EntityConflict
	for _, e := range ents {
		k, err := entityKind(e)
		if err != nil {
			return nil, nil, err
		}
		st := stored[e.ID]
		claim := model.EntityClaim{Source: src.ID, Priority: src.Priority, Record: e, Cleared: e.Cleared}
		claim.Record.Cleared = nil
		claims := model.UpsertClaim(st.claims, claim, src.Prefer)
		// The writing claim goes first: it decides the entity's kind.
		slices.SortStableFunc(claims, func(a, b model.EntityClaim) int {
			if a.Source == src.ID {
				return -1
			}
			if b.Source == src.ID {
				return 1
			}
			return 0
		})
		combined, fcs := model.CombineClaims(claims)
		for _, fc := range fcs {
			if mine, others := fc.Other(src.ID); mine != "" && len(others) > 0 {
				conflicts = append(conflicts, model.EntityConflict{Entity: e.ID, FieldConflict: fc})
			}
		}
		sources, prov := addProvenance(st.sources, st.prov, src, now)
		rows = append(rows, row{"id": e.ID, "kind": string(k), "props": entityProps(combined, model.EncodeClaims(claims)),
			"sources": sources, "prov": model.EncodeProvenance(prov)})
	}
	return rows, conflicts, nil
}

// addProvenance returns sources and prov with src asserting the fact at now.
func addProvenance(sources []string, prov []model.Provenance, src model.Source, now string) ([]string, []model.Provenance) {
	if !slices.Contains(sources, src.ID) {
		sources = append(slices.Clone(sources), src.ID)
	}
	prov = slices.Clone(prov)
	i := slices.IndexFunc(prov, func(p model.Provenance) bool { return p.Source == src.ID })
	if i < 0 {
		prov = append(prov, model.Provenance{Source: src.ID, FirstSeen: now, LastSeen: now, By: src.By})
	} else {
		prov[i].LastSeen, prov[i].By = now, src.By
	}
	return sources, prov
}

// previewCypher reads the entities $ids that exist: their properties (claims
// among them).
const previewCypher = `
		UNWIND $ids AS id
		MATCH (x:Entity {id: id})
		RETURN id, properties(x) AS props`

// PreviewEntities returns, for each of ents that the graph holds already, what
// writing it as src's claim would change, field by field, and the conflicts
// src's claim would take part in. It writes nothing.
func (s *Store) PreviewEntities(ctx context.Context, src model.Source, ents []model.EntityRecord) ([]model.EntityPreview, error) {
	ids := make([]string, len(ents))
	for i, e := range ents {
		ids[i] = e.ID
	}
	res, err := s.read(ctx, previewCypher, map[string]any{"ids": ids})
	if err != nil {
		return nil, fmt.Errorf("preview %d entities: %w", len(ids), err)
	}
	stored := map[string]map[string]any{}
	for _, rec := range res.Records {
		id, err := get[string](rec, "id")
		if err != nil {
			return nil, decodeErr(err)
		}
		if stored[id], err = get[map[string]any](rec, "props"); err != nil {
			return nil, decodeErr(err)
		}
	}
	var out []model.EntityPreview
	for _, e := range ents {
		props, ok := stored[e.ID]
		if !ok {
			continue
		}
		claims, err := model.DecodeClaims(str(props, "claims"))
		if err != nil {
			return nil, decodeErr(fmt.Errorf("entity %s: %w", e.ID, err))
		}
		claim := model.EntityClaim{Source: src.ID, Priority: src.Priority, Record: e, Cleared: e.Cleared}
		claim.Record.Cleared = nil
		after, fcs := model.CombineClaims(model.UpsertClaim(claims, claim, src.Prefer))
		after.ID, after.Kind = e.ID, e.Kind
		p := model.EntityPreview{ID: e.ID, Changes: model.DiffEntity(recordOf(props), after)}
		for _, fc := range fcs {
			if mine, others := fc.Other(src.ID); mine != "" && len(others) > 0 {
				p.Conflicts = append(p.Conflicts, fc)
			}
		}
		out = append(out, p)
	}
	return out, nil
}

// recordOf returns the claim fields of an entity's stored properties.
func recordOf(m map[string]any) model.EntityRecord {
	e := model.EntityRecord{ID: str(m, "id"), Kind: str(m, "kind"), Type: str(m, "type"), Name: str(m, "name"),
		Aliases: strs(m, "aliases"), Description: str(m, "description"), Role: str(m, "role"), Start: str(m, "start"),
		End: str(m, "end"), Place: str(m, "place"), Category: str(m, "category"), Uses: strs(m, "uses"),
		Status: str(m, "status"), Unit: str(m, "unit")}
	if r, ok := num(m["rate"]); ok {
		e.Rate = &r
	}
	return e
}
