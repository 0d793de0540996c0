package model

import (
	"fmt"
	"strings"
)

// Triggers holds, for each relationship type, how sentences say it: templates in
// which X stands for the relationship's start (from) and Y for its end (to). The
// order of X and Y in a template is the order in the sentence, so "Y published by
// X" is the passive of "X published Y". A word may list its forms with "|"; "X=w|v"
// requires the X entity's name to end with one of the words (the nominal forms,
// "X=tariff on Y"); "X 's" is a possessive; a template may go on after Y ("X
// placed Y on hold"). The drafting of relationships from articles (loaders) reads
// this table, so a new relationship type comes with the ways to find it: a test
// checks that every type of Vocabulary has templates and that they all parse.
var Triggers = map[RelType][]string{
	"LEADS":     {"X leads|led|heads|headed Y", "Y led|headed by X", "X , head of Y", "X , leader of Y"},
	"MEMBER_OF": {"X joined|joins Y", "X , a member of Y", "X is a member of Y", "Y 's X=ministry|department|agency|officials|government|commission|office|firms|companies|industries"},
	"CONTROLS":  {"X controls|control|controlled|dominates|dominated Y", "X 's control|dominance of|over Y", "X control|controls over|of Y"},
	"PARTICIPATED_IN": {
		"X took|takes|take part in Y", "X attended|attends|attend Y", "X held|holds|hold Y", "X conducted|conducts Y",
		"X participated|participates in Y", "X joined|joins Y", "Y=talks|negotiations|call|meeting|summit|dialogue between|with X",
	},
	"ISSUED":       {"X issued|issues|issue|released|releases|published|publishes Y", "Y issued|released|published by X"},
	"CONFIRMED":    {"X confirmed|confirms|confirm|confirming|acknowledged|acknowledges|acknowledging Y", "Y was|were confirmed by X"},
	"MUST_APPROVE": {"Y require|requires|required|needs|need approval from|by X", "Y needs|need|requires|require the approval of X", "X must approve Y", "X has|have to approve Y", "Y subject to approval by X"},
	"ENDORSED":     {"X endorsed|endorses|welcomed|welcomes|praised|praises|hailed|hails|backed|backs Y", "X responded|responds positively to Y"},
	"PROPOSED":     {"X proposed|proposes|propose|offered|offers|floated|floats|suggested|suggests|threatened|threatens|threaten Y", "X hinted|hints at Y", "X sought|seeks Y", "X called|calls for Y", "Y proposed|offered by X"},
	"RESPONDED_TO": {"X responded|responds|respond|reacted|reacts|retaliated|retaliates to|against Y", "X in response|retaliation to|for Y"},
	"CONCERNED_ABOUT": {
		"X concerned|worried|cautious about|over|by Y", "X 's concerns|concern|worries|frustration about|over Y",
		"X voiced|expressed|raised frustration|concern|concerns|worries about|over Y", "X criticised|criticized|criticises|criticizes|condemned|condemns Y",
	},
	"IMPOSES": {
		"X imposed|imposes|impose|imposing|levied|levies|introduced|introduces|set|sets|slapped|slaps Y", "Y imposed|levied|introduced by X",
		"X responded|responds|respond|retaliated|retaliates|retaliate with Y", "X 's Y=tariff|tariffs|levies|duties|restrictions|controls|ban|sanctions|curbs|quotas",
	},
	"TARGETS": {
		"X=tariff|tariffs|levy|levies|duty|duties|sanctions on|against Y", "X targets|targeted|targeting Y",
	},
	"RESTRICTS": {
		"X=restrictions|restriction|controls|control|ban|bans|curbs|curb|limits|quotas|quota on Y", "X restricts|restricted|restricting|bans|banned|curbs|curbed|limits|limited Y",
	},
	"EASES": {
		"X loosen|loosens|loosened|ease|eases|eased|easing|lift|lifts|lifted|lifting|relax|relaxes|relaxed Y", "X reduce|reduces|reduced|cut|cuts|suspend|suspends|suspended Y",
		"X offers|offered relief from Y", "Y eased|lifted|relaxed|suspended by X",
	},
	"ESTABLISHED": {"Y was|were established|agreed|reached|set through|by|at|in X", "X established|establishes|produced|produces Y"},
	"FOLLOWED":    {"X follows|followed Y", "X came|comes after Y", "Y , followed by X", "Y followed by X"},
	"CONTINGENT_ON": {
		"X is|are|was|remains contingent|conditional|dependent on|upon Y", "X depends|depended on Y", "X hinges|hinged on Y",
	},
	"AIMS_TO_MAINTAIN": {"X aimed|aims|aiming at maintaining|preserving|extending Y", "X aimed|aims|aiming to maintain|preserve|extend Y"},
	"RULED_ON":         {"X ruled on|against Y", "X struck down Y", "X ruled|determined|found that … Y"},
	"STAYED":           {"X stayed|stays|paused|halted Y", "X placed|put|puts|places Y on hold", "Y was|were put|placed on hold by X"},
	"LED_TO":           {"X led|leads|leading to Y", "X resulted|results|resulting in Y", "X triggered|triggers|sparked|sparks|caused|causes|prompted|prompts|prompting Y"},
	"BENEFITS":         {"X benefits|benefited|benefit|benefiting|helps|helped|boosts|boosted|protects|protected|protect Y", "X a win for Y"},
	"AFFECTS":          {"X affected|affects|affect|affecting|impacted|impacts|impacting|hit|hits|hurt|hurts|hurting Y", "X weighed|weighs on Y"},
	"ESSENTIAL_FOR":    {"X essential|critical|vital|needed|necessary|key for|to|in Y", "X component|input for|in|of Y", "X used in|for Y", "Y depend|depends|depended|rely|relies|relied on X"},
}

