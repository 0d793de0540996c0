package neo4jstore

import (
	"fmt"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"tradegraph/graph"
	"tradegraph/graph/model"
)

// Every column of a record is read with get or getOrNil, which check the driver's
// error (no such column, another type) and its nil flag: a result that does not
// have the shape its statement promises is a decoding failure, reported as
// INTERNAL (decodeErr) with the cause logged by the error presenter, never read as
// a zero value.

// get returns column key of rec as a T; null is an error.
func get[T neo4j.RecordValue](rec *neo4j.Record, key string) (T, error) {
	v, isNil, err := neo4j.GetRecordValue[T](rec, key)
	if err != nil {
		return v, fmt.Errorf("column %s: %w", key, err)
	}
	if isNil {
		return v, fmt.Errorf("column %s: null", key)
	}
	return v, nil
}

// getOrNil returns column key of rec as a T and whether it is null.
func getOrNil[T neo4j.RecordValue](rec *neo4j.Record, key string) (T, bool, error) {
	v, isNil, err := neo4j.GetRecordValue[T](rec, key)
	if err != nil {
		return v, false, fmt.Errorf("column %s: %w", key, err)
	}
	return v, isNil, nil
}

// decodeErr reports a record that does not have the shape its statement promises.
func decodeErr(err error) error {
	return &graph.Error{Code: graph.EINTERNAL, Message: "unexpected answer from the graph database", Cause: fmt.Errorf("decode: %w", err)}
}

// Node and relationship properties arrive as maps at the parameter boundary; these
// functions turn them into the API's types, tolerating absent optional properties.

func str(m map[string]any, k string) string {
	s, _ := m[k].(string)
	return s
}

func strPtr(m map[string]any, k string) *string {
	if s, ok := m[k].(string); ok && s != "" {
		return &s
	}
	return nil
}

func strs(m map[string]any, k string) []string {
	raw, _ := m[k].([]any)
	out := make([]string, 0, len(raw))
	for _, v := range raw {
		if s, ok := v.(string); ok {
			out = append(out, s)
		}
	}
	return out
}

func num(v any) (float64, bool) {
	switch n := v.(type) {
	case float64:
		return n, true
	case int64:
		return float64(n), true
	}
	return 0, false
}

func ints(m map[string]any, k string) []int {
	raw, _ := m[k].([]any)
	out := make([]int, 0, len(raw))
	for _, v := range raw {
		if n, ok := num(v); ok {
			out = append(out, int(n))
		}
	}
	return out
}

// entity builds an Actor, Meeting, Commodity or Policy from node properties.
func entity(m map[string]any) model.Entity {
	if m == nil {
		return nil
	}
	id, name, typ, desc := str(m, "id"), str(m, "name"), str(m, "type"), str(m, "description")
	aliases := strs(m, "aliases")
	switch model.Kind(str(m, "kind")) {
	case model.KindActor:
		return &model.Actor{ID: id, Kind: model.EnumOf(model.KindActor), Type: typ, Name: name, Aliases: aliases, Description: desc, Role: strPtr(m, "role")}
	case model.KindMeeting:
		return &model.Meeting{ID: id, Kind: model.EnumOf(model.KindMeeting), Type: typ, Name: name, Aliases: aliases, Description: desc,
			Start: model.DateOrNil(str(m, "start")), End: model.DateOrNil(str(m, "end")), Place: strPtr(m, "place")}
	case model.KindCommodity:
		return &model.Commodity{ID: id, Kind: model.EnumOf(model.KindCommodity), Type: typ, Name: name, Aliases: aliases, Description: desc,
			Category: strPtr(m, "category"), Uses: strs(m, "uses")}
	case model.KindPolicy:
		p := &model.Policy{ID: id, Kind: model.EnumOf(model.KindPolicy), Type: typ, Name: name, Aliases: aliases, Description: desc,
			Status: strPtr(m, "status"), Unit: strPtr(m, "unit")}
		if r, ok := num(m["rate"]); ok {
			p.Rate = &r
		}
		policyTime(p, m)
		return p
	}
	return nil
}

// document builds a Document from node properties.
func document(m map[string]any) *model.Document {
	if m == nil {
		return nil
	}
	d := &model.Document{ID: str(m, "id"), Type: str(m, "type"), Title: str(m, "title"),
		Publisher: strPtr(m, "publisher"), URL: strPtr(m, "url"), Date: model.DateOrNil(str(m, "date"))}
	for i, s := range strs(m, "sentences") {
		d.Sentences = append(d.Sentences, model.Sentence{Number: i + 1, Text: s})
	}
	return d
}

// relProjection is the Cypher map a relationship is read as when everything is
// selected: its properties, type, both endpoints, the text of each evidence
// sentence and the entity it is attributed to. Use with variable r.
var relProjection = relMap(graph.RelSelect{Texts: true, Attribution: true}, false)

// relMap returns the Cypher map relationship variable r is read as under sel
// (relFields).
func relMap(sel graph.RelSelect, byID bool) string {
	return "{" + relFields("r", "p", sel, byID) + "}"
}

