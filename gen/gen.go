// Package gen generates realistic, deterministic test graphs for the bulk loaders:
// hub actors (states and their leaders) with power-law degrees, all four entity
// kinds, and relationships whose evidence quotes are verbatim in the sentences of
// generated documents. The same Config gives byte-identical output.
package gen

import (
	"bufio"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"hash/fnv"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"tradegraph/graph/model"
)

// Config says what to generate.
type Config struct {
	Seed uint64
	// Relationships is how many relationships to generate (exactly).
	Relationships int
	// Format is "csv" (neo4j-admin header style, one file per record kind) or
	// "jsonl" (one file holding documents, then entities, then relationships).
	Format string
	// Dir is the output directory; it is created when missing.
	Dir string
}

// Stats counts what Generate wrote.
type Stats struct {
	Documents, Entities, Relationships int
	Files                              []string
}

// The CSV files Generate writes, in load order.
const (
	DocumentsCSV     = "documents.csv"
	EntitiesCSV      = "entities.csv"
	RelationshipsCSV = "relationships.csv"
	GraphJSONL       = "graph.jsonl"
)

// Headers of the CSV files, in the header style of neo4j-admin database import.
var (
	DocumentsHeader     = []string{"id:ID", ":LABEL", "type", "title", "publisher", "date", "url", "language", "text"}
	EntitiesHeader      = []string{"id:ID", ":LABEL", "type", "name", "aliases:string[]", "description", "role", "start", "end", "place", "category", "uses:string[]", "status", "rate:float", "unit"}
	RelationshipsHeader = []string{":START_ID", ":END_ID", ":TYPE", "validFrom", "validTo", "confidence:float", "attributedTo", "note", "evidenceDocs:string[]", "evidenceSentences:int[]", "evidenceQuotes:string[]"}
)

// ArrayDelimiter separates the items of array columns, as in neo4j-admin.
const ArrayDelimiter = ";"

// ParseSize reads a relationship count such as "10k", "100k", "1m" or "2500".
func ParseSize(s string) (int, error) {
	mult := 1
	t := strings.ToLower(strings.TrimSpace(s))
	switch {
	case strings.HasSuffix(t, "k"):
		mult, t = 1000, strings.TrimSuffix(t, "k")
	case strings.HasSuffix(t, "m"):
		mult, t = 1000000, strings.TrimSuffix(t, "m")
	}
	n, err := strconv.Atoi(t)
	if err != nil || n <= 0 {
		return 0, fmt.Errorf("bad size %q: want a positive count such as 10k, 100k, 1m or 2500", s)
	}
	return n * mult, nil
}

// node is a generated entity; its index within its kind is its popularity rank.
type node struct {
	rec  model.EntityRecord
	kind model.Kind
}

type graph struct {
	cfg    Config
	rnd    *rand.Rand
	byKind map[model.Kind][]node
	zipf   map[model.Kind]*rand.Zipf
}

// Generate writes a graph of cfg.Relationships relationships into cfg.Dir.
func Generate(cfg Config) (Stats, error) {
	if cfg.Relationships <= 0 {
		return Stats{}, fmt.Errorf("gen: relationships must be positive")
	}
	if cfg.Format != "csv" && cfg.Format != "jsonl" {
		return Stats{}, fmt.Errorf("gen: unknown format %q (want csv or jsonl)", cfg.Format)
	}
	if err := os.MkdirAll(cfg.Dir, 0o755); err != nil {
		return Stats{}, err
	}
	g := &graph{cfg: cfg, rnd: rand.New(rand.NewPCG(cfg.Seed, 0x7261646567726170))}
	g.entities()
	var st Stats
	var err error
	if cfg.Format == "csv" {
		st, err = g.writeCSV()
	} else {
		st, err = g.writeJSONL()
	}
	return st, err
}

// Real states head the actor list so that the biggest hubs read naturally.
var states = []string{
	"United States", "China", "European Union", "Japan", "Germany", "India", "United Kingdom",
	"France", "Brazil", "Canada", "Mexico", "South Korea", "Australia", "Indonesia", "Turkey",
	"Saudi Arabia", "Russia", "Vietnam", "Chile", "South Africa", "Argentina", "Malaysia",
	"Thailand", "Nigeria", "Egypt", "Poland", "Netherlands", "Switzerland", "Norway", "Peru",
}

