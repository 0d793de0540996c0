package neo4jstore

import (
	"context"
	"fmt"
	"strings"
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

// entityLifeProps adds the derived lifetime bounds to p, after the content
// hash, and statusChanged (true, else absent) when the status history holds a
// status other than the current one: a policy without it has, on every day of
// its lifetime, its current status or none, so a list's PolicyFilter.asOf with
// statuses narrows to the index seeks of status and statusChanged
// (policyAsOfNarrowCypher).
func entityLifeProps(e model.EntityRecord, p row) {
	for _, c := range e.StatusHistory {
		if c.Status != e.Status {
			p["statusChanged"] = true
			break
		}
	}
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
// and citing the documents of $docs, that the batch's statements marked stale,
// and flags _knownStale the endpoints of those whose knownFrom changed and the
// entities the stale documents mention.
// Finding the relationships that cite a document is a scan of all relationships
// (evidence documents are a list property): it runs only when a document already
// in the graph changed its date, which corrections do, not loads.
var recomputeCypher = `
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
			WITH d
			CALL (d) { MATCH (d)-[:MENTIONS]->(me:Entity) SET me._knownStale = true }
			WITH collect(d.id) AS stale WHERE size(stale) > 0
			MATCH (:Entity)-[r]->(:Entity) WHERE any(doc IN r.evidenceDocs WHERE doc IN stale)
			RETURN r
		}
		WITH r, coalesce(toString(r.knownFrom), '') AS known0
		CALL (r) {` + effCypher + `
		}
		CALL (r, known0) {
			WITH r, startNode(r) AS a, endNode(r) AS b WHERE known0 <> coalesce(toString(r.knownFrom), '')
			` + flagKnownCypher("a", "b") + `
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
	// A policy written before statusChanged existed (entityLifeProps).
	changed := statement{cypher: `
		MATCH (n:Policy) WHERE n.statusChanged IS NULL AND any(v IN coalesce(n.statusValues, []) WHERE v <> coalesce(n.status, ''))
		SET n.statusChanged = true`}
	if _, err := s.run(ctx, true, []statement{changed}); err != nil {
		return fmt.Errorf("backfill policies' statusChanged: %w", err)
	}
	return s.DeriveDates(ctx)
}

// DeriveDates derives the effective dates of every relationship that has none,
// or that is dated but lacks effSpan (a graph written before effSpan existed),
// (effCypher, the derivation the writer's transaction runs), then the
// knownFrom of every entity that has none (deriveEntityKnown), in one pass each of an
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
	return s.deriveEntityKnown(ctx)
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

// An entity's knownFrom (docs/model.md, "Time on the lists") is the earliest of
// the knownFrom of the relationships that touch it and of the publication days
// (dateFirst) of the documents that mention it: the day some source had first
// reported it. It is stored, with a range index per kind (Migrations), so that
// a list's knownAsOf is an index seek (entityKnownCypher). The writers keep it
// exact:
//
//   - a relationship or mention that a batch creates can only lower it: the
//     statement that creates it takes the minimum in place (relKnownCypher,
//     mentionKnownCypher), so a bulk load never rescans a hub;
//   - anything that can raise it (a relationship updated to a later knownFrom,
//     retracted or deleted, a mention dropped, a document whose date changed, a
//     merge) flags the entities it touches with _knownStale (an indexed
//     property), and the last statement of the same transaction
//     (knownStaleStatement) derives each flagged entity again from scratch
//     (knownOfCypher) and clears the flag;
//   - rewriting an entity's properties keeps it (entitiesCypher: it depends on
//     the entity's relationships and mentions, not on its fields).
//
// DeriveDates derives it for the entities that have none (a graph written by an
// earlier version, an initial import, LOAD CSV).

// knownOfCypher returns the expression that derives the knownFrom of entity
// variable e from scratch (null when nothing dated reports it).
func knownOfCypher(e string) string {
	return fmt.Sprintf(`reduce(m = null, d IN [
			COLLECT { MATCH (%[1]s)-[kfr]-(:Entity) RETURN min(kfr.knownFrom) AS d }[0],
			COLLECT { MATCH (kfd:Document)-[:MENTIONS]->(%[1]s) RETURN min(kfd.dateFirst) AS d }[0]]
			| CASE WHEN d IS NULL OR (m IS NOT NULL AND m <= d) THEN m ELSE d END)`, e)
}

// lowerKnown is the SET item that lowers entity e's knownFrom to day when day
// is earlier (a null day changes nothing). It reads e.knownFrom when it runs, so
// two rows of one statement lowering one entity keep the smaller day.
func lowerKnown(e, day string) string {
	return fmt.Sprintf(`%[1]s.knownFrom = CASE WHEN %[2]s IS NOT NULL AND (%[1]s.knownFrom IS NULL OR %[1]s.knownFrom > %[2]s) THEN %[2]s ELSE %[1]s.knownFrom END`, e, day)
}

// relKnownCypher, in the relationships statement after relEffCypher, keeps the
// endpoints' knownFrom, given known0, the relationship's knownFrom before the
// write: a created relationship, or an updated one whose knownFrom came
// earlier, lowers it in place (an endpoint already known as early is not
// written: no lock taken on a hub); an updated one whose knownFrom went later
// or away flags the endpoints whose knownFrom was its old day (it may have
// been their earliest), and only those.
var relKnownCypher = `
			CALL (x, outcome, known0) {
				WITH x AS r, outcome, known0 WHERE outcome <> 'unchanged'
				UNWIND [startNode(r), endNode(r)] AS e
				WITH r, e, known0 AS o, r.knownFrom AS n
				WITH r, e, n, o IS NOT NULL AND (n IS NULL OR n > o) AND e.knownFrom = o AS raised
				WHERE raised OR (n IS NOT NULL AND (e.knownFrom IS NULL OR e.knownFrom > n))
				FOREACH (_ IN CASE WHEN raised THEN [1] ELSE [] END | SET e._knownStale = true)
				FOREACH (_ IN CASE WHEN raised THEN [] ELSE [1] END | SET ` + lowerKnown("e", "n") + `)
			}`

// mentionKnownCypher, in the mentions statement, lowers the knownFrom of the
// entity e a created mention (x, by document d) names.
var mentionKnownCypher = `
		FOREACH (_ IN CASE WHEN outcome = 'created' AND d.dateFirst IS NOT NULL AND (e.knownFrom IS NULL OR e.knownFrom > d.dateFirst) THEN [1] ELSE [] END |
			SET ` + lowerKnown("e", "d.dateFirst") + `)`

// knownStaleCypher derives again the knownFrom of the entities flagged
// _knownStale in this transaction: an index seek, none on most batches. The
// hint keeps it one: a plan made on an empty graph, as at the start of a
// load, may scan the label instead and be reused as the graph grows.
var knownStaleCypher = `
		MATCH (e:Entity) USING INDEX e:Entity(_knownStale) WHERE e._knownStale = true
		REMOVE e._knownStale
		SET e.knownFrom = ` + knownOfCypher("e") + `
		RETURN count(*) AS known`

// knownStaleStatement is the last writing statement of a transaction that may
// have flagged entities _knownStale.
func knownStaleStatement() statement { return statement{cypher: knownStaleCypher} }

// flagKnownCypher flags the entity variables vars _knownStale.
func flagKnownCypher(vars ...string) string {
	var b strings.Builder
	for i, v := range vars {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(v + "._knownStale = true")
	}
	return "SET " + b.String()
}

// deriveKnownCypher derives the knownFrom of every entity that has none, in
// transactions of backfillBatch entities. On a current graph it rederives only
// the entities nothing dated reports (a scan of the entities' knownFrom).
const deriveKnownCypher = `
		MATCH (e:Entity) WHERE e.knownFrom IS NULL
		CALL (e) {
			WITH e, %s AS known WHERE known IS NOT NULL
			SET e.knownFrom = known
		} IN TRANSACTIONS OF $n ROWS`

// deriveEntityKnown runs deriveKnownCypher.
func (s *Store) deriveEntityKnown(ctx context.Context) error {
	sess := s.driver.NewSession(ctx, neo4j.SessionConfig{DatabaseName: s.db, AccessMode: neo4j.AccessModeWrite})
	defer sess.Close(context.Background())
	res, err := sess.Run(ctx, fmt.Sprintf(deriveKnownCypher, knownOfCypher("e")), map[string]any{"n": backfillBatch})
	if err == nil {
		_, err = res.Consume(ctx)
	}
	if err != nil {
		return fmt.Errorf("derive the entities' knownFrom: %w", err)
	}
	return nil
}

// timeIndexes are the indexes of the entities' derived time properties: the
// knownFrom of each kind (a list's knownAsOf), the transient _knownStale flag
// (knownStaleCypher), and a policy's statusChanged (policyAsOfCypher).
var timeIndexes = []string{
	"CREATE INDEX actor_known IF NOT EXISTS FOR (n:Actor) ON (n.knownFrom)",
	"CREATE INDEX meeting_known IF NOT EXISTS FOR (n:Meeting) ON (n.knownFrom)",
	"CREATE INDEX commodity_known IF NOT EXISTS FOR (n:Commodity) ON (n.knownFrom)",
	"CREATE INDEX policy_known IF NOT EXISTS FOR (n:Policy) ON (n.knownFrom)",
	"CREATE INDEX entity_known_stale IF NOT EXISTS FOR (n:Entity) ON (n._knownStale)",
	"CREATE INDEX policy_status_changed IF NOT EXISTS FOR (n:Policy) ON (n.statusChanged)",
}
