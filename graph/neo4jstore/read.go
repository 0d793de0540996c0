package neo4jstore

import (
	"context"
	"encoding/base64"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"tradegraph/graph"
	"tradegraph/graph/model"
)

// Nodes returns the entities and documents with the given ids.
func (s *Store) Nodes(ctx context.Context, ids []string) (map[string]model.Node, error) {
	res, err := s.read(ctx, nodesByIDCypher, map[string]any{"ids": ids})
	if err != nil {
		return nil, err
	}
	out := make(map[string]model.Node, len(res.Records))
	for _, rec := range res.Records {
		id, n, err := decodeNode(rec)
		if err != nil {
			return nil, decodeErr(err)
		}
		if n != nil {
			out[id] = n
		}
	}
	return out, nil
}

// Documents are read without their text (docProjection).
var nodesByIDCypher = nodesCypher(`properties(e) AS e, d ` + docProjection + ` AS d`)

// decodeNode reads a nodesByIDCypher record: the entity or the document of the id
// (nil for an entity of a kind outside the model).
func decodeNode(rec *neo4j.Record) (string, model.Node, error) {
	id, err := get[string](rec, "id")
	if err != nil {
		return "", nil, err
	}
	e, eNil, err := getOrNil[map[string]any](rec, "e")
	if err != nil {
		return "", nil, err
	}
	d, dNil, err := getOrNil[map[string]any](rec, "d")
	switch {
	case err != nil:
		return "", nil, err
	case !eNil:
		if ent := entity(e); ent != nil {
			return id, ent, nil
		}
		return id, nil, nil
	case !dNil:
		return id, document(d), nil
	}
	return "", nil, fmt.Errorf("node %s: neither an entity nor a document", id)
}

// relByID returns the statement that finds the relationship r with id $id, with
// one index seek per type (a relationship property index is per type, so the
// look-up unions the vocabulary), and then does tail.
func relByID(tail string) string {
	var parts []string
	for _, t := range model.RelTypeNames() {
		parts = append(parts, fmt.Sprintf("MATCH ()-[r:%s]->() WHERE r.id = $id RETURN r", t))
	}
	return "CALL () {\n" + strings.Join(parts, "\nUNION ALL\n") + "\n}\n" + tail
}

// relByIDCypher reads a relationship by id.
var relByIDCypher = relByID("RETURN " + relProjection + " AS rel LIMIT 1")

// Relationship returns the relationship with id, or nil.
func (s *Store) Relationship(ctx context.Context, id string) (*model.Relationship, error) {
	res, err := s.read(ctx, relByIDCypher, map[string]any{"id": id})
	if err != nil || len(res.Records) == 0 {
		return nil, err
	}
	v, err := get[map[string]any](res.Records[0], "rel")
	if err != nil {
		return nil, decodeErr(err)
	}
	r, err := newDecoder().relationship(v)
	if err != nil {
		return nil, decodeErr(err)
	}
	return r, nil
}

// cursor encodes a keyset position: the sort key and the id that breaks ties.
func cursor(key, id string) string {
	return base64.RawURLEncoding.EncodeToString([]byte(key + "\x00" + id))
}

func decodeCursor(c string) (key, id string, err error) {
	if c == "" {
		return "", "", nil
	}
	b, err := base64.RawURLEncoding.DecodeString(c)
	if err == nil {
		var ok bool
		if key, id, ok = strings.Cut(string(b), "\x00"); ok {
			return key, id, nil
		}
	}
	return "", "", graph.Errorf(graph.EINVALID, "after: not a cursor this API issued")
}

// sortKeys are the keyset orderings of each kind's list: meetings by start date
// (undated last) then name, the others by name. Ids break ties.
var sortKeys = map[model.Kind]string{
	model.KindActor:     "n.name",
	model.KindMeeting:   "coalesce(n.start, '9999') + ' ' + n.name",
	model.KindCommodity: "n.name",
	model.KindPolicy:    "n.name",
}

