package loaders

import (
	"cmp"
	"slices"
	"sort"
	"strconv"
	"strings"

	"tradegraph/graph/model"
)

// KnownEntity is an entity the graph (or a curated file given instead) already
// holds: a draft links to it rather than proposing it again.
type KnownEntity struct {
	ID      string
	Kind    model.Kind
	Type    string
	Name    string
	Aliases []string
	Role    string
}

// Draft is what drafting an article proposes: new entities and relationships with
// their evidence, for an analyst to check, correct and load.
type Draft struct {
	Document      model.DocumentRecord
	Entities      []model.EntityRecord
	Relationships []model.RelationshipRecord
	// Known lists the ids of known entities the draft links to.
	Known []string
	// Ambiguous lists short names that were not linked because they could name
	// more than one person: "Wang: Wang Wentao, Wang Yi".
	Ambiguous []string
	// Links are the mentions of known entities, in text order.
	Links []Link
	// Mentions are where the article names each entity of the draft, known or
	// new, in text order (pronouns left out), for a reviewer to see them.
	Mentions []Mention
	// AlreadyKnown lists the proposals left out because the graph holds them:
	// loading them again would replace their curated evidence.
	AlreadyKnown []string
}

// DropKnown removes the relationships whose key ("from|TYPE|to") is in known.
func (dr *Draft) DropKnown(known map[string]bool) {
	kept := dr.Relationships[:0]
	for _, r := range dr.Relationships {
		if known[r.Key()] {
			dr.AlreadyKnown = append(dr.AlreadyKnown, r.From+" "+r.Type+" "+r.To)
			continue
		}
		kept = append(kept, r)
	}
	dr.Relationships = kept
}

// Link is a mention of a known entity: "Xi" in sentence 2 is actor:xi-jinping;
// "Chinese" is an adjectival mention of actor:china.
type Link struct {
	Sentence   int
	Text       string
	EntityID   string
	Adjectival bool
}

// Mention is a span of a sentence that names an entity: bytes [Start, End) of
// sentence Sentence (1-based) of the document.
type Mention struct {
	Sentence   int
	Start, End int
	EntityID   string
	Adjectival bool
}

// entity is an entity of a draft, known or new.
type entity struct {
	rec   model.EntityRecord
	kind  model.Kind
	known bool
	class string // the head's class, for definite descriptions ("the deal")
	used  bool   // mentioned in the article
	first int    // the sentence of the first mention
}

// span is a mention in a sentence: tokens [start, end) naming ents (two for
// "both sides"). adjectival marks a country named by its adjective ("Chinese").
type span struct {
	start, end int
	ents       []*entity
	adjectival bool
	chunk      bool // a noun phrase found by its head noun
	pronoun    bool // "its", "he", "this": the entity is named elsewhere
}

func (s span) kind() model.Kind { return s.ents[0].kind }

// sentence is one sentence being drafted.
type sentence struct {
	n     int // 1-based
	text  string
	toks  []token
	spans []span
	place map[int]bool // tokens that name a place ("in Geneva")
}

// drafter holds the state of drafting one document.
type drafter struct {
	doc       model.DocumentRecord
	sents     []*sentence
	byKey     map[string]*entity
	byID      map[string]*entity
	order     []*entity
	countries map[string]*entity // gazetteer name -> entity, made when first mentioned
	matcher   *Matcher
	rels      map[string]*model.RelationshipRecord
	relOrder  []string
	ambiguous map[string][]string
}

// DraftDocument proposes entities and relationships for doc, linking the known
// entities it names. It works offline; known is what the graph holds.
func DraftDocument(doc model.DocumentRecord, known []KnownEntity) *Draft {
	d := newDrafter(doc, known)
	pending := d.names()
	d.shortForms(pending)
	for i, s := range d.sents {
		d.chunks(s)
		var prev *sentence
		if i > 0 {
			prev = d.sents[i-1]
		}
		d.pronouns(s, prev)
	}
	for _, s := range d.sents {
		d.structural(s)
		d.triggers(s)
	}
	return d.result()
}

func newDrafter(doc model.DocumentRecord, known []KnownEntity) *drafter {
	d := &drafter{doc: doc, byKey: map[string]*entity{}, byID: map[string]*entity{}, countries: map[string]*entity{},
		rels: map[string]*model.RelationshipRecord{}, ambiguous: map[string][]string{}}
	d.index(known)
	for i, s := range doc.Sentences {
		d.sents = append(d.sents, &sentence{n: i + 1, text: s, toks: tokenize(s), place: map[int]bool{}})
	}
	return d
}

// index makes the known entities and the countries of the gazetteer matchable.
func (d *drafter) index(known []KnownEntity) {
	var names []Name
	for _, k := range known {
		e := &entity{known: true, kind: k.Kind, rec: model.EntityRecord{ID: k.ID, Kind: string(k.Kind), Type: k.Type, Name: k.Name, Aliases: k.Aliases, Role: k.Role}}
		d.byID[k.ID] = e
		d.order = append(d.order, e)
		for _, n := range append([]string{k.Name}, k.Aliases...) {
			names = append(names, Name{Text: n, EntityID: k.ID})
			if _, taken := d.byKey[model.NameKey(n)]; !taken {
				d.byKey[model.NameKey(n)] = e
			}
		}
	}
	for _, c := range model.Countries {
		id := "gazetteer:" + c.Name
		if e, ok := d.byKey[model.NameKey(c.Name)]; ok && e.kind == model.KindActor {
			id = e.rec.ID
		}
		for _, n := range append(append([]string{c.Name, c.Capital}, c.Aliases...), c.Demonyms...) {
			if _, taken := d.byKey[model.NameKey(n)]; taken && id != d.byKey[model.NameKey(n)].rec.ID {
				continue
			}
			names = append(names, Name{Text: n, EntityID: id})
		}
	}
	d.matcher = NewMatcher(names)
}

