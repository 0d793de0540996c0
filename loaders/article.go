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
	raw = bytes.TrimPrefix(raw, bom)
	if line := firstInvalidLine(raw); line > 0 {
		return model.DocumentRecord{}, Problems{{File: path, Line: line, Field: articlePart(raw, line), Message: invalidUTF8Message}}
	}
	text := strings.ReplaceAll(string(raw), "\r\n", "\n")
	var meta ArticleMeta
	bodyLine := 1
	var frontLines []string
	if lines := strings.Split(text, "\n"); isFence(lines[0]) {
		end := slices.IndexFunc(lines[1:], isFence) + 1
		if end == 0 {
			return model.DocumentRecord{}, Problems{{File: path, Line: 1, Field: "front matter", Message: "opening --- has no closing --- line"}}
		}
		frontLines = lines[1:end]
		if err := yaml.UnmarshalWithOptions([]byte(strings.Join(frontLines, "\n")), &meta, yaml.DisallowUnknownField()); err != nil {
			p := yamlProblem(path, err)
			if p.Line > 0 {
				p.Line++ // the opening --- line
			}
			p.Field = "front matter"
			return model.DocumentRecord{}, Problems{p}
		}
		bodyLine = end + 2 // lines[end] is the closing fence, on line end+1
		text = strings.Join(lines[end+1:], "\n")
	}
	isMD := strings.HasSuffix(strings.ToLower(path), ".md") || strings.HasSuffix(strings.ToLower(path), ".markdown")
	if isMD {
		var lines []string
		for _, l := range strings.Split(text, "\n") {
			if mdHeading.MatchString(l) {
				h := mdHeading.ReplaceAllString(l, "")
				if meta.Title == "" {
					meta.Title = strings.TrimSpace(h)
				}
				l = h
			}
			l = mdBullet.ReplaceAllString(l, "")
			l = mdLink.ReplaceAllString(l, "$1")
			l = mdEmph.ReplaceAllString(l, "$2")
			lines = append(lines, l)
		}
		text = strings.Join(lines, "\n")
	}
	fromFlag := map[string]bool{}
	for _, f := range []struct {
		name string
		dst  *string
		v    string
	}{
		{"id", &meta.ID, flags.ID}, {"type", &meta.Type, flags.Type}, {"title", &meta.Title, flags.Title},
		{"publisher", &meta.Publisher, flags.Publisher}, {"date", &meta.Date, flags.Date},
		{"url", &meta.URL, flags.URL}, {"language", &meta.Language, flags.Language},
	} {
		if f.v != "" {
			*f.dst = f.v
			fromFlag[f.name] = true
		}
	}
	if meta.ID == "" {
		meta.ID = "doc:" + Slug(strings.TrimSuffix(filepath.Base(path), filepath.Ext(path)))
	}
	if meta.Type == "" {
		meta.Type = "ARTICLE"
	}
	doc := model.DocumentRecord{
		ID: meta.ID, Type: meta.Type, Title: meta.Title, Publisher: meta.Publisher, Date: meta.Date,
		URL: meta.URL, Language: meta.Language, Text: strings.TrimSpace(text),
	}
	doc.Sentences = model.SplitSentences(doc.Text)
	var probs Problems
	for _, fe := range doc.Validate() {
		p := Problem{File: path, Line: 1, Field: fe.Field, Message: fe.Message}
		switch {
		case fe.Field == "text":
			p.Line = bodyLine
		case fromFlag[fe.Field]:
			p.Line, p.Field = 0, "--"+fe.Field
		default:
			// A front matter field points at its own line; an absent one at line 1.
			for i, l := range frontLines {
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
	return doc, probs
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
