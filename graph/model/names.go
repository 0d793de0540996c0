package model

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Country is how texts name a country: its name, other names (abbreviations,
// the capital used for the government, "Washington"), and the adjectives and
// demonyms that refer to it ("Chinese goods", "American soybeans").
type Country struct {
	Name     string
	Aliases  []string
	Capital  string
	Demonyms []string
}

// Countries are the countries and unions the name resolution knows how to spell.
// A capital refers to its country except where it names a place ("talks in
// London"); the loaders decide that from the preposition before it.
var Countries = []Country{
	{"United States", []string{"U.S.", "US", "USA", "U.S.A.", "America", "United States of America"}, "Washington", []string{"American", "Americans"}},
	{"China", []string{"PRC", "People's Republic of China"}, "Beijing", []string{"Chinese"}},
	{"European Union", []string{"EU", "E.U."}, "Brussels", []string{"European"}},
	{"United Kingdom", []string{"UK", "U.K.", "Britain", "Great Britain"}, "London", []string{"British", "Briton", "Britons"}},
	{"Japan", nil, "Tokyo", []string{"Japanese"}},
	{"South Korea", []string{"Korea", "Republic of Korea"}, "Seoul", []string{"South Korean", "Korean"}},
	{"India", nil, "New Delhi", []string{"Indian"}},
	{"Canada", nil, "Ottawa", []string{"Canadian"}},
	{"Mexico", nil, "Mexico City", []string{"Mexican"}},
	{"Brazil", nil, "Brasilia", []string{"Brazilian"}},
	{"Germany", nil, "Berlin", []string{"German"}},
	{"France", nil, "Paris", []string{"French"}},
	{"Italy", nil, "Rome", []string{"Italian"}},
	{"Russia", []string{"Russian Federation"}, "Moscow", []string{"Russian"}},
	{"Australia", nil, "Canberra", []string{"Australian"}},
	{"Taiwan", nil, "Taipei", []string{"Taiwanese"}},
	{"Vietnam", []string{"Viet Nam"}, "Hanoi", []string{"Vietnamese"}},
	{"Indonesia", nil, "Jakarta", []string{"Indonesian"}},
	{"Netherlands", []string{"Holland"}, "The Hague", []string{"Dutch"}},
	{"Switzerland", nil, "Bern", []string{"Swiss"}},
	{"Chile", nil, "Santiago", []string{"Chilean"}},
	{"Saudi Arabia", nil, "Riyadh", []string{"Saudi"}},
	{"Turkey", []string{"Türkiye"}, "Ankara", []string{"Turkish"}},
	{"South Africa", nil, "Pretoria", []string{"South African"}},
	{"Malaysia", nil, "Kuala Lumpur", []string{"Malaysian"}},
	{"Thailand", nil, "Bangkok", []string{"Thai"}},
	{"Ukraine", nil, "Kyiv", []string{"Ukrainian"}},
}

// CountryNamed returns the country that s names, as its name, an alias, its
// capital or a demonym, and whether s is a demonym (an adjectival mention).
func CountryNamed(s string) (c Country, adjectival, ok bool) {
	s = StripPossessive(strings.TrimSpace(s))
	for _, c := range Countries {
		if strings.EqualFold(s, c.Name) || strings.EqualFold(s, c.Capital) || slices.ContainsFunc(c.Aliases, equalCase(s)) {
			return c, false, true
		}
		if slices.ContainsFunc(c.Demonyms, equalCase(s)) {
			return c, true, true
		}
	}
	return Country{}, false, false
}

// equalCase compares names case-insensitively, except short all-capital forms
// ("US", "EU"), which must match exactly so that the pronoun "us" is not a country.
func equalCase(s string) func(string) bool {
	return func(n string) bool {
		if len(n) <= 4 && strings.ToUpper(n) == n {
			return s == n
		}
		return strings.EqualFold(s, n)
	}
}

// roleHeads end a title ("Treasury Secretary"); roleWords may come before a head
// ("Vice Premier", "Secretary of State", "Trade Representative").
var (
	roleHeads = set("President", "Premier", "Minister", "Secretary", "Chancellor", "Representative", "Ambassador",
		"Governor", "Senator", "Chairman", "Chairwoman", "Chair", "Chief", "CEO", "Director", "Commissioner",
		"Spokesperson", "Spokesman", "Spokeswoman", "Speaker", "King", "Queen", "Prince", "Mayor", "Envoy",
		"Negotiator", "Adviser", "Advisor", "Officer", "Leader", "General", "Judge", "Justice", "Czar", "Tsar",
		"Mr.", "Mrs.", "Ms.", "Dr.", "Sen.", "Rep.", "Gov.", "Gen.", "Prof.")
	roleWords = set("Vice", "Deputy", "Prime", "Foreign", "Trade", "Commerce", "Treasury", "Finance", "Economy",
		"Economic", "Defence", "Defense", "State", "Executive", "Acting", "Former", "Senior", "Special", "Assistant",
		"Under", "First", "Chief", "Federal", "Interior", "Industry", "Agriculture", "Energy", "Security",
		"National", "Cabinet", "Presidential", "Supreme", "Court", "White", "House", "Press", "Administration")
	// headOfState titles make their holder the leader of the country they name
	// ("Chinese President Xi Jinping" LEADS China).
	headOfState = set("President", "Prime Minister", "Premier", "Chancellor", "King", "Queen", "Leader")
)

func set(words ...string) map[string]bool {
	m := make(map[string]bool, len(words))
	for _, w := range words {
		m[w] = true
	}
	return m
}

// IsRoleHead reports whether w ends a title ("Secretary", "President").
func IsRoleHead(w string) bool { return roleHeads[w] }

// IsHeadOfState reports whether role names the head of a state or government.
func IsHeadOfState(role string) bool { return headOfState[role] }

// SplitTitle splits the words of a capitalised name into a leading title and the
// name: "Treasury Secretary Scott Bessent" -> "Treasury Secretary", "Scott
// Bessent"; "Secretary of State Marco Rubio" -> "Secretary of State", "Marco
// Rubio"; "Chinese President Xi Jinping" -> country China, "President", "Xi
// Jinping". A title alone ("Secretary") gives an empty name. Words that are no
// title give an empty role.
func SplitTitle(words []string) (country, role string, name []string) {
	i := 0
	if len(words) > 1 {
		for n := min(2, len(words)-1); n >= 1; n-- {
			if c, _, ok := CountryNamed(strings.Join(words[:n], " ")); ok {
				country, i = c.Name, n
				break
			}
		}
	}
	end := -1
	for j := i; j < len(words); j++ {
		w := words[j]
		switch {
		case roleHeads[w]:
			end = j
			// "Secretary of State", "Minister of Commerce": "of" and one capitalised word.
			if j+2 < len(words) && words[j+1] == "of" {
				end = j + 2
				j += 2
			}
			continue
		case roleWords[w]:
			continue
		}
		break
	}
	if end < 0 {
		return "", "", words
	}
	role = strings.Join(words[i:end+1], " ")
	// Courtesy titles are no role.
	if r := strings.TrimSuffix(role, "."); r == "Mr" || r == "Mrs" || r == "Ms" || r == "Dr" {
		role = ""
	}
	return country, role, words[end+1:]
}

// chineseSurnames are family names that come first in Chinese and Korean names,
// so that "Xi" is the short form of "Xi Jinping".
var chineseSurnames = set("Xi", "Li", "Wang", "Zhang", "Liu", "Chen", "Yang", "Huang", "Zhao", "Wu", "Zhou",
	"Xu", "Sun", "Ma", "Zhu", "Hu", "Guo", "He", "Lin", "Gao", "Luo", "Zheng", "Liang", "Han", "Feng", "Deng",
	"Cao", "Peng", "Zeng", "Xiao", "Tian", "Dong", "Pan", "Yuan", "Cai", "Jiang", "Yu", "Du", "Ye", "Cheng",
	"Wei", "Su", "Lu", "Ding", "Ren", "Shen", "Yao", "Kim", "Park", "Lee", "Choi", "Yoon", "Moon")

// FamilyName returns the family name of a person's full name: the last word, or
// the first for Chinese and Korean names ("Xi Jinping" -> "Xi"). It returns ""
// for a one-word name.
func FamilyName(name string) string {
	words := strings.Fields(name)
	if len(words) < 2 {
		return ""
	}
	if chineseSurnames[words[0]] {
		return words[0]
	}
	return words[len(words)-1]
}

// calendar words are capitalised but never name an entity.
var calendar = set("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday",
	"January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
	"November", "December", "Jan.", "Feb.", "Aug.", "Sept.", "Oct.", "Nov.", "Dec.")

// IsCalendarWord reports whether w is a weekday or a month.
func IsCalendarWord(w string) bool { return calendar[w] }

// StripPossessive removes a possessive ending and surrounding punctuation:
// "Nvidia's" -> "Nvidia", "“Beijing’s,”" -> "Beijing". Abbreviation periods stay ("U.S.").
func StripPossessive(s string) string {
	s = strings.TrimFunc(s, func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '.' && r != '\'' && r != '’'
	})
	for _, suf := range []string{"'s", "’s", "'", "’"} {
		if strings.HasSuffix(s, suf) && len(s) > len(suf) {
			s = s[:len(s)-len(suf)]
			break
		}
	}
	if strings.HasSuffix(s, ".") && strings.Count(s, ".") == 1 {
		s = strings.TrimSuffix(s, ".") // a full stop, not an abbreviation's
	}
	return s
}

