package genius

import (
	"bytes"
	"encoding/xml"
	"slices"
	"strings"
	"unicode/utf8"
)

// readXML builds the element tree of a plain XML document, several times
// faster than encoding/xml: UTF-8 text (declared as such or not) made of
// elements with attributes, comments and character data without
// references. It reports false for anything else, and for anything
// encoding/xml might read differently or refuse (references, CDATA, a
// DOCTYPE, processing instructions, namespace prefixes, non-ASCII names,
// control characters, mismatched tags): parseXMLStd then reads the
// document, or says what is wrong with it. Positions are counted as
// encoding/xml counts them: lines by '\n', columns in bytes.
func readXML(data []byte) (*element, bool) {
	if !utf8.Valid(data) || bytes.Contains(data, []byte("\uFFFE")) || bytes.Contains(data, []byte("\uFFFF")) {
		return nil, false
	}
	for _, c := range data {
		if c < 0x20 && c != '\t' && c != '\n' && c != '\r' {
			return nil, false
		}
	}
	x := &xmlReader{data: data, line: 1}
	if bytes.HasPrefix(data, []byte("<?xml")) && !x.declaration() {
		return nil, false
	}
	for x.i < len(data) {
		j := bytes.IndexByte(data[x.i:], '<')
		if j < 0 {
			j = len(data) - x.i
		}
		if text := data[x.i : x.i+j]; bytes.IndexByte(text, '&') >= 0 || bytes.Contains(text, []byte("]]>")) {
			return nil, false
		}
		x.i += j
		if x.i == len(data) {
			break
		}
		var ok bool
		switch rest := data[x.i:]; {
		case bytes.HasPrefix(rest, []byte("<!--")):
			ok = x.comment()
		case bytes.HasPrefix(rest, []byte("</")):
			ok = x.endTag()
		case bytes.HasPrefix(rest, []byte("<!")), bytes.HasPrefix(rest, []byte("<?")):
			ok = false
		default:
			ok = x.startTag()
		}
		if !ok {
			return nil, false
		}
	}
	if x.tree.root == nil || len(x.tree.stack) > 0 {
		return nil, false
	}
	return x.tree.root, true
}

type xmlReader struct {
	data []byte
	i    int // the next byte to read
	tree xmlTree
	// line is the line of offset at, whose line starts at lineStart.
	line, at, lineStart int
	names               map[string]string // the element and attribute names read
	attrs               []xml.Attr        // room for the attributes of an element
}

// pos returns the line and column of offset i, which never goes back.
func (x *xmlReader) pos(i int) (int, int) {
	seg := x.data[x.at:i]
	if n := bytes.Count(seg, []byte("\n")); n > 0 {
		x.line += n
		x.lineStart = x.at + bytes.LastIndexByte(seg, '\n') + 1
	}
	x.at = i
	return x.line, i - x.lineStart + 1
}

// declaration reads <?xml ...?> at the start, accepting only version 1.0
// and the encoding UTF-8, as encoding/xml does without a charset reader.
func (x *xmlReader) declaration() bool {
	end := bytes.Index(x.data, []byte("?>"))
	if end < 0 {
		return false
	}
	content := string(x.data[len("<?xml"):end])
	if content != "" && !isXMLSpace(content[0]) {
		return false
	}
	// What remains must be pseudo-attributes: name="value" or name='value'.
	rest := strings.TrimSpace(content)
	for rest != "" {
		name, after, ok := strings.Cut(rest, "=")
		if !ok || len(after) < 2 || (after[0] != '"' && after[0] != '\'') {
			return false
		}
		value, tail, ok := strings.Cut(after[1:], after[:1])
		if !ok || tail != "" && !isXMLSpace(tail[0]) {
			return false
		}
		switch strings.TrimSpace(name) {
		case "version":
			ok = value == "1.0"
		case "encoding":
			ok = strings.EqualFold(value, "utf-8")
		case "standalone":
			ok = value == "yes" || value == "no"
		default:
			ok = false
		}
		if !ok {
			return false
		}
		rest = strings.TrimLeft(tail, " \t\r\n")
	}
	x.i = end + len("?>")
	return true
}

func (x *xmlReader) comment() bool {
	body := x.data[x.i+len("<!--"):]
	end := bytes.Index(body, []byte("-->"))
	if end < 0 || bytes.Contains(body[:end], []byte("--")) || bytes.HasSuffix(body[:end], []byte("-")) {
		return false
	}
	x.i += len("<!--") + end + len("-->")
	return true
}

// name reads an ASCII XML name without a namespace prefix.
func (x *xmlReader) name() (string, bool) {
	start := x.i
	for x.i < len(x.data) {
		c := x.data[x.i]
		if 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || c == '_' || x.i > start && ('0' <= c && c <= '9' || c == '.' || c == '-') {
			x.i++
			continue
		}
		break
	}
	if x.i == start {
		return "", false
	}
	b := x.data[start:x.i]
	if s, ok := x.names[string(b)]; ok {
		return s, true
	}
	s := string(b)
	if len(x.names) < 1000 { // a file uses a few names, again and again
		if x.names == nil {
			x.names = map[string]string{}
		}
		x.names[s] = s
	}
	return s, true
}

// space skips white space and reports whether there was any.
func (x *xmlReader) space() bool {
	start := x.i
	for x.i < len(x.data) && isXMLSpace(x.data[x.i]) {
		x.i++
	}
	return x.i > start
}

func isXMLSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r'
}

func (x *xmlReader) startTag() bool {
	line, col := x.pos(x.i)
	x.i++ // '<'
	name, ok := x.name()
	if !ok {
		return false
	}
	attrs := x.attrs[:0] // copied out at the end, in one allocation of the right size
	done := func() []xml.Attr {
		x.attrs = attrs
		if len(attrs) == 0 {
			return nil
		}
		return slices.Clone(attrs)
	}
	for {
		spaced := x.space()
		if x.i >= len(x.data) {
			return false
		}
		switch x.data[x.i] {
		case '>':
			x.i++
			return x.tree.start(name, done(), line, col) == ""
		case '/':
			if x.i+1 >= len(x.data) || x.data[x.i+1] != '>' {
				return false
			}
			x.i += 2
			if x.tree.start(name, done(), line, col) != "" {
				return false
			}
			x.tree.end()
			return true
		}
		if !spaced {
			return false
		}
		attr, ok := x.name()
		if !ok || attr == "xmlns" {
			return false
		}
		x.space()
		if x.i >= len(x.data) || x.data[x.i] != '=' {
			return false
		}
		x.i++
		x.space()
		if x.i >= len(x.data) || x.data[x.i] != '"' && x.data[x.i] != '\'' {
			return false
		}
		q := x.data[x.i]
		x.i++
		end := bytes.IndexByte(x.data[x.i:], q)
		if end < 0 {
			return false
		}
		value := x.data[x.i : x.i+end]
		if bytes.ContainsAny(value, "<&\r") {
			return false
		}
		attrs = append(attrs, xml.Attr{Name: xml.Name{Local: attr}, Value: string(value)})
		x.i += end + 1
	}
}

func (x *xmlReader) endTag() bool {
	x.i += len("</")
	name, ok := x.name()
	if !ok {
		return false
	}
	x.space()
	if x.i >= len(x.data) || x.data[x.i] != '>' {
		return false
	}
	x.i++
	st := x.tree.stack
	if len(st) == 0 || st[len(st)-1].name != name {
		return false
	}
	x.tree.end()
	return true
}
