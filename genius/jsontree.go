package genius

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"sync"

	"parley/scenario"
)

// jkind is the kind of a JSON value.
type jkind int

const (
	jNull jkind = iota
	jBool
	jNumber
	jString
	jArray
	jObject
)

func (k jkind) String() string {
	return [...]string{"null", "a boolean", "a number", "a string", "an array", "an object"}[k]
}

// jnode is a JSON value that keeps the order of object keys (GeniusWeb
// lists issues in an object, and their order is the domain's) and where
// it was found.
type jnode struct {
	kind jkind
	str  string      // string value, or the text of a number
	num  json.Number // number value
	b    bool
	keys []string // object keys, in file order
	vals []*jnode // object values or array elements
	// parent, key and index place the value in the document: its path is
	// made from them when an error needs it.
	parent *jnode
	key    string
	index  int // the index in an array; -1 for an object member
	line   int
	col    int
}

// path returns the JSON path of n, as in $.issuesValues["a b"].values[2].
func (n *jnode) path() string {
	if n.parent == nil {
		return "$"
	}
	if n.index >= 0 {
		return n.parent.path() + "[" + strconv.Itoa(n.index) + "]"
	}
	return childPath(n.parent.path(), n.key)
}

// get returns the value of an object key.
func (n *jnode) get(key string) *jnode {
	if n == nil || n.kind != jObject {
		return nil
	}
	for i, k := range n.keys {
		if k == key {
			return n.vals[i]
		}
	}
	return nil
}

func (n *jnode) errorf(file, format string, args ...any) *Error {
	return &Error{File: file, Line: n.line, Col: n.col, Path: scenario.Clip(n.path()), Msg: fmt.Sprintf(format, scenario.ClipArgs(args)...)}
}

var identRE = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`) })

func childPath(parent, key string) string {
	if identRE().MatchString(key) {
		return parent + "." + key
	}
	return parent + "[" + strconv.Quote(key) + "]"
}

// parseJSON reads a whole JSON document. The values are counted first, so
// that a file of too many is refused before any is built. A valid document
// is then read by a fast tokenizer (readJSON); one that it refuses is read
// again by the standard library's decoder, whose errors carry the messages
// parley has always given.
func parseJSON(file string, data []byte) (*jnode, error) {
	data = bytes.TrimPrefix(data, []byte("\uFEFF")) // a byte order mark, as some editors write
	if line, col, ok := valuesWithin(data, maxValues); !ok {
		return nil, &Error{File: file, Line: line, Col: col, Msg: fmt.Sprintf("more than %d values: parley reads at most that many in one file", maxValues)}
	}
	if n, ok := readJSON(data); ok {
		return n, nil
	}
	return parseJSONStd(file, data)
}

// parseJSONStd reads a whole JSON document with encoding/json, which
// explains what is wrong with a document.
func parseJSONStd(file string, data []byte) (*jnode, error) {
	p := &jparser{file: file, data: data, d: json.NewDecoder(bytes.NewReader(data)), text: textPos{data: data}}
	p.d.UseNumber()
	n, err := p.value(nil, "", -1, 0)
	if err != nil {
		return nil, err
	}
	if _, err := p.d.Token(); err != io.EOF {
		line, col := p.pos()
		return nil, &Error{File: file, Line: line, Col: col, Msg: "malformed JSON: data after the top-level value"}
	}
	return n, nil
}

type jparser struct {
	file   string
	data   []byte
	d      *json.Decoder
	text   textPos
	values int // read so far, at most maxValues
}

// pos returns the line and column of the next token.
func (p *jparser) pos() (int, int) {
	return p.text.next(int(p.d.InputOffset()))
}

func (p *jparser) token() (json.Token, int, int, error) {
	line, col := p.pos()
	t, err := p.d.Token()
	if err != nil {
		if err == io.EOF {
			err = io.ErrUnexpectedEOF
		}
		return nil, line, col, &Error{File: p.file, Line: line, Col: col, Msg: "malformed JSON", Err: err}
	}
	return t, line, col, nil
}

func (p *jparser) value(parent *jnode, key string, index, depth int) (*jnode, error) {
	t, line, col, err := p.token()
	if err != nil {
		return nil, err
	}
	if p.values++; p.values > maxValues {
		return nil, &Error{File: p.file, Line: line, Col: col, Msg: fmt.Sprintf("more than %d values: parley reads at most that many in one file", maxValues)}
	}
	n := &jnode{parent: parent, key: key, index: index, line: line, col: col}
	switch v := t.(type) {
	case nil:
		n.kind = jNull
	case bool:
		n.kind, n.b = jBool, v
	case json.Number:
		n.kind, n.num, n.str = jNumber, v, string(v)
	case string:
		n.kind, n.str = jString, v
	case json.Delim:
		if depth >= maxDepth {
			return nil, &Error{File: p.file, Line: line, Col: col, Path: n.path(), Msg: fmt.Sprintf("malformed JSON: values nested deeper than %d", maxDepth)}
		}
		switch v {
		case '[':
			n.kind = jArray
			for p.d.More() {
				c, err := p.value(n, "", len(n.vals), depth+1)
				if err != nil {
					return nil, err
				}
				n.vals = append(n.vals, c)
			}
		case '{':
			n.kind = jObject
			seen := map[string]bool{}
			for p.d.More() {
				kt, kl, kc, err := p.token()
				if err != nil {
					return nil, err
				}
				k, ok := kt.(string)
				if !ok {
					return nil, &Error{File: p.file, Line: kl, Col: kc, Path: n.path(), Msg: "malformed JSON: object key is not a string"}
				}
				if seen[k] {
					return nil, &Error{File: p.file, Line: kl, Col: kc, Path: scenario.Clip(childPath(n.path(), k)), Msg: "key appears twice"}
				}
				seen[k] = true
				c, err := p.value(n, k, -1, depth+1)
				if err != nil {
					return nil, err
				}
				n.keys = append(n.keys, k)
				n.vals = append(n.vals, c)
			}
		default:
			return nil, &Error{File: p.file, Line: line, Col: col, Path: n.path(), Msg: fmt.Sprintf("malformed JSON: unexpected %q", v)}
		}
		if _, _, _, err := p.token(); err != nil { // the closing delimiter
			return nil, err
		}
	}
	return n, nil
}
