package neo4jstore

import (
	"context"
	"fmt"
	"slices"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"tradegraph/graph/model"
)

// Entity claims: an entity keeps every source's claim (its `claims` property) and
// shows what model.CombineClaims makes of them. A batch writes its entities in two
// statements of one transaction: the first merges and locks them (in id order, so
// two writers of one entity take turns) and reads their claims, sources and
// prov; Go then puts the batch's claim in, combines, and the second writes the
// combined fields with the new claims, sources and prov. A concurrent writer of
// the same entity waits for the lock and then reads the claims this one wrote,
// so no claim is lost and the fields never depend on which writer came last.

// lockEntitiesCypher merges the entities $ids (creating the missing ones bare,
// with an empty content hash, for the write to fill in), locks them and returns
// what the combination needs.
const lockEntitiesCypher = `
		UNWIND $ids AS id
		MERGE (x:Entity {id: id}) ` + onCreate + `
		SET x._lock = true REMOVE x._lock
		RETURN id, coalesce(x.claims, '') AS claims, coalesce(x.sources, []) AS sources, coalesce(x.prov, '') AS prov`

// storedEntity is what lockEntitiesCypher read of one entity.
type storedEntity struct {
	claims  []model.EntityClaim
	sources []string
	prov    []model.Provenance
}

// decodeStoredEntities reads the records of lockEntitiesCypher by id.
func decodeStoredEntities(recs []*neo4j.Record) (map[string]storedEntity, error) {
	out := make(map[string]storedEntity, len(recs))
	for _, rec := range recs {
		id, err := get[string](rec, "id")
		if err != nil {
			return nil, err
		}
		raw, err := get[string](rec, "claims")
		if err != nil {
			return nil, err
		}
		var st storedEntity
		if st.claims, err = model.DecodeClaims(raw); err != nil {
			return nil, fmt.Errorf("entity %s: %w", id, err)
		}
		srcs, err := get[[]any](rec, "sources")
		if err != nil {
			return nil, err
		}
		if st.sources, err = stringList(srcs); err != nil {
			return nil, fmt.Errorf("entity %s sources: %w", id, err)
		}
		if raw, err = get[string](rec, "prov"); err != nil {
			return nil, err
		}
		if st.prov, err = model.DecodeProvenance(raw); err != nil {
			return nil, fmt.Errorf("entity %s: %w", id, err)
		}
		out[id] = st
	}
	return out, nil
}

// addEntities appends the two statements that write ents as src's claims.
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
	lock := len(p.stmts)
	p.addUncounted(statement{cypher: lockEntitiesCypher, params: map[string]any{"ids": ids}})
	now := prov["provNow"].(string)
	check := func(recs []*neo4j.Record) error {
		_, err := tally("entities", recs, len(ents))
		return err
	}
	p.stmts = append(p.stmts, statement{build: func(prev [][]*neo4j.Record) (*statement, error) {
		stored, err := decodeStoredEntities(prev[lock])
		if err != nil {
			return nil, decodeErr(err)
		}
		rows, conflicts, err := claimRows(src, now, ents, stored)
		if err != nil {
			return nil, err
		}
		p.conflicts = conflicts
		return &statement{cypher: entitiesCypher, params: groupParams(rows, "kind", entityKinds), check: check}, nil
	}})
	p.keys = append(p.keys, "entities")
	return nil
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
