package scenario

import (
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
)

// Error is one problem in a scenario file.
type Error struct {
	File string
	// Line and Column locate the offending node, from 1; 0 when unknown.
	Line, Column int
	// Path is the element path of the offending node, for example
	// versions[0].blocks[1].points[3].id; empty for the whole document.
	Path string
	Msg  string
}

// Error returns "file:line:col: path: msg", leaving out the parts that are
// unknown.
func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.File)
	if e.Line > 0 {
		fmt.Fprintf(&b, ":%d", e.Line)
		if e.Column > 0 {
			fmt.Fprintf(&b, ":%d", e.Column)
		}
	}
	if b.Len() > 0 {
		b.WriteString(": ")
	}
	if e.Path != "" {
		b.WriteString(e.Path)
		b.WriteString(": ")
	}
	b.WriteString(e.Msg)
	return b.String()
}

// Errors is every problem found in a scenario, sorted by position. Load
// returns it for bad input; use errors.As to get at it.
type Errors []*Error

// MaxShown is how many errors Errors.Error lists before summing up the
// rest.
const MaxShown = 50

// MaxErrors is how many problems Load collects before it stops looking, so
// that a file of a million mistakes costs no more than one of fifty.
const MaxErrors = MaxShown

// Error lists the errors one per line, at most MaxShown of them.
func (es Errors) Error() string {
	var b strings.Builder
	for i, e := range es {
		if i == MaxShown {
			fmt.Fprintf(&b, "\nand %d more errors", len(es)-MaxShown)
			break
		}
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(e.Error())
	}
	return b.String()
}

// Unwrap returns the errors, for errors.Is and errors.As.
func (es Errors) Unwrap() []error {
	errs := make([]error, len(es))
	for i, e := range es {
		errs[i] = e
	}
	return errs
}

// sortErrors orders errors by file and position; errors at the same place
// keep the order they were found in.
func sortErrors(es Errors) {
	sort.SliceStable(es, func(i, j int) bool {
		a, b := es[i], es[j]
		if a.File != b.File {
			return a.File < b.File
		}
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		return a.Column < b.Column
	})
}

// path is the location of a node in the document: field names (string)
// and sequence indexes (int).
type path []any

// with returns a copy of p extended by elems, so that paths built from a
// common prefix never share an array.
func (p path) with(elems ...any) path {
	q := make(path, 0, len(p)+len(elems))
	q = append(q, p...)
	return append(q, elems...)
}

var plainField = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`) })

// String formats p as in versions[0].blocks[1].id; odd field names are
// quoted: parties[0]["a b"].
func (p path) String() string {
	var b strings.Builder
	for _, e := range p {
		switch e := e.(type) {
		case int:
			fmt.Fprintf(&b, "[%d]", e)
		case string:
			if !plainField().MatchString(e) {
				fmt.Fprintf(&b, "[%s]", strconv.Quote(e))
				continue
			}
			if b.Len() > 0 {
				b.WriteByte('.')
			}
			b.WriteString(e)
		}
	}
	return b.String()
}
