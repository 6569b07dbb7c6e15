package server

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strings"
	"unicode/utf8"

	"parley/internal/apperr"
)

// Request size limits.
const (
	maxJSONBody     = 1 << 20 // 1 MiB for ordinary requests
	maxScenarioBody = 16 << 20
)

// readBody reads a request body of one of the accepted media types, at
// most limit bytes, and checks that it is UTF-8.
func readBody(r *http.Request, limit int64, accept ...string) ([]byte, string, error) {
	const op = "request.read"
	ct := r.Header.Get("Content-Type")
	mt, params, err := mime.ParseMediaType(ct)
	if ct == "" || err != nil {
		return nil, "", apperr.E(op, apperr.Unsupported, "set Content-Type to one of %s", strings.Join(accept, ", "))
	}
	if cs, ok := params["charset"]; ok && !strings.EqualFold(cs, "utf-8") {
		return nil, "", apperr.E(op, apperr.Unsupported, "the body must be UTF-8, not %s", cs)
	}
	ok := false
	for _, a := range accept {
		ok = ok || mt == a
	}
	if !ok {
		return nil, "", apperr.E(op, apperr.Unsupported, "Content-Type %s is not accepted here; use %s", mt, strings.Join(accept, ", "))
	}
	data, err := io.ReadAll(io.LimitReader(r.Body, limit+1))
	if err != nil {
		return nil, "", apperr.Wrap(op, apperr.Invalid, err, "could not read the body")
	}
	if int64(len(data)) > limit {
		return nil, "", apperr.E(op, apperr.TooLarge, "the body is larger than %d bytes", limit)
	}
	if !utf8.Valid(data) {
		return nil, "", apperr.E(op, apperr.Invalid, "the body is not valid UTF-8")
	}
	return data, mt, nil
}

// decodeJSON reads a JSON request body into v strictly: the media type
// must be application/json, unknown fields, trailing data and bad UTF-8
// are refused, and errors name the field.
func decodeJSON(r *http.Request, v any) error {
	data, _, err := readBody(r, maxJSONBody, "application/json")
	if err != nil {
		return err
	}
	return unmarshalStrict(data, v)
}

// unmarshalStrict decodes one JSON value into v, refusing unknown fields
// and trailing data.
func unmarshalStrict(data []byte, v any) error {
	const op = "request.decode"
	if !utf8.Valid(data) {
		return apperr.E(op, apperr.Invalid, "the body is not valid UTF-8")
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return jsonProblem(err)
	}
	if dec.More() {
		return apperr.E(op, apperr.Invalid, "the body holds more than one JSON value")
	}
	if _, err := dec.Token(); err != io.EOF {
		return apperr.E(op, apperr.Invalid, "the body holds data after its JSON value")
	}
	return nil
}

func jsonProblem(err error) error {
	const op = "request.decode"
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.Is(err, io.EOF):
		return apperr.E(op, apperr.Invalid, "the body is empty")
	case errors.As(err, &syn):
		return apperr.E(op, apperr.Invalid, "malformed JSON at byte %d: %v", syn.Offset, syn)
	case errors.As(err, &typ):
		path := typ.Field
		if path == "" {
			path = "(root)"
		}
		return &apperr.Error{Op: op, Kind: apperr.Invalid, Msg: "a field has the wrong type",
			Fields: []apperr.Field{{Path: path, Detail: fmt.Sprintf("expected %v, got JSON %s", typ.Type, typ.Value)}}}
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		name := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
		return &apperr.Error{Op: op, Kind: apperr.Invalid, Msg: "unknown field",
			Fields: []apperr.Field{{Path: name, Detail: "no such field"}}}
	}
	return apperr.E(op, apperr.Invalid, "malformed JSON: %v", err)
}