// relFields returns the fields of the map relationship variable r is read as
// under sel: its properties, type and both endpoints (nodeMap; with byID, as ids,
// for results that carry the nodes anyway: the decoder must have built those
// entities first), and the evidence sentences' texts and the attributed entity
// only when sel asks for them. The text comes from a closed set of fragments,
// never from the request.
func relFields(r, suffix string, sel graph.RelSelect, byID bool) string {
	from, to := nodeMap("startNode("+r+")", sel.Names), nodeMap("endNode("+r+")", sel.Names)
	if byID {
		from, to = "startNode("+r+").id", "endNode("+r+").id"
	}
	return relFieldsWith(r, suffix, sel, from, to)
}

// relFieldsWith is relFields with the endpoints read as the expressions from and to.
func relFieldsWith(r, suffix string, sel graph.RelSelect, from, to string) string {
	props := "properties(" + r + ")"
	if sel.Bare {
		props = "{id: " + r + ".id}, bare: true"
	}
	f := fmt.Sprintf("rel: %[4]s, type: type(%[1]s), from: %[2]s, to: %[3]s", r, from, to, props)
	if sel.Texts {
		f += ",\n\t" + textsProjection(r, suffix)
	}
	if sel.Attribution {
		f += ",\n\t" + attProjection(r, suffix, sel.Names)
	}
	return f
}

// nodeMap returns the Cypher map entity expression x is read as: all its
// properties, or with names only its id, kind, name and type (graph.RelSelect).
func nodeMap(x string, names bool) string {
	if names {
		return fmt.Sprintf("{id: %[1]s.id, kind: %[1]s.kind, name: %[1]s.name, type: %[1]s.type}", x)
	}
	return "properties(" + x + ")"
}

// decoder builds the API's values from one result, building each entity and each
// relationship once however often the result repeats them: the candidate paths
// between two entities share their ends and most of their hops, and an entity's
// relationships all carry that entity as an endpoint. The values it returns are
// shared, so nobody may modify them.
type decoder struct {
	entities map[string]model.Entity
	rels     map[string]*model.Relationship
	// variants are the relationships built, by id, projection and window.
	variants map[variantKey]*model.Relationship
	// known, when set, keeps only the evidence published on or before that day
	// (a knownAsOf window).
	known time.Time
}

// variantKey is a relationship as read: its id, what its projection held and the
// knownAsOf day its evidence was cut to.
type variantKey struct {
	id               string
	texts, att, bare bool
	known            time.Time
}

func newDecoder() *decoder {
	return &decoder{entities: map[string]model.Entity{}, rels: map[string]*model.Relationship{}, variants: map[variantKey]*model.Relationship{}}
}

// entity is entity(m), built once per id.
func (d *decoder) entity(m map[string]any) model.Entity {
	if m == nil {
		return nil
	}
	id := str(m, "id")
	if e, ok := d.entities[id]; ok {
		return e
	}
	e := entity(m)
	d.entities[id] = e
	return e
}

// end is a relationship's endpoint: its properties (relProjection) or the id of an
// entity built already (relMap with byID).
func (d *decoder) end(v any) model.Entity {
	switch e := v.(type) {
	case map[string]any:
		return d.entity(e)
	case string:
		return d.entities[e]
	}
	return nil
}

// relationship builds a Relationship from a relProjection map, once per
// relationship id.
func (d *decoder) relationship(v any) (*model.Relationship, error) {
	m, ok := v.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("relationship: unexpected value %T", v)
	}
	props, _ := m["rel"].(map[string]any)
	id := str(props, "id")
	// The same relationship read with another projection or window is another value.
	_, hasTexts := m["texts"]
	_, hasAtt := m["att"]
	_, bare := m["bare"]
	key := variantKey{id: id, texts: hasTexts, att: hasAtt, bare: bare, known: d.known}
	if r, ok := d.variants[key]; ok {
		return r, nil
	}
	att, _ := m["att"].(map[string]any)
	t := str(m, "type")
	spec, _ := model.LookupRel(t)
	r := &model.Relationship{
		ID: id, Type: model.RelType(t), Verb: spec.Verb,
		From: d.end(m["from"]), To: d.end(m["to"]), AttributedTo: d.entity(att),
		ValidFrom: model.DateOrNil(str(props, "validFrom")), ValidTo: model.DateOrNil(str(props, "validTo")),
		Note: strPtr(props, "note"), Confidence: 1, Dates: relDates(props),
	}
	if c, ok := num(props["confidence"]); ok {
		r.Confidence = c
	}
	docs, sents, quotes := strs(props, "evidenceDocs"), ints(props, "evidenceSentences"), strs(props, "evidenceQuotes")
	texts, _ := m["texts"].([]any)
	for i := range docs {
		if i < len(sents) && i < len(quotes) {
			ev := model.Evidence{Doc: docs[i], Sentence: sents[i], Quote: quotes[i]}
			var published time.Time
			if i < len(texts) {
				if pair, ok := texts[i].([]any); ok && len(pair) == 2 {
					ev.SentenceText, _ = pair[0].(string)
					published = dateOf(pair[1])
				}
			}
			if !d.known.IsZero() && (published.IsZero() || published.After(d.known)) {
				continue // not yet published on the knownAsOf day
			}
			r.Evidence = append(r.Evidence, ev)
		}
	}
	if r.From == nil || r.To == nil {
		return nil, fmt.Errorf("relationship %s: endpoint is not an entity", r.ID)
	}
	d.variants[key] = r
	if _, ok := d.rels[id]; !ok {
		d.rels[id] = r
	}
	return r, nil
}
