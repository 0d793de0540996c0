package loaders

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os/exec"
	"strings"
	"time"

	"tradegraph/graph/model"
)

// ExtractorProtocol names the version of the JSON exchanged with an extractor.
const ExtractorProtocol = "tradegraph-extractor/1"

// maxExtractorOutput bounds what an extractor may print.
const maxExtractorOutput = 16 << 20

// ExtractorInput is what an extractor reads on stdin (docs/loading.md#extractor-protocol).
type ExtractorInput struct {
	Protocol   string              `json:"protocol"`
	Document   ExtractorDocument   `json:"document"`
	Entities   []ExtractorEntity   `json:"entities"`
	Vocabulary []ExtractorRelType  `json:"vocabulary"`
	Kinds      map[string][]string `json:"kinds"`
}

// ExtractorDocument is the article: its id and numbered sentences (sentence 1 is
// sentences[0]).
type ExtractorDocument struct {
	ID        string   `json:"id"`
	Title     string   `json:"title"`
	Date      string   `json:"date,omitempty"`
	Sentences []string `json:"sentences"`
}

// ExtractorEntity is a known entity in the input, or a proposed one in the output.
type ExtractorEntity struct {
	ID      string   `json:"id"`
	Kind    string   `json:"kind"`
	Type    string   `json:"type"`
	Name    string   `json:"name"`
	Aliases []string `json:"aliases,omitempty"`
	Role    string   `json:"role,omitempty"`
	Status  string   `json:"status,omitempty"`
}

// ExtractorRelType is one type of the closed vocabulary with its endpoint kinds.
type ExtractorRelType struct {
	Type string   `json:"type"`
	From []string `json:"from"`
	To   []string `json:"to"`
}

// ExtractorOutput is what an extractor prints on stdout.
type ExtractorOutput struct {
	Entities      []ExtractorEntity   `json:"entities"`
	Relationships []ExtractorProposal `json:"relationships"`
}

// ExtractorProposal is one proposed relationship, quoting its sentence verbatim.
type ExtractorProposal struct {
	Type       string   `json:"type"`
	From       string   `json:"from"`
	To         string   `json:"to"`
	Sentence   int      `json:"sentence"`
	Quote      string   `json:"quote"`
	Confidence *float64 `json:"confidence,omitempty"`
	Note       string   `json:"note,omitempty"`
}

// ExtractorOptions configure RunExtractor.
type ExtractorOptions struct {
	// Command is the program and its arguments, split at spaces.
	Command string
	Timeout time.Duration
	// Out receives the list of invalid proposals.
	Out io.Writer
}

// ErrExtractor is returned (wrapped with the cause) when an extractor fails or
// proposes anything invalid; then nothing is drafted.
var ErrExtractor = errors.New("extractor")

// RunExtractor runs an external extractor on doc and returns its proposals as a
// draft, after the same checks a curated file gets: entities valid for their
// kind, relationship types of the vocabulary, endpoints that exist and that the
// type allows, quotes verbatim in their sentence. One invalid proposal rejects
// them all: they are listed on o.Out and nothing is returned.
func RunExtractor(ctx context.Context, o ExtractorOptions, doc model.DocumentRecord, known []KnownEntity) (*Draft, error) {
	argv := strings.Fields(o.Command)
	if len(argv) == 0 {
		return nil, fmt.Errorf("%w: no command given", ErrExtractor)
	}
	in, err := json.Marshal(extractorInput(doc, known))
	if err != nil {
		return nil, err
	}
	if o.Timeout <= 0 {
		o.Timeout = 30 * time.Second
	}
	ctx, cancel := context.WithTimeout(ctx, o.Timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, argv[0], argv[1:]...)
	cmd.WaitDelay = time.Second // do not wait on pipes a killed extractor's children hold
	cmd.Stdin = bytes.NewReader(in)
	var stdout, stderr limitedBuffer
	stdout.max, stderr.max = maxExtractorOutput, 4096
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err = cmd.Run()
	switch {
	case ctx.Err() == context.DeadlineExceeded:
		return nil, fmt.Errorf("%w %s: did not finish within %s: stopped (raise --extractor-timeout?)", ErrExtractor, argv[0], o.Timeout)
	case err != nil:
		msg := strings.TrimSpace(stderr.String())
		if msg != "" {
			msg = ": " + lastLine(msg)
		}
		return nil, fmt.Errorf("%w %s failed (%v)%s", ErrExtractor, argv[0], err, msg)
	case stdout.over:
		return nil, fmt.Errorf("%w %s: printed more than %d bytes", ErrExtractor, argv[0], maxExtractorOutput)
	}
	var out ExtractorOutput
	dec := json.NewDecoder(bytes.NewReader(stdout.Bytes()))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&out); err != nil {
		return nil, fmt.Errorf("%w %s: printed invalid JSON: %v (want {\"entities\": [...], \"relationships\": [...]})", ErrExtractor, argv[0], err)
	}
	dr, probs, invalid := checkProposals(doc, known, out, argv[0])
	if len(probs) > 0 {
		for _, p := range probs {
			fmt.Fprintln(o.Out, p)
		}
		return nil, fmt.Errorf("%w %s: %d invalid proposal(s) (%d problems), nothing drafted", ErrExtractor, argv[0], invalid, len(probs))
	}
	return dr, nil
}