// Entities returns one page of entities of one kind, with its total when asked,
// or the entities of q.IDs (an id merged into another gives that one, as in
// Nodes); with the pages of q.Rels of each, in one round trip.
func (s *Store) Entities(ctx context.Context, q graph.EntityQuery) (*graph.EntityPage, error) {
	cypher, params, err := entitiesStatement(q)
	if err != nil {
		return nil, err
	}
	res, err := s.read(ctx, cypher, params)
	if err != nil {
		return nil, err
	}
	first := q.First
	if len(q.IDs) > 0 {
		first = len(q.IDs)
	}
	return decodeEntityPage(res.Records, first, q.Rels)
}

// entitiesShape is what the text of q's statement depends on (entitiesStatement
// writes everything else as parameters).
func entitiesShape(q graph.EntityQuery) string {
	var k strings.Builder
	if len(q.IDs) > 0 {
		k.WriteString("ids")
	} else {
		k.WriteString(string(q.Kind))
	}
	writeFlags(&k, q.Names, q.WantTotal, q.StatusAsOf.IsZero(), q.During.IsZero(), q.KnownAsOf.IsZero(), len(q.Types) > 0, len(q.Statuses) > 0,
		q.NameContains != "", q.After != "")
	for _, rq := range q.Rels {
		k.WriteByte(';')
		pageShape(&k, rq)
	}
	return k.String()
}

// entitiesStatement returns Entities' statement and its parameters, the text
// from the cache when a query of the same shape built it before.
func entitiesStatement(q graph.EntityQuery) (string, map[string]any, error) {
	shape := entitiesShape(q)
	cached, ok := cachedStatement(shape)
	b := nestedBuilder{params: map[string]any{}, paramsOnly: ok}
	var rels strings.Builder
	for i, rq := range q.Rels {
		page, err := b.page("n", rq, "q"+strconv.Itoa(i)+"_", 1, owner{built: true, names: q.Names})
		if err != nil {
			return "", nil, err
		}
		if !ok {
			fmt.Fprintf(&rels, ", r%d: %s", i, page)
		}
	}
	if len(q.IDs) > 0 {
		b.params["ids"] = q.IDs
		if ok {
			return cached, b.params, nil
		}
		cypher := `
			UNWIND $ids AS id
			OPTIONAL MATCH (rd:Redirect {id: id})
			MATCH (n:Entity {id: coalesce(rd.into, id)})
			WITH collect({n: ` + nodeMap("n", q.Names) + `, key: ''` + rels.String() + `}) AS page
			RETURN -1 AS total, page`
		cacheStatement(shape, cypher)
		return cypher, b.params, nil
	}
	key, known := sortKeys[q.Kind]
	if !known {
		return "", nil, graph.Errorf(graph.EINVALID, "unknown kind %q", q.Kind)
	}
	afterKey, afterID, err := decodeCursor(q.After)
	if err != nil {
		return "", nil, err
	}
	params := b.params
	for k, v := range map[string]any{
		"first": q.First + 1, "afterKey": nilIfEmpty(afterKey), "afterId": afterID,
		"types": nilIfNone(q.Types), "statuses": nilIfNone(q.Statuses),
		"contains": nilIfEmpty(strings.ToLower(q.NameContains)),
	} {
		params[k] = v
	}
	// A condition is written only when the filter sets it ("n.status IN $statuses",
	// not "$statuses IS NULL OR ..."), so that the planner can seek the index on an
	// indexed property, and no node pays a test of a null parameter.
	var conds []string
	if q.NameContains != "" {
		conds = append(conds, `(toLower(n.name) CONTAINS $contains OR any(a IN n.aliases WHERE toLower(a) CONTAINS $contains))`)
	}
	if len(q.Types) > 0 {
		conds = append(conds, "n.type IN $types")
	}
	if q.StatusAsOf.IsZero() {
		if len(q.Statuses) > 0 {
			conds = append(conds, "n.status IN $statuses")
		}
	} else {
		if len(q.Statuses) > 0 {
			conds = append(conds, policyAsOfNarrowCypher("n"))
		}
		conds = append(conds, policyAsOfCypher("n"))
		params["asOfDay"], params["asOfText"] = neo4j.DateOf(q.StatusAsOf), q.StatusAsOf.Format(time.DateOnly)
	}
	if !q.During.IsZero() {
		conds = append(conds, meetingWindowCypher("n"))
		addWindow(params, q.During)
	}
	if !q.KnownAsOf.IsZero() {
		conds = append(conds, entityKnownCypher("n"))
		params["knownDay"] = neo4j.DateOf(q.KnownAsOf)
	}
	filter := "true"
	if len(conds) > 0 {
		filter = strings.Join(conds, " AND ")
	}
	if ok {
		return cached, params, nil
	}
	// The label is a literal from the closed kind list; everything else is a parameter.
	// The total is counted only when the client selected it.
	count, total := "", "-1"
	if q.WantTotal {
		count, total = fmt.Sprintf("CALL () { MATCH (n:%s) WHERE %s RETURN count(n) AS total }", q.Kind, filter), "total"
	}
	after := ""
	if q.After != "" {
		after = "WHERE $afterKey IS NULL OR key > $afterKey OR (key = $afterKey AND n.id > $afterId)"
	}
	cypher := fmt.Sprintf(`
		%[4]s
		CALL () {
			MATCH (n:%[1]s) WHERE %[2]s
			WITH n, %[3]s AS key
			%[7]s
			WITH n, key ORDER BY key, n.id LIMIT $first
			RETURN collect({n: %[6]s, key: key%[5]s}) AS page
		}
		RETURN %[8]s AS total, page`, q.Kind, filter, key, count, rels.String(), nodeMap("n", q.Names), after, total)
	cacheStatement(shape, cypher)
	return cypher, params, nil
}

