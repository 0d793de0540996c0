package loaders

import (
	"strings"

	"tradegraph/graph/model"
)

// headNoun is what the last word of a noun phrase says about the entity it names.
type headNoun struct {
	kind model.Kind
	typ  string
	// generic heads ("goods", "officials", "tariffs") name an entity only with a
	// modifier: "Chinese goods", "U.S. officials", "counter tariffs".
	generic bool
	// class is the word that definite descriptions share: "the deal" is the
	// agreement named before.
	class string
}

func heads(kind model.Kind, typ string, generic bool, class string, words ...string) map[string]headNoun {
	m := map[string]headNoun{}
	for _, w := range words {
		m[w] = headNoun{kind, typ, generic, class}
	}
	return m
}

// headNouns are the nouns that end a name of each kind. The lists are about trade
// policy in general, not about any one article.
var headNouns = merge(
	heads(model.KindPolicy, "TARIFF", true, "tariff", "tariff", "tariffs", "levy", "levies", "duty", "duties"),
	heads(model.KindPolicy, "EXPORT_CONTROL", true, "control", "controls", "export-controls"),
	heads(model.KindPolicy, "RESTRICTION", true, "restriction", "restriction", "restrictions", "curbs", "ban", "bans", "quota", "quotas", "limits"),
	heads(model.KindPolicy, "SANCTION", true, "sanction", "sanctions"),
	heads(model.KindPolicy, "AGREEMENT", true, "agreement", "agreement", "agreements", "deal", "deals", "framework", "accord", "pact", "treaty", "arrangement", "partnership"),
	heads(model.KindPolicy, "TRUCE", true, "truce", "truce", "ceasefire"),
	heads(model.KindPolicy, "RULING", true, "ruling", "ruling", "verdict", "injunction"),
	heads(model.KindPolicy, "OTHER", true, "exemption", "exemption", "exemptions", "waiver", "waivers", "subsidies", "subsidy"),
	heads(model.KindMeeting, "NEGOTIATION", true, "meeting", "negotiations", "talks", "dialogue", "consultations"),
	heads(model.KindMeeting, "MEETING", true, "meeting", "meeting", "meetings"),
	heads(model.KindMeeting, "SUMMIT", true, "meeting", "summit"),
	heads(model.KindMeeting, "PHONE_CALL", true, "call", "call", "phone-call"),
	heads(model.KindMeeting, "STATEMENT", true, "statement", "statement"),
	heads(model.KindMeeting, "ANNOUNCEMENT", true, "announcement", "announcement"),
	heads(model.KindMeeting, "SOCIAL_MEDIA_POST", true, "post", "post"),
	heads(model.KindMeeting, "CONFLICT", true, "war", "war", "dispute", "conflict"),
	heads(model.KindCommodity, "GOODS", true, "goods", "goods", "imports", "exports", "products", "shipments", "produce"),
	heads(model.KindCommodity, "MINERAL", false, "minerals", "minerals", "metals", "earths", "lithium", "gallium", "germanium",
		"graphite", "cobalt", "nickel", "copper", "antimony", "tungsten", "magnets", "steel", "aluminium", "aluminum", "tin", "ore"),
	heads(model.KindCommodity, "TECHNOLOGY", false, "chips", "semiconductor", "semiconductors", "chips", "microchips", "processors"),
	heads(model.KindCommodity, "PRODUCT", false, "jets", "jets", "aircraft", "automobiles", "cars", "vehicles", "equipment",
		"batteries", "machinery", "smartphones", "phones", "components", "drones", "ships", "turbines", "panels"),
	heads(model.KindCommodity, "GOODS", false, "soybeans", "soybeans", "wheat", "corn", "beef", "pork", "grain", "oil", "gas", "coal", "timber", "lumber", "textiles", "pharmaceuticals", "medicines"),
	heads(model.KindActor, "GROUP", true, "industry", "industry", "industries", "sector", "sectors", "firms", "companies",
		"officials", "countries", "nations", "farmers", "manufacturers", "exporters", "importers", "producers",
		"automakers", "carmakers", "steelmakers", "chipmakers", "makers", "smelters", "workers", "consumers", "businesses", "lawmakers", "investors", "allies", "partners", "negotiators"),
	heads(model.KindActor, "COURT", true, "court", "court", "tribunal"),
	heads(model.KindActor, "GOVERNMENT_BODY", true, "ministry", "ministry", "department", "agency", "government", "administration",
		"commission", "regulator", "customs", "office", "parliament", "congress", "senate", "cabinet"),
)

