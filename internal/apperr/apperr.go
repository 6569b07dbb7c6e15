// Package apperr defines the application errors of parley's server side:
// every error a caller may react to carries a Kind, and the kinds are
// mapped to HTTP statuses in one place (package server) and to exit
// statuses in one place (the command).
package apperr

import (
	"errors"
	"fmt"
	"strings"
)

// Kind is the class of an application error.
type Kind int

// The kinds of error. Internal is the zero value's meaning for errors that
// carry no kind.
const (
	Internal     Kind = iota // a fault of the server, not of the request
	Invalid                  // the request is malformed or breaks a rule of the model
	NotFound                 // no such thing, or the caller may not know it exists
	Conflict                 // the thing exists already, or its state forbids the change
	Forbidden                // the caller is known but may not do this
	Unauthorized             // the caller is not signed in
	Stale                    // the caller's copy is out of date (If-Match failed)
	TooLarge                 // the request body is too large
	Unsupported              // the request's content type is not accepted
	TooMany                  // too many attempts; try later
	NotAllowed               // the method is not allowed on the resource
)

var kindNames = [...]string{"internal", "invalid", "not_found", "conflict", "forbidden", "unauthorized", "stale", "too_large", "unsupported", "too_many", "not_allowed"}

// String returns the kind's name, as used in problem types.
func (k Kind) String() string {
	if k < 0 || int(k) >= len(kindNames) {
		return "internal"
	}
	return kindNames[k]
}

// Field is a problem with one field of a request, named by its path (for
// example "points[2].weight").
type Field struct {
	Path   string `json:"path"`
	Detail string `json:"detail"`
}

// Error is an application error.
type Error struct {
	Op     string // the operation, for example "position.put"
	Kind   Kind
	Msg    string  // for the client: never holds private content
	Fields []Field // problems with single fields, if any
	Err    error   // the cause, for logs only
}

// E returns an error of the given kind with a formatted message.
func E(op string, k Kind, format string, args ...any) *Error {
	return &Error{Op: op, Kind: k, Msg: fmt.Sprintf(format, args...)}
}

// Wrap returns an error of kind k with message msg caused by err.
func Wrap(op string, k Kind, err error, msg string) *Error {
	return &Error{Op: op, Kind: k, Msg: msg, Err: err}
}

func (e *Error) Error() string {
	var b strings.Builder
	if e.Op != "" {
		b.WriteString(e.Op)
		b.WriteString(": ")
	}
	b.WriteString(e.Msg)
	for _, f := range e.Fields {
		fmt.Fprintf(&b, "; %s: %s", f.Path, f.Detail)
	}
	if e.Err != nil {
		fmt.Fprintf(&b, ": %v", e.Err)
	}
	return b.String()
}

func (e *Error) Unwrap() error { return e.Err }

// KindOf returns the kind of the first *Error in err's chain, or Internal.
func KindOf(err error) Kind {
	var e *Error
	if errors.As(err, &e) {
		return e.Kind
	}
	return Internal
}

// Is reports whether err is an application error of kind k.
func Is(err error, k Kind) bool { return err != nil && KindOf(err) == k }