// decodeEntityPage reads the record of an entity page statement: at most first
// entities (one more tells that there is a next page) and their relationship pages.
func decodeEntityPage(recs []*neo4j.Record, first int, rels []graph.RelationshipQuery) (*graph.EntityPage, error) {
	total, rows, err := decodePage(recs, "page")
	if err != nil {
		return nil, decodeErr(err)
	}
	page := &graph.EntityPage{TotalCount: int(total)}
	for _, rq := range rels {
		page.Rels = append(page.Rels, newPages(rq))
	}
	dec := newDecoder()
	for i, row := range rows {
		if i == first {
			page.HasNextPage = true
			break
		}
		m, _ := row.(map[string]any)
		n, _ := m["n"].(map[string]any)
		e := entity(n)
		if e == nil {
			continue // a kind outside the model
		}
		// Its relationships send it as its id (owner, pageEnds).
		if _, ok := dec.entities[e.GetID()]; !ok {
			dec.entities[e.GetID()] = e
		}
		page.Entities = append(page.Entities, e)
		page.Cursors = append(page.Cursors, cursor(str(m, "key"), str(n, "id")))
		for j, rq := range rels {
			if err := dec.relPages(rq, &page.Rels[j], e.GetID(), m[fmt.Sprintf("r%d", j)]); err != nil {
				return nil, decodeErr(err)
			}
		}
	}
	return page, nil
}

// docProjection is what a document is read as (variable d): its fields without its
// text and sentences, which Sentences reads when they are selected.
const docProjection = `{.id, .type, .title, .publisher, .url, .date}`

// Sentences returns the sentences of the documents with the given ids.
func (s *Store) Sentences(ctx context.Context, ids []string) (map[string][]model.Sentence, error) {
	res, err := s.read(ctx, `
		UNWIND $ids AS id
		MATCH (d:Document {id: id})
		RETURN id, d.sentences AS sentences`, map[string]any{"ids": ids})
	if err != nil {
		return nil, err
	}
	out := make(map[string][]model.Sentence, len(res.Records))
	for _, rec := range res.Records {
		id, _, _ := neo4j.GetRecordValue[string](rec, "id")
		ss, _, _ := neo4j.GetRecordValue[[]any](rec, "sentences")
		out[id] = make([]model.Sentence, 0, len(ss))
		for i, v := range ss {
			t, _ := v.(string)
			out[id] = append(out[id], model.Sentence{Number: i + 1, Text: t})
		}
	}
	return out, nil
}

