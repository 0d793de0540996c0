package loaders

// Drafting, step 2: noun phrases that name entities by their head noun, and the
// definite descriptions that repeat them.

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"tradegraph/graph/model"
)

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