// entityFor returns the entity a matcher id stands for, making a gazetteer
// country an entity when first mentioned.
func (d *drafter) entityFor(id string) *entity {
	if name, ok := strings.CutPrefix(id, "gazetteer:"); ok {
		if e := d.countries[name]; e != nil {
			return e
		}
		e := d.add(model.KindActor, "COUNTRY", name, "")
		d.countries[name] = e
		return e
	}
	return d.byID[id]
}

// add returns the entity named name, making a new one when no entity has the name.
func (d *drafter) add(kind model.Kind, typ, name, class string) *entity {
	key := model.NameKey(name)
	if e, ok := d.byKey[key]; ok && e.kind == kind {
		return e
	}
	id := model.IDPrefix[kind] + Slug(name)
	for n := 2; d.byID[id] != nil; n++ {
		id = model.IDPrefix[kind] + Slug(name) + "-" + strconv.Itoa(n)
	}
	e := &entity{kind: kind, class: class, rec: model.EntityRecord{ID: id, Kind: string(kind), Type: typ, Name: name}}
	d.byKey[key], d.byID[id] = e, e
	d.order = append(d.order, e)
	return e
}

// mention records a span of s.
func (s *sentence) mention(start, end int, adjectival, chunk bool, ents ...*entity) {
	for _, e := range ents {
		if !e.used || s.n < e.first {
			e.first = s.n
		}
		e.used = true
	}
	s.spans = append(s.spans, span{start: start, end: end, ents: ents, adjectival: adjectival, chunk: chunk})
}

func (s *sentence) covered(i int) bool {
	for _, sp := range s.spans {
		if i >= sp.start && i < sp.end {
			return true
		}
	}
	return false
}

// tokenRange maps byte offsets of s to the tokens they cover.
func (s *sentence) tokenRange(start, end int) (int, int) {
	a, b := -1, -1
	for i, t := range s.toks {
		if t.start >= start && a < 0 {
			a = i
		}
		if t.end <= end && t.text != "" {
			b = i + 1
		}
	}
	return a, b
}

// propose adds relationship typ from a to b, quoting tokens [qs, qe) of s, or adds
// the evidence to the same relationship proposed before.
func (d *drafter) propose(s *sentence, typ string, a, b *entity, qs, qe int, conf float64, note string) {
	spec, ok := model.LookupRel(typ)
	if !ok || a == b || a.rec.ID == b.rec.ID || !spec.Allows(a.kind, b.kind) || qs >= qe {
		return
	}
	quote := s.text[s.toks[qs].start:s.toks[qe-1].end]
	ev := model.Evidence{Doc: d.doc.ID, Sentence: s.n, Quote: quote}
	key := a.rec.ID + "|" + typ + "|" + b.rec.ID
	if r, ok := d.rels[key]; ok {
		if !slices.ContainsFunc(r.Evidence, func(e model.Evidence) bool { return e.Sentence == ev.Sentence && e.Quote == ev.Quote }) && len(r.Evidence) < 3 {
			r.Evidence = append(r.Evidence, ev)
		}
		if conf > *r.Confidence {
			*r.Confidence = conf
		}
		return
	}
	c := conf
	d.rels[key] = &model.RelationshipRecord{Type: typ, From: a.rec.ID, To: b.rec.ID, Confidence: &c, Note: "draft: " + note, Evidence: []model.Evidence{ev}}
	d.relOrder = append(d.relOrder, key)
}

// result returns the draft: new entities in the order first found, and the
// relationships whose endpoints are all there.
func (d *drafter) result() *Draft {
	out := &Draft{Document: d.doc}
	for _, e := range d.order {
		if !e.used {
			continue
		}
		if e.known {
			out.Known = append(out.Known, e.rec.ID)
			continue
		}
		rec := e.rec
		rec.Description = "Drafted from " + d.doc.ID + ": check the kind, type and name."
		out.Entities = append(out.Entities, rec)
	}
	for _, k := range d.relOrder {
		out.Relationships = append(out.Relationships, *d.rels[k])
	}
	for _, s := range d.sents {
		for _, sp := range s.spans {
			if len(sp.ents) == 1 && sp.ents[0].known && !s.toks[sp.start].isPunct() {
				text := s.text[s.toks[sp.start].start:s.toks[sp.end-1].end]
				out.Links = append(out.Links, Link{Sentence: s.n, Text: text, EntityID: sp.ents[0].rec.ID, Adjectival: sp.adjectival})
			}
			if !sp.pronoun && !s.toks[sp.start].isPunct() {
				for _, e := range sp.ents {
					out.Mentions = append(out.Mentions, Mention{Sentence: s.n, Start: s.toks[sp.start].start, End: s.toks[sp.end-1].end,
						EntityID: e.rec.ID, Adjectival: sp.adjectival})
				}
			}
		}
	}
	slices.SortStableFunc(out.Mentions, func(a, b Mention) int { return cmp.Or(a.Sentence-b.Sentence, a.Start-b.Start) })
	for w, ns := range d.ambiguous {
		out.Ambiguous = append(out.Ambiguous, w+": "+strings.Join(ns, ", "))
	}
	sort.Strings(out.Ambiguous)
	return out
}
