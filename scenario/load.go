package scenario

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
	"regexp"
	"strconv"
	"strings"
	"sync"

	"go.yaml.in/yaml/v3"
)

// MaxFileSize is the size of the largest scenario file Load accepts.
const MaxFileSize = 16 << 20

// LoadFile reads and checks the scenario file at path, like Load.
func LoadFile(path string) (*Scenario, error) {
	data, err := ReadFile(path)
	if err != nil {
		var tl *TooLargeError
		if errors.As(err, &tl) {
			return nil, Errors{{File: path, Msg: fmt.Sprintf("file is larger than %d MiB", MaxFileSize>>20)}}
		}
		return nil, fmt.Errorf("load scenario: %w", err)
	}
	return Load(path, data)
}

// Load parses a scenario file (YAML or JSON, which is read as YAML) and
// checks it against the schema and for consistency: unique ids, references
// that resolve, no parent cycles. name is the file name used in errors.
//
// Bad input yields an Errors, every problem with its line, column and
// element path, and a nil scenario.
func Load(name string, data []byte) (*Scenario, error) {
	l := &loader{file: name}
	s := l.load(data)
	if len(l.errs) > 0 {
		return nil, l.finish()
	}
	return s, nil
}

// loader holds the state of one Load.
type loader struct {
	file string
	// pathsOnly makes consistency errors refer to other elements by path
	// rather than by line, for documents that no one wrote.
	pathsOnly bool
	errs      Errors
	// truncated is set when problems were left unrecorded: at most
	// MaxErrors are collected.
	truncated bool
}

// full reports whether MaxErrors problems are recorded: the loader then
// stops looking for more.
func (l *loader) full() bool {
	if len(l.errs) >= MaxErrors {
		l.truncated = true
		return true
	}
	return false
}

// finish sorts the errors and says when some were left out.
func (l *loader) finish() Errors {
	sortErrors(l.errs)
	if l.truncated {
		l.errs = append(l.errs, &Error{File: l.file, Msg: fmt.Sprintf("too many errors: stopped looking after the first %d", MaxErrors)})
	}
	return l.errs
}

func (l *loader) load(data []byte) *Scenario {
	if s, ok := l.loadJSON(data); ok {
		return s
	}
	return l.loadNodes(data)
}

// loadNodes is the general path of load: any YAML or JSON is parsed into
// a node tree, which every error is placed by.
func (l *loader) loadNodes(data []byte) *Scenario {
	root := l.parse(data)
	if root == nil {
		return nil
	}
	v := l.value(root, nil)
	if len(l.errs) > 0 {
		return nil
	}
	l.validate(root, v)
	if len(l.errs) > 0 {
		return nil
	}
	var s Scenario
	if err := root.Decode(&s); err != nil {
		l.decodeError(err)
		return nil
	}
	node := func(p path) *yaml.Node { _, n, _ := locate(root, p); return n }
	if l.pathsOnly {
		node = nil
	}
	for _, e := range check(&s, node) {
		if l.full() {
			break
		}
		e.File = l.file
		l.errs = append(l.errs, e)
	}
	return &s
}

// errorAt records a problem at node n (which may be nil) and path p.
func (l *loader) errorAt(n *yaml.Node, p path, format string, args ...any) {
	if l.full() {
		return
	}
	ClipArgs(args)
	e := &Error{File: l.file, Path: p.String(), Msg: fmt.Sprintf(format, args...)}
	if n != nil {
		e.Line, e.Column = n.Line, n.Column
	}
	l.errs = append(l.errs, e)
}