var syllables = []string{"ka", "lo", "ver", "an", "mi", "tor", "sa", "del", "ru", "vin", "or", "bel", "ta", "nes", "qua", "ril", "do", "mar", "zen", "hal"}

// word returns a capitalised pseudo-word for the index i (deterministic, no dots).
func word(i int) string {
	var b strings.Builder
	n := i
	for k := 0; k < 3; k++ {
		b.WriteString(syllables[n%len(syllables)])
		n /= len(syllables)
		if n == 0 && k > 0 {
			break
		}
	}
	s := b.String()
	return strings.ToUpper(s[:1]) + s[1:]
}

var months = []string{"January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"}

func (g *graph) date() (year, month int) {
	return 2018 + g.rnd.IntN(8), 1 + g.rnd.IntN(12)
}

// entities creates about one node for every five relationships: actors (states, their
// leaders, bodies, companies, organisations and people), meetings, policies and
// commodities, each list ordered by popularity.
func (g *graph) entities() {
	total := max(g.cfg.Relationships/5, 60)
	nActors := total * 45 / 100
	nMeetings := total * 20 / 100
	nPolicies := total * 25 / 100
	nCommodities := total - nActors - nMeetings - nPolicies
	g.byKind = map[model.Kind][]node{}
	add := func(k model.Kind, e model.EntityRecord) {
		e.Kind = string(k)
		e.ID = fmt.Sprintf("%s%s-%d", model.IDPrefix[k], slug(e.Name), len(g.byKind[k])+1)
		g.byKind[k] = append(g.byKind[k], node{rec: e, kind: k})
	}
	nStates := min(max(nActors/20, 10), 200)
	for i := 0; i < nStates; i++ {
		name := "Republic of " + word(i)
		if i < len(states) {
			name = states[i]
		}
		add(model.KindActor, model.EntityRecord{Type: "COUNTRY", Name: name, Aliases: []string{strings.ToUpper(slug(name)[:3])},
			Description: fmt.Sprintf("A state; %s is a party to many trade measures.", name)})
	}
	// Each state's leader follows right after the states, so leaders are hubs too.
	for i := 0; i < nStates; i++ {
		role := []string{"President", "Prime Minister", "Chancellor"}[i%3]
		name := word(1000+i) + " " + word(3000+i)
		add(model.KindActor, model.EntityRecord{Type: "PERSON", Role: role, Name: name,
			Aliases: []string{role + " " + name}, Description: fmt.Sprintf("%s of %s.", role, g.byKind[model.KindActor][i].rec.Name)})
	}
	actorTypes := []string{"GOVERNMENT_BODY", "COMPANY", "ORGANIZATION", "PERSON", "COMPANY", "GROUP", "COURT"}
	for i := 2 * nStates; i < nActors; i++ {
		t := actorTypes[i%len(actorTypes)]
		e := model.EntityRecord{Type: t}
		switch t {
		case "GOVERNMENT_BODY":
			e.Name = "Ministry of " + word(i)
		case "COMPANY":
			e.Name = word(i) + " Industries"
		case "COURT":
			e.Name = word(i) + " Trade Court"
		case "PERSON":
			e.Name = word(7000+i) + " " + word(i)
			e.Role = "Minister"
		default:
			e.Name = word(i) + " Council"
		}
		e.Description = "A generated actor."
		add(model.KindActor, e)
	}
	meetingTypes := model.Subtypes[model.KindMeeting]
	for i := 0; i < nMeetings; i++ {
		y, m := g.date()
		e := model.EntityRecord{Type: meetingTypes[i%len(meetingTypes)], Name: fmt.Sprintf("%s talks %d", word(500+i), y),
			Start: fmt.Sprintf("%d-%02d", y, m), Place: states[i%len(states)]}
		if i%3 == 0 {
			e.Start = fmt.Sprintf("%d-%02d-%02d", y, m, 1+i%20)
			e.End = fmt.Sprintf("%d-%02d-%02d", y, m, 2+i%20)
		}
		add(model.KindMeeting, e)
	}
	policyTypes := model.Subtypes[model.KindPolicy]
	for i := 0; i < nPolicies; i++ {
		t := policyTypes[i%len(policyTypes)]
		e := model.EntityRecord{Type: t, Name: fmt.Sprintf("%s %s %d", word(900+i), strings.ToLower(strings.ReplaceAll(t, "_", " ")), i),
			Status: model.PolicyStatuses[i%len(model.PolicyStatuses)]}
		if t == "TARIFF" {
			r := float64(5 + g.rnd.IntN(20)*5)
			e.Rate, e.Unit = &r, "percent"
		}
		add(model.KindPolicy, e)
	}
	categories := model.Subtypes[model.KindCommodity]
	for i := 0; i < nCommodities; i++ {
		e := model.EntityRecord{Type: categories[i%len(categories)], Name: word(2000+i) + " ore",
			Category: "raw materials", Uses: []string{"magnets", "batteries"}[:1+i%2]}
		add(model.KindCommodity, e)
	}
	g.zipf = map[model.Kind]*rand.Zipf{}
	for k, ns := range g.byKind {
		// s=1.3: a few hubs take a large share of the edges, as in news graphs.
		g.zipf[k] = rand.NewZipf(g.rnd, 1.3, 2, uint64(len(ns)-1))
	}
}

