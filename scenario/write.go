package scenario

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"
)

// Marshal writes s in the scenario file format, format being "yaml" or
// "json". Load reads the result back to an equal scenario.
func Marshal(s *Scenario, format string) ([]byte, error) {
	if err := encodable(reflect.ValueOf(s).Elem(), nil); err != nil {
		return nil, fmt.Errorf("marshal scenario: %w", err)
	}
	switch format {
	case "yaml", "yml":
		return marshalYAML(s)
	case "json":
		return marshalJSON(s)
	}
	return nil, fmt.Errorf("marshal scenario: unknown format %q (want yaml or json)", format)
}

// encodable reports the first string that is not UTF-8 and the first
// number that is not finite: the file format has no way to write them.
func encodable(v reflect.Value, p path) error {
	switch v.Kind() {
	case reflect.String:
		if !utf8.ValidString(v.String()) {
			return fmt.Errorf("%s: invalid UTF-8", p)
		}
	case reflect.Float64:
		if f := v.Float(); math.IsNaN(f) || math.IsInf(f, 0) {
			return fmt.Errorf("%s: %v is not a finite number", p, f)
		}
	case reflect.Pointer:
		if !v.IsNil() {
			return encodable(v.Elem(), p)
		}
	case reflect.Slice:
		for i := range v.Len() {
			if err := encodable(v.Index(i), append(p, i)); err != nil {
				return err
			}
		}
	case reflect.Struct:
		t := v.Type()
		for i := range t.NumField() {
			name, _, _ := strings.Cut(t.Field(i).Tag.Get("json"), ",")
			if err := encodable(v.Field(i), append(p, name)); err != nil {
				return err
			}
		}
	}
	return nil
}

func marshalYAML(s *Scenario) ([]byte, error) {
	doc := &yaml.Node{Kind: yaml.DocumentNode, Content: []*yaml.Node{node(reflect.ValueOf(s).Elem())}}
	tidy(doc)
	b, err := encodeYAML(doc.Content[0])
	if err != nil {
		return nil, fmt.Errorf("marshal scenario: %w", err)
	}
	return spaceOut(b), nil
}

// node builds the YAML node of a value of the model, leaving out empty
// "omitempty" fields as the yaml tags say. Building the tree here rather
// than by the encoder lets tidy choose every scalar's style.
func node(v reflect.Value) *yaml.Node {
	switch v.Kind() {
	case reflect.Pointer:
		return node(v.Elem())
	case reflect.Struct:
		n := &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map"}
		t := v.Type()
		for i := range t.NumField() {
			name, opts, _ := strings.Cut(t.Field(i).Tag.Get("yaml"), ",")
			f := v.Field(i)
			if opts == "omitempty" && empty(f) {
				continue
			}
			n.Content = append(n.Content, &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: name}, node(f))
		}
		return n
	case reflect.Slice:
		n := &yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq"}
		for i := range v.Len() {
			n.Content = append(n.Content, node(v.Index(i)))
		}
		if len(n.Content) == 0 {
			n.Style = yaml.FlowStyle
		}
		return n
	case reflect.String:
		return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: v.String()}
	case reflect.Int:
		return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!int", Value: strconv.FormatInt(v.Int(), 10)}
	case reflect.Float64:
		f := strconv.FormatFloat(v.Float(), 'g', -1, 64)
		tag := "!!float"
		if !strings.ContainsAny(f, ".e") {
			tag = "!!int" // what YAML makes of "3"; Load reads it as 3.0
		}
		return &yaml.Node{Kind: yaml.ScalarNode, Tag: tag, Value: f}
	case reflect.Bool:
		return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!bool", Value: strconv.FormatBool(v.Bool())}
	}
	panic(fmt.Sprintf("scenario: no YAML for %s", v.Type()))
}

// empty reports whether an omitempty field is left out.
func empty(v reflect.Value) bool {
	switch v.Kind() {
	case reflect.Pointer:
		return v.IsNil()
	case reflect.Slice:
		return v.Len() == 0
	}
	return v.IsZero()
}

// tidy makes the document read like a hand-written one: dates unquoted,
// multi-line text as literal blocks, short lists of names and stances on
// one line.
func tidy(n *yaml.Node) {
	if n.Kind == yaml.ScalarNode && n.Tag == "!!str" {
		switch {
		case strings.ContainsFunc(n.Value, oddBreak):
			// The encoder would write these characters raw into a block
			// scalar, where the parser takes them for line breaks.
			n.Style = yaml.DoubleQuotedStyle
		case strings.Contains(n.Value, "\n"):
			n.Style = yaml.DoubleQuotedStyle
			if literalSafe(n.Value) {
				n.Style = yaml.LiteralStyle
			}
		}
	}
	if n.Kind == yaml.MappingNode {
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i].Value, n.Content[i+1]
			switch {
			case k == "date" && v.Kind == yaml.ScalarNode && isDate(v.Value):
				// A plain date is a timestamp to YAML, which Load reads
				// back as the text written.
				v.Tag = "!!timestamp"
			case (k == "aliases" || k == "categories") && v.Kind == yaml.SequenceNode && allShort(v.Content):
				v.Style = yaml.FlowStyle
			case (k == "if" || k == "then") && v.Kind == yaml.MappingNode && allShort(v.Content):
				v.Style = yaml.FlowStyle
			}
		}
		if onlyKeys(n, "option", "stance", "utility") && allShort(n.Content) {
			n.Style = yaml.FlowStyle
		}
	}
	for _, c := range n.Content {
		tidy(c)
	}
}