// Documents returns a page of documents ordered by id.
func (s *Store) Documents(ctx context.Context, q graph.PageQuery) (*model.DocumentConnection, error) {
	_, afterID, err := decodeCursor(q.After)
	if err != nil {
		return nil, err
	}
	// The total (from the count store) only when selected, the cursor's condition
	// only with a cursor: for a page of the seed's documents the one cost 5 % of
	// the statement's time (663 -> 630 µs p50), the other 4 % (335 -> 322 µs).
	count, totalCol := "", "-1"
	if q.WantTotal {
		count, totalCol = "CALL () { MATCH (d:Document) RETURN count(d) AS total }", "total"
	}
	after := ""
	if q.After != "" {
		after = "WHERE d.id > $after"
	}
	res, err := s.read(ctx, count+`
		CALL () {
			MATCH (d:Document) `+after+`
			WITH d ORDER BY d.id LIMIT $first
			RETURN collect(d `+docProjection+`) AS page
		}
		RETURN `+totalCol+` AS total, page`, map[string]any{"after": afterID, "first": q.First + 1})
	if err != nil {
		return nil, err
	}
	total, rows, err := decodePage(res.Records, "page")
	if err != nil {
		return nil, decodeErr(err)
	}
	conn := &model.DocumentConnection{TotalCount: int(total), PageInfo: &model.PageInfo{}}
	for i, row := range rows {
		if i == q.First {
			conn.PageInfo.HasNextPage = true
			break
		}
		d := document(row.(map[string]any))
		c := cursor("", d.ID)
		conn.Edges = append(conn.Edges, model.DocumentEdge{Cursor: c, Node: d})
		conn.PageInfo.EndCursor = &c
	}
	return conn, nil
}

var luceneSpecial = regexp.MustCompile(`[+\-&|!(){}\[\]^"~*?:\\/]`)

// luceneQuery turns free text into a forgiving Lucene query: every word must match,
// exactly (boosted) or as a prefix ("lutn" finds Lutnick), and with fuzzy also,
// for words of four letters or more, within one edit ("lutnik").
func luceneQuery(text string, fuzzy bool) string {
	words := strings.FieldsFunc(strings.ToLower(text), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	})
	var clauses []string
	for _, w := range words {
		w = luceneSpecial.ReplaceAllString(w, "")
		if w == "" {
			continue
		}
		alts := []string{w + "^3", w + "*"}
		if fuzzy && len([]rune(w)) >= 4 {
			alts = append(alts, w+"~1")
		}
		clauses = append(clauses, "+("+strings.Join(alts, " OR ")+")")
	}
	return strings.Join(clauses, " ")
}

// maxSearchWords caps the words of a search: each becomes two or three Lucene
// clauses, and past 1024 clauses Lucene fails the whole query.
const maxSearchWords = 32

