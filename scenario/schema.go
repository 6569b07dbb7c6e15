package scenario

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"fmt"
	"math/big"
	"strconv"
	"strings"
	"sync"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/santhosh-tekuri/jsonschema/v6/kind"
	"go.yaml.in/yaml/v3"
	"golang.org/x/text/language"
	"golang.org/x/text/message"
)

// Schema is the JSON Schema (draft 2020-12) of the scenario file format.
// Load checks every file against it before the checks a schema cannot
// express (unique ids, references that resolve).
//
//go:embed schema.json
var Schema []byte

// schemaID is the $id of Schema.
const schemaID = "urn:parley:scenario:1"

// compiledSchema is Schema ready to validate; the tests make sure it
// compiles.
var compiledSchema = sync.OnceValue(func() *jsonschema.Schema {
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(Schema))
	if err != nil {
		panic(fmt.Sprintf("scenario: embedded schema: %v", err))
	}
	c := jsonschema.NewCompiler()
	if err := c.AddResource(schemaID, doc); err != nil {
		panic(fmt.Sprintf("scenario: embedded schema: %v", err))
	}
	sch, err := c.Compile(schemaID)
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
// against the schema and records an error per failed leaf keyword, up to
// MaxErrors.
func (l *loader) validate(root *yaml.Node, v any) {
	l.validateBounded(root, v)
}

// leaves returns the errors of ve that have no causes: the keywords that
// failed, rather than the subschemas that contain them.
func leaves(ve *jsonschema.ValidationError, acc []*jsonschema.ValidationError) []*jsonschema.ValidationError {
	if len(ve.Causes) == 0 {
		return append(acc, ve)
	}
	for _, c := range ve.Causes {
		acc = leaves(c, acc)
	}
	return acc
}

var printer = message.NewPrinter(language.English)

func (l *loader) schemaError(root *yaml.Node, ve *jsonschema.ValidationError) {
	p := make(path, len(ve.InstanceLocation))
	for i, t := range ve.InstanceLocation {
		p[i] = t
	}
	_, n, at := locate(root, p)
	switch k := ve.ErrorKind.(type) {
	case *kind.Required:
		for _, f := range k.Missing {
			l.errorAt(n, at, "missing field %q", f)
		}
	case *kind.AdditionalProperties:
		keys := map[string]*yaml.Node{}
		if n != nil && n.Kind == yaml.MappingNode {
			for i := 0; i+1 < len(n.Content); i += 2 {
				keys[n.Content[i].Value] = n.Content[i]
			}
		}
		for _, f := range k.Properties {
			if l.full() {
				break
			}
			key := keys[f]
			if key == nil {
				key = n
			}
			l.errorAt(key, append(at, f), "unknown field %q%s", f, suggest(ve.SchemaURL, f))
		}
	case *kind.Type:
		want := make([]string, len(k.Want))
		for i, w := range k.Want {
			want[i] = typeName(w)
		}
		if k.Got == "string" && n != nil && n.Style == 0 && plainNumber.MatchString(n.Value) {
			l.errorAt(n, at, "the number %s is out of range", n.Value)
			break
		}
		l.errorAt(n, at, "expected %s, got %s", strings.Join(want, " or "), describeValue(k.Got, n))
	case *kind.Const:
		l.errorAt(n, at, "must be %v, got %s", k.Want, n.Value)
	case *kind.Enum:
		want := make([]string, len(k.Want))
		for i, w := range k.Want {
			want[i] = fmt.Sprint(w)
		}
		l.errorAt(n, at, "%q is not one of %s", n.Value, strings.Join(want, ", "))
	case *kind.Pattern:
		switch {
		case strings.HasSuffix(ve.SchemaURL, "#/$defs/id"):
			l.errorAt(n, at, "invalid id %q: use letters, digits, '_', '-' and '.', starting with a letter or a digit", k.Got)
		case strings.HasSuffix(ve.SchemaURL, "#/$defs/date"):
			l.errorAt(n, at, "invalid date %q: want YYYY-MM-DD", k.Got)
		default:
			l.errorAt(n, at, "%q does not match %s", k.Got, k.Want)
		}
	case *kind.Minimum:
		l.errorAt(n, at, "must be at least %s, got %s", ratString(k.Want), n.Value)
	case *kind.Maximum:
		l.errorAt(n, at, "must be at most %s, got %s", ratString(k.Want), n.Value)
	case *kind.ExclusiveMinimum:
		l.errorAt(n, at, "must be greater than %s, got %s", ratString(k.Want), n.Value)
	case *kind.MinItems:
		if k.Want == 1 {
			l.errorAt(n, at, "must not be empty")
		} else {
			l.errorAt(n, at, "needs at least %d items", k.Want)
		}
	case *kind.MinLength:
		l.errorAt(n, at, "must not be empty")
	default:
		l.errorAt(n, at, "%s", ve.ErrorKind.LocalizedString(printer))
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
