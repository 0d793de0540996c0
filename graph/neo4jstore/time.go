package neo4jstore

import (
	"context"
	"fmt"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"tradegraph/graph/model"
)

// Time in the graph (docs/model.md, "Time"). What the batch writer derives and
// stores so that every time window is a comparison of stored date
// properties, never a computation at read time:
//
//   - on an entity, lifeFrom/lifeTo: the first and last day of model.Lifetime (a
//     meeting's start..end, a policy's first milestone..ended); absent when open;
//   - on a policy, its milestones as written (announced, inForce, suspended,
//     ended) and its status history as two parallel lists, statusDates and
//     statusValues (Neo4j stores no maps);
//   - on a relationship, knownFrom (the first day of the earliest publication
//     date of its evidence documents), effFrom/effTo (its effective validity,
//     model.EffectiveValidity) and dateSource (model.DateSource); and effSpan,
//     the same validity as one list [effFrom, effTo] with an open end as
//     0001-01-01 or 9999-12-31, absent when UNKNOWN, so that a valid-time window
//     reads one property of each relationship it walks (windowCypher).
//
// A relationship's effective dates are derived in Cypher from what is stored
// (effCypher), inside the batch's transaction: when the relationship is written,
// and again for every relationship touching an entity whose lifetime changed or
// citing a document whose date changed (recomputeCypher), so they never go stale.

// entityTimeProps adds a policy's milestones and status history to p, before the
// content hash is taken.
func entityTimeProps(e model.EntityRecord, p row) {
	for k, v := range map[string]string{"announced": e.Announced, "inForce": e.InForce, "suspended": e.Suspended, "ended": e.Ended} {
		if v != "" {
			p[k] = v
		}
	}
	if len(e.StatusHistory) > 0 {
		dates := make([]string, len(e.StatusHistory))
		values := make([]string, len(e.StatusHistory))
		for i, c := range e.StatusHistory {
			dates[i], values[i] = c.Date, c.Status
		}
		p["statusDates"], p["statusValues"] = dates, values
	}
}

// entityLifeProps adds the derived lifetime bounds to p, after the content hash.
func entityLifeProps(e model.EntityRecord, p row) {
	life := e.Lifetime()
	if !life.From.IsZero() {
		p["lifeFrom"] = neo4j.DateOf(life.From)
	}
	if !life.To.IsZero() {
		p["lifeTo"] = neo4j.DateOf(life.To)
	}
}

// lifeKey is a string that changes when an entity's (or a document's) derived
// dates change, compared before and after a write to mark what must be
// recomputed.
func lifeKey(v string) string {
	return fmt.Sprintf(`coalesce(toString(%[1]s.lifeFrom), '') + '|' + coalesce(toString(%[1]s.lifeTo), '')`, v)
}

func docDateKey(v string) string {
	return fmt.Sprintf(`coalesce(toString(%[1]s.dateFirst), '')`, v)
}

// markStale, appended to the entities and documents statements after their SET,
// flags an updated node whose dates changed (staleKey is the key taken before the
// SET, as life0) so that recomputeCypher, later in the same transaction, rederives
// the relationships that depend on it.
func markStale(newKey string) string {
	return `
			FOREACH (_ IN CASE WHEN outcome = 'updated' AND life0 <> ` + newKey + ` THEN [1] ELSE [] END | SET x._timeStale = true)`
}