func extractorInput(doc model.DocumentRecord, known []KnownEntity) ExtractorInput {
	in := ExtractorInput{Protocol: ExtractorProtocol, Kinds: map[string][]string{}, Entities: []ExtractorEntity{},
		Document: ExtractorDocument{ID: doc.ID, Title: doc.Title, Date: doc.Date, Sentences: doc.Sentences}}
	for _, k := range known {
		in.Entities = append(in.Entities, ExtractorEntity{ID: k.ID, Kind: string(k.Kind), Type: k.Type, Name: k.Name, Aliases: k.Aliases, Role: k.Role})
	}
	for _, s := range model.Vocabulary {
		in.Vocabulary = append(in.Vocabulary, ExtractorRelType{Type: string(s.Type), From: kindStrings(s.From), To: kindStrings(s.To)})
	}
	for _, k := range model.Kinds {
		if k != model.KindDocument {
			in.Kinds[string(k)] = model.Subtypes[k]
		}
	}
	return in
}

func kindStrings(ks []model.Kind) []string {
	out := make([]string, len(ks))
	for i, k := range ks {
		out[i] = string(k)
	}
	return out
}

// proposalLookup is the model.Lookup over the known and proposed entities and
// the document.
type proposalLookup struct {
	kinds map[string]model.Kind
	doc   model.DocumentRecord
}

func (l proposalLookup) KindOf(id string) (model.Kind, bool) { k, ok := l.kinds[id]; return k, ok }

func (l proposalLookup) Sentences(id string) ([]string, bool) {
	if id == l.doc.ID {
		return l.doc.Sentences, true
	}
	return nil, false
}

// checkProposals validates an extractor's output and turns it into a draft.
func checkProposals(doc model.DocumentRecord, known []KnownEntity, out ExtractorOutput, name string) (*Draft, []string, int) {
	var probs []string
	bad := map[string]bool{}
	add := func(field, msg string) {
		probs = append(probs, fmt.Sprintf("%s: %s: %s", name, field, msg))
		item, _, _ := strings.Cut(field, ".")
		bad[item] = true
	}
	lk := proposalLookup{kinds: map[string]model.Kind{doc.ID: model.KindDocument}, doc: doc}
	for _, k := range known {
		lk.kinds[k.ID] = k.Kind
	}
	dr := &Draft{Document: doc}
	for i, e := range out.Entities {
		field := fmt.Sprintf("entities[%d]", i)
		rec := model.EntityRecord{ID: e.ID, Kind: e.Kind, Type: e.Type, Name: e.Name, Aliases: e.Aliases, Role: e.Role, Status: e.Status}
		if rec.Kind == string(model.KindPolicy) && rec.Status == "" {
			rec.Status = "PROPOSED"
		}
		for _, fe := range rec.Validate() {
			add(field+"."+fe.Field, fe.Message)
		}
		if _, dup := lk.kinds[e.ID]; dup {
			add(field+".id", fmt.Sprintf("%q is already known or proposed", e.ID))
			continue
		}
		if k, ok := model.ParseKind(e.Kind); ok {
			lk.kinds[e.ID] = k
		}
		rec.Description = "Proposed by the extractor " + name + ": check the kind, type and name."
		dr.Entities = append(dr.Entities, rec)
	}
	seen := map[string]bool{}
	usedKnown := map[string]bool{}
	for i, p := range out.Relationships {
		field := fmt.Sprintf("relationships[%d]", i)
		note := p.Note
		if note == "" {
			note = "extractor " + name
		}
		r := model.RelationshipRecord{Type: p.Type, From: p.From, To: p.To, Confidence: p.Confidence, Note: note,
			Evidence: []model.Evidence{{Doc: doc.ID, Sentence: p.Sentence, Quote: p.Quote}}}
		errs := model.CheckRelationship(r, lk)
		for _, fe := range errs {
			add(field+"."+strings.Replace(fe.Field, "evidence[0].", "", 1), fe.Message)
		}
		if seen[r.Key()] {
			add(field, fmt.Sprintf("duplicate relationship %s %s %s", r.From, r.Type, r.To))
		}
		seen[r.Key()] = true
		if len(errs) == 0 {
			dr.Relationships = append(dr.Relationships, r)
			for _, id := range []string{r.From, r.To} {
				if kindKnown(known, id) && !usedKnown[id] {
					usedKnown[id] = true
					dr.Known = append(dr.Known, id)
				}
			}
		}
	}
	return dr, probs, len(bad)
}

func kindKnown(known []KnownEntity, id string) bool {
	for _, k := range known {
		if k.ID == id {
			return true
		}
	}
	return false
}

func lastLine(s string) string {
	if i := strings.LastIndexByte(s, '\n'); i >= 0 {
		return s[i+1:]
	}
	return s
}

// limitedBuffer keeps at most max bytes and remembers whether more came.
type limitedBuffer struct {
	bytes.Buffer
	max  int
	over bool
}

func (b *limitedBuffer) Write(p []byte) (int, error) {
	if room := b.max - b.Len(); len(p) > room {
		b.over = true
		if room > 0 {
			b.Buffer.Write(p[:room])
		}
		return len(p), nil
	}
	return b.Buffer.Write(p)
}
