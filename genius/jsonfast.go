package genius

import (
	"bytes"
	"encoding/json"
	"io"

	"github.com/go-json-experiment/json/jsontext"
)

// textPos turns the byte offsets of a JSON decoder into the line and
// column of the next token. Offsets never go back, so each call only
// scans the text since the last one.
type textPos struct {
	data          []byte
	at, line, col int // the line and column of offset at
}

// next returns the line and column (in bytes, from 1) of the first byte
// at or after off that is not white space or a separator.
func (t *textPos) next(off int) (int, int) {
	for off < len(t.data) {
		c := t.data[off]
		if c != ' ' && c != '\t' && c != '\n' && c != '\r' && c != ',' && c != ':' {
			break
		}
		off++
	}
	off = min(off, len(t.data))
	if t.line == 0 || off < t.at {
		t.at, t.line, t.col = 0, 1, 1
	}
	for _, c := range t.data[t.at:off] {
		if c == '\n' {
			t.line, t.col = t.line+1, 1
		} else {
			t.col++
		}
	}
	t.at = off
	return t.line, t.col
}

// readJSON builds the tree of a valid JSON document with the tokenizer
// of jsontext, several times faster than encoding/json's token API. It
// reports false for any document it does not read exactly as parseJSONStd
// would (malformed, invalid UTF-8, a key given twice, nested too deep):
// parseJSONStd then says what is wrong.
func readJSON(data []byte) (*jnode, bool) {
	r := &jreader{d: jsontext.NewDecoder(bytes.NewBuffer(data)), text: textPos{data: data}}
	n, ok := r.value(nil, "", -1, 0)
	if !ok {
		return nil, false
	}
	if _, err := r.d.ReadToken(); err != io.EOF {
		return nil, false
	}
	return n, true
}

type jreader struct {
	d      *jsontext.Decoder
	text   textPos
	values int
}

func (r *jreader) value(parent *jnode, key string, index, depth int) (*jnode, bool) {
	line, col := r.text.next(int(r.d.InputOffset()))
	t, err := r.d.ReadToken()
	if err != nil {
		return nil, false
	}
	if r.values++; r.values > maxValues {
		return nil, false
	}
	n := &jnode{parent: parent, key: key, index: index, line: line, col: col}
	switch t.Kind() {
	case 'n':
		n.kind = jNull
	case 't', 'f':
		n.kind, n.b = jBool, t.Bool()
	case '0':
		n.kind, n.str = jNumber, t.String()
		n.num = json.Number(n.str)
	case '"':
		n.kind, n.str = jString, t.String()
	case '[':
		if depth >= maxDepth {
			return nil, false
		}
		n.kind = jArray
		for r.d.PeekKind() != ']' {
			c, ok := r.value(n, "", len(n.vals), depth+1)
			if !ok {
				return nil, false
			}
			n.vals = append(n.vals, c)
		}
		if _, err := r.d.ReadToken(); err != nil {
			return nil, false
		}
	case '{':
		if depth >= maxDepth {
			return nil, false
		}
		n.kind = jObject
		for r.d.PeekKind() != '}' {
			kt, err := r.d.ReadToken()
			if err != nil || kt.Kind() != '"' {
				return nil, false
			}
			k := kt.String()
			c, ok := r.value(n, k, -1, depth+1)
			if !ok {
				return nil, false
			}
			n.keys = append(n.keys, k)
			n.vals = append(n.vals, c)
		}
		if _, err := r.d.ReadToken(); err != nil {
			return nil, false
		}
	default:
		return nil, false
	}
	return n, true
}

// valuesWithin reports whether the JSON text data holds at most max
// values (object keys are not counted), in one quick pass over its bytes
// before anything is built. When it holds more, it also returns the line
// and column of the first value beyond max. Malformed text is counted as
// well as it can be; the parser says what is wrong with it.
func valuesWithin(data []byte, max int) (line, col int, ok bool) {
	count := 0
	var open []byte // the '[' and '{' not yet closed
	expect := true  // a value may start at the next token
	for i := 0; i < len(data); i++ {
		c := data[i]
		switch c {
		case ' ', '\t', '\n', '\r':
			continue
		case ',':
			expect = len(open) > 0 && open[len(open)-1] == '['
			continue
		case ':':
			expect = true
			continue
		case ']', '}':
			if len(open) > 0 {
				open = open[:len(open)-1]
			}
			expect = false
			continue
		}
		if expect {
			if count++; count > max {
				line = 1 + bytes.Count(data[:i], []byte("\n"))
				return line, i - bytes.LastIndexByte(data[:i], '\n'), false
			}
		}
		switch c {
		case '"':
			for i++; i < len(data) && data[i] != '"'; i++ {
				if data[i] == '\\' {
					i++
				}
			}
			expect = false
		case '[', '{':
			open = append(open, c)
			expect = c == '['
		default:
			expect = false
		}
	}
	return 0, 0, true
}
