package server

import (
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"

	"parley/internal/apperr"
)

// Problem is an RFC 9457 problem details object.
type Problem struct {
	Type     string         `json:"type"`
	Title    string         `json:"title"`
	Status   int            `json:"status"`
	Detail   string         `json:"detail,omitempty"`
	Instance string         `json:"instance,omitempty"`
	Errors   []apperr.Field `json:"errors,omitempty"`
}

// statusOf maps an error kind to its HTTP status: the one place where this
// is decided.
func statusOf(k apperr.Kind) int {
	switch k {
	case apperr.Invalid:
		return http.StatusUnprocessableEntity
	case apperr.NotFound:
		return http.StatusNotFound
	case apperr.Conflict:
		return http.StatusConflict
	case apperr.Forbidden:
		return http.StatusForbidden
	case apperr.Unauthorized:
		return http.StatusUnauthorized
	case apperr.Stale:
		return http.StatusPreconditionFailed
	case apperr.TooLarge:
		return http.StatusRequestEntityTooLarge
	case apperr.Unsupported:
		return http.StatusUnsupportedMediaType
	case apperr.NotAllowed:
		return http.StatusMethodNotAllowed
	case apperr.TooMany:
		return http.StatusTooManyRequests
	}
	return http.StatusInternalServerError
}

// writeProblem writes err as application/problem+json. An internal error
// is logged with its cause and shown to the client without it.
func (s *Server) writeProblem(w http.ResponseWriter, r *http.Request, err error) {
	k := apperr.KindOf(err)
	p := Problem{Type: "https://parley.invalid/problems/" + k.String(), Status: statusOf(k), Instance: r.URL.Path}
	p.Title = http.StatusText(p.Status)
	var ae *apperr.Error
	if errors.As(err, &ae) {
		p.Detail, p.Errors = ae.Msg, ae.Fields
	}
	if k == apperr.Internal {
		s.log.Error("internal error", "method", r.Method, "path", r.URL.Path, "err", err)
		p.Detail = "the server failed; the error is in its log"
	}
	if k == apperr.Unauthorized {
		w.Header().Set("WWW-Authenticate", `Bearer realm="parley"`)
	}
	w.Header().Set("Content-Type", "application/problem+json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(p.Status)
	json.NewEncoder(w).Encode(p)
}

// writeJSON writes v as JSON with status code.
func writeJSON(w http.ResponseWriter, code int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		slog.Error("encode response", "err", err)
		http.Error(w, `{"title":"Internal Server Error"}`, http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "private, no-cache")
	w.WriteHeader(code)
	w.Write(b)
	w.Write([]byte("\n"))
}
