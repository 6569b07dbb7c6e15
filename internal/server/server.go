// Package server is parley's HTTP API: JSON over the standard library's
// router, errors as RFC 9457 problem details, authorization through
// package access, storage through package store.
package server

import (
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"time"

	"parley/internal/apperr"
	"parley/internal/jobs"
	"parley/internal/negotiation"
	"parley/internal/store"
)

// Config is what the server needs besides its store.
type Config struct {
	// Secure marks session cookies Secure (the server is behind TLS).
	Secure bool
	// SessionTTL is how long a sign-in lasts (default 12 hours).
	SessionTTL time.Duration
	// LoginRate is the sign-in attempts allowed per client address and per
	// account name in a minute (default 10).
	LoginRate int
	// AnalysisTimeout bounds one analysis (default 60 s).
	AnalysisTimeout time.Duration
	Log             *slog.Logger
}

// Server serves the API.
type Server struct {
	cfg     Config
	store   store.Store
	svc     *negotiation.Service
	log     *slog.Logger
	limiter *limiter
	metrics *metrics
	cache   *analysisCache
	views   *analysisCache // encoded negotiation views, by state and reader
	tokens  *tokenCache
	jobs    *jobs.Queue
	routes  []route
	mux     *http.ServeMux
	ui      http.Handler // the web UI, if mounted
}

// call is what a handler gets besides the request.
type call struct {
	acct *store.Account // nil when signed out
	tok  *store.Token
}

// route is one operation of the API. The table of routes is the source of
// the mux, of the OpenAPI description and of the authorization tests.
type route struct {
	method, path string
	summary      string
	public       bool   // no sign-in needed
	body         string // the request body's schema, "" for none
	h            func(w http.ResponseWriter, r *http.Request, c *call) error
}

// New returns a server over st.
func New(st store.Store, cfg Config) *Server {
	if cfg.SessionTTL == 0 {
		cfg.SessionTTL = 12 * time.Hour
	}
	if cfg.LoginRate == 0 {
		cfg.LoginRate = 10
	}
	if cfg.AnalysisTimeout == 0 {
		cfg.AnalysisTimeout = 60 * time.Second
	}
	if cfg.Log == nil {
		cfg.Log = slog.Default()
	}
	s := &Server{cfg: cfg, store: st, svc: negotiation.New(st), log: cfg.Log,
		limiter: newLimiter(cfg.LoginRate, time.Minute), metrics: newMetrics(), cache: newAnalysisCache(256), views: newAnalysisCache(1024), tokens: newTokenCache(tokenCacheTTL)}
	s.routes = s.table()
	s.mux = http.NewServeMux()
	for _, rt := range s.routes {
		s.mux.Handle(rt.method+" "+rt.path, s.wrap(rt))
	}
	return s
}

// SetJobs gives the server a job queue for background analyses.
func (s *Server) SetJobs(q *jobs.Queue) { s.jobs = q }

// Service returns the negotiation service (for the command's setup).
func (s *Server) Service() *negotiation.Service { return s.svc }

// ServeHTTP implements http.Handler.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.Header().Set("X-Frame-Options", "DENY")
	w.Header().Set("Referrer-Policy", "no-referrer")
	h, pattern := s.mux.Handler(r)
	if pattern == "" && s.ui != nil && !strings.HasPrefix(r.URL.Path, "/api/") {
		s.ui.ServeHTTP(w, r) // the web UI has every path outside the API
		return
	}
	if pattern == "" {
		// The router's own 404 or 405, as a problem.
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, r)
		if allow := rec.Header().Get("Allow"); allow != "" {
			w.Header().Set("Allow", allow)
		}
		if rec.Code == http.StatusMethodNotAllowed {
			s.writeProblem(w, r, apperr.E("route", apperr.NotAllowed, "method %s is not allowed here; allowed: %s", r.Method, rec.Header().Get("Allow")))
			return
		}
		s.writeProblem(w, r, apperr.E("route", apperr.NotFound, "no such resource: see /api/openapi.json"))
		return
	}
	s.mux.ServeHTTP(w, r) // sets the path values
}

// statusWriter remembers the status written.
type statusWriter struct {
	http.ResponseWriter
	code int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.code == 0 {
		w.code = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.code == 0 {
		w.code = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

// wrap adds authentication, CSRF checks, error handling, metrics and a
// log line (method, route, status, time; never bodies) to a route.
func (s *Server) wrap(rt route) http.Handler {
	name := rt.method + " " + rt.path
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		sw := &statusWriter{ResponseWriter: w}
		defer func() {
			if v := recover(); v != nil {
				s.log.Error("panic", "route", name, "panic", v)
				if sw.code == 0 {
					s.writeProblem(sw, r, apperr.E("route", apperr.Internal, "panic"))
				}
			}
			d := time.Since(start)
			s.metrics.observe(name, sw.code, d)
			s.log.Debug("request", "method", r.Method, "route", rt.path, "status", sw.code, "ms", float64(d.Microseconds())/1000)
		}()
		c, err := s.authenticate(r)
		if err == nil && c.acct == nil && !rt.public {
			err = apperr.E("auth", apperr.Unauthorized, "sign in first: POST /api/login, or send Authorization: Bearer TOKEN")
		}
		if err == nil && c.acct != nil && c.tok != nil && c.tok.Kind == store.TokenSession && unsafeMethod(r.Method) {
			err = checkCSRF(r, c.tok)
		}
		if err == nil {
			err = rt.h(sw, r, c)
		}
		if err != nil {
			s.writeProblem(sw, r, err)
		}
	})
}

func unsafeMethod(m string) bool {
	return m != http.MethodGet && m != http.MethodHead && m != http.MethodOptions
}

// etag formats a revision as a strong entity tag.
func etag(rev int64) string { return `"` + strconv.FormatInt(rev, 10) + `"` }

// ifMatch reads the If-Match header: 0 when absent or "*", else the
// revision it names.
func ifMatch(r *http.Request) (int64, error) {
	h := strings.TrimSpace(r.Header.Get("If-Match"))
	if h == "" || h == "*" {
		return 0, nil
	}
	h = strings.TrimPrefix(h, "W/")
	n, err := strconv.ParseInt(strings.Trim(h, `"`), 10, 64)
	if err != nil || n <= 0 {
		return 0, &apperr.Error{Op: "request.if-match", Kind: apperr.Invalid, Msg: "bad If-Match",
			Fields: []apperr.Field{{Path: "If-Match", Detail: `must be an ETag from a GET, such as "3"`}}}
	}
	return n, nil
}

// Shutdown is for symmetry with http.Server; the server holds no
// goroutines of its own.
func (s *Server) Shutdown(ctx context.Context) error { return nil }
