package scenario

import (
	"bytes"
	"io"

	"github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"
	"go.yaml.in/yaml/v3"
)

// maxJSONDepth bounds the nesting the fast JSON path reads; deeper
// documents take the general path, which refuses them.
const maxJSONDepth = 200

// loadJSON is the fast path of load for a valid scenario written as JSON:
// it reads the tokens straight into the values the schema validator
// works on, validates them, and decodes the scenario with a JSON decoder
// rather than through a YAML node tree. It reports false as soon as the
// document is anything but a valid scenario, or anything its general
// path might read differently; load then takes the general path, which
// finds and places every problem. So the fast path records no errors and
// never changes what a file means.
func (l *loader) loadJSON(data []byte) (*Scenario, bool) {
	if len(data) > MaxFileSize {
		return nil, false
	}
	text := bytes.TrimPrefix(data, []byte("\uFEFF"))
	if start := bytes.TrimLeft(text, " \t\r\n"); len(start) == 0 || start[0] != '{' {
		return nil, false
	}
	if _, _, what := checkText(data); what != "" {
		return nil, false
	}
	data = text
	for _, br := range [][]byte{[]byte("\u0085"), []byte("\u2028"), []byte("\u2029")} {
		if bytes.Contains(data, br) { // line breaks to YAML
			return nil, false
		}
	}
	r := &jsonValues{l: l, d: jsontext.NewDecoder(bytes.NewBuffer(data))}
	v, ok := r.value(0)
	if !ok {
		return nil, false
	}
	if _, err := r.d.ReadToken(); err != io.EOF {
		return nil, false
	}
	if len(compiledSchema().check(v, nil, nil)) > 0 {
		return nil, false
	}
	var s Scenario
	if err := json.Unmarshal(data, &s); err != nil {
		return nil, false
	}
	if len(check(&s, nil)) > 0 {
		return nil, false
	}
	return &s, true
}

// jsonValues reads JSON tokens into schema values, as loader.value reads
// a node tree.
type jsonValues struct {
	l       *loader
	d       *jsontext.Decoder
	scratch yaml.Node // the scalar being read
	nodes   int
}

func (r *jsonValues) value(depth int) (any, bool) {
	if r.nodes++; r.nodes > MaxNodes || depth > maxJSONDepth {
		return nil, false
	}
	t, err := r.d.ReadToken()
	if err != nil {
		return nil, false
	}
	switch t.Kind() {
	case '{':
		m := map[string]any{}
		for r.d.PeekKind() != '}' {
			k, err := r.d.ReadToken()
			if err != nil || k.Kind() != '"' {
				return nil, false
			}
			r.nodes++
			key := k.String()
			v, ok := r.value(depth + 1)
			if !ok {
				return nil, false
			}
			m[key] = v
		}
		_, err := r.d.ReadToken()
		return m, err == nil
	case '[':
		s := []any{}
		for r.d.PeekKind() != ']' {
			v, ok := r.value(depth + 1)
			if !ok {
				return nil, false
			}
			s = append(s, v)
		}
		_, err := r.d.ReadToken()
		return s, err == nil
	case '"':
		r.scratch = yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Style: yaml.DoubleQuotedStyle, Value: t.String()}
	case 'n', 't', 'f', '0':
		r.scratch = yaml.Node{Kind: yaml.ScalarNode, Value: t.String()}
	default:
		return nil, false
	}
	// The same reading of a scalar as the general path's, which records
	// an error for what it refuses.
	before := len(r.l.errs)
	v := r.l.scalar(&r.scratch, nil)
	if len(r.l.errs) > before || r.l.truncated {
		r.l.errs, r.l.truncated = r.l.errs[:before], false
		return nil, false
	}
	return v, true
}
