package scenario

import (
	"errors"
	"fmt"
	"strings"
	"testing"
)

func TestErrorString(t *testing.T) {
	tests := []struct {
		e    Error
		want string
	}{
		{Error{File: "f.yaml", Line: 3, Column: 7, Path: "parties[0].id", Msg: "bad"}, "f.yaml:3:7: parties[0].id: bad"},
		{Error{File: "f.yaml", Line: 3, Msg: "syntax error: x"}, "f.yaml:3: syntax error: x"},
		{Error{File: "f.yaml", Msg: "the file is empty"}, "f.yaml: the file is empty"},
		{Error{Path: "versions[0].parent", Msg: "unknown"}, "versions[0].parent: unknown"},
		{Error{Line: 2, Column: 1, Msg: "m"}, ":2:1: m"},
		{Error{Msg: "m"}, "m"},
	}
	for _, tt := range tests {
		if got := tt.e.Error(); got != tt.want {
			t.Errorf("%+v: Error() = %q, want %q", tt.e, got, tt.want)
		}
	}
}

func TestErrorsCapped(t *testing.T) {
	var es Errors
	for i := range MaxShown + 3 {
		es = append(es, &Error{File: "f", Line: i + 1, Msg: "m"})
	}
	lines := strings.Split(es.Error(), "\n")
	if len(lines) != MaxShown+1 {
		t.Fatalf("%d lines, want %d", len(lines), MaxShown+1)
	}
	if got, want := lines[MaxShown], "and 3 more errors"; got != want {
		t.Errorf("last line %q, want %q", got, want)
	}
	if got, want := Errors(es[:2]).Error(), "f:1: m\nf:2: m"; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
}

func TestErrorsAs(t *testing.T) {
	var err error = fmt.Errorf("reading: %w", Errors{{File: "f", Line: 1, Msg: "m"}})
	var es Errors
	if !errors.As(err, &es) || len(es) != 1 {
		t.Fatalf("errors.As(%v, *Errors) failed", err)
	}
	var e *Error
	if !errors.As(err, &e) || e.Msg != "m" {
		t.Errorf("errors.As(%v, **Error) failed", err)
	}
}

func TestSortErrors(t *testing.T) {
	es := Errors{
		{File: "b", Line: 1, Column: 1, Msg: "1"},
		{File: "a", Line: 9, Column: 1, Msg: "2"},
		{File: "a", Line: 2, Column: 5, Msg: "3"},
		{File: "a", Line: 2, Column: 3, Msg: "4"},
		{File: "a", Line: 2, Column: 3, Msg: "5"},
	}
	sortErrors(es)
	var got string
	for _, e := range es {
		got += e.Msg
	}
	if want := "45321"; got != want {
		t.Errorf("sorted order %s, want %s", got, want)
	}
}

func TestPathString(t *testing.T) {
	tests := []struct {
		p    path
		want string
	}{
		{nil, ""},
		{path{"parties"}, "parties"},
		{path{"versions", 0, "blocks", 1, "points", 3, "id"}, "versions[0].blocks[1].points[3].id"},
		{path{"parties", 0, "a b"}, `parties[0]["a b"]`},
		{path{"x-y"}, `["x-y"]`},
		{path{2}, "[2]"},
	}
	for _, tt := range tests {
		if got := tt.p.String(); got != tt.want {
			t.Errorf("%#v.String() = %q, want %q", tt.p, got, tt.want)
		}
	}
}
