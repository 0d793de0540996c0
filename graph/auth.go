package graph

import (
	"bufio"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"fmt"
	"io"
	"strings"
)

// Role is what a token may do. Each role includes the ones below it.
type Role int

// The roles, weakest first.
const (
	RoleReader Role = iota + 1 // read the graph (when reads need a token)
	RoleEditor                 // also mutations
	RoleAdmin                  // also merges, retractions and the audit log
)

var roleNames = map[string]Role{"reader": RoleReader, "editor": RoleEditor, "admin": RoleAdmin}

func (r Role) String() string {
	for n, v := range roleNames {
		if v == r {
			return n
		}
	}
	return "none"
}

// Principal is who a request acts as: a named token and its role. Writes are
// recorded under Name.
type Principal struct {
	Name string
	Role Role
}

// Tokens are the server's named tokens. Only SHA-256 digests of the secrets are
// held, never the secrets.
type Tokens struct {
	entries []tokenEntry
}

type tokenEntry struct {
	digest [sha256.Size]byte
	who    Principal
}

// Len returns how many tokens are configured.
func (t *Tokens) Len() int {
	if t == nil {
		return 0
	}
	return len(t.entries)
}

// Add registers a token given as its secret (TRADEGRAPH_API_TOKEN keeps working as
// one editor token this way).
func (t *Tokens) Add(name string, role Role, secret string) {
	t.entries = append(t.entries, tokenEntry{sha256.Sum256([]byte(secret)), Principal{name, role}})
}

// Lookup returns the principal of a presented secret. It compares the secret's
// digest with every configured digest in constant time, without stopping at a
// match, so neither which token matched nor the secret's length shows in the
// time taken.
func (t *Tokens) Lookup(secret string) (Principal, bool) {
	if t == nil || secret == "" {
		return Principal{}, false
	}
	d := sha256.Sum256([]byte(secret))
	var found Principal
	ok := 0
	for _, e := range t.entries {
		m := subtle.ConstantTimeCompare(d[:], e.digest[:])
		if m == 1 {
			found = e.who
		}
		ok |= m
	}
	return found, ok == 1
}

// ParseTokens reads a tokens file (TRADEGRAPH_TOKENS_FILE): one token a line,
//
//	NAME ROLE sha256:HEX
//
// where ROLE is reader, editor or admin and HEX is the SHA-256 of the secret
// (`printf %s "$SECRET" | sha256sum`, or `tradegraph token NAME ROLE`). Blank lines
// and lines starting with # are skipped. A plain-text secret, an unknown role, a
// duplicate name or a duplicate secret is refused with the file's line.
func ParseTokens(r io.Reader, file string) (*Tokens, error) {
	t := &Tokens{}
	names := map[string]int{}
	digests := map[[sha256.Size]byte]int{}
	sc := bufio.NewScanner(r)
	for line := 1; sc.Scan(); line++ {
		text := strings.TrimSpace(sc.Text())
		if text == "" || strings.HasPrefix(text, "#") {
			continue
		}
		fail := func(format string, args ...any) error {
			return fmt.Errorf("%s:%d: %s", file, line, fmt.Sprintf(format, args...))
		}
		f := strings.Fields(text)
		if len(f) != 3 {
			return nil, fail("want NAME ROLE sha256:HEX, got %d fields", len(f))
		}
		name, roleName, secret := f[0], f[1], f[2]
		role, ok := roleNames[strings.ToLower(roleName)]
		if !ok {
			return nil, fail("unknown role %q (want reader, editor or admin)", roleName)
		}
		hexDigest, ok := strings.CutPrefix(secret, "sha256:")
		raw, err := hex.DecodeString(hexDigest)
		if !ok || err != nil || len(raw) != sha256.Size {
			return nil, fail("the secret must be its SHA-256 digest as sha256:<64 hex digits>, never the secret itself (printf %%s \"$SECRET\" | sha256sum)")
		}
		var d [sha256.Size]byte
		copy(d[:], raw)
		if prev, dup := names[name]; dup {
			return nil, fail("token name %q is also on line %d", name, prev)
		}
		if prev, dup := digests[d]; dup {
			return nil, fail("the same secret is also on line %d: every token needs its own", prev)
		}
		names[name], digests[d] = line, line
		t.entries = append(t.entries, tokenEntry{d, Principal{name, role}})
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", file, err)
	}
	return t, nil
}

// NewToken returns a fresh random secret and the tokens-file line for it.
func NewToken(name string, role Role) (secret, line string) {
	var b [32]byte
	_, _ = rand.Read(b[:])
	secret = "tg_" + hex.EncodeToString(b[:])
	d := sha256.Sum256([]byte(secret))
	return secret, fmt.Sprintf("%s %s sha256:%s", name, role, hex.EncodeToString(d[:]))
}

// ParseRole reads a role name: reader, editor or admin.
func ParseRole(s string) (Role, bool) {
	r, ok := roleNames[strings.ToLower(s)]
	return r, ok
}

type principalKey struct{}

// PrincipalFrom returns who the request acts as, if it presented a valid token.
func PrincipalFrom(ctx context.Context) (Principal, bool) {
	p, ok := ctx.Value(principalKey{}).(Principal)
	return p, ok
}

// authenticate resolves the request's bearer token, if any, into its principal.
// A token that matches nothing is remembered as such, so that a mutation can say
// "not valid" rather than "missing".
func authenticate(ctx context.Context, tokens *Tokens) context.Context {
	secret, _ := ctx.Value(tokenKey{}).(string)
	if p, ok := tokens.Lookup(secret); ok {
		return context.WithValue(ctx, principalKey{}, p)
	}
	return ctx
}

// requireRole checks that the request may act with role: without any configured
// token it is FORBIDDEN (the server has that ability off), with no or a wrong
// token UNAUTHENTICATED, with a weaker role FORBIDDEN.
func requireRole(ctx context.Context, tokens *Tokens, role Role, what string) error {
	if tokens.Len() == 0 {
		return Errorf(EFORBIDDEN, "%s are disabled on this server (no API token is configured)", what)
	}
	p, ok := PrincipalFrom(ctx)
	if !ok {
		if secret, _ := ctx.Value(tokenKey{}).(string); secret != "" {
			return Errorf(EUNAUTH, "the bearer token is not valid")
		}
		return Errorf(EUNAUTH, "%s need an Authorization: Bearer token", what)
	}
	if p.Role < role {
		return Errorf(EFORBIDDEN, "token %q has the %s role; %s need %s", p.Name, p.Role, what, role)
	}
	return nil
}
