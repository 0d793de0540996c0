package loaders

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"

	"github.com/goccy/go-yaml"

	"tradegraph/graph/model"
)

// ArticleMeta is what an article's front matter or the load flags say about it.
// Flags win over front matter.
type ArticleMeta struct {
	ID        string `yaml:"id"`
	Type      string `yaml:"type"`
	Title     string `yaml:"title"`
	Publisher string `yaml:"publisher"`
	Date      string `yaml:"date"`
	URL       string `yaml:"url"`
	Language  string `yaml:"language"`
}

// IsArticle reports whether path names an article (plain text or Markdown).
func IsArticle(path string) bool {
	switch strings.ToLower(filepath.Ext(path)) {
	case ".txt", ".md", ".markdown":
		return true
	}
	return false
}

var (
	mdHeading = regexp.MustCompile(`^#{1,6}\s+`)
	mdBullet  = regexp.MustCompile(`^\s*(?:[-*+]|\d+\.)\s+`)
	mdLink    = regexp.MustCompile(`\[([^\]]+)\]\([^)]*\)`)
	mdEmph    = regexp.MustCompile(`(\*\*|__|\*|_|` + "`" + `)([^*_` + "`" + `]+)(\*\*|__|\*|_|` + "`" + `)`)
	nonSlug   = regexp.MustCompile(`[^a-z0-9]+`)
)

// Slug turns s into the lowercase-and-hyphens form ids use.
func Slug(s string) string {
	return strings.Trim(nonSlug.ReplaceAllString(strings.ToLower(s), "-"), "-")
}

// ParseArticle reads an article: optional YAML front matter between "---" lines,
// then plain text or Markdown (headings, bullets, links and emphasis are reduced to
// their text). The document id defaults to "doc:" + the file name's slug, the title
// to the first Markdown heading. flags override the front matter field by field.
func ParseArticle(path string, flags ArticleMeta) (model.DocumentRecord, Problems) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return model.DocumentRecord{}, Problems{{File: path, Message: fmt.Sprintf("cannot read: %v", err)}}
	}
	return parseArticle(path, raw, flags)
}

func parseArticle(path string, raw []byte, flags ArticleMeta) (model.DocumentRecord, Problems) {
	raw = bytes.TrimPrefix(raw, BOM)
	if line := FirstInvalidLine(raw); line > 0 {
		return model.DocumentRecord{}, Problems{{File: path, Line: line, Field: articlePart(raw, line), Message: InvalidUTF8Message}}
	}
	a, prob := readFrontMatter(path, strings.ReplaceAll(string(raw), "\r\n", "\n"))
	if prob != nil {
		return model.DocumentRecord{}, Problems{*prob}
	}
	if isMarkdown(path) {
		a.reduceMarkdown()
	}
	fromFlag := a.meta.override(flags)
	doc := a.document(path)
	return doc, a.problems(path, doc, fromFlag)
}

// article is an article's text being parsed: its metadata, its body and where the
// body and the front matter are in the file, for problems.
type article struct {
	meta       ArticleMeta
	text       string
	bodyLine   int      // the file line the body starts on
	frontLines []string // the front matter, without its fences
}

// readFrontMatter splits text into the front matter, parsed into meta, and the body.
func readFrontMatter(path, text string) (article, *Problem) {
	a := article{text: text, bodyLine: 1}
	lines := strings.Split(text, "\n")
	if !isFence(lines[0]) {
		return a, nil
	}
	end := slices.IndexFunc(lines[1:], isFence) + 1
	if end == 0 {
		return a, &Problem{File: path, Line: 1, Field: "front matter", Message: "opening --- has no closing --- line"}
	}
	a.frontLines = lines[1:end]
	if err := yaml.UnmarshalWithOptions([]byte(strings.Join(a.frontLines, "\n")), &a.meta, yaml.DisallowUnknownField()); err != nil {
		p := yamlProblem(path, err)
		if p.Line > 0 {
			p.Line++ // the opening --- line
		}
		p.Field = "front matter"
		return a, &p
	}
	a.bodyLine = end + 2 // lines[end] is the closing fence, on line end+1
	a.text = strings.Join(lines[end+1:], "\n")
	return a, nil
}

