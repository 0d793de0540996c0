package loaders

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"unicode/utf8"
)

// Invalid UTF-8 is refused in every format, with the file, line and field: the
// decoders (encoding/json, go-yaml) would silently turn each bad byte into U+FFFD,
// and a text changed that way no longer holds what its source says.

// BOM is the UTF-8 byte-order mark some editors put at the start of a file.
var BOM = []byte("\ufeff")

// badUTF8 marks where invalid bytes were, so that the field holding them can be
// found after decoding. It is a noncharacter, which no text has a reason to hold.
const badUTF8 = "\U0010FFFE"

// MarkInvalidUTF8 returns b with every invalid UTF-8 sequence replaced by badUTF8,
// and the 1-based line of the first one (0 when b is valid).
func MarkInvalidUTF8(b []byte) ([]byte, int) {
	if utf8.Valid(b) {
		return b, 0
	}
	return bytes.ToValidUTF8(b, []byte(badUTF8)), FirstInvalidLine(b)
}

// FirstInvalidLine returns the 1-based line of b's first invalid UTF-8 byte, or 0.
func FirstInvalidLine(b []byte) int {
	for i := 0; i < len(b); {
		r, n := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && n <= 1 {
			return bytes.Count(b[:i], []byte("\n")) + 1
		}
		i += n
	}
	return 0
}

// InvalidUTF8Message says what is wrong with a field that held invalid bytes.
const InvalidUTF8Message = "is not valid UTF-8 (save the file as UTF-8)"

// MarkedFields returns the paths (as the curated format names them, such as
// relationships[2].evidence[0].quote) of the string fields of v that hold
// badUTF8 or invalid UTF-8.
func MarkedFields(v any) []string {
	var out []string
	walkStrings(reflect.ValueOf(v), "", func(path, s string) {
		if strings.Contains(s, badUTF8) || !utf8.ValidString(s) {
			out = append(out, path)
		}
	})
	return out
}

func walkStrings(v reflect.Value, path string, f func(path, s string)) {
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			walkStrings(v.Elem(), path, f)
		}
	case reflect.String:
		f(path, v.String())
	case reflect.Slice, reflect.Array:
		for i := range v.Len() {
			walkStrings(v.Index(i), fmt.Sprintf("%s[%d]", path, i), f)
		}
	case reflect.Struct:
		t := v.Type()
		for i := range t.NumField() {
			sf := t.Field(i)
			if !sf.IsExported() {
				continue
			}
			name, opts, _ := strings.Cut(sf.Tag.Get("yaml"), ",")
			switch {
			case name == "-":
				continue
			case sf.Anonymous || strings.Contains(opts, "inline"):
				walkStrings(v.Field(i), path, f)
				continue
			case name == "":
				name = sf.Name
			}
			if path != "" {
				name = path + "." + name
			}
			walkStrings(v.Field(i), name, f)
		}
	}
}

// DuplicateKey returns the path of the first key that appears twice in one object
// of the JSON text b (which must be valid JSON), or "". encoding/json keeps the
// last of duplicate keys silently; the curated formats refuse them, and so do
// JSON Lines.
func DuplicateKey(b []byte) string {
	type frame struct {
		obj  bool
		key  string // the object's current key
		idx  int    // the array's current index
		seen map[string]bool
	}
	var stack []frame
	expectKey := false
	for i := 0; i < len(b); i++ {
		switch c := b[i]; c {
		case '{':
			stack = append(stack, frame{obj: true})
			expectKey = true
		case '[':
			stack = append(stack, frame{})
			expectKey = false
		case '}', ']':
			stack = stack[:len(stack)-1]
		case ',':
			if top := &stack[len(stack)-1]; top.obj {
				expectKey = true
			} else {
				top.idx++
			}
		case '"':
			start := i
			for i++; i < len(b) && b[i] != '"'; i++ {
				if b[i] == '\\' {
					i++
				}
			}
			if !expectKey || len(stack) == 0 {
				continue
			}
			expectKey = false
			key := string(b[start+1 : i])
			if strings.IndexByte(key, '\\') >= 0 {
				var k string
				if json.Unmarshal(b[start:i+1], &k) == nil {
					key = k
				}
			}
			top := &stack[len(stack)-1]
			if top.seen[key] {
				var path strings.Builder
				for _, f := range stack[:len(stack)-1] {
					if f.obj {
						if path.Len() > 0 {
							path.WriteByte('.')
						}
						path.WriteString(f.key)
					} else {
						fmt.Fprintf(&path, "[%d]", f.idx)
					}
				}
				if path.Len() > 0 {
					path.WriteByte('.')
				}
				path.WriteString(key)
				return path.String()
			}
			if top.seen == nil {
				top.seen = map[string]bool{}
			}
			top.seen[key] = true
			top.key = key
		}
	}
	return ""
}
