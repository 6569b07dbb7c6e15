package server

import (
	"net/http"

	"parley/internal/apperr"
	"parley/internal/jobs"
	"parley/internal/store"
)

// Mount serves h for every path the API does not route: the web UI.
// Call it before serving.
func (s *Server) Mount(h http.Handler) { s.ui = h }

// Caller returns the account signed in to a browser request and its
// session's CSRF token ("" for an API token); a nil account when signed
// out. Web pages use it so that a page and the API know one sign-in.
func (s *Server) Caller(r *http.Request) (*store.Account, string, error) {
	c, err := s.authenticate(r)
	if err != nil || c.acct == nil {
		return nil, "", err
	}
	csrf := ""
	if c.tok != nil && c.tok.Kind == store.TokenSession {
		csrf = c.tok.CSRF
	}
	return c.acct, csrf, nil
}

// StatusOf is the HTTP status of an error: the one mapping of error
// kinds to statuses, for the web UI's pages too.
func StatusOf(err error) int { return statusOf(apperr.KindOf(err)) }

// Jobs returns the server's job queue, nil when it runs none.
func (s *Server) Jobs() *jobs.Queue { return s.jobs }
