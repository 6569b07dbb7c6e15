package genius

import (
	"fmt"
	"strings"
)

// Error is bad input in a GENIUS or GeniusWeb file. It names the file and,
// where known, the line and column, and the XML element or JSON path.
type Error struct {
	File string
	// Line and Col are 1-based; 0 when unknown.
	Line, Col int
	// Path is the XML element path (/utility_space/objective/issue[2]) or
	// the JSON path ($.issuesValues.price) of the offending element.
	Path string
	Msg  string
	Err  error
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.File)
	if e.Line > 0 {
		fmt.Fprintf(&b, ":%d:%d", e.Line, e.Col)
	}
	if e.Path != "" {
		b.WriteString(": ")
		b.WriteString(e.Path)
	}
	if e.Msg != "" {
		b.WriteString(": ")
		b.WriteString(e.Msg)
	}
	if e.Err != nil {
		b.WriteString(": ")
		b.WriteString(e.Err.Error())
	}
	return b.String()
}

func (e *Error) Unwrap() error { return e.Err }