// parse returns the root node of the single document in data, or nil
// after recording why there is none.
func (l *loader) parse(data []byte) *yaml.Node {
	if len(data) > MaxFileSize {
		l.errorAt(nil, nil, "file is larger than %d MiB", MaxFileSize>>20)
		return nil
	}
	if line, col, what := checkText(data); what != "" {
		l.errs = append(l.errs, &Error{File: l.file, Line: line, Column: col, Msg: what})
		return nil
	}
	if countNodes(data) > MaxNodes {
		l.errorAt(nil, nil, "the file holds more than %d values (fields, lists and scalars): parley reads at most that many", MaxNodes)
		return nil
	}
	if root, ok := jsonNodes(data); ok {
		return root
	}
	data, shifts := fixJSON(data)
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) {
			l.errorAt(nil, nil, "the file is empty: want a scenario in YAML or JSON")
			return nil
		}
		l.syntaxError(err)
		return nil
	}
	var next yaml.Node
	switch err := dec.Decode(&next); {
	case errors.Is(err, io.EOF):
	case err != nil:
		l.syntaxError(err)
		return nil
	default:
		at := &next
		if len(next.Content) > 0 {
			at = next.Content[0]
		}
		l.errorAt(at, nil, "a second YAML document: a scenario file holds exactly one")
		return nil
	}
	shifts.apply(&doc)
	if len(doc.Content) == 0 {
		l.errorAt(nil, nil, "the file is empty: want a scenario in YAML or JSON")
		return nil
	}
	root := doc.Content[0]
	if root.Kind == yaml.ScalarNode && root.ShortTag() == "!!null" && root.Value == "" {
		l.errorAt(root, nil, "the document is empty: want a scenario in YAML or JSON")
		return nil
	}
	return root
}

var yamlErrorLine = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^yaml: line (\d+): (.*)$`) })

// syntaxError records an error of the YAML parser, which gives at most a
// line.
func (l *loader) syntaxError(err error) {
	msg := err.Error()
	line := 0
	if m := yamlErrorLine().FindStringSubmatch(msg); m != nil {
		line, _ = strconv.Atoi(m[1])
		msg = m[2]
	} else {
		msg = strings.TrimPrefix(msg, "yaml: ")
	}
	l.errs = append(l.errs, &Error{File: l.file, Line: line, Msg: "syntax error: " + msg})
}

var typeErrorLine = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^line (\d+): (.*)$`) })

// decodeError records the errors of decoding a schema-valid document into
// a Scenario. The schema makes them unlikely.
func (l *loader) decodeError(err error) {
	var te *yaml.TypeError
	if !errors.As(err, &te) {
		l.errs = append(l.errs, &Error{File: l.file, Msg: err.Error()})
		return
	}
	for _, msg := range te.Errors {
		line := 0
		if m := typeErrorLine().FindStringSubmatch(msg); m != nil {
			line, _ = strconv.Atoi(m[1])
			msg = m[2]
		}
		l.errs = append(l.errs, &Error{File: l.file, Line: line, Msg: msg})
	}
}

// value converts the node at p to the values JSON Schema validation works
// on: map[string]any, []any, string, int64, uint64, float64, bool and nil.
// It refuses what the scenario format has no use for and what could make
// a small file expensive: anchors and aliases, duplicate keys, unknown tags.
func (l *loader) value(n *yaml.Node, p path) any {
	if n.Kind == yaml.AliasNode || n.Anchor != "" {
		l.errorAt(n, p, "anchors and aliases (&name, *name) are not allowed in scenario files")
		return nil
	}
	switch n.Kind {
	case yaml.MappingNode:
		if tag := n.ShortTag(); tag != "!!map" {
			l.errorAt(n, p, "unsupported tag %s", tag)
			return nil
		}
		m := make(map[string]any, len(n.Content)/2)
		// Where each key was first given: found by a scan of the keys
		// before it in a small mapping, which most are, else by a map.
		var first map[string]*yaml.Node
		if len(n.Content) > 32 {
			first = make(map[string]*yaml.Node, len(n.Content)/2)
		}
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			if k.Kind == yaml.AliasNode || k.Anchor != "" {
				l.errorAt(k, p, "anchors and aliases (&name, *name) are not allowed in scenario files")
				continue
			}
			if k.Kind != yaml.ScalarNode || k.ShortTag() != "!!str" {
				l.errorAt(k, p, "a field name must be a string")
				continue
			}
			if prev := firstKey(n.Content[:i], first, k.Value); prev != nil {
				l.errorAt(k, append(p, k.Value), "field %q given twice (first on line %d)", k.Value, prev.Line)
				continue
			}
			if first != nil {
				first[k.Value] = k
			}
			m[k.Value] = l.value(v, append(p, k.Value))
		}
		return m
	case yaml.SequenceNode:
		if tag := n.ShortTag(); tag != "!!seq" {
			l.errorAt(n, p, "unsupported tag %s", tag)
			return nil
		}
		s := make([]any, len(n.Content))
		for i, c := range n.Content {
			s[i] = l.value(c, append(p, i))
		}
		return s
	case yaml.ScalarNode:
		return l.scalar(n, p)
	}
	l.errorAt(n, p, "unexpected YAML node")
	return nil
}