func slug(s string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(s) {
		if (r >= 'a' && r <= 'z') || (r >= '0' && r <= '9') {
			b.WriteRune(r)
			dash = false
		} else if !dash && b.Len() > 0 {
			b.WriteByte('-')
			dash = true
		}
	}
	return strings.TrimSuffix(b.String(), "-")
}

// typeWeights favours the relationship types that news about trade states most often.
var typeWeights = map[model.RelType]int{
	"PARTICIPATED_IN": 14, "TARGETS": 10, "AFFECTS": 10, "IMPOSES": 8, "ISSUED": 6, "CONCERNED_ABOUT": 6,
	"CONFIRMED": 5, "MEMBER_OF": 5, "RESTRICTS": 5, "CONTROLS": 4, "RESPONDED_TO": 4, "ENDORSED": 3,
	"BENEFITS": 3, "LED_TO": 3, "FOLLOWED": 3, "PROPOSED": 2, "ESSENTIAL_FOR": 2, "ESTABLISHED": 2,
	"EASES": 2, "MUST_APPROVE": 1, "CONTINGENT_ON": 1, "AIMS_TO_MAINTAIN": 1, "RULED_ON": 1, "STAYED": 1, "LEADS": 1,
}

func (g *graph) pick(kinds []model.Kind) node {
	k := kinds[g.rnd.IntN(len(kinds))]
	return g.byKind[k][g.zipf[k].Uint64()]
}

// relationships draws the relationships, grouped by the document that states them
// (about twenty to a document), as an extraction from articles would give them.
func (g *graph) relationships(yield func(model.DocumentRecord, []model.RelationshipRecord) error) error {
	var specs []model.RelSpec
	for _, s := range model.Vocabulary {
		for range typeWeights[s.Type] {
			specs = append(specs, s)
		}
	}
	seen := map[uint64]bool{}
	left := g.cfg.Relationships
	publishers := []string{"Trade Wire", "Global Ledger", "Port Gazette", "Policy Monitor"}
	for d := 1; left > 0; d++ {
		n := min(left, 15+g.rnd.IntN(11))
		y, m := g.date()
		doc := model.DocumentRecord{ID: fmt.Sprintf("doc:report-%d", d), Type: "ARTICLE",
			Title: fmt.Sprintf("Trade report %d", d), Publisher: publishers[d%len(publishers)],
			Date: fmt.Sprintf("%d-%02d-%02d", y, m, 1+d%28), URL: fmt.Sprintf("https://example.org/reports/%d", d), Language: "en"}
		var sentences []string
		var rels []model.RelationshipRecord
		for len(rels) < n {
			spec := specs[g.rnd.IntN(len(specs))]
			a, b := g.pick(spec.From), g.pick(spec.To)
			if a.rec.ID == b.rec.ID {
				continue
			}
			h := fnv.New64a()
			io.WriteString(h, a.rec.ID+"|"+string(spec.Type)+"|"+b.rec.ID)
			if seen[h.Sum64()] {
				continue
			}
			seen[h.Sum64()] = true
			quote := a.rec.Name + " " + spec.Verb + " " + b.rec.Name
			sentences = append(sentences, fmt.Sprintf("In %s %d, %s, according to officials.", months[m-1], y, quote))
			r := model.RelationshipRecord{Type: string(spec.Type), From: a.rec.ID, To: b.rec.ID,
				Evidence: []model.Evidence{{Doc: doc.ID, Sentence: len(sentences), Quote: quote}}}
			switch g.rnd.IntN(10) {
			case 0:
				// A second sentence restates the fact: two evidence items.
				sentences = append(sentences, fmt.Sprintf("Analysts repeated that %s.", quote))
				r.Evidence = append(r.Evidence, model.Evidence{Doc: doc.ID, Sentence: len(sentences), Quote: quote})
			case 1:
				c := float64(5+g.rnd.IntN(5)) / 10
				r.Confidence = &c
				r.Note = "Inferred from context."
			case 2:
				r.ValidFrom = fmt.Sprintf("%d-%02d", y, m)
				r.ValidTo = fmt.Sprintf("%d", y+1+g.rnd.IntN(2))
			case 3:
				r.AttributedTo = g.byKind[model.KindActor][g.zipf[model.KindActor].Uint64()].rec.ID
			}
			rels = append(rels, r)
		}
		doc.Text = strings.Join(sentences, " ")
		left -= len(rels)
		if err := yield(doc, rels); err != nil {
			return err
		}
	}
	return nil
}

