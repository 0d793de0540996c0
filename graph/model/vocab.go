// Package model is tradegraph's ground floor: the entity kinds, the closed
// relationship vocabulary with its endpoint rules, and the rules that evidence and
// dates must follow. Loaders and GraphQL mutations both validate with it, so the
// vocabulary is defined exactly once. It imports nothing of ours.
package model

import (
	"slices"
	"sort"
)

// Kind is an entity kind. Each kind is also a Neo4j label, so the set is closed.
type Kind string

// The entity kinds.
const (
	KindActor     Kind = "Actor"
	KindMeeting   Kind = "Meeting"
	KindCommodity Kind = "Commodity"
	KindPolicy    Kind = "Policy"
	KindDocument  Kind = "Document"
)

// Kinds lists every kind in a stable order.
var Kinds = []Kind{KindActor, KindMeeting, KindCommodity, KindPolicy, KindDocument}

// IDPrefix is the prefix every business id of the kind starts with, e.g. "actor:".
var IDPrefix = map[Kind]string{
	KindActor:     "actor:",
	KindMeeting:   "meeting:",
	KindCommodity: "commodity:",
	KindPolicy:    "policy:",
	KindDocument:  "doc:",
}

// Subtypes lists the allowed values of the "type" field for each kind.
var Subtypes = map[Kind][]string{
	KindActor:     {"PERSON", "COUNTRY", "GOVERNMENT_BODY", "COURT", "COMPANY", "ORGANIZATION", "GROUP"},
	KindMeeting:   {"NEGOTIATION", "SUMMIT", "PHONE_CALL", "STATEMENT", "RULING", "ANNOUNCEMENT", "SOCIAL_MEDIA_POST", "CONFLICT", "MEETING"},
	KindCommodity: {"MINERAL", "GOODS", "TECHNOLOGY", "PRODUCT", "SERVICE", "OTHER"},
	KindPolicy:    {"TARIFF", "EXPORT_CONTROL", "RESTRICTION", "AGREEMENT", "RULING", "TRUCE", "SANCTION", "OTHER"},
	KindDocument:  {"ARTICLE", "REPORT", "STATEMENT", "OTHER"},
}

// PolicyStatuses lists the allowed statuses of a Policy.
var PolicyStatuses = []string{"PROPOSED", "TENTATIVE", "IN_FORCE", "SUSPENDED", "STRUCK_DOWN", "ON_HOLD", "EXPIRED", "REPLACED"}

// ParseKind returns the kind named s, or false when s is not a kind.
func ParseKind(s string) (Kind, bool) {
	for _, k := range Kinds {
		if string(k) == s {
			return k, true
		}
	}
	return "", false
}

// RelType is a relationship type. Each is also a Neo4j relationship type, so the set is closed.
type RelType string

// RelSpec is the rule for one relationship type: which kinds it may connect and how
// to say it in a sentence ("Howard Lutnick confirmed the agreement").
type RelSpec struct {
	Type RelType
	From []Kind
	To   []Kind
	// Verb reads subject-first: "<from> <Verb> <to>".
	Verb string
	// Description says what the relationship means, for docs and the GraphQL schema.
	Description string
}

// Allows reports whether the type may run from an entity of kind from to one of
// kind to.
func (s RelSpec) Allows(from, to Kind) bool {
	return slices.Contains(s.From, from) && slices.Contains(s.To, to)
}

var (
	actor     = []Kind{KindActor}
	meeting   = []Kind{KindMeeting}
	commodity = []Kind{KindCommodity}
	policy    = []Kind{KindPolicy}
	event     = []Kind{KindMeeting, KindPolicy}
	anyEntity = []Kind{KindActor, KindMeeting, KindCommodity, KindPolicy}
)