// firstKey returns the key node named name among the keys and values
// before it, looked up in first when there is one.
func firstKey(before []*yaml.Node, first map[string]*yaml.Node, name string) *yaml.Node {
	if first != nil {
		return first[name]
	}
	for i := 0; i+1 < len(before); i += 2 {
		if k := before[i]; k.Value == name && k.Kind == yaml.ScalarNode && k.Anchor == "" && k.ShortTag() == "!!str" {
			return k
		}
	}
	return nil
}

// isPlainNumber reports whether s has the syntax of a number in a scenario
// file: a plain decimal ([-+]digits[.digits][e[-+]digits], no leading
// zero, digits on at least one side of the point). YAML would also read
// 0x1, 0o1, 010 and 1_000 as numbers.
func isPlainNumber(s string) bool {
	i := 0
	digits := func() int {
		j := i
		for i < len(s) && '0' <= s[i] && s[i] <= '9' {
			i++
		}
		return i - j
	}
	if i < len(s) && (s[i] == '+' || s[i] == '-') {
		i++
	}
	whole := digits()
	if whole > 1 && s[i-whole] == '0' {
		return false
	}
	if i < len(s) && s[i] == '.' {
		i++
		if digits() == 0 && whole == 0 {
			return false
		}
	} else if whole == 0 {
		return false
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i++
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			i++
		}
		if digits() == 0 {
			return false
		}
	}
	return i == len(s)
}

func (l *loader) scalar(n *yaml.Node, p path) any {
	switch tag := n.ShortTag(); tag {
	case "!!str", "!!timestamp", "!!merge":
		// Timestamps and "<<" are strings to a scenario: a date field
		// holds the text as written.
		for _, r := range n.Value {
			if isControl(r) {
				l.errorAt(n, p, "control character U+%04X in text: not allowed, as it could drive the terminal a report is shown on", r)
				return nil
			}
		}
		return n.Value
	case "!!null":
		return nil
	case "!!bool":
		switch strings.ToLower(n.Value) {
		case "true":
			return true
		case "false":
			return false
		}
		l.errorAt(n, p, "invalid bool %q: write true or false", n.Value)
		return nil
	case "!!int", "!!float":
		v := strings.ToLower(n.Value)
		if strings.Contains(v, "inf") || strings.Contains(v, "nan") {
			l.errorAt(n, p, "%s is not a finite number", n.Value)
			return nil
		}
		if !isPlainNumber(n.Value) {
			l.errorAt(n, p, "%s is not a plain decimal number: write numbers like 0.75 or 3", n.Value)
			return nil
		}
		if tag == "!!int" {
			if i, err := strconv.ParseInt(n.Value, 10, 64); err == nil {
				return i
			}
			if u, err := strconv.ParseUint(strings.TrimPrefix(n.Value, "+"), 10, 64); err == nil {
				return u
			}
		}
		f, err := strconv.ParseFloat(n.Value, 64)
		if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
			l.errorAt(n, p, "%s is out of range: not a finite number", n.Value)
			return nil
		}
		return f
	default:
		l.errorAt(n, p, "unsupported tag %s", tag)
		return nil
	}
}

