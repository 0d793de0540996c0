package app

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"testing"

	"tradegraph/graph"
)

// rolesFile is a tokens file with one token of each role; the secrets are the
// role names followed by "-secret".
func rolesFile(t *testing.T) *graph.Tokens {
	t.Helper()
	var b strings.Builder
	b.WriteString("# name role digest\n\n")
	for _, r := range []string{"reader", "editor", "admin"} {
		b.WriteString("ann-" + r + " " + r + " sha256:" + sha256Hex(r+"-secret") + "\n")
	}
	tokens, err := graph.ParseTokens(strings.NewReader(b.String()), "tokens.txt")
	if err != nil {
		t.Fatal(err)
	}
	return tokens
}

func TestRoles(t *testing.T) {
	const query = `{ version }`
	const mergeOp = `mutation { mergeEntities(from: "actor:a", into: "actor:b") { from } }`
	const auditOp = `{ auditLog { records { seq } } }`
	tests := []struct {
		name     string
		readAuth bool
		auth     string
		op       string
		wantCode string
	}{
		{"reads open by default", false, "", query, ""},
		{"read auth: no token", true, "", query, graph.EUNAUTH},
		{"read auth: wrong token", true, "Bearer nope", query, graph.EUNAUTH},
		{"read auth: reader", true, "Bearer reader-secret", query, ""},
		{"read auth: scheme in lower case", true, "bearer reader-secret", query, ""},
		{"read auth: introspection needs a token too", true, "", `{ __schema { queryType { name } } }`, graph.EUNAUTH},
		{"reader cannot mutate", false, "Bearer reader-secret", upsertActor, graph.EFORBIDDEN},
		{"editor mutates", false, "Bearer editor-secret", upsertActor, ""},
		{"admin mutates", false, "Bearer admin-secret", upsertActor, ""},
		{"the API token is an editor", false, "Bearer api-secret", upsertActor, ""},
		{"the API token reads under read auth", true, "Bearer api-secret", query, ""},
		{"an editor cannot merge", false, "Bearer editor-secret", mergeOp, graph.EFORBIDDEN},
		{"the API token cannot merge", false, "Bearer api-secret", mergeOp, graph.EFORBIDDEN},
		{"no token cannot merge", false, "", mergeOp, graph.EUNAUTH},
		{"an editor cannot read the audit log", false, "Bearer editor-secret", auditOp, graph.EFORBIDDEN},
		{"a reader cannot read the audit log", false, "Bearer reader-secret", auditOp, graph.EFORBIDDEN},
		{"no token cannot read the audit log", false, "", auditOp, graph.EUNAUTH},
		{"an admin reads the audit log", false, "Bearer admin-secret", auditOp, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := newHardened(t, nil, hardenedConfig{tokens: rolesFile(t), token: "api-secret", readAuth: tt.readAuth})
			var headers []string
			if tt.auth != "" {
				headers = []string{"Authorization", tt.auth}
			}
			r := postJSON(t, srv.URL, tt.op, headers...)
			if r.code() != tt.wantCode {
				t.Errorf("got %d %q, want code %q: %s", r.status, r.code(), tt.wantCode, r.body)
			}
			if tt.wantCode != "" && srv.store.calls.Load() != 0 {
				t.Errorf("a refused operation reached the store %d times", srv.store.calls.Load())
			}
			if strings.Contains(string(r.body), "secret") {
				t.Errorf("the response shows a secret: %s", r.body)
			}
		})
	}
}

func TestParseTokens(t *testing.T) {
	digest := "sha256:" + sha256Hex("x")
	for _, tt := range []struct {
		name, file, wantErr string
	}{
		{"plain-text secret", "ann editor hunter2\n", "tokens.txt:1: the secret must be its SHA-256 digest"},
		{"short digest", "ann editor sha256:abcd\n", "tokens.txt:1: the secret must be its SHA-256 digest"},
		{"unknown role", "# c\nann owner " + digest + "\n", `tokens.txt:2: unknown role "owner"`},
		{"missing field", "ann " + digest + "\n", "tokens.txt:1: want NAME ROLE sha256:HEX, got 2 fields"},
		{"duplicate name", "ann editor " + digest + "\nann admin sha256:" + sha256Hex("y") + "\n", `tokens.txt:2: token name "ann" is also on line 1`},
		{"duplicate secret", "ann editor " + digest + "\nbob admin " + digest + "\n", "tokens.txt:2: the same secret is also on line 1"},
		{"fine", "ann Editor " + digest + "\n", ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			tokens, err := graph.ParseTokens(strings.NewReader(tt.file), "tokens.txt")
			switch {
			case tt.wantErr == "" && err != nil:
				t.Fatalf("got %v", err)
			case tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)):
				t.Fatalf("got error %v, want %q", err, tt.wantErr)
			case tt.wantErr == "":
				if p, ok := tokens.Lookup("x"); !ok || p != (graph.Principal{Name: "ann", Role: graph.RoleEditor}) {
					t.Errorf("Lookup(x) = %v %v, want ann editor", p, ok)
				}
				if _, ok := tokens.Lookup("X"); ok {
					t.Error("another secret matched")
				}
			}
		})
	}
}

func TestNewTokenLineParses(t *testing.T) {
	secret, line := graph.NewToken("ci-bot", graph.RoleAdmin)
	if strings.Contains(line, secret) {
		t.Fatalf("the tokens-file line holds the secret: %s", line)
	}
	tokens, err := graph.ParseTokens(strings.NewReader(line+"\n"), "tokens.txt")
	if err != nil {
		t.Fatal(err)
	}
	if p, ok := tokens.Lookup(secret); !ok || p.Name != "ci-bot" || p.Role != graph.RoleAdmin {
		t.Errorf("Lookup = %v %v", p, ok)
	}
}

func sha256Hex(s string) string {
	d := sha256.Sum256([]byte(s))
	return hex.EncodeToString(d[:])
}

func TestTokenCommand(t *testing.T) {
	var out strings.Builder
	if err := run(context.Background(), []string{"tradegraph", "token", "ci-bot", "editor"}, func(string) string { return "" }, &out); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	secret := lines[0][strings.LastIndex(lines[0], " ")+1:]
	tokens, err := graph.ParseTokens(strings.NewReader(lines[len(lines)-1]), "out")
	if err != nil {
		t.Fatalf("the printed line does not parse: %v\n%s", err, out.String())
	}
	if p, ok := tokens.Lookup(secret); !ok || p.Role != graph.RoleEditor {
		t.Errorf("the printed secret does not match its line: %v %v\n%s", p, ok, out.String())
	}
	if err := run(context.Background(), []string{"tradegraph", "token", "ci-bot", "owner"}, func(string) string { return "" }, &out); err == nil {
		t.Error("an unknown role was accepted")
	}
}
