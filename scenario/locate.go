package scenario

import "fmt"

// ErrorAt returns an Error at the element of the scenario file data (named
// name in the error) that elems leads to: field names and sequence
// indexes, as in ErrorAt(name, data, "no stance", "positions", 1,
// "points", 0). Checks made after loading, such as those of the analysis
// of one version, use it to point at the file. The deepest element that
// exists gives the line and column.
func ErrorAt(name string, data []byte, msg string, elems ...any) *Error {
	p := path(elems)
	e := &Error{File: name, Path: p.String(), Msg: msg}
	l := &loader{file: name}
	if root := l.parse(data); root != nil {
		if _, n, _ := locate(root, p); n != nil {
			e.Line, e.Column = n.Line, n.Column
		}
	}
	return e
}

// PathError is a problem found after loading, at an element of the
// scenario given by field names and sequence indexes.
type PathError struct {
	Path []any
	Msg  string
}

func (e *PathError) Error() string { return fmt.Sprintf("%s: %s", path(e.Path), e.Msg) }