// isMarkdown reports whether path names a Markdown article.
func isMarkdown(path string) bool {
	p := strings.ToLower(path)
	return strings.HasSuffix(p, ".md") || strings.HasSuffix(p, ".markdown")
}

// reduceMarkdown reduces headings, bullets, links and emphasis to their text; the
// first heading is the title unless the front matter gives one.
func (a *article) reduceMarkdown() {
	var lines []string
	for _, l := range strings.Split(a.text, "\n") {
		if mdHeading.MatchString(l) {
			h := mdHeading.ReplaceAllString(l, "")
			if a.meta.Title == "" {
				a.meta.Title = strings.TrimSpace(h)
			}
			l = h
		}
		l = mdBullet.ReplaceAllString(l, "")
		l = mdLink.ReplaceAllString(l, "$1")
		l = mdEmph.ReplaceAllString(l, "$2")
		lines = append(lines, l)
	}
	a.text = strings.Join(lines, "\n")
}

// override sets every field that flags give, and returns which ones they were.
func (m *ArticleMeta) override(flags ArticleMeta) (fromFlag map[string]bool) {
	fromFlag = map[string]bool{}
	for _, f := range []struct {
		name string
		dst  *string
		v    string
	}{
		{"id", &m.ID, flags.ID}, {"type", &m.Type, flags.Type}, {"title", &m.Title, flags.Title},
		{"publisher", &m.Publisher, flags.Publisher}, {"date", &m.Date, flags.Date},
		{"url", &m.URL, flags.URL}, {"language", &m.Language, flags.Language},
	} {
		if f.v != "" {
			*f.dst = f.v
			fromFlag[f.name] = true
		}
	}
	return fromFlag
}

// document is the article as a document record, with the defaults filled in and
// its sentences split.
func (a *article) document(path string) model.DocumentRecord {
	if a.meta.ID == "" {
		a.meta.ID = "doc:" + Slug(strings.TrimSuffix(filepath.Base(path), filepath.Ext(path)))
	}
	if a.meta.Type == "" {
		a.meta.Type = "ARTICLE"
	}
	m := a.meta
	doc := model.DocumentRecord{
		ID: m.ID, Type: m.Type, Title: m.Title, Publisher: m.Publisher, Date: m.Date,
		URL: m.URL, Language: m.Language, Text: strings.TrimSpace(a.text),
	}
	doc.Sentences = model.SplitSentences(doc.Text)
	return doc
}

// problems validates doc and locates each problem: the text at the body's first
// line, a field from a flag at the flag, any other at its front matter line (line 1
// when absent).
func (a *article) problems(path string, doc model.DocumentRecord, fromFlag map[string]bool) Problems {
	var probs Problems
	for _, fe := range doc.Validate() {
		p := Problem{File: path, Line: 1, Field: fe.Field, Message: fe.Message}
		switch {
		case fe.Field == "text":
			p.Line = a.bodyLine
		case fromFlag[fe.Field]:
			p.Line, p.Field = 0, "--"+fe.Field
		default:
			for i, l := range a.frontLines {
				if strings.HasPrefix(l, fe.Field+":") {
					p.Line = i + 2
					break
				}
			}
		}
		if fe.Field == "title" {
			p.Message = "is required: give it in front matter, as a Markdown heading or with --title"
		}
		probs = append(probs, p)
	}
	return probs
}

// articlePart names the part of an article that holds line: "front matter" or "text".
func articlePart(raw []byte, line int) string {
	lines := strings.Split(string(raw), "\n")
	if !isFence(strings.TrimSuffix(lines[0], "\r")) {
		return "text"
	}
	for i := 1; i < len(lines); i++ {
		if isFence(strings.TrimSuffix(lines[i], "\r")) {
			if line <= i+1 {
				return "front matter"
			}
			break
		}
	}
	return "text"
}

// isFence reports whether line is a front matter fence, "---".
func isFence(line string) bool { return strings.TrimRight(line, " \t") == "---" }