// effCypher derives the knownFrom, effFrom, effTo and dateSource of relationship
// r from its stated dates, its endpoints' lifetimes and its evidence documents'
// dates: model.EffectiveValidity in Cypher (TestEffectiveMatchesModel holds the
// two together). It is the body of a unit subquery over r.
const effCypher = `
		WITH r, startNode(r) AS a, endNode(r) AS b,
			COLLECT { UNWIND r.evidenceDocs AS did MATCH (d:Document {id: did}) WHERE d.dateFirst IS NOT NULL
				RETURN d.dateFirst AS day ORDER BY day LIMIT 1 } AS kf
		WITH r, kf[0] AS known, r.validFromDate IS NOT NULL OR r.validToDate IS NOT NULL AS stated,
			reduce(m = r.validFromDate, d IN [a.lifeFrom, b.lifeFrom] | CASE WHEN d IS NULL OR (m IS NOT NULL AND m >= d) THEN m ELSE d END) AS f,
			reduce(m = r.validToDate, d IN [a.lifeTo, b.lifeTo] | CASE WHEN d IS NULL OR (m IS NOT NULL AND m <= d) THEN m ELSE d END) AS t
		WITH r, known, stated, f, t, f IS NOT NULL AND t IS NOT NULL AND t < f AS empty
		WITH r, known, CASE
				WHEN stated AND empty THEN ['STATED', r.validFromDate, r.validToDate]
				WHEN stated THEN ['STATED', f, t]
				WHEN NOT empty AND (f IS NOT NULL OR t IS NOT NULL) THEN ['ENDPOINT', f, t]
				WHEN known IS NOT NULL THEN ['EVIDENCE', known, null]
				ELSE ['UNKNOWN', null, null] END AS eff
		SET r.knownFrom = known, r.dateSource = eff[0], r.effFrom = eff[1], r.effTo = eff[2],
			r.effSpan = CASE WHEN eff[0] = 'UNKNOWN' THEN null
				ELSE [coalesce(eff[1], date('` + spanMin + `')), coalesce(eff[2], date('` + spanMax + `'))] END`

// spanMin and spanMax stand for an open end in effSpan: before and after every
// date a window can name (model.ParseDate takes years 1000-9999).
const (
	spanMin = "0001-01-01"
	spanMax = "9999-12-31"
)

// relEffCypher, in the relationships statement, derives the effective dates of
// the relationships the batch created or updated.
const relEffCypher = `
			CALL (x, outcome) {
				WITH x AS r WHERE outcome <> 'unchanged'` + effCypher + `
			}`

// recomputeCypher rederives the relationships touching the entities of $entities,
// and citing the documents of $docs, that the batch's statements marked stale.
// Finding the relationships that cite a document is a scan of all relationships
// (evidence documents are a list property): it runs only when a document already
// in the graph changed its date, which corrections do, not loads.
const recomputeCypher = `
		CALL () {
			UNWIND $entities AS id
			MATCH (e:Entity {id: id}) WHERE e._timeStale
			REMOVE e._timeStale
			WITH e
			MATCH (e)-[r]-(:Entity)
			RETURN r
			UNION
			UNWIND $docs AS id
			MATCH (d:Document {id: id}) WHERE d._timeStale
			REMOVE d._timeStale
			WITH collect(d.id) AS stale WHERE size(stale) > 0
			MATCH (:Entity)-[r]->(:Entity) WHERE any(doc IN r.evidenceDocs WHERE doc IN stale)
			RETURN r
		}
		CALL (r) {` + effCypher + `
		}
		RETURN count(*) AS recomputed`

// recomputeStatement returns the statement that rederives the relationships
// depending on the batch's entities and documents whose dates changed; writers
// are the indexes of the batch's node statements.
func recomputeStatement(b model.Batch, writers []int) statement {
	ents := make([]string, len(b.Entities))
	for i, e := range b.Entities {
		ents[i] = e.ID
	}
	docs := make([]string, len(b.Documents))
	for i, d := range b.Documents {
		docs[i] = d.ID
	}
	st := statement{cypher: recomputeCypher, params: map[string]any{"entities": ents, "docs": docs}}
	// Only an updated node can have been marked stale (markStale): a batch
	// whose node statements (at writers, the indexes of their outcomes) created
	// or left unchanged every node has nothing to rederive, as on a first load.
	return statement{build: func(prev [][]*neo4j.Record) (*statement, error) {
		for _, i := range writers {
			for _, rec := range prev[i] {
				o, err := get[string](rec, "outcome")
				if err != nil {
					return nil, decodeErr(err)
				}
				if o == "updated" {
					return &st, nil
				}
			}
		}
		return nil, nil
	}}
}

// backfillBatch is how many relationships one backfill transaction derives.
const backfillBatch = 20000

// backfillTime derives the lifetimes of meetings and the effective dates of
// relationships stored before they existed (a graph loaded by an earlier
// version, or by something other than the writer). On a current graph it finds
// nothing: a scan of the relationships' dateSource.
func (s *Store) backfillTime(ctx context.Context) error {
	// Policies written before milestones existed have none: an open lifetime.
	meetings := statement{cypher: `
		MATCH (m:Meeting) WHERE m.startFrom IS NOT NULL AND m.lifeFrom IS NULL
		SET m.lifeFrom = m.startFrom, m.lifeTo = m.endTo`}
	if _, err := s.run(ctx, true, []statement{meetings}); err != nil {
		return fmt.Errorf("backfill meeting lifetimes: %w", err)
	}
	return s.DeriveDates(ctx)
}