// Vocabulary is the closed list of relationship types, in a stable order.
var Vocabulary = []RelSpec{
	{"LEADS", actor, actor, "leads", "A person or body heads a state, body or organisation."},
	{"MEMBER_OF", actor, actor, "is part of", "An actor belongs to or serves in another actor (a minister in a government, a firm in a group)."},
	{"CONTROLS", actor, commodity, "controls", "An actor controls the supply of a commodity."},
	{"PARTICIPATED_IN", actor, meeting, "took part in", "An actor took part in a meeting, negotiation, call or other event."},
	{"ISSUED", actor, []Kind{KindMeeting, KindPolicy}, "issued", "An actor issued a statement, post, ruling or policy."},
	{"CONFIRMED", actor, event, "confirmed", "An actor publicly confirmed an agreement, policy or event."},
	{"MUST_APPROVE", actor, policy, "must approve", "An actor's approval is required before a policy or agreement takes effect."},
	{"ENDORSED", actor, event, "endorsed", "An actor spoke in favour of a policy, agreement or event."},
	{"PROPOSED", actor, event, "proposed", "An actor proposed or offered a policy, concession or future event."},
	{"RESPONDED_TO", []Kind{KindActor, KindPolicy, KindMeeting}, anyEntity, "responded to", "An actor or measure came in response to something."},
	{"CONCERNED_ABOUT", actor, anyEntity, "is concerned about", "An actor has voiced concern or frustration about something."},
	{"IMPOSES", actor, policy, "imposes", "An actor imposes a tariff, control, restriction or other policy."},
	{"TARGETS", policy, []Kind{KindActor, KindCommodity}, "targets", "A policy is aimed at an actor or at goods."},
	{"RESTRICTS", policy, commodity, "restricts", "A policy restricts trade in a commodity."},
	{"EASES", event, policy, "eases", "An agreement or event loosens, reduces or relieves another policy."},
	{"ESTABLISHED", meeting, policy, "established", "A meeting or negotiation produced a policy or agreement."},
	{"FOLLOWED", event, event, "followed", "An event or policy came after another one in a sequence the source states."},
	{"CONTINGENT_ON", policy, []Kind{KindMeeting, KindPolicy, KindActor}, "is contingent on", "A policy or agreement depends on an approval, event or other policy."},
	{"AIMS_TO_MAINTAIN", event, policy, "aims to maintain", "An event or policy is meant to preserve another policy such as a truce."},
	{"RULED_ON", []Kind{KindActor, KindMeeting}, event, "ruled on", "A court or ruling decided on a policy or action."},
	{"STAYED", actor, event, "put on hold", "A court suspended a ruling or policy pending litigation."},
	{"LED_TO", event, event, "led to", "An event or policy caused another."},
	{"BENEFITS", event, []Kind{KindActor, KindCommodity}, "benefits", "A policy or agreement benefits an actor or gives access to a commodity."},
	{"AFFECTS", event, []Kind{KindActor, KindCommodity}, "affects", "A policy or event affects an actor, industry or commodity."},
	{"ESSENTIAL_FOR", commodity, []Kind{KindCommodity, KindActor}, "is essential for", "A commodity is a needed input for a product or an industry."},
}

var vocab = func() map[RelType]RelSpec {
	m := make(map[RelType]RelSpec, len(Vocabulary))
	for _, s := range Vocabulary {
		m[s.Type] = s
	}
	return m
}()

// LookupRel returns the rule for a relationship type, or false when t is not in the vocabulary.
func LookupRel(t string) (RelSpec, bool) {
	s, ok := vocab[RelType(t)]
	return s, ok
}

// RelTypeNames returns every relationship type name, sorted.
func RelTypeNames() []string {
	out := make([]string, 0, len(Vocabulary))
	for _, s := range Vocabulary {
		out = append(out, string(s.Type))
	}
	sort.Strings(out)
	return out
}

// MentionsType is the relationship from a Document to an entity it names. It is not
// part of Vocabulary: it is derived by the article loader, not curated.
const MentionsType = "MENTIONS"
