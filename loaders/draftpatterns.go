package loaders

// Drafting, step 3: the relationships, from the model's trigger templates and from
// the shape of noun phrases.

import (
	"slices"
	"sort"
	"strings"

	"tradegraph/graph/model"
)

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
