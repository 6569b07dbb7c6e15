package scenario

import (
	"bytes"
	"io"

	"github.com/go-json-experiment/json/jsontext"
	"go.yaml.in/yaml/v3"
)

// jsonNodes builds the YAML node tree of a scenario written as JSON with
// jsontext's tokenizer, several times faster than the YAML parser: the
// tree is the one the YAML parser would build (the same kinds, tags,
// styles, values, lines and columns), so that everything after parsing
// reads JSON and YAML alike. It reports false for any document it is not
// sure to read exactly as the YAML parser would: not a JSON object or
// list, malformed JSON, an unpaired UTF-16 surrogate, or a character that
// YAML takes for a line break (U+0085, U+2028, U+2029). The YAML parser
// then reads it and says what is wrong.
func jsonNodes(data []byte) (*yaml.Node, bool) {
	data = bytes.TrimPrefix(data, []byte("\uFEFF"))
	start := bytes.TrimLeft(data, " \t\r\n")
	if len(start) == 0 || (start[0] != '{' && start[0] != '[') {
		return nil, false
	}
	for _, br := range [][]byte{[]byte("\u0085"), []byte("\u2028"), []byte("\u2029")} {
		if bytes.Contains(data, br) {
			return nil, false
		}
	}
	b := &jsonBuilder{
		// Duplicate keys are left to the loader, which says where the
		// first one is.
		d:    jsontext.NewDecoder(bytes.NewBuffer(data), jsontext.AllowDuplicateNames(true)),
		data: data,
		line: 1,
		col:  1,
	}
	root, ok := b.node()
	if !ok {
		return nil, false
	}
	if _, err := b.d.ReadToken(); err != io.EOF {
		return nil, false
	}
	return root, true
}

// jsonBuilder builds YAML nodes from JSON tokens, keeping the line and
// column (in characters, from 1) of offset at, as the YAML parser counts
// them: "\r\n", "\r" and "\n" each end a line.
type jsonBuilder struct {
	d         *jsontext.Decoder
	data      []byte
	at        int
	line, col int
}

// next moves to the start of the next token: past white space and the
// separators ',' and ':' after the decoder's offset.
func (b *jsonBuilder) next() {
	end := int(b.d.InputOffset())
	for end < len(b.data) {
		c := b.data[end]
		if c != ' ' && c != '\t' && c != '\n' && c != '\r' && c != ',' && c != ':' {
			break
		}
		end++
	}
	for i := b.at; i < end; i++ {
		switch c := b.data[i]; {
		case c == '\n':
			b.line, b.col = b.line+1, 1
		case c == '\r':
			b.line, b.col = b.line+1, 1
			if i+1 < end && b.data[i+1] == '\n' {
				i++
			}
		case c&0xC0 != 0x80: // not a continuation byte: a new character
			b.col++
		}
	}
	b.at = end
}

func (b *jsonBuilder) node() (*yaml.Node, bool) {
	b.next()
	line, col := b.line, b.col
	t, err := b.d.ReadToken()
	if err != nil {
		return nil, false
	}
	n := &yaml.Node{Line: line, Column: col}
	switch t.Kind() {
	case '{':
		n.Kind, n.Tag, n.Style = yaml.MappingNode, "!!map", yaml.FlowStyle
		for b.d.PeekKind() != '}' {
			b.next()
			kline, kcol := b.line, b.col
			k, err := b.d.ReadToken()
			if err != nil || k.Kind() != '"' {
				return nil, false
			}
			// A token is valid until the next is read.
			key := &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Style: yaml.DoubleQuotedStyle, Value: k.String(), Line: kline, Column: kcol}
			v, ok := b.node()
			if !ok {
				return nil, false
			}
			n.Content = append(n.Content, key, v)
		}
		if _, err := b.d.ReadToken(); err != nil {
			return nil, false
		}
	case '[':
		n.Kind, n.Tag, n.Style = yaml.SequenceNode, "!!seq", yaml.FlowStyle
		for b.d.PeekKind() != ']' {
			v, ok := b.node()
			if !ok {
				return nil, false
			}
			n.Content = append(n.Content, v)
		}
		if _, err := b.d.ReadToken(); err != nil {
			return nil, false
		}
	case '"':
		n.Kind, n.Tag, n.Style, n.Value = yaml.ScalarNode, "!!str", yaml.DoubleQuotedStyle, t.String()
	case 'n', 't', 'f', '0':
		// A plain scalar: its tag is the one YAML resolves from its
		// text (!!null, !!bool, !!int or !!float).
		n.Kind, n.Value = yaml.ScalarNode, t.String()
		n.Tag = n.ShortTag()
	default:
		return nil, false
	}
	return n, true
}
