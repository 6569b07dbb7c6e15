package genius

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"parley/scenario"
)

// maxDepth bounds the nesting of XML elements and JSON values, so that a
// hostile file cannot exhaust the stack.
const maxDepth = 64

// maxValues bounds the XML elements or JSON values of one file, each of
// which takes memory: 16 MiB of "[1,1,1,…]" would otherwise become 8
// million of them. A real domain of 16 MiB has well under a million.
var maxValues = 2_000_000 // a variable so that tests can lower it

// element is one XML element with what error messages need to point at it.
type element struct {
	name     string
	attrs    []xml.Attr
	children []*element
	parent   *element
	nth      int // among the parent's children of the same name, from 1
	line     int
	col      int
}

// path is the element's place in the document, as in
// /utility_space/objective/issue[2].
func (e *element) path() string {
	if e.parent == nil {
		return "/" + e.name
	}
	return e.parent.path() + "/" + e.name + "[" + strconv.Itoa(e.nth) + "]"
}

// xmlTree builds the tree of elements from the start and end of each.
type xmlTree struct {
	root  *element
	stack []*element
	// counts holds, for each open element, its children by name; nil
	// until it has one.
	counts   []map[string]int
	elements int
}

// start adds an element, or returns why it cannot be added.
func (t *xmlTree) start(name string, attrs []xml.Attr, line, col int) string {
	if t.elements++; t.elements > maxValues {
		return fmt.Sprintf("more than %d elements: parley reads at most that many in one file", maxValues)
	}
	if t.root != nil && len(t.stack) == 0 {
		return "malformed XML: more than one root element"
	}
	if len(t.stack) >= maxDepth {
		return fmt.Sprintf("malformed XML: elements nested deeper than %d", maxDepth)
	}
	e := &element{name: name, attrs: attrs, line: line, col: col}
	if len(t.stack) == 0 {
		t.root = e
	} else {
		top := len(t.stack) - 1
		p := t.stack[top]
		if t.counts[top] == nil {
			t.counts[top] = map[string]int{}
		}
		t.counts[top][name]++
		e.parent, e.nth = p, t.counts[top][name]
		p.children = append(p.children, e)
	}
	t.stack = append(t.stack, e)
	t.counts = append(t.counts, nil)
	return ""
}

// end closes the innermost open element.
func (t *xmlTree) end() {
	t.stack = t.stack[:len(t.stack)-1]
	t.counts = t.counts[:len(t.counts)-1]
}

// parseXML reads a whole XML document into a tree of elements. Character
// data is ignored: GENIUS keeps everything in attributes. A plain UTF-8
// document is read by a fast tokenizer (readXML); any other is read by
// encoding/xml, which also says what is wrong with a document.
func parseXML(file string, data []byte) (*element, error) {
	if root, ok := readXML(data); ok {
		return root, nil
	}
	return parseXMLStd(file, data)
}

// parseXMLStd reads a whole XML document with encoding/xml.
func parseXMLStd(file string, data []byte) (*element, error) {
	d := xml.NewDecoder(bytes.NewReader(data))
	d.Strict = true
	d.CharsetReader = charsetReader
	var t xmlTree
	for {
		line, col := d.InputPos()
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			var se *xml.SyntaxError
			if errors.As(err, &se) {
				return nil, &Error{File: file, Line: se.Line, Msg: "malformed XML: " + se.Msg}
			}
			if _, why, ok := strings.Cut(err.Error(), "xml: opening charset "); ok {
				// The declared encoding is one charsetReader refuses.
				_, why, _ = strings.Cut(why, ": ")
				return nil, &Error{File: file, Line: line, Col: col, Msg: why}
			}
			return nil, &Error{File: file, Line: line, Col: col, Msg: "malformed XML", Err: err}
		}
		switch tk := tok.(type) {
		case xml.StartElement:
			if msg := t.start(tk.Name.Local, tk.Attr, line, col); msg != "" {
				return nil, &Error{File: file, Line: line, Col: col, Msg: msg}
			}
		case xml.EndElement:
			t.end()
		}
	}
	if t.root == nil {
		return nil, &Error{File: file, Msg: "malformed XML: no root element"}
	}
	return t.root, nil
}

// attr returns the value of the attribute with the given local name.
func (e *element) attr(name string) (string, bool) {
	for _, a := range e.attrs {
		if a.Name.Local == name {
			return a.Value, true
		}
	}
	return "", false
}

// child returns the first child element with the given name.
func (e *element) child(name string) *element {
	for _, c := range e.children {
		if c.name == name {
			return c
		}
	}
	return nil
}

// childrenNamed returns the child elements with the given name.
func (e *element) childrenNamed(name string) []*element {
	var cs []*element
	for _, c := range e.children {
		if c.name == name {
			cs = append(cs, c)
		}
	}
	return cs
}

// errorf returns an Error pointing at the element.
func (e *element) errorf(file, format string, args ...any) *Error {
	return &Error{File: file, Line: e.line, Col: e.col, Path: scenario.Clip(e.label()), Msg: fmt.Sprintf(format, scenario.ClipArgs(args)...)}
}

// label is the element's path, with its name attribute when it has one.
func (e *element) label() string {
	if n, ok := e.attr("name"); ok {
		return fmt.Sprintf("%s (%s %q)", e.path(), e.name, n)
	}
	if v, ok := e.attr("value"); ok && e.name == "item" {
		return fmt.Sprintf("%s (%s %q)", e.path(), e.name, v)
	}
	return e.path()
}

// floatAttr parses a required finite number attribute.
func (e *element) floatAttr(file, name string) (float64, error) {
	s, ok := e.attr(name)
	if !ok {
		return 0, e.errorf(file, "missing attribute %q", name)
	}
	v, err := parseFloat(s)
	if err != nil {
		return 0, e.errorf(file, "attribute %s=%q: %v", name, s, err)
	}
	return v, nil
}

// optFloatAttr parses an optional finite number attribute.
func (e *element) optFloatAttr(file, name string) (float64, bool, error) {
	if _, ok := e.attr(name); !ok {
		return 0, false, nil
	}
	v, err := e.floatAttr(file, name)
	return v, err == nil, err
}

// intAttr parses a required integer attribute.
func (e *element) intAttr(file, name string) (int, error) {
	s, ok := e.attr(name)
	if !ok {
		return 0, e.errorf(file, "missing attribute %q", name)
	}
	v, err := strconv.Atoi(strings.TrimSpace(s))
	if err != nil {
		return 0, e.errorf(file, "attribute %s=%q is not an integer", name, s)
	}
	return v, nil
}

// parseFloat parses a finite number the way Java's Double.valueOf does for
// the numbers found in GENIUS files.
func parseFloat(s string) (float64, error) {
	v, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
	if err != nil {
		return 0, errors.New("not a number")
	}
	if v != v || v > 1e300 || v < -1e300 {
		return 0, errors.New("not a finite number")
	}
	return v, nil
}