// Search returns full-text hits for a name as people write it, in one round
// trip: the hits of each form of model.ResolveName (a demonym as its country, the
// text as given, without a possessive or a title), best first, before those of the
// next form, without repeats, first at most. Words match exactly or as a prefix;
// only when that finds nothing are they matched within one edit as well (a
// misspelt name): a fuzzy term costs Lucene an automaton per field, most of the
// time of a search that does not need it (docs/benchmarks.md).
func (s *Store) Search(ctx context.Context, q graph.SearchQuery) ([]model.SearchHit, error) {
	var strict, fuzzy []string
	for _, form := range model.ResolveName(q.Text) {
		lq := luceneQuery(form, false)
		if n := strings.Count(lq, "+("); n > maxSearchWords {
			return nil, graph.Errorf(graph.EINVALID, "search text: at most %d words, got %d", maxSearchWords, n)
		}
		if lq != "" && !slices.Contains(strict, lq) {
			strict = append(strict, lq)
			fuzzy = append(fuzzy, luceneQuery(form, true))
		}
	}
	if len(strict) == 0 {
		return []model.SearchHit{}, nil
	}
	if slices.Equal(strict, fuzzy) {
		fuzzy = nil // no word long enough for an edit: the fallback would find nothing more
	}
	var ks []string
	for _, k := range q.Kinds {
		ks = append(ks, string(k))
	}
	cypher := fmt.Sprintf(`
		CALL () { %s }
		CALL (hits) {
			WITH hits WHERE size(hits) = 0 AND size($fuzzy) > 0
			%s
		}
		RETURN hits + fuzzyHits AS hits`,
		searchHitsCypher("strict", len(strict), "hits", q.Names), searchHitsCypher("fuzzy", len(fuzzy), "fuzzyHits", q.Names))
	res, err := s.read(ctx, cypher, map[string]any{"strict": strict, "fuzzy": nilIfNone(fuzzy), "kinds": nilIfNone(ks), "first": q.First})
	if err != nil {
		return nil, err
	}
	if len(res.Records) != 1 {
		return nil, decodeErr(fmt.Errorf("search: %d records, want 1", len(res.Records)))
	}
	rows, err := get[[]any](res.Records[0], "hits")
	if err != nil {
		return nil, decodeErr(err)
	}
	hits := make([]model.SearchHit, 0, len(rows))
	for _, row := range rows {
		m, _ := row.(map[string]any)
		n, _ := m["n"].(map[string]any)
		score, ok := m["score"].(float64)
		if n == nil || !ok {
			return nil, decodeErr(fmt.Errorf("search hit: unexpected value %v", row))
		}
		if e := entity(n); e != nil {
			hits = append(hits, model.SearchHit{Entity: e, Score: score})
		}
	}
	return hits, nil
}

// searchHitsCypher returns the body of a subquery that returns, as column col,
// the best first hits of the Lucene queries in list parameter list (of size
// forms) as [{n, score}]: one query (most searches) needs no merging, which
// measured faster (docs/benchmarks.md); with several, each query's top hits,
// each entity at its first query, queries in order. Each hit is read as nodeMap
// (names only, or whole).
func searchHitsCypher(list string, forms int, col string, names bool) string {
	n := nodeMap("node", names)
	if forms <= 1 {
		return fmt.Sprintf(`
			CALL db.index.fulltext.queryNodes('entity_search', $%[1]s[0]) YIELD node, score
			WITH node, score WHERE $kinds IS NULL OR node.kind IN $kinds
			WITH node, score ORDER BY score DESC, node.id LIMIT $first
			RETURN collect({n: %[3]s, score: score}) AS %[2]s`, list, col, n)
	}
	return fmt.Sprintf(`
			UNWIND range(0, size($%[1]s) - 1) AS i
			CALL (i) {
				CALL db.index.fulltext.queryNodes('entity_search', $%[1]s[i]) YIELD node, score
				WITH node, score WHERE $kinds IS NULL OR node.kind IN $kinds
				RETURN node, score ORDER BY score DESC, node.id LIMIT $first
			}
			WITH node, i, score ORDER BY i, score DESC, node.id
			WITH node, collect({i: i, score: score})[0] AS best
			WITH node, best ORDER BY best.i, best.score DESC, node.id LIMIT $first
			RETURN collect({n: %[3]s, score: best.score}) AS %[2]s`, list, col, n)
}

// relPattern returns the relationship type part of a pattern (":A|B") for types,
// or every vocabulary type when types is empty, so MENTIONS is never walked. Types
// are checked against the vocabulary again here: only known names reach Cypher.
func relPattern(types []model.RelType) string {
	names := make([]string, 0, len(types))
	for _, t := range types {
		if _, ok := model.LookupRel(string(t)); ok && !slices.Contains(names, string(t)) {
			names = append(names, string(t))
		}
	}
	if len(names) == 0 {
		names = model.RelTypeNames()
	}
	return ":" + strings.Join(names, "|")
}

// meetingWindowCypher returns the condition that keeps the meeting in variable m
// when it is dated and the days it covers overlap $wFrom..$wTo.
func meetingWindowCypher(m string) string {
	return fmt.Sprintf(`%[1]s.startFrom IS NOT NULL
		AND ($wFrom IS NULL OR coalesce(%[1]s.endTo, %[1]s.startFrom) >= $wFrom) AND ($wTo IS NULL OR %[1]s.startFrom <= $wTo)`, m)
}