// entityRow returns the CSV row of e under EntitiesHeader.
func entityRow(e model.EntityRecord) []string {
	rate := ""
	if e.Rate != nil {
		rate = strconv.FormatFloat(*e.Rate, 'f', -1, 64)
	}
	return []string{e.ID, "Entity;" + e.Kind, e.Type, e.Name, strings.Join(e.Aliases, ArrayDelimiter), e.Description,
		e.Role, e.Start, e.End, e.Place, e.Category, strings.Join(e.Uses, ArrayDelimiter), e.Status, rate, e.Unit}
}

func relationshipRow(r model.RelationshipRecord) []string {
	conf := ""
	if r.Confidence != nil {
		conf = strconv.FormatFloat(*r.Confidence, 'f', -1, 64)
	}
	var docs, sents, quotes []string
	for _, ev := range r.Evidence {
		docs = append(docs, ev.Doc)
		sents = append(sents, strconv.Itoa(ev.Sentence))
		quotes = append(quotes, ev.Quote)
	}
	return []string{r.From, r.To, r.Type, r.ValidFrom, r.ValidTo, conf, r.AttributedTo, r.Note,
		strings.Join(docs, ArrayDelimiter), strings.Join(sents, ArrayDelimiter), strings.Join(quotes, ArrayDelimiter)}
}

type outFile struct {
	f *os.File
	w *bufio.Writer
}

func create(path string) (*outFile, error) {
	f, err := os.Create(path)
	if err != nil {
		return nil, err
	}
	return &outFile{f: f, w: bufio.NewWriterSize(f, 1<<20)}, nil
}

func (o *outFile) close() error {
	return errorsJoin(o.w.Flush(), o.f.Close())
}

func errorsJoin(errs ...error) error {
	for _, e := range errs {
		if e != nil {
			return e
		}
	}
	return nil
}

func (g *graph) writeCSV() (Stats, error) {
	st := Stats{}
	paths := []string{filepath.Join(g.cfg.Dir, DocumentsCSV), filepath.Join(g.cfg.Dir, EntitiesCSV), filepath.Join(g.cfg.Dir, RelationshipsCSV)}
	var outs []*outFile
	var ws []*csv.Writer
	for _, p := range paths {
		o, err := create(p)
		if err != nil {
			return st, err
		}
		outs = append(outs, o)
		ws = append(ws, csv.NewWriter(o.w))
	}
	docs, ents, rels := ws[0], ws[1], ws[2]
	docs.Write(DocumentsHeader)
	ents.Write(EntitiesHeader)
	rels.Write(RelationshipsHeader)
	for _, k := range []model.Kind{model.KindActor, model.KindMeeting, model.KindCommodity, model.KindPolicy} {
		for _, n := range g.byKind[k] {
			ents.Write(entityRow(n.rec))
			st.Entities++
		}
	}
	err := g.relationships(func(d model.DocumentRecord, rs []model.RelationshipRecord) error {
		docs.Write([]string{d.ID, "Document", d.Type, d.Title, d.Publisher, d.Date, d.URL, d.Language, d.Text})
		st.Documents++
		for _, r := range rs {
			rels.Write(relationshipRow(r))
			st.Relationships++
		}
		return rels.Error()
	})
	for i, w := range ws {
		w.Flush()
		err = errorsJoin(err, w.Error(), outs[i].close())
	}
	st.Files = paths
	return st, err
}