// locate finds the node at p under root. Elements of p are field names
// and sequence indexes; an index may also be given as a string, as in a
// JSON pointer. It returns the key node (for a field), the value node and
// the typed path of what it found: the deepest node that exists.
func locate(root *yaml.Node, p path) (key, val *yaml.Node, at path) {
	val = root
	for _, e := range p {
		switch val.Kind {
		case yaml.MappingNode:
			name, ok := e.(string)
			if !ok {
				return key, val, at
			}
			found := false
			for i := 0; i+1 < len(val.Content); i += 2 {
				if val.Content[i].Value == name {
					key, val, found = val.Content[i], val.Content[i+1], true
					break
				}
			}
			if !found {
				return key, val, at
			}
			at = append(at, name)
		case yaml.SequenceNode:
			i, ok := e.(int)
			if s, isString := e.(string); isString {
				n, err := strconv.Atoi(s)
				i, ok = n, err == nil
			}
			if !ok || i < 0 || i >= len(val.Content) {
				return key, val, at
			}
			key, val = nil, val.Content[i]
			at = append(at, i)
		default:
			return key, val, at
		}
	}
	return key, val, at
}

// columnShifts records where fixJSON shortened lines: for each line, the
// columns after which the original text was longer, and by how much.
type columnShifts map[int][]columnShift

type columnShift struct{ col, by int }

// apply moves every node of the tree back to its column in the original
// text.
func (cs columnShifts) apply(n *yaml.Node) {
	if len(cs) == 0 || n == nil {
		return
	}
	if shifts, ok := cs[n.Line]; ok {
		by := 0
		for _, s := range shifts {
			if s.col < n.Column {
				by += s.by
			}
		}
		n.Column += by
	}
	for _, c := range n.Content {
		cs.apply(c)
	}
}

// fixJSON rewrites the two JSON string escapes the YAML parser does not
// know, "\/" and UTF-16 surrogate pairs such as "\ud83d\ude00", into ones it
// does. It only touches documents that start like JSON, and only inside
// double-quoted strings. The rewritten text is shorter; the returned
// shifts map its columns back to the original ones.
func fixJSON(data []byte) ([]byte, columnShifts) {
	trimmed := bytes.TrimLeft(bytes.TrimPrefix(data, []byte("\uFEFF")), " \t\r\n")
	if len(trimmed) == 0 || (trimmed[0] != '{' && trimmed[0] != '[') {
		return data, nil
	}
	if !bytes.Contains(data, []byte(`\/`)) && !bytes.Contains(data, []byte(`\u`)) && !bytes.Contains(data, []byte(`\U`)) {
		return data, nil
	}
	var (
		out    = make([]byte, 0, len(data))
		shifts columnShifts
		line   = 1
		col    = 1 // column of the next rune written to out
		quote  byte
	)
	shift := func(by int) {
		if shifts == nil {
			shifts = make(columnShifts)
		}
		shifts[line] = append(shifts[line], columnShift{col, by})
	}
	for i := 0; i < len(data); i++ {
		b := data[i]
		switch {
		case b == '\n':
			line, col = line+1, 0
		case quote == 0 && (b == '"' || b == '\''):
			quote = b
		case quote == b:
			quote = 0
		case quote == '"' && b == '\\' && i+1 < len(data):
			if data[i+1] == '/' {
				shift(1)
				out = append(out, '/')
				col++
				i++
				continue
			}
			if r, ok := surrogatePair(data[i:]); ok {
				shift(2)
				esc := fmt.Sprintf(`\U%08X`, r)
				out = append(out, esc...)
				col += len(esc)
				i += 11
				continue
			}
			out = append(out, b, data[i+1])
			col += 2
			i++
			continue
		}
		out = append(out, b)
		if b&0xC0 != 0x80 {
			col++
		}
	}
	return out, shifts
}

// surrogatePair decodes a JSON escaped UTF-16 surrogate pair at the start
// of b.
func surrogatePair(b []byte) (rune, bool) {
	if len(b) < 12 || b[0] != '\\' || b[1] != 'u' || b[6] != '\\' || b[7] != 'u' {
		return 0, false
	}
	hi, err1 := strconv.ParseUint(string(b[2:6]), 16, 16)
	lo, err2 := strconv.ParseUint(string(b[8:12]), 16, 16)
	if err1 != nil || err2 != nil || hi < 0xD800 || hi > 0xDBFF || lo < 0xDC00 || lo > 0xDFFF {
		return 0, false
	}
	return 0x10000 + rune(hi-0xD800)<<10 + rune(lo-0xDC00), true
}