// policyAsOfCypher keeps policy n when its lifetime (lifeFrom..lifeTo, time.go)
// holds day $asOfDay and its status on that day, from its status history, is one
// of $statuses (any status when null): model.EntityRecord.StatusAsOf in Cypher.
// The history's dates are partial dates (YYYY, YYYY-MM, YYYY-MM-DD): one is on or
// before the day exactly when its text sorts on or before $asOfText, the day as
// YYYY-MM-DD, since its first day pads it with "-01".
func policyAsOfCypher(n string) string {
	return fmt.Sprintf(`(%[1]s.lifeFrom IS NULL OR %[1]s.lifeFrom <= $asOfDay) AND (%[1]s.lifeTo IS NULL OR %[1]s.lifeTo >= $asOfDay)
		AND any(st IN [CASE WHEN size(coalesce(%[1]s.statusDates, [])) = 0 THEN %[1]s.status
				ELSE reduce(s = null, i IN range(0, size(%[1]s.statusDates) - 1) |
					CASE WHEN %[1]s.statusDates[i] <= $asOfText THEN %[1]s.statusValues[i] ELSE s END) END]
			WHERE st IS NOT NULL AND ($statuses IS NULL OR st IN $statuses))`, n)
}

// policyAsOfNarrowCypher is a condition that every policy n policyAsOfCypher
// keeps with $statuses set also meets, and that the indexes on status and
// statusChanged answer: a policy whose history holds no other status than its
// current one has that status or none on any day (entityLifeProps).
func policyAsOfNarrowCypher(n string) string {
	return fmt.Sprintf(`(%[1]s.status IN $statuses OR %[1]s.statusChanged = true)`, n)
}

// entityKnownCypher keeps entity n when some source had reported it by day
// $knownDay: a relationship touching it was first reported by then (its
// knownFrom, the earliest publication of its evidence), or a document published
// by then mentions it (docs/model.md, "Time"). The writers store the earliest
// such day as the entity's knownFrom (time.go), so this is a range seek on the
// kind's knownFrom index.
func entityKnownCypher(n string) string {
	return fmt.Sprintf(`%s.knownFrom <= $knownDay`, n)
}

// windowCypher keeps relationship r when its effective validity (time.go)
// overlaps $wFrom..$wTo, never when it has no date at all (dateSource UNKNOWN),
// and, with $known, only when it was first reported on or before that day.
//
// It reads one property of r per axis the window sets: effSpan (effFrom..effTo
// with open ends as the earliest and latest days, absent when UNKNOWN) for valid
// time, knownFrom for $known; none without a window. Each property is named once
// in its own conjunct: the planner splits a condition into conjuncts and reads a
// property once for each conjunct that names it, for every relationship a path
// search walks (the form (no window OR (A AND B AND C)) read effFrom, effTo and
// dateSource twice each).
const windowCypher = `(coalesce($wFrom, $wTo) IS NULL
		OR ` + spanCypher + `)
	AND ($known IS NULL OR ` + knownRelCypher + `)`

// spanCypher holds when relationship r's effective span meets the valid-time
// window [$wFrom, $wTo] (either end may be null), knownRelCypher when r was
// known by $known: windowCypher's two parts, for statements that write only the
// parts a window sets.
const (
	spanCypher     = `coalesce(any(s IN [r.effSpan] WHERE s[1] >= coalesce($wFrom, s[1]) AND s[0] <= coalesce($wTo, s[0])), false)`
	knownRelCypher = `coalesce(r.knownFrom <= $known, false)`
)

// undatedCypher holds for relationship r when the window of windowCypher leaves
// it out because it carries no date on an axis the window sets: no effective
// dates (dateSource UNKNOWN) under a valid-time window, no dated evidence
// (knownFrom null) under $known.
const undatedCypher = `((($wFrom IS NOT NULL OR $wTo IS NOT NULL) AND r.dateSource = 'UNKNOWN')
	OR ($known IS NOT NULL AND r.knownFrom IS NULL))`