// Trigger is one parsed template of Triggers.
type Trigger struct {
	Type RelType
	// Text is the template as written, for notes ("IMPOSES: X imposed Y").
	Text string
	// FirstIsFrom is true when X (from) comes first in the sentence.
	FirstIsFrom bool
	// FirstHeads and SecondHeads, when set, are the words the first and second
	// entity's name must end with.
	FirstHeads, SecondHeads []string
	// Mid are the words between the two entities, each with its forms; Gap means
	// more words may stand between Mid and the second entity ("ruled that … Y").
	Mid  [][]string
	Gap  bool
	Tail [][]string
}

// ParseTrigger parses one template of Triggers for type t.
func ParseTrigger(t RelType, text string) (Trigger, error) {
	tr := Trigger{Type: t, Text: text}
	slots := 0
	for _, w := range strings.Fields(text) {
		name, heads, _ := strings.Cut(w, "=")
		if name == "X" || name == "Y" {
			var hs []string
			if heads != "" {
				hs = strings.Split(heads, "|")
			}
			switch slots {
			case 0:
				tr.FirstIsFrom, tr.FirstHeads = name == "X", hs
				if len(tr.Mid) > 0 {
					return tr, fmt.Errorf("trigger %q: words before the first entity", text)
				}
			case 1:
				if (name == "X") == tr.FirstIsFrom {
					return tr, fmt.Errorf("trigger %q: want one X and one Y", text)
				}
				tr.SecondHeads = hs
			default:
				return tr, fmt.Errorf("trigger %q: more than two entities", text)
			}
			slots++
			continue
		}
		switch {
		case w == "…" && slots == 1:
			tr.Gap = true
		case slots == 1:
			tr.Mid = append(tr.Mid, strings.Split(strings.ToLower(w), "|"))
		case slots == 2:
			tr.Tail = append(tr.Tail, strings.Split(strings.ToLower(w), "|"))
		default:
			return tr, fmt.Errorf("trigger %q: words before the first entity", text)
		}
	}
	if slots != 2 || len(tr.Mid) == 0 {
		return tr, fmt.Errorf("trigger %q: want X and Y with words between them", text)
	}
	return tr, nil
}

// ParsedTriggers returns every template of Triggers parsed, in Vocabulary order.
// It panics on a template that does not parse: the table is code, and a test
// parses it.
func ParsedTriggers() []Trigger {
	var out []Trigger
	for _, s := range Vocabulary {
		for _, text := range Triggers[s.Type] {
			tr, err := ParseTrigger(s.Type, text)
			if err != nil {
				panic(err)
			}
			out = append(out, tr)
		}
	}
	return out
}
