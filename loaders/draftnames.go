package loaders

// Drafting, step 1: the names of a document — known names, capitalised names with
// their titles, short forms of people's names, pronouns.

import (
	"slices"
	"sort"
	"strings"

	"tradegraph/graph/model"
)

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