func addWindow(params map[string]any, w graph.Window) {
	params["wFrom"], params["wTo"], params["known"] = nil, nil, nil
	if !w.From.IsZero() {
		params["wFrom"] = neo4j.DateOf(w.From)
	}
	if !w.To.IsZero() {
		params["wTo"] = neo4j.DateOf(w.To)
	}
	if !w.Known.IsZero() {
		params["known"] = neo4j.DateOf(w.Known)
	}
}

// Relationships returns one page of relationships for each entity in q.IDs, in one
// round trip, ordered by type then id, each read as q.Select asks (its Nested
// aside).
func (s *Store) Relationships(ctx context.Context, q graph.RelationshipQuery) (map[string]*model.RelationshipConnection, error) {
	q.Select.Nested = nil
	b := nestedBuilder{params: map[string]any{"ids": q.IDs}}
	page, err := b.page("e", q, "", 1, owner{})
	if err != nil {
		return nil, err
	}
	cypher := `
		UNWIND $ids AS eid
		MATCH (e:Entity {id: eid})
		RETURN eid, ` + page + ` AS page`
	res, err := s.read(ctx, cypher, b.params)
	if err != nil {
		return nil, err
	}
	pages := newPages(q)
	dec := newDecoder()
	for _, rec := range res.Records {
		eid, err := get[string](rec, "eid")
		if err != nil {
			return nil, decodeErr(err)
		}
		v, err := get[map[string]any](rec, "page")
		if err != nil {
			return nil, decodeErr(err)
		}
		if err := dec.relPages(q, &pages, eid, v); err != nil {
			return nil, decodeErr(err)
		}
	}
	return pages.Pages, nil
}

// Mentions returns, for each entity, the documents that mention it.
func (s *Store) Mentions(ctx context.Context, ids []string, first int) (map[string][]model.Mention, error) {
	res, err := s.read(ctx, `
		UNWIND $ids AS eid
		MATCH (e:Entity {id: eid})
		CALL (e) {
			MATCH (d:Document)-[m:MENTIONS]->(e)
			WITH d, m ORDER BY d.id LIMIT $first
			RETURN collect({d: d `+docProjection+`, sentences: m.sentences, adjectival: coalesce(m.adjectival, [])}) AS mentions
		}
		RETURN eid, mentions`, map[string]any{"ids": ids, "first": first})
	if err != nil {
		return nil, err
	}
	out := make(map[string][]model.Mention, len(ids))
	for _, rec := range res.Records {
		eid, err := get[string](rec, "eid")
		if err != nil {
			return nil, decodeErr(err)
		}
		rows, err := get[[]any](rec, "mentions")
		if err != nil {
			return nil, decodeErr(err)
		}
		ms := []model.Mention{}
		for _, row := range rows {
			m, ok := row.(map[string]any)
			if !ok {
				return nil, decodeErr(fmt.Errorf("mentions of %s: want a map, got %T", eid, row))
			}
			d, _ := m["d"].(map[string]any)
			ms = append(ms, mention(document(d), ints(m, "sentences"), ints(m, "adjectival")))
		}
		out[eid] = ms
	}
	return out, nil
}

// decodePage reads the one record of a page statement: its total and the rows of
// column rows.
func decodePage(recs []*neo4j.Record, rows string) (int64, []any, error) {
	if len(recs) != 1 {
		return 0, nil, fmt.Errorf("page: %d records, want 1", len(recs))
	}
	total, err := get[int64](recs[0], "total")
	if err != nil {
		return 0, nil, err
	}
	page, err := get[[]any](recs[0], rows)
	return total, page, err
}

// mention is a document's mention of an entity: ADJECTIVAL when every sentence
// that mentions it uses only its adjective.
func mention(d *model.Document, sentences, adjectival []int) model.Mention {
	kind := model.MentionKindName
	if len(adjectival) > 0 && len(adjectival) == len(sentences) {
		kind = model.MentionKindAdjectival
	}
	return model.Mention{Document: d, Sentences: sentences, AdjectivalSentences: adjectival, Kind: kind}
}

func nilIfEmpty(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func nilIfNone(s []string) any {
	if len(s) == 0 {
		return nil
	}
	return s
}
