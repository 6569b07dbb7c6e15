package scenario

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"math/big"
	"strconv"
	"strings"
	"sync"

	"go.yaml.in/yaml/v3"
)

// Schema is the JSON Schema (draft 2020-12) of the scenario file format.
// Load checks every file against it before the checks a schema cannot
// express (unique ids, references that resolve).
//
//go:embed schema.json
var Schema []byte

// schemaID is the $id of Schema.
const schemaID = "urn:parley:scenario:1"

// compiledSchema is Schema ready to validate, compiled the first time a
// scenario is validated; the tests make sure it compiles.
var compiledSchema = sync.OnceValue(func() *subschema {
	sch, err := compileSchema(Schema)
	if err != nil {
		panic(fmt.Sprintf("scenario: embedded schema: %v", err))
	}
	return sch
})

// schemaDoc is Schema as plain JSON values, to look up the fields a
// subschema allows.
var schemaDoc = sync.OnceValue(func() map[string]any {
	var m map[string]any
	if err := json.Unmarshal(Schema, &m); err != nil {
		panic(fmt.Sprintf("scenario: embedded schema: %v", err))
	}
	return m
})

// validate checks v, the generic form of the document rooted at root,
// against the schema and records an error per failed keyword, up to
// MaxErrors: the check itself stops looking once it has found more.
func (l *loader) validate(root *yaml.Node, v any) {
	for _, f := range compiledSchema().check(v, nil, nil) {
		if l.full() {
			break
		}
		l.schemaError(root, &f)
	}
}

func (l *loader) schemaError(root *yaml.Node, f *schemaFailure) {
	p := make(path, len(f.instance))
	for i, t := range f.instance {
		p[i] = t
	}
	_, n, at := locate(root, p)
	switch f.kind {
	case failRequired:
		for _, name := range f.names {
			if l.full() {
				break
			}
			l.errorAt(n, at, "missing field %q", name)
		}
	case failAdditional:
		for _, name := range f.names {
			if l.full() {
				break
			}
			key, _, _ := locate(n, path{name})
			if key == nil {
				key = n
			}
			l.errorAt(key, append(at, name), "unknown field %q%s", name, suggest(f.schemaURL, name))
		}
	case failType:
		want := make([]string, len(f.want))
		for i, w := range f.want {
			want[i] = typeName(w)
		}
		if f.got == "string" && n != nil && n.Style == 0 && plainNumber().MatchString(n.Value) {
			l.errorAt(n, at, "the number %s is out of range", n.Value)
			break
		}
		l.errorAt(n, at, "expected %s, got %s", strings.Join(want, " or "), describeValue(f.got, n))
	case failConst:
		l.errorAt(n, at, "must be %v, got %s", f.value, n.Value)
	case failEnum:
		want := make([]string, len(f.values))
		for i, w := range f.values {
			want[i] = fmt.Sprint(w)
		}
		l.errorAt(n, at, "%q is not one of %s", n.Value, strings.Join(want, ", "))
	case failPattern:
		switch {
		case strings.HasSuffix(f.schemaURL, "#/$defs/id"):
			l.errorAt(n, at, "invalid id %q: use letters, digits, '_', '-' and '.', starting with a letter or a digit", f.got)
		case strings.HasSuffix(f.schemaURL, "#/$defs/date"):
			l.errorAt(n, at, "invalid date %q: want YYYY-MM-DD", f.got)
		default:
			l.errorAt(n, at, "%q does not match %s", f.got, f.pattern)
		}
	case failMinimum:
		l.errorAt(n, at, "must be at least %s, got %s", ratString(f.bound), n.Value)
	case failMaximum:
		l.errorAt(n, at, "must be at most %s, got %s", ratString(f.bound), n.Value)
	case failExclusiveMinimum:
		l.errorAt(n, at, "must be greater than %s, got %s", ratString(f.bound), n.Value)
	case failMinItems:
		if f.count == 1 {
			l.errorAt(n, at, "must not be empty")
		} else {
			l.errorAt(n, at, "needs at least %d items", f.count)
		}
	case failMinLength:
		l.errorAt(n, at, "must not be empty")
	}
}

// typeName names a JSON type in words that suit YAML and JSON writers.
func typeName(t string) string {
	switch t {
	case "object":
		return "a mapping"
	case "array":
		return "a list"
	case "string":
		return "a string"
	case "integer":
		return "an integer"
	case "number":
		return "a number"
	case "boolean":
		return "true or false"
	case "null":
		return "nothing"
	}
	return t
}

// describeValue names the type of the value at n, with the value itself
// when it is short.
func describeValue(t string, n *yaml.Node) string {
	if t == "number" && n != nil && n.ShortTag() == "!!int" {
		t = "integer"
	}
	name := typeName(t)
	if n == nil || n.Kind != yaml.ScalarNode || t == "null" {
		return name
	}
	v := n.Value
	if len(v) > 40 {
		v = v[:37] + "..."
	}
	if t == "string" {
		return name + " " + strconv.Quote(v)
	}
	if t == "boolean" {
		return v
	}
	return name + " " + v
}

func ratString(r *big.Rat) string {
	if r.IsInt() {
		return r.Num().String()
	}
	f, _ := r.Float64()
	return strconv.FormatFloat(f, 'g', -1, 64)
}

// suggest returns a hint naming the allowed field closest to the unknown
// field f, or "" when none is close. schemaURL locates the subschema that
// rejected f.
func suggest(schemaURL, f string) string {
	if len(f) > 64 {
		return ""
	}
	_, frag, _ := strings.Cut(schemaURL, "#")
	var sub any = schemaDoc()
	for _, tok := range strings.Split(strings.TrimPrefix(frag, "/"), "/") {
		if tok == "" {
			continue
		}
		tok = strings.NewReplacer("~1", "/", "~0", "~").Replace(tok)
		m, ok := sub.(map[string]any)
		if !ok {
			return ""
		}
		sub = m[tok]
	}
	m, _ := sub.(map[string]any)
	props, _ := m["properties"].(map[string]any)
	best, bestDist := "", len(f)/2+1
	for name := range props {
		d := editDistance(strings.ToLower(f), name)
		if d < bestDist || (d == bestDist && best != "" && name < best) {
			best, bestDist = name, d
		}
	}
	if best == "" {
		return ""
	}
	return fmt.Sprintf(" (did you mean %q?)", best)
}

// editDistance is the Levenshtein distance between a and b, in bytes.
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