// jsonEntity and jsonRelationship leave empty fields out, to keep lines short.
type jsonEntity struct {
	ID          string   `json:"id"`
	Kind        string   `json:"kind"`
	Type        string   `json:"type"`
	Name        string   `json:"name"`
	Aliases     []string `json:"aliases,omitempty"`
	Description string   `json:"description,omitempty"`
	Role        string   `json:"role,omitempty"`
	Start       string   `json:"start,omitempty"`
	End         string   `json:"end,omitempty"`
	Place       string   `json:"place,omitempty"`
	Category    string   `json:"category,omitempty"`
	Uses        []string `json:"uses,omitempty"`
	Status      string   `json:"status,omitempty"`
	Rate        *float64 `json:"rate,omitempty"`
	Unit        string   `json:"unit,omitempty"`
}

type jsonDocument struct {
	ID        string `json:"id"`
	Kind      string `json:"kind"`
	Type      string `json:"type"`
	Title     string `json:"title"`
	Publisher string `json:"publisher,omitempty"`
	Date      string `json:"date,omitempty"`
	URL       string `json:"url,omitempty"`
	Language  string `json:"language,omitempty"`
	Text      string `json:"text"`
}

type jsonRelationship struct {
	Type         string           `json:"type"`
	From         string           `json:"from"`
	To           string           `json:"to"`
	ValidFrom    string           `json:"validFrom,omitempty"`
	ValidTo      string           `json:"validTo,omitempty"`
	Confidence   *float64         `json:"confidence,omitempty"`
	AttributedTo string           `json:"attributedTo,omitempty"`
	Note         string           `json:"note,omitempty"`
	Evidence     []model.Evidence `json:"evidence"`
}

// writeJSONL writes documents first, then entities, then relationships. Documents
// come from the relationship draw, so relationships are buffered in a temporary
// file rather than in memory.
func (g *graph) writeJSONL() (Stats, error) {
	st := Stats{}
	path := filepath.Join(g.cfg.Dir, GraphJSONL)
	out, err := create(path)
	if err != nil {
		return st, err
	}
	tmp, err := os.CreateTemp(g.cfg.Dir, ".rels-*.jsonl")
	if err != nil {
		return st, errorsJoin(err, out.close())
	}
	defer os.Remove(tmp.Name())
	tw := bufio.NewWriterSize(tmp, 1<<20)
	enc := json.NewEncoder(out.w)
	enc.SetEscapeHTML(false)
	renc := json.NewEncoder(tw)
	renc.SetEscapeHTML(false)
	err = g.relationships(func(d model.DocumentRecord, rs []model.RelationshipRecord) error {
		st.Documents++
		if err := enc.Encode(jsonDocument{d.ID, "Document", d.Type, d.Title, d.Publisher, d.Date, d.URL, d.Language, d.Text}); err != nil {
			return err
		}
		for _, r := range rs {
			st.Relationships++
			if err := renc.Encode(jsonRelationship{r.Type, r.From, r.To, r.ValidFrom, r.ValidTo, r.Confidence, r.AttributedTo, r.Note, r.Evidence}); err != nil {
				return err
			}
		}
		return nil
	})
	for _, k := range []model.Kind{model.KindActor, model.KindMeeting, model.KindCommodity, model.KindPolicy} {
		for _, n := range g.byKind[k] {
			e := n.rec
			st.Entities++
			err = errorsJoin(err, enc.Encode(jsonEntity{e.ID, e.Kind, e.Type, e.Name, e.Aliases, e.Description, e.Role,
				e.Start, e.End, e.Place, e.Category, e.Uses, e.Status, e.Rate, e.Unit}))
		}
	}
	err = errorsJoin(err, tw.Flush())
	if err == nil {
		_, err = tmp.Seek(0, io.SeekStart)
	}
	if err == nil {
		_, err = io.Copy(out.w, tmp)
	}
	err = errorsJoin(err, tmp.Close(), out.close())
	st.Files = []string{path}
	return st, err
}
