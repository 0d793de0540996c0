package model

import (
	"strings"
	"testing"
	"unicode"
)

// Fuzz targets of the model's two text parsers. `go test` runs them over their
// seeds (testdata/fuzz/<name> and the f.Add calls); `go test -fuzz=<name>` explores.

func FuzzParseDate(f *testing.F) {
	for _, s := range []string{"2025", "2025-05", "2025-05-20", "2024-02-29", "2025-02-29", "0999", "99999", "2025-5", "2025-13", "2025-05-20T00:00", " 2025", "２０２５", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := ParseDate(s)
		if err != nil {
			if !strings.Contains(err.Error(), "want YYYY, YYYY-MM or YYYY-MM-DD") {
				t.Errorf("error %q does not say what a date looks like", err)
			}
			return
		}
		if d.Text != s {
			t.Errorf("ParseDate(%q).Text = %q", s, d.Text)
		}
		layout := map[Precision]string{PrecisionYear: "2006", PrecisionMonth: "2006-01", PrecisionDay: "2006-01-02"}[d.Precision]
		if layout == "" || d.First().Format(layout) != s {
			t.Errorf("ParseDate(%q): precision %q, first day %s", s, d.Precision, d.First())
		}
		if d.Last().Before(d.First()) || d.First().Year() < 1000 {
			t.Errorf("ParseDate(%q): covers %s..%s", s, d.First(), d.Last())
		}
		if again, err := ParseDate(d.Text); err != nil || again != d {
			t.Errorf("ParseDate(%q) does not parse its own text again: %v", s, err)
		}
	})
}

func FuzzSplitSentences(f *testing.F) {
	for _, s := range []string{
		"The U.S. and China agreed. Talks resume in June.",
		"He said: \"It is done.\" Then he left!\nA new line. 3 more.",
		"No end", "", "   ", "Dr. Who? Yes. i.e. no.", "a.\u00a0B. c.\r\nD.",
		"“Quoted.” ‘Single.’ (Paren.) End.", "\xff\xfe. Bad. UTF-8.",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		sentences := SplitSentences(text)
		normalized := strings.ReplaceAll(text, "\r\n", "\n")
		for i, s := range sentences {
			if s == "" || s != strings.TrimSpace(s) || strings.Contains(s, "\n") {
				t.Errorf("sentence %d is %q: want trimmed, non-empty, one line", i+1, s)
			}
			if !strings.Contains(normalized, s) {
				t.Errorf("sentence %d %q is not verbatim in the text", i+1, s)
			}
		}
		// Nothing is lost or reordered: the text's non-space characters are the
		// sentences', in order.
		squeeze := func(s string) string { return strings.Join(strings.FieldsFunc(s, unicode.IsSpace), "") }
		if got, want := squeeze(strings.Join(sentences, " ")), squeeze(normalized); got != want {
			t.Errorf("sentences lose text:\n got %q\nwant %q", got, want)
		}
	})
}
