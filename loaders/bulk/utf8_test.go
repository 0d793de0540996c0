package bulk

import (
	"os"
	"strings"
	"testing"

	"tradegraph/loaders"
)

// Bytes that are not UTF-8: a lone continuation byte, and the first two bytes of
// the three-byte “ (U+201C) without its last byte.
const (
	loneByte = "\x80"
	cutQuote = "\xe2\x80"
)

// TestBulkRefusesInvalidUTF8 names file:line:field in CSV and JSON Lines, and a
// CSV quote cut inside a character is not taken as verbatim.
func TestBulkRefusesInvalidUTF8(t *testing.T) {
	for _, tt := range []struct {
		name  string
		files map[string]string
		want  []string
	}{
		{"csv node cell", map[string]string{"n.csv": baseNodes + "actor:x,Actor,COUNTRY,X" + loneByte + ",,,,,,\n"},
			[]string{"n.csv:6: name: is not valid UTF-8"}},
		{"csv quote cut inside a character", map[string]string{"n.csv": strings.Replace(baseNodes, "Japan is concerned.", "Japan is “concerned”.", 1),
			"r.csv": baseRels + "actor:japan,policy:gallium-tariff,OPPOSES,,doc:a,2,Japan is " + cutQuote + "\n"},
			[]string{"r.csv:3: evidenceQuotes: is not valid UTF-8"}},
		{"jsonl field", map[string]string{"a.jsonl": baseJSONL + `{"kind":"Actor","id":"actor:x","type":"COUNTRY","name":"X","aliases":["ok","b` + loneByte + `d"]}` + "\n"},
			[]string{"a.jsonl:5: aliases[1]: is not valid UTF-8"}},
		{"jsonl quote", map[string]string{"a.jsonl": baseJSONL + `{"type":"IMPOSES","from":"actor:china","to":"policy:gallium-tariff","evidence":[{"doc":"doc:a","sentence":1,"quote":"China ` + cutQuote + `"}]}` + "\n"},
			[]string{"a.jsonl:5: evidence[0].quote: is not valid UTF-8"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var order []string
			for _, n := range []string{"n.csv", "r.csv", "a.jsonl"} {
				if _, ok := tt.files[n]; ok {
					order = append(order, n)
				}
			}
			res, report, err := bulkDryRun(t, tt.files, order, -1)
			if err != nil {
				t.Fatal(err)
			}
			for _, w := range tt.want {
				if !strings.Contains(report, w) {
					t.Errorf("report:\n%s\nwant %q", report, w)
				}
			}
			if res.Rejected != 1 {
				t.Errorf("rejected %d rows, want 1; report:\n%s", res.Rejected, report)
			}
		})
	}
}

// TestJSONLinesSmallThings: a byte-order mark is accepted, a duplicate key is
// refused, and a line that is not an object says what was expected.
func TestJSONLinesSmallThings(t *testing.T) {
	res, report, err := bulkDryRun(t, map[string]string{"a.jsonl": "\ufeff" + baseJSONL}, []string{"a.jsonl"}, -1)
	if err != nil || res.Rejected != 0 || res.Written != 4 {
		t.Errorf("with a BOM: %+v %v\n%s", res, err, report)
	}
	for _, tt := range []struct{ name, line, want string }{
		{"duplicate key", `{"kind":"Actor","id":"actor:x","type":"COUNTRY","name":"X","name":"Y"}`, "a.jsonl:5: name: appears twice in one object"},
		{"nested duplicate key", `{"type":"IMPOSES","from":"actor:china","to":"policy:gallium-tariff","evidence":[{"doc":"doc:a","sentence":1,"quote":"China","sentence":2}]}`,
			"a.jsonl:5: evidence[0].sentence: appears twice in one object"},
		{"escaped duplicate key", `{"kind":"Actor","id":"actor:x","type":"COUNTRY","name":"X","n\u0061me":"Y"}`, "a.jsonl:5: name: appears twice"},
		{"array", `["actor:x", "Actor"]`, "a.jsonl:5: json: want a JSON object ({...}) on each line, got an array"},
		{"string", `"actor:x"`, "a.jsonl:5: json: want a JSON object ({...}) on each line, got a string"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			res, report, err := bulkDryRun(t, map[string]string{"a.jsonl": baseJSONL + tt.line + "\n"}, []string{"a.jsonl"}, -1)
			if err != nil {
				t.Fatal(err)
			}
			if res.Rejected != 1 || !strings.Contains(report, tt.want) {
				t.Errorf("rejected %d; report:\n%s\nwant %q", res.Rejected, report, tt.want)
			}
		})
	}
	// Distinct keys, also in nested objects and arrays of objects, pass.
	if key := loaders.DuplicateKey([]byte(`{"a":1,"b":{"a":2,"c":[{"a":3},{"a":4}]},"s":"\"a\":"}`)); key != "" {
		t.Errorf("distinct keys reported as duplicate %q", key)
	}
}

// TestRecordSizeCap: a CSV record or a JSON line longer than MaxRecordBytes is
// refused with its file and line, the limit and the flag that raises it; a CSV
// record stops its file (where the next one starts is unknown), a JSON line is
// rejected and the rest loaded.
func TestRecordSizeCap(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	huge := strings.Repeat("x", 300<<10)
	files := map[string]string{
		"n.csv":   baseNodes + `doc:b,Document,ARTICLE,,,,,,Big,"` + huge + "\n" + huge + `."` + "\nactor:y,Actor,COUNTRY,Y,,,,,,\n",
		"a.jsonl": strings.Replace(baseJSONL, "\n", "\n"+`{"kind":"Actor","id":"actor:z","type":"COUNTRY","name":"`+huge+`"}`+"\n", 1),
	}
	for name, content := range files {
		if err := os.WriteFile(name, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	var out strings.Builder
	_, err := Load(t.Context(), Options{DryRun: true, MaxRejects: -1, Rejects: "rejects.txt", Checkpoint: "cp.json", Progress: "off",
		Out: &out, MaxRecordBytes: 256 << 10}, []string{"n.csv"})
	if err == nil || !strings.Contains(err.Error(), "n.csv:6: the record is longer than 0.25 MiB, the limit (--max-record-mib raises it)") {
		t.Errorf("csv: got %v, want n.csv:6 with the limit and the flag", err)
	}
	res, err := Load(t.Context(), Options{DryRun: true, MaxRejects: -1, Rejects: "rejects.txt", Checkpoint: "cp.json", Progress: "off",
		Out: &out, MaxRecordBytes: 256 << 10}, []string{"a.jsonl"})
	report, _ := os.ReadFile("rejects.txt")
	if err != nil || res.Rejected != 1 || res.Written != 4 || !strings.Contains(string(report), "a.jsonl:2: json: the record is longer than 0.25 MiB, the limit (--max-record-mib raises it)") {
		t.Errorf("jsonl: %+v %v; report:\n%s", res, err, report)
	}
	// Raised, both load.
	for _, f := range []string{"n.csv", "a.jsonl"} {
		res, err := Load(t.Context(), Options{DryRun: true, MaxRejects: -1, Rejects: "rejects.txt", Checkpoint: "cp.json", Progress: "off",
			Out: &out, MaxRecordBytes: 1 << 20}, []string{f})
		if err != nil || res.Rejected != 0 {
			t.Errorf("%s with the limit raised: %+v %v", f, res, err)
		}
	}
}