// NameKey is the form in which two names are compared: possessive and
// punctuation stripped, a leading article dropped, lower case, single spaces,
// typographic apostrophes as ASCII ones.
func NameKey(s string) string {
	s = strings.ReplaceAll(s, "’", "'")
	words := strings.Fields(strings.ToLower(StripPossessive(s)))
	if len(words) > 1 && (words[0] == "the" || words[0] == "a" || words[0] == "an") {
		words = words[1:]
	}
	return strings.Join(words, " ")
}

// ResolveName returns the forms under which a name typed by a person should be
// looked up, in order: the country of a demonym ("Chinese" -> "China"), the name
// as given, without a possessive, without a title ("Treasury Secretary Scott
// Bessent" -> "Scott Bessent"), and the country another name of it stands for.
func ResolveName(s string) []string {
	var out []string
	add := func(v string) {
		if v != "" && !slices.Contains(out, v) {
			out = append(out, v)
		}
	}
	clean := StripPossessive(s)
	if c, adjectival, ok := CountryNamed(clean); ok && adjectival {
		add(c.Name)
	}
	add(strings.TrimSpace(s))
	add(clean)
	if _, role, name := SplitTitle(strings.Fields(clean)); role != "" && len(name) > 0 {
		add(strings.Join(name, " "))
	}
	if c, _, ok := CountryNamed(clean); ok {
		add(c.Name)
	}
	return out
}

// IsCapitalised reports whether w starts with an upper-case letter.
func IsCapitalised(w string) bool {
	r, _ := utf8.DecodeRuneInString(w)
	return unicode.IsUpper(r)
}
