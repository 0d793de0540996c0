package loaders

import (
	"fmt"
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

// names links the known names and the countries, and makes candidates of the
// capitalised names, split from their titles. It returns the single capitalised
// words left: short forms, resolved once every full name is known.
func (d *drafter) names() map[*sentence][]shortName {
	pending := map[*sentence][]shortName{}
	for _, s := range d.sents {
		matches := d.matcher.Find(s.text)
		starts := map[int]bool{}
		for _, m := range matches {
			a, _ := s.tokenRange(m.Start, m.End)
			starts[a] = true
		}
		for _, m := range matches {
			a, b := s.tokenRange(m.Start, m.End)
			if a < 0 || b <= a {
				continue
			}
			text := s.text[m.Start:m.End]
			c, demonym, isCountry := model.CountryNamed(text)
			if isCountry && strings.EqualFold(text, c.Capital) && a > 0 && (locatives[s.toks[a-1].low] || s.toks[a-1].low == "from" || s.toks[a-1].low == "to") {
				s.place[a] = true // "talks in London": a place, not the government
				continue
			}
			if isCountry && b < len(s.toks) && nameWord(s.toks[b]) && !starts[b] {
				continue // "European Parliament", "Canadian Trade Minister Mary Ng": part of a name
			}
			adjectival := isCountry && (demonym || (strings.ToUpper(text) == text && (a == 0 || s.toks[a-1].low != "the") &&
				b < len(s.toks) && !model.IsCapitalised(s.toks[b].text) && !s.toks[b].isPunct()))
			if e := d.entityFor(m.EntityID); e != nil {
				// A new country takes the other names the article uses ("U.S.", "Beijing").
				if !e.known && isCountry && !demonym && text != e.rec.Name && !slices.Contains(e.rec.Aliases, text) {
					e.rec.Aliases = append(e.rec.Aliases, text)
				}
				s.mention(a, b, adjectival, false, e)
			}
		}
		appos := ""
		for i := 0; i < len(s.toks); {
			if s.covered(i) || !nameWord(s.toks[i]) {
				i++
				continue
			}
			j := i + 1
			for j < len(s.toks) && !s.covered(j) && (nameWord(s.toks[j]) ||
				(s.toks[j].low == "of" && j+1 < len(s.toks) && nameWord(s.toks[j+1]) && model.IsRoleHead(s.toks[j-1].text)) ||
				(particles[s.toks[j].text] && j+1 < len(s.toks) && nameWord(s.toks[j+1]))) {
				j++
			}
			appos = d.nameRun(s, i, j, appos, pending)
			i = j
		}
	}
	return pending
}

// particles sit inside people's names: "Fritz von Tarlenheim", "Ursula von der Leyen".
var particles = set("von", "van", "der", "den", "de", "da", "di", "du", "la", "le", "bin", "al", "ibn")

// shortName is a one-word name at tokens [i, j) of a sentence, with the title
// before it if any ("Secretary Bessent").
type shortName struct {
	i, j int
	role string
}

// nameWord reports whether t can be part of a capitalised name.
func nameWord(t token) bool {
	return !t.isPunct() && model.IsCapitalised(t.text) && !model.IsCalendarWord(t.text)
}

// nameRun handles the capitalised words toks[i:j] of s. appos is a bare title
// just before ("Commerce Secretary, Howard Lutnick"); it returns the title when
// this run is one and an apposition follows.
func (d *drafter) nameRun(s *sentence, i, j int, appos string, pending map[*sentence][]shortName) string {
	for i < j && sentenceStarters[s.toks[i].text] {
		i++
	}
	if i >= j {
		return ""
	}
	words := make([]string, 0, j-i)
	for _, t := range s.toks[i:j] {
		words = append(words, t.text)
	}
	country, role, name := model.SplitTitle(words)
	if len(name) == 0 {
		// A title alone is no name; it may be the title of the name that follows.
		if role != "" && j+1 < len(s.toks) && s.toks[j].text == "," {
			return role
		}
		return ""
	}
	if role == "" && i > 0 && s.toks[i-1].text == "," && appos != "" {
		role = appos
	}
	nameStart := j - len(name)
	if role == "" && len(name) > 1 && isPlace(s, i, j) {
		for k := i; k < j; k++ {
			s.place[k] = true
		}
		return ""
	}
	if len(name) == 1 {
		// One word, with or without a title ("Secretary Bessent"): a short form,
		// linked once every full name is known.
		if i == 0 && role == "" && sentenceStarters[name[0]] {
			return ""
		}
		pending[s] = append(pending[s], shortName{i, j, role})
		return ""
	}
	if regions[strings.Join(name, " ")] {
		return ""
	}
	full := strings.Join(name, " ")
	typ := "PERSON"
	for _, w := range name {
		if t, ok := orgWords[w]; ok {
			typ = t
		}
	}
	if typ == "PERSON" && role == "" && (len(name) > 3 || j < len(s.toks) && orgNouns[s.toks[j].low]) {
		typ = "ORGANIZATION" // "the United Steelworkers union"
	}
	e := d.add(model.KindActor, typ, full, "")
	if role != "" && e.rec.Role == "" && typ == "PERSON" {
		e.rec.Role = role
	}
	s.mention(min(i, nameStart), j, false, false, e)
	// A title or a name with a country: "Chinese President Xi Jinping" leads China,
	// "Canadian Trade Minister Mary Ng" and the "European Parliament" belong to theirs.
	if c := d.countryEntity(country); c != nil && c != e {
		n := 1
		if len(strings.Fields(country)) > 1 && strings.HasPrefix(strings.Join(words, " "), country) {
			n = len(strings.Fields(country))
		}
		s.mention(i, i+n, true, false, c)
		rel, note := "MEMBER_OF", "a country in the title: "+role
		switch {
		case role == "":
			note = "a country in the name"
		case model.IsHeadOfState(role):
			rel = "LEADS"
		}
		d.propose(s, rel, e, c, i, j, 0.8, note)
	}
	return ""
}

// countryEntity returns the entity of the gazetteer country named name (known or
// new), or nil.
func (d *drafter) countryEntity(name string) *entity {
	if name == "" {
		return nil
	}
	if e, ok := d.byKey[model.NameKey(name)]; ok && e.kind == model.KindActor {
		return e
	}
	return d.entityFor("gazetteer:" + name)
}

// isPlace reports whether toks[i:j] of s name a place: "talks in Geneva", "a post
// on Truth Social", but not "contingent on Trump’s approval".
func isPlace(s *sentence, i, j int) bool {
	return i > 0 && locatives[s.toks[i-1].low] && (j >= len(s.toks) || s.toks[j].low != "'s")
}

// shortForms links the single capitalised words left by names: a word that is
// part of exactly one person's name (known or in this article) names that person;
// one shared by several is reported and not linked; any other is a candidate.
func (d *drafter) shortForms(pending map[*sentence][]shortName) {
	for _, s := range d.sents {
		for _, r := range pending[s] {
			w := model.StripPossessive(s.toks[r.j-1].text)
			var owners []*entity
			for _, e := range d.order {
				if e.kind != model.KindActor || e.rec.Type != "PERSON" || !e.used && !e.known {
					continue
				}
				if slices.Contains(strings.Fields(e.rec.Name), w) {
					owners = append(owners, e)
				}
			}
			switch {
			case len(owners) == 1:
				s.mention(r.i, r.j, false, false, owners[0])
			case isPlace(s, r.i, r.j) || r.j-r.i > 1 && model.IsRoleHead(w):
				s.place[r.i] = true
			case len(owners) > 1:
				var ns []string
				for _, o := range owners {
					ns = append(ns, o.rec.Name)
				}
				sort.Strings(ns)
				d.ambiguous[w] = ns
			case regions[w]:
			case r.i > 0 || !sentenceStarter(d, w):
				typ := "ORGANIZATION"
				if t, ok := orgWords[w]; ok {
					typ = t
				}
				if r.role != "" {
					typ = "PERSON" // "Chancellor Sapt"
				}
				e := d.add(model.KindActor, typ, w, "")
				if r.role != "" && e.rec.Role == "" && !e.known {
					e.rec.Role = r.role
				}
				s.mention(r.i, r.j, false, false, e)
			}
		}
	}
}

// sentenceStarter reports whether w, capitalised at the start of a sentence, is a
// common word: the article also writes it in lower case.
func sentenceStarter(d *drafter, w string) bool {
	low := " " + strings.ToLower(w) + " "
	for _, s := range d.sents {
		if strings.Contains(" "+s.text+" ", low) {
			return true
		}
	}
	return functionWords[strings.ToLower(w)]
}

// stopModifier reports whether t ends the modifiers of a noun phrase, read leftwards.
func stopModifier(toks []token, k int) bool {
	t := toks[k]
	switch {
	case t.isPunct(), functionWords[t.low] && t.low != "and", model.IsCapitalised(t.text) && !model.IsCalendarWord(t.text),
		strings.HasSuffix(t.low, "ly") && len(t.low) > 4, triggerWords[t.low] && !adjectives[t.low]:
		return true
	case strings.HasSuffix(t.low, "ing") && k > 0 && (prepositions[toks[k-1].low] || toks[k-1].low == "to"):
		return true // "for manufacturing fighter jets": a verb, not a modifier
	}
	return false
}

// adjectives are words of triggers that also modify nouns ("critical equipment").
var adjectives = set("critical", "essential", "vital", "key", "necessary", "needed", "concerned", "cautious", "control")

// triggerWords are the words of the trigger templates: verbs end noun phrases.
var triggerWords = func() map[string]bool {
	m := map[string]bool{}
	for _, tr := range parsedTriggers {
		for _, alts := range tr.Mid {
			for _, w := range alts {
				if !functionWords[w] && !prepositions[w] {
					m[w] = true
				}
			}
		}
	}
	return m
}()

var parsedTriggers = model.ParsedTriggers()

// chunks finds the noun phrases of s that end in a head noun ("counter tariffs",
// "30 per cent tariff on Chinese imports", "industries such as defence") and makes
// them entities, or links them to the entity a definite description repeats.
func (d *drafter) chunks(s *sentence) {
	type chunk struct{ start, head int }
	var cs []chunk
	for i, t := range s.toks {
		if _, ok := headNouns[t.low]; !ok || s.covered(i) {
			continue
		}
		start := i
		// A head inside a longer noun phrase ("semiconductor export restrictions")
		// leaves the country before it to the whole phrase.
		inner := i+1 < len(s.toks) && (isHead(s.toks[i+1].low) ||
			i+2 < len(s.toks) && !stopModifier(s.toks, i+1) && isHead(s.toks[i+2].low))
		for k := i - 1; k >= 0 && i-k <= 5; k-- {
			if sp, ok := s.endingAt(k + 1); ok && sp.kind() == model.KindActor && sp.ents[0].rec.Type == "COUNTRY" {
				if inner {
					break
				}
				start = sp.start // "U.S. officials", "Chinese imports"
				break
			}
			if s.toks[k].low == "and" && (k == 0 || stopModifier(s.toks, k-1) || isHead(s.toks[k-1].low) || start == i) {
				break
			}
			if model.IsCalendarWord(s.toks[k].text) { // "May negotiations"
				start = k
				break
			}
			if stopModifier(s.toks, k) {
				break
			}
			start = k
		}
		if s.toks[start].low == "and" {
			start++
		}
		cs = append(cs, chunk{start, i})
	}
	// The object of "tariff on X" may be a span or a chunk not yet made.
	textFrom := func(k int) (string, bool) {
		end := -1
		if sp, ok := s.startingAt(k); ok {
			end = sp.end - 1
		}
		for _, c := range cs {
			if c.start == k && c.head > end {
				end = c.head
			}
		}
		if end < 0 {
			return "", false
		}
		return s.text[s.toks[k].start:s.toks[end].end], true
	}
	for _, c := range cs {
		h := headNouns[s.toks[c.head].low]
		end := c.head + 1
		// "industries such as defence, automotive manufacturing, and technology"
		if listsItems(s.toks, c.head) {
			d.enumeration(s, c.head, end, h)
			continue
		}
		// Vague words describe the mention, not the entity: "recent", "certain".
		nameStart := c.start
		for nameStart < c.head && vague[s.toks[nameStart].low] {
			nameStart++
		}
		mods := c.head - nameStart
		name := s.text[s.toks[nameStart].start:s.toks[c.head].end]
		var place string
		pp := false
		if end+1 < len(s.toks) {
			next := s.toks[end]
			switch {
			case h.kind == model.KindPolicy && (next.low == "on" || next.low == "against"):
				if obj, ok := textFrom(end + 1); ok {
					name += " " + next.text + " " + obj
					pp = true
				}
			case h.kind == model.KindMeeting && (next.low == "in" || next.low == "at") && s.place[end+1]:
				k := end + 1
				for k < len(s.toks) && s.place[k] {
					k++
				}
				place = s.text[s.toks[end+1].start:s.toks[k-1].end]
				name += " " + next.text + " " + place
				end = k
				pp = true
			}
		}
		if !pp {
			if e := d.definite(s, c.start, c.head, h); e != nil {
				s.mention(c.start, end, false, true, e)
				continue
			}
		}
		if h.generic && mods == 0 && !pp {
			// "The agreement still requires approval": an event first named by a
			// definite description is an entity all the same.
			if !(h.kind == model.KindPolicy || h.kind == model.KindMeeting) || c.start == 0 || !definiteWords[s.toks[c.start-1].low] {
				continue
			}
		}
		e := d.add(h.kind, h.typ, name, h.class)
		if e.known {
			s.mention(c.start, end, false, true, e)
			continue
		}
		if place != "" {
			e.rec.Place = place
		}
		fillPolicy(e, s.toks[c.start:c.head+1])
		if h.kind == model.KindMeeting {
			fillStart(e, s.toks[c.start:c.head], d.doc.Date)
		}
		s.mention(c.start, end, false, true, e)
	}
}

// vague modifiers say how the text sees an entity, not which one it is.
var vague = set("recent", "certain", "additional", "further", "new", "latest", "current", "existing", "so-called", "possible", "potential")

// listsItems reports whether the class noun at head introduces a list: "industries
// such as", "goods including".
func listsItems(toks []token, head int) bool {
	h := headNouns[toks[head].low]
	n := head + 1
	return h.generic && n+1 < len(toks) && (toks[n].low == "such" && toks[n+1].low == "as" || toks[n].low == "including")
}

func isHead(w string) bool { _, ok := headNouns[w]; return ok }

// enumeration makes an entity of each item listed after a class noun: "industries
// such as defence, automotive manufacturing, and technology" are the defence
// industry, the automotive manufacturing industry and the technology industry.
func (d *drafter) enumeration(s *sentence, head, end int, h headNoun) {
	k := end + 2
	if s.toks[end].low == "including" {
		k = end + 1
	}
	for k < len(s.toks) {
		a := k
		for k < len(s.toks) && k-a < 3 && !s.toks[k].isPunct() && !functionWords[s.toks[k].low] {
			k++
		}
		if k == a {
			return
		}
		item := s.text[s.toks[a].start:s.toks[k-1].end]
		e := d.add(h.kind, h.typ, item+" "+singular(s.toks[head].low), h.class)
		if !e.known && !slices.Contains(e.rec.Aliases, item) {
			e.rec.Aliases = append(e.rec.Aliases, item)
		}
		s.mention(a, k, false, true, e)
		for k < len(s.toks) && (s.toks[k].text == "," || s.toks[k].low == "and" || s.toks[k].low == "or") {
			k++
		}
		if k < len(s.toks) && s.toks[k].isPunct() {
			return
		}
	}
}

// definite returns the entity that a definite description repeats: "the deal" and
// "this tentative deal" are the tentative agreement named before, when their
// modifiers are words of its name.
func (d *drafter) definite(s *sentence, start, head int, h headNoun) *entity {
	if start == 0 || !definiteWords[s.toks[start-1].low] {
		return nil
	}
	for i := len(d.order) - 1; i >= 0; i-- {
		e := d.order[i]
		if e.known || !e.used || e.kind != h.kind || e.class != h.class {
			continue
		}
		words := strings.Fields(strings.ToLower(e.rec.Name))
		ok := true
		for _, t := range s.toks[start:head] {
			ok = ok && slices.Contains(words, t.low)
		}
		if ok {
			return e
		}
	}
	return nil
}

var definiteWords = set("the", "this", "that", "these", "those")

// fillPolicy guesses a policy's status and its rate from the words of its name.
func fillPolicy(e *entity, toks []token) {
	if e.kind != model.KindPolicy || e.rec.Status != "" {
		return
	}
	e.rec.Status = "IN_FORCE"
	for i, t := range toks {
		switch t.low {
		case "tentative", "provisional", "draft":
			e.rec.Status = "TENTATIVE"
		case "proposed", "planned", "threatened", "possible":
			e.rec.Status = "PROPOSED"
		case "suspended", "paused":
			e.rec.Status = "SUSPENDED"
		}
		if v, err := strconv.ParseFloat(strings.TrimSuffix(t.low, "%"), 64); err == nil && i+1 < len(toks) {
			if strings.HasSuffix(t.low, "%") || toks[i+1].low == "%" || toks[i+1].low == "percent" || toks[i+1].low == "per" {
				e.rec.Rate, e.rec.Unit = &v, "percent"
			}
		}
	}
}

// fillStart dates a meeting by the month that modifies it ("May negotiations"),
// in the year of the document.
func fillStart(e *entity, mods []token, docDate string) {
	if len(docDate) < 4 || e.rec.Start != "" {
		return
	}
	for _, t := range mods {
		for m, name := range []string{"January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"} {
			if t.text == name {
				e.rec.Start = fmt.Sprintf("%s-%02d", docDate[:4], m+1)
			}
		}
	}
}

// pronouns links "he", "his", "its", a sentence-opening "This" and "both sides"
// to the entities they stand for.
func (d *drafter) pronouns(s *sentence, prev *sentence) {
	sort.SliceStable(s.spans, func(i, j int) bool { return s.spans[i].start < s.spans[j].start })
	var countries []*entity
	for _, e := range d.order {
		if e.used && e.first <= s.n && e.kind == model.KindActor && e.rec.Type == "COUNTRY" {
			countries = append(countries, e)
		}
	}
	var added []span
	defer func() {
		for i := range added {
			added[i].pronoun = true
		}
		s.spans = append(s.spans, added...)
		sort.SliceStable(s.spans, func(i, j int) bool { return s.spans[i].start < s.spans[j].start })
	}()
	for i, t := range s.toks {
		if s.covered(i) {
			continue
		}
		switch t.low {
		case "he", "his", "him", "she", "her":
			if e := d.lastBefore(s, prev, i, func(e *entity) bool { return e.rec.Type == "PERSON" }); e != nil {
				added = append(added, span{start: i, end: i + 1, ents: []*entity{e}})
			}
		case "its":
			if e := d.lastBefore(s, prev, i, func(e *entity) bool { return e.kind == model.KindActor && e.rec.Type != "PERSON" }); e != nil {
				added = append(added, span{start: i, end: i + 1, ents: []*entity{e}})
			}
		case "their":
			// "The European Union and Canada ... their tariffs": all of a listed subject.
			if sp, ok := s.lastActors(i); ok {
				added = append(added, span{start: i, end: i + 1, ents: sp})
			}
		case "this", "it":
			if i == 0 && prev != nil && len(s.toks) > 1 && (s.toks[1].text == "," || functionWords[s.toks[1].low]) {
				for _, sp := range prev.spans {
					if k := sp.kind(); k == model.KindPolicy || k == model.KindMeeting {
						added = append(added, span{start: 0, end: 1, ents: sp.ents})
						break
					}
				}
			}
		case "both", "two":
			// "both sides", "both countries", "the two economic powerhouses"
			k := i + 1
			for k < len(s.toks) && k-i <= 3 && !s.toks[k].isPunct() && !slices.Contains([]string{"sides", "countries", "nations", "economies", "powerhouses", "governments"}, s.toks[k].low) {
				k++
			}
			if k < len(s.toks) && k-i <= 3 && len(countries) == 2 && !s.toks[k].isPunct() {
				added = append(added, span{start: i, end: k + 1, ents: countries})
			}
		}
	}
}

// namedBefore returns the last span before the pronoun span p that names the
// same entity.
func (s *sentence) namedBefore(p span) (span, bool) {
	for j := len(s.spans) - 1; j >= 0; j-- {
		sp := s.spans[j]
		if sp.end <= p.start && !sp.pronoun && len(sp.ents) == 1 && len(p.ents) == 1 && sp.ents[0] == p.ents[0] {
			return sp, true
		}
	}
	return span{}, false
}

// lastActors returns the actors of the last list of actors named before token i
// ("The European Union and Canada").
func (s *sentence) lastActors(i int) ([]*entity, bool) {
	for j := len(s.spans) - 1; j >= 0; j-- {
		sp := s.spans[j]
		if sp.end > i || sp.adjectival || sp.kind() != model.KindActor {
			continue
		}
		ents := append([]*entity(nil), sp.ents...)
		for _, o := range s.enumerate(sp, false, []model.Kind{model.KindActor}) {
			ents = append(ents, o.ents...)
		}
		return ents, true
	}
	return nil, false
}

// lastBefore returns the last entity that ok accepts, named (not as an adjective)
// before token i of s, or else in prev.
func (d *drafter) lastBefore(s, prev *sentence, i int, ok func(*entity) bool) *entity {
	for _, ss := range []*sentence{s, prev} {
		if ss == nil {
			continue
		}
		for j := len(ss.spans) - 1; j >= 0; j-- {
			sp := ss.spans[j]
			if (ss == s && sp.end > i) || sp.adjectival || len(sp.ents) != 1 || !ok(sp.ents[0]) {
				continue
			}
			return sp.ents[0]
		}
	}
	return nil
}

func (s *sentence) endingAt(k int) (span, bool) {
	var best span
	found := false
	for _, sp := range s.spans {
		if sp.end == k && (!found || sp.end-sp.start > best.end-best.start) {
			best, found = sp, true
		}
	}
	return best, found
}

func (s *sentence) startingAt(k int) (span, bool) {
	var best span
	found := false
	for _, sp := range s.spans {
		if sp.start == k && (!found || sp.end-sp.start > best.end-best.start) {
			best, found = sp, true
		}
	}
	return best, found
}

// propose adds relationship typ from a to b, quoting tokens [qs, qe) of s, or adds
// the evidence to the same relationship proposed before.
func (d *drafter) propose(s *sentence, typ string, a, b *entity, qs, qe int, conf float64, note string) {
	spec, ok := model.LookupRel(typ)
	if !ok || a == b || a.rec.ID == b.rec.ID || spec.CheckEndpoints(a.kind, b.kind) != nil || qs >= qe {
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

// structural proposes what noun phrases say by their shape: a country before a
// group or a body ("U.S. officials") is what they belong to; before a policy
// ("U.S. export restrictions"), the country that imposes it; an actor inside a
// ruling or statement ("trade court ruling") issued it; goods inside a measure
// ("semiconductor export restrictions") are what it restricts or targets.
func (d *drafter) structural(s *sentence) {
	for _, c := range s.spans {
		if len(c.ents) != 1 || c.ents[0].rec.Type != "COUNTRY" {
			continue
		}
		// "Chinese President Xi Jinping", where the graph knows "President Xi Jinping".
		if p, ok := s.startingAt(c.end); ok && len(p.ents) == 1 && p.ents[0].rec.Type == "PERSON" {
			words := strings.Fields(s.text[s.toks[p.start].start:s.toks[p.end-1].end])
			if _, role, name := model.SplitTitle(words); role != "" && len(name) > 0 {
				rel := "MEMBER_OF"
				if model.IsHeadOfState(role) {
					rel = "LEADS"
				}
				d.propose(s, rel, p.ents[0], c.ents[0], c.start, p.end, 0.8, "a country in the title: "+role)
			}
		}
	}
	for _, outer := range s.spans {
		if !outer.chunk || len(outer.ents) != 1 {
			continue
		}
		o := outer.ents[0]
		for _, in := range s.spans {
			if in.start < outer.start || in.end >= outer.end || len(in.ents) != 1 || in.ents[0] == o {
				continue
			}
			e := in.ents[0]
			switch {
			case e.kind == model.KindActor && e.rec.Type == "COUNTRY" && in.start == outer.start:
				switch o.kind {
				case model.KindActor:
					d.propose(s, "MEMBER_OF", o, e, outer.start, outer.end, 0.8, "a country before a group or body")
				case model.KindPolicy:
					d.propose(s, "IMPOSES", e, o, outer.start, outer.end, 0.7, "a country before a policy")
				}
			case e.kind == model.KindActor && o.kind == model.KindPolicy && o.rec.Type == "RULING":
				d.propose(s, "ISSUED", e, o, outer.start, outer.end, 0.7, "an actor before its ruling")
			case e.kind == model.KindActor && o.kind == model.KindPolicy:
				d.propose(s, "IMPOSES", e, o, outer.start, outer.end, 0.7, "an actor before a policy")
			case e.kind == model.KindCommodity && o.kind == model.KindPolicy:
				typ := "RESTRICTS"
				if o.rec.Type == "TARIFF" || o.rec.Type == "SANCTION" {
					typ = "TARGETS"
				}
				d.propose(s, typ, o, e, outer.start, outer.end, 0.7, "goods before a measure")
			}
		}
	}
}

// triggers proposes the relationships that the trigger templates of the model find
// in s, and, for a policy that targets a country's goods, the country too.
func (d *drafter) triggers(s *sentence) {
	for p := range s.toks {
		if s.covered(p) && s.toks[p].low != "'s" {
			continue // a noun inside a name is no verb: "export controls on"
		}
		for ti := range parsedTriggers {
			tr := &parsedTriggers[ti]
			q, ok := matchWords(s.toks, p, tr.Mid)
			if !ok {
				continue
			}
			if last := tr.Mid[len(tr.Mid)-1]; q < len(s.toks) && s.toks[q].low == "by" && !slices.Contains(last, "by") {
				continue // "followed by X" is the passive: its own template reads it
			}
			spec, _ := model.LookupRel(string(tr.Type))
			firstKinds, secondKinds := spec.From, spec.To
			if !tr.FirstIsFrom {
				firstKinds, secondKinds = spec.To, spec.From
			}
			adjacent := prepositions[tr.Mid[0][0]] || len(tr.FirstHeads) > 0
			first, ok := s.before(p, firstKinds, tr.FirstHeads, adjacent)
			if !ok {
				continue
			}
			window := 6
			switch {
			case tr.Gap:
				window = 20
			case tr.Mid[len(tr.Mid)-1][0] == "'s":
				window = 0
			}
			second, ok := s.after(q, secondKinds, tr.SecondHeads, window)
			if !ok {
				continue
			}
			qe := second.end
			if len(tr.Tail) > 0 {
				if qe, ok = matchWords(s.toks, second.end, tr.Tail); !ok {
					continue
				}
			}
			conf := 0.6
			if adjacent || (p-first.end <= 1 && second.start-q <= 1) {
				conf = 0.7
			}
			firsts := append([]span{first}, s.enumerate(first, false, firstKinds)...)
			seconds := append([]span{second}, s.enumerate(second, true, secondKinds)...)
			qs := first.start
			// A quote that starts at "its" also shows what "its" stands for.
			if first.pronoun {
				if named, ok := s.namedBefore(first); ok {
					qs = named.start
				}
			}
			for _, f := range firsts {
				for _, g := range seconds {
					for _, fe := range f.ents {
						for _, ge := range g.ents {
							a, b := fe, ge
							if !tr.FirstIsFrom {
								a, b = b, a
							}
							d.propose(s, string(tr.Type), a, b, min(f.start, qs), max(g.end, qe), conf, string(tr.Type)+" \""+tr.Text+"\"")
						}
					}
				}
			}
		}
	}
	// A policy on a country's goods targets the country: "tariffs on Chinese imports".
	for _, key := range d.relOrder {
		r := d.rels[key]
		if r.Type != "TARGETS" || r.Evidence[0].Sentence != s.n {
			continue
		}
		for _, outer := range s.spans {
			if !outer.chunk || outer.ents[0].rec.ID != r.To {
				continue
			}
			for _, in := range s.spans {
				if in.start == outer.start && in.end < outer.end && in.ents[0].rec.Type == "COUNTRY" {
					d.propose(s, "TARGETS", d.byID[r.From], in.ents[0], outer.start, outer.end, 0.7, "through the country's goods")
				}
			}
		}
	}
}

// matchWords matches the words of a template at token p, skipping adverbs
// ("responded positively to"), and returns the token after the match.
func matchWords(toks []token, p int, words [][]string) (int, bool) {
	k := p
	for wi, alts := range words {
		for wi > 0 && k < len(toks) && strings.HasSuffix(toks[k].low, "ly") && len(toks[k].low) > 4 && !slices.Contains(alts, toks[k].low) {
			k++
		}
		if k >= len(toks) || !slices.Contains(alts, toks[k].low) {
			return 0, false
		}
		k++
	}
	return k, true
}

// clauseBreak reports whether t ends a clause that patterns do not reach across.
func clauseBreak(t token) bool {
	return t.text == ";" || t.text == ":" || t.text == "." || t.text == "(" || t.text == ")" || t.text == "—"
}

// before returns the nearest span of one of kinds that ends before token p: right
// before when adjacent, else within a few tokens of the same clause. A span of
// another kind in between is passed over when it is the object of a preposition
// or a country used as an adjective ("tariffs on U.S. goods, leading to"); any
// other is the verb's own subject, and then nothing matches ("the EU will lift its
// tariff, while Canada will ease" does not make the tariff ease anything).
func (s *sentence) before(p int, kinds []model.Kind, heads []string, adjacent bool) (span, bool) {
	cands := make([]span, 0, len(s.spans))
	for _, sp := range s.spans {
		if sp.end <= p && p-sp.end <= 8 && (!adjacent || sp.end == p) && !slices.ContainsFunc(s.toks[sp.end:p], clauseBreak) {
			cands = append(cands, sp)
		}
	}
	sort.SliceStable(cands, func(i, j int) bool {
		if cands[i].end != cands[j].end {
			return cands[i].end > cands[j].end
		}
		return cands[i].end-cands[i].start > cands[j].end-cands[j].start
	})
	fits := func(sp span) bool {
		return slices.Contains(kinds, sp.kind()) && (len(heads) == 0 || slices.Contains(heads, s.toks[lastWord(s.toks, sp)].low))
	}
	for ci, sp := range cands {
		if fits(sp) {
			return sp, true
		}
		if sp.adjectival || (sp.start > 0 && prepositions[s.toks[sp.start-1].low]) || adjacent {
			continue
		}
		// The subject may be a name inside this noun phrase: "trade court ruling".
		for _, in := range cands[ci+1:] {
			if in.start >= sp.start && in.end <= sp.end && fits(in) {
				return in, true
			}
		}
		return span{}, false
	}
	return span{}, false
}

// lastWord is the index of the last word of sp, the head of a noun phrase.
func lastWord(toks []token, sp span) int {
	k := sp.end - 1
	for k > sp.start && toks[k].isPunct() {
		k--
	}
	// A meeting's span ends with its place: "negotiations in Geneva".
	for j := sp.start; j < sp.end; j++ {
		if isHead(toks[j].low) && j+1 < sp.end && (toks[j+1].low == "in" || toks[j+1].low == "at") {
			return j
		}
	}
	return k
}

// after returns the nearest span of one of kinds that starts at or after token q,
// within window tokens. A possessor is passed over when its noun goes on ("China’s
// control of rare earths" is about rare earths), and the search stops at a noun
// that names no entity: it is the object.
func (s *sentence) after(q int, kinds []model.Kind, heads []string, window int) (span, bool) {
	for k := q; k < len(s.toks) && k-q <= window; k++ {
		if clauseBreak(s.toks[k]) {
			break
		}
		sp, ok := s.startingAt(k)
		if !ok {
			if isHead(s.toks[k].low) && !listsItems(s.toks, k) {
				break
			}
			continue
		}
		if !slices.Contains(kinds, sp.kind()) || (len(heads) > 0 && !slices.Contains(heads, s.toks[lastWord(s.toks, sp)].low)) {
			// A nested span of the right kind may start at the same token.
			for _, in := range s.spans {
				if in.start == k && in.end < sp.end && slices.Contains(kinds, in.kind()) && len(heads) == 0 {
					return in, true
				}
			}
			// The verb's own object of another kind ends the search ("joined the
			// talks alongside Bessent" does not make Rubio a member of Bessent);
			// a clause ("confirmed that both sides ..."), a preposition's object
			// or an adjective does not.
			possessor := sp.end < len(s.toks) && s.toks[sp.end].low == "'s"
			if window < 20 && !sp.adjectival && !possessor && k > 0 && !prepositions[s.toks[k-1].low] && !clauseWords[s.toks[k-1].low] {
				break
			}
			k = sp.end - 1
			continue
		}
		if e := sp.end; e+2 < len(s.toks) && s.toks[e].low == "'s" && slices.Contains([]string{"of", "over", "on"}, s.toks[e+2].low) {
			k = e
			continue
		}
		return sp, true
	}
	return span{}, false
}

// clauseWords open a clause whose subject is not the object of the verb before.
var clauseWords = set("that", "which", "who", "whether", "if")

// enumerate returns the spans listed with sp ("Trump and Jinping", "fighter jets,
// automobiles and critical equipment"), forward or backward.
func (s *sentence) enumerate(sp span, forward bool, kinds []model.Kind) []span {
	var out []span
	cur := sp
	for {
		var next span
		found := false
		for _, t := range s.spans {
			if !slices.Contains(kinds, t.kind()) {
				continue
			}
			var gap []token
			switch {
			case forward && t.start >= cur.end && t.start-cur.end <= 4:
				gap = s.toks[cur.end:t.start]
			case !forward && t.end <= cur.start && cur.start-t.end <= 2:
				gap = s.toks[t.end:cur.start]
			default:
				continue
			}
			if listGap(gap) && (!found || (forward && t.start < next.start) || (!forward && t.end > next.end)) {
				next, found = t, true
			}
		}
		if !found {
			return out
		}
		out = append(out, next)
		cur = next
	}
}

// listGap reports whether the tokens between two list items join them: ",", "and",
// "or", optionally after the noun of a possessive ("Trump’s approval and").
func listGap(gap []token) bool {
	if len(gap) >= 2 && gap[0].low == "'s" {
		gap = gap[2:]
	}
	if len(gap) == 0 || len(gap) > 2 {
		return false
	}
	for _, t := range gap {
		if t.text != "," && t.low != "and" && t.low != "or" {
			return false
		}
	}
	return true
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
		}
	}
	for w, ns := range d.ambiguous {
		out.Ambiguous = append(out.Ambiguous, w+": "+strings.Join(ns, ", "))
	}
	sort.Strings(out.Ambiguous)
	return out
}