func merge(ms ...map[string]headNoun) map[string]headNoun {
	out := map[string]headNoun{}
	for _, m := range ms {
		for k, v := range m {
			out[k] = v
		}
	}
	return out
}

// orgNouns after a capitalised name make it an organisation: "the United Steelworkers union".
var orgNouns = set("union", "group", "company", "firm", "association", "party", "bank", "agency", "federation", "council", "lobby")

// regions are places, never entities of their own.
var regions = set("Asia", "Europe", "Africa", "Latin America", "South America", "North America", "Middle East", "Southeast Asia", "Pacific", "Arctic")

// orgWords make a capitalised name an organisation of the given subtype.
var orgWords = map[string]string{
	"Ministry": "GOVERNMENT_BODY", "Department": "GOVERNMENT_BODY", "Commission": "GOVERNMENT_BODY", "Agency": "GOVERNMENT_BODY",
	"Administration": "GOVERNMENT_BODY", "Office": "GOVERNMENT_BODY", "Council": "GOVERNMENT_BODY", "Parliament": "GOVERNMENT_BODY",
	"Congress": "GOVERNMENT_BODY", "Senate": "GOVERNMENT_BODY", "Treasury": "GOVERNMENT_BODY", "Bureau": "GOVERNMENT_BODY",
	"Court": "COURT", "Tribunal": "COURT",
	"Inc.": "COMPANY", "Inc": "COMPANY", "Corp.": "COMPANY", "Corp": "COMPANY", "Ltd": "COMPANY", "Ltd.": "COMPANY",
	"Company": "COMPANY", "Motors": "COMPANY", "Group": "COMPANY", "Holdings": "COMPANY", "Technologies": "COMPANY",
	"Bank": "ORGANIZATION", "Union": "ORGANIZATION", "Organization": "ORGANIZATION", "Organisation": "ORGANIZATION",
	"Fund": "ORGANIZATION", "Forum": "ORGANIZATION", "Association": "ORGANIZATION", "Chamber": "ORGANIZATION",
}

// function words never start, end or sit inside a name, and stop a noun phrase.
var functionWords = set("a", "an", "the", "this", "that", "these", "those", "its", "his", "her", "their", "our",
	"my", "your", "some", "any", "all", "both", "each", "every", "no", "of", "on", "in", "at", "to", "for", "from",
	"by", "with", "over", "under", "about", "against", "between", "through", "into", "onto", "after", "before",
	"since", "during", "while", "and", "or", "but", "nor", "so", "yet", "as", "if", "than", "then", "though",
	"although", "because", "which", "who", "whom", "whose", "what", "where", "when", "how", "why", "it", "he",
	"she", "they", "we", "i", "you", "is", "are", "was", "were", "be", "been", "being", "has", "have", "had",
	"will", "would", "could", "can", "may", "might", "shall", "should", "must", "do", "does", "did", "not",
	"also", "such", "like", "including", "there", "here", "up", "out", "off", "more", "most", "less", "very",
	"said", "says", "say", "told", "according", "however", "'s", "upon", "amid", "despite", "unlike", "via")

func set(words ...string) map[string]bool {
	m := make(map[string]bool, len(words))
	for _, w := range words {
		m[w] = true
	}
	return m
}

// sentenceStarters are capitalised only because they open a sentence.
var sentenceStarters = set("A", "An", "The", "This", "That", "These", "Those", "It", "He", "She", "They", "We",
	"I", "In", "On", "At", "Of", "For", "And", "But", "Or", "If", "While", "However", "Despite", "Unlike",
	"Although", "As", "After", "Before", "When", "Since", "With", "From", "By", "To", "His", "Her", "Its",
	"Their", "Our", "Some", "Many", "Meanwhile", "Still", "Yet", "Also", "Earlier", "Later", "Last", "Next",
	"Both", "Each", "Such", "Other", "Under", "Over", "Officials", "Analysts", "Separately", "Instead", "Now",
	"Today", "Yesterday", "Tomorrow", "There", "Here")

// locatives introduce the place of an event: "talks in London", "a post on Truth Social".
var locatives = set("in", "at", "on", "near")

// prepositions make a trigger nominal: the entity before it must stand right there.
var prepositions = set("on", "of", "in", "at", "for", "from", "between", "with", "over", "against", "to", "'s", ",", "by", "through", "upon")

// singular turns a plural head into its singular, for names such as "defence industry".
func singular(w string) string {
	switch {
	case strings.HasSuffix(w, "ies"):
		return strings.TrimSuffix(w, "ies") + "y"
	case strings.HasSuffix(w, "s") && !strings.HasSuffix(w, "ss"):
		return strings.TrimSuffix(w, "s")
	}
	return w
}