// DeriveDates derives the effective dates of every relationship that has none,
// or that is dated but lacks effSpan (a graph written before effSpan existed),
// (effCypher, the derivation the writer's transaction runs) in one pass of an
// auto-commit CALL {...} IN TRANSACTIONS, backfillBatch relationships per
// transaction. (A LIMIT loop of managed transactions rescans the relationships
// it has already derived: on a graph of a million relationships that was most
// of its time.) bench/loadcsv runs it after LOAD CSV, timed, so that the
// reference does the same work as the writer.
func (s *Store) DeriveDates(ctx context.Context) error {
	sess := s.driver.NewSession(ctx, neo4j.SessionConfig{DatabaseName: s.db, AccessMode: neo4j.AccessModeWrite})
	defer sess.Close(context.Background())
	res, err := sess.Run(ctx, `
		MATCH (:Entity)-[r]->(:Entity) WHERE r.dateSource IS NULL OR (r.dateSource <> 'UNKNOWN' AND r.effSpan IS NULL)
		CALL (r) {`+effCypher+`
		} IN TRANSACTIONS OF $n ROWS`, map[string]any{"n": backfillBatch})
	if err == nil {
		_, err = res.Consume(ctx)
	}
	if err != nil {
		return fmt.Errorf("derive effective dates: %w", err)
	}
	return nil
}

// dateOf returns a stored date property as a day, zero when absent.
func dateOf(v any) time.Time {
	if d, ok := v.(neo4j.Date); ok {
		return d.Time()
	}
	return time.Time{}
}

// dayOrNil returns a stored date property as a day-precision PartialDate.
func dayOrNil(v any) *model.PartialDate {
	t := dateOf(v)
	if t.IsZero() {
		return nil
	}
	return model.DateOrNil(t.Format(time.DateOnly))
}

// relDates reads a relationship's derived dates. A relationship stored before
// they existed, and not backfilled yet, reads as UNKNOWN.
func relDates(props map[string]any) *model.RelationshipDates {
	src := model.DateSource(str(props, "dateSource"))
	if src == "" {
		src = model.DatesUnknown
	}
	return &model.RelationshipDates{From: dayOrNil(props["effFrom"]), To: dayOrNil(props["effTo"]),
		Source: src, KnownFrom: dayOrNil(props["knownFrom"])}
}

// policyTime reads a policy's milestones, status history and lifetime.
func policyTime(p *model.Policy, m map[string]any) {
	p.Announced, p.InForce = model.DateOrNil(str(m, "announced")), model.DateOrNil(str(m, "inForce"))
	p.Suspended, p.Ended = model.DateOrNil(str(m, "suspended")), model.DateOrNil(str(m, "ended"))
	dates, values := strs(m, "statusDates"), strs(m, "statusValues")
	p.StatusHistory = []model.PolicyStatusChange{}
	for i := range dates {
		if i < len(values) {
			p.StatusHistory = append(p.StatusHistory, model.PolicyStatusChange{Date: model.DateOrNil(dates[i]), Status: values[i]})
		}
	}
	p.Lifetime = &model.DateSpan{From: dayOrNil(m["lifeFrom"]), To: dayOrNil(m["lifeTo"])}
}

// lifetimes returns the stored lifetimes of the entities ids that have one.
func (s *Store) lifetimes(ctx context.Context, ids []string) (map[string]model.Span, error) {
	res, err := s.read(ctx, `
		UNWIND $ids AS id
		MATCH (e:Entity {id: id}) WHERE e.lifeFrom IS NOT NULL OR e.lifeTo IS NOT NULL
		RETURN id, e.lifeFrom AS f, e.lifeTo AS t`, map[string]any{"ids": ids})
	if err != nil {
		return nil, err
	}
	out := map[string]model.Span{}
	for _, rec := range res.Records {
		id, err := get[string](rec, "id")
		if err != nil {
			return nil, decodeErr(err)
		}
		f, _ := rec.Get("f")
		t, _ := rec.Get("t")
		out[id] = model.Span{From: dateOf(f), To: dateOf(t)}
	}
	return out, nil
}