// literalSafe reports whether a multi-line text can be a literal block
// scalar: lines that start or end with white space, or hold tabs, are
// written in double quotes, where the encoder gets them right.
func literalSafe(s string) bool {
	for _, line := range strings.Split(s, "\n") {
		if strings.Contains(line, "\t") || strings.HasPrefix(line, " ") || strings.HasSuffix(line, " ") {
			return false
		}
	}
	return true
}

// onlyKeys reports whether the mapping n has no keys but the given ones.
func onlyKeys(n *yaml.Node, keys ...string) bool {
	for i := 0; i < len(n.Content); i += 2 {
		if !slices.Contains(keys, n.Content[i].Value) {
			return false
		}
	}
	return len(n.Content) > 0
}

// allShort reports whether the nodes are scalars that fit on one line
// of a flow collection.
func allShort(ns []*yaml.Node) bool {
	for _, n := range ns {
		if n.Kind != yaml.ScalarNode || len(n.Value) > 40 || strings.ContainsFunc(n.Value, func(r rune) bool { return r == '\n' || oddBreak(r) }) {
			return false
		}
	}
	return true
}

func isDate(s string) bool {
	_, err := time.Parse(time.DateOnly, s)
	return err == nil && len(s) == len(time.DateOnly)
}

// sections are the top-level lists whose items spaceOut separates.
var sections = map[string]bool{"parties:": true, "versions:": true, "positions:": true, "linkages:": true}

// keepChomping matches a line that opens a block scalar whose trailing
// line breaks are part of the value ("|+", ">2+", ...): a blank line after
// it would change the value.
var keepChomping = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`[|>][1-9]?\+[1-9]?$`) })

// blockStart matches a top-level line whose value is on the lines below.
var blockStart = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`:( [|>][1-9+-]*)?$`) })

// spaceOut makes the encoder's YAML easier to read: blank lines around
// the top-level fields whose values take several lines, and between the
// items of the top-level lists. The lines it puts blank lines before are
// keys or items of those lists: lines that continue a scalar are indented
// deeper (the encoder does not wrap quoted scalars), except in a top-level
// block scalar, which is not in a section.
func spaceOut(y []byte) []byte {
	var out bytes.Buffer
	out.Grow(len(y) + len(y)/16)
	inSection, firstItem, prevBlock, keep := false, false, false, false
	for i, line := range bytes.SplitAfter(y, []byte("\n")) {
		text := bytes.TrimRight(line, "\n")
		topKey := len(text) > 0 && text[0] != ' ' && text[0] != '#'
		item := inSection && bytes.HasPrefix(text, []byte("  - "))
		block := topKey && blockStart().Match(text)
		blank := (topKey && (block || prevBlock)) || (item && !firstItem)
		if i > 0 && blank && !keep {
			out.WriteByte('\n')
		}
		if topKey || item {
			keep = false
		}
		if topKey {
			inSection, firstItem, prevBlock = sections[string(text)], true, block
		} else if item {
			firstItem = false
		}
		if keepChomping().Match(text) {
			keep = true
		}
		out.Write(line)
	}
	return out.Bytes()
}

func marshalJSON(s *Scenario) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(nonNil(s)); err != nil {
		return nil, fmt.Errorf("marshal scenario: %w", err)
	}
	return escapeForYAML(b.Bytes()), nil
}

// nonNil returns a copy of s whose required lists are empty rather than
// nil, which JSON would write as null.
func nonNil(s *Scenario) *Scenario {
	c := *s
	c.Parties = orEmpty(c.Parties)
	c.Versions = slicesMap(c.Versions, func(v Version) Version {
		v.Blocks = slicesMap(v.Blocks, func(b Block) Block {
			b.Points = slicesMap(b.Points, func(p Point) Point {
				p.Options = orEmpty(p.Options)
				return p
			})
			return b
		})
		return v
	})
	if c.Positions != nil {
		c.Positions = slicesMap(c.Positions, func(q Position) Position {
			q.Points = slicesMap(q.Points, func(r PointPosition) PointPosition {
				r.Options = orEmpty(r.Options)
				return r
			})
			return q
		})
	}
	return &c
}

func orEmpty[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// slicesMap returns f applied to each element of s, in a new non-nil
// slice.
func slicesMap[T any](s []T, f func(T) T) []T {
	out := make([]T, len(s))
	for i, x := range s {
		out[i] = f(x)
	}
	return out
}

// escapeForYAML escapes the characters that JSON may leave raw but the
// YAML parser, which reads scenario JSON, refuses or takes for line
// breaks: C1 controls, DEL, U+FEFF and the non-characters. They only occur
// inside strings, since JSON's syntax is ASCII.
func escapeForYAML(j []byte) []byte {
	clean := true
	for _, r := range string(j) {
		if !yamlPrintable(r) {
			clean = false
			break
		}
	}
	if clean {
		return j
	}
	var out bytes.Buffer
	for _, r := range string(j) {
		if yamlPrintable(r) {
			out.WriteRune(r)
			continue
		}
		fmt.Fprintf(&out, `\u%04x`, r)
	}
	return out.Bytes()
}

// oddBreak reports whether YAML reads r as a line break, or as no
// character at all, where a writer may not expect it.
func oddBreak(r rune) bool {
	return r == '\r' || !yamlPrintable(r)
}

// yamlPrintable reports whether r may appear raw inside a double-quoted
// YAML scalar with its own meaning.
func yamlPrintable(r rune) bool {
	switch {
	case r == '\t' || r == '\n' || r == '\r':
		return true
	case r < 0x20 || r == 0x7F:
		return false
	case r < 0x7F:
		return true
	case r == 0x85, r == 0x2028, r == 0x2029, r == 0xFEFF:
		return false
	case r >= 0xA0 && r <= 0xD7FF, r >= 0xE000 && r <= 0xFFFD, r >= 0x10000 && r <= 0x10FFFF:
		return true
	}
	return false
}
