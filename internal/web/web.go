// Package web is parley's user interface in the browser: server-rendered
// pages for the mediator's desk, the living text, a party's workspace and
// simulations, with their styles and a little script embedded in the
// binary (no CDN, no network: it works air-gapped).
//
// Pages read a negotiation through package negotiation and show only what
// package access lets the signed-in reader see: the scenario of a page is
// always the negotiation's State.Scenario for that reader, and every
// action goes through the negotiation service, which asks access again.
package web

import (
	"crypto/subtle"
	"embed"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"net/url"
	"strings"

	"parley/internal/access"
	"parley/internal/apperr"
	"parley/internal/negotiation"
	"parley/internal/store"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

// Server is what the UI needs of the API server: the negotiation service,
// who is signed in, and how errors map to HTTP statuses.
type Server interface {
	Service() *negotiation.Service
	Caller(r *http.Request) (*store.Account, string, error)
}

// Config configures the UI.
type Config struct {
	Log *slog.Logger
	// StatusOf maps an error to its HTTP status (the API's one mapping).
	StatusOf func(error) int
}

// UI serves the pages.
type UI struct {
	srv      Server
	svc      *negotiation.Service
	cfg      Config
	mux      *http.ServeMux
	pages    map[string]*template.Template
	analyses *analysisCache
	jobs     *localJobs
}

// New returns the UI over srv.
func New(srv Server, cfg Config) *UI {
	if cfg.Log == nil {
		cfg.Log = slog.Default()
	}
	if cfg.StatusOf == nil {
		cfg.StatusOf = func(error) int { return http.StatusInternalServerError }
	}
	u := &UI{srv: srv, svc: srv.Service(), cfg: cfg, mux: http.NewServeMux(),
		analyses: newAnalysisCache(64), jobs: newJobs()}
	u.pages = parsePages()
	static, _ := fs.Sub(staticFS, "static")
	files := http.FileServerFS(static)
	u.mux.Handle("GET /static/", http.StripPrefix("/static/", cacheFor(files)))
	u.mux.HandleFunc("GET /{$}", u.page(u.home, false))
	u.mux.HandleFunc("GET /signin", u.signIn)
	u.mux.HandleFunc("GET /n/{n}", u.page(u.negotiationHome, false))
	u.mux.HandleFunc("GET /n/{n}/desk", u.page(u.desk, false))
	u.mux.HandleFunc("GET /n/{n}/text", u.page(u.text, false))
	u.mux.HandleFunc("GET /n/{n}/compare", u.page(u.compare, false))
	u.mux.HandleFunc("GET /n/{n}/workspace", u.page(u.workspace, false))
	u.mux.HandleFunc("GET /n/{n}/simulate", u.page(u.simulatePage, false))
	u.mux.HandleFunc("GET /n/{n}/simulate/{job}", u.page(u.simulateJob, false))
	u.mux.HandleFunc("POST /n/{n}/simulate", u.page(u.simulateStart, true))
	u.mux.HandleFunc("POST /n/{n}/share", u.page(u.share, true))
	u.mux.HandleFunc("POST /n/{n}/publish", u.page(u.publish, true))
	u.mux.HandleFunc("POST /n/{n}/draft", u.page(u.newDraft, true))
	u.mux.HandleFunc("POST /n/{n}/status", u.page(u.setStatus, true))
	u.mux.HandleFunc("POST /n/{n}/amendments", u.page(u.propose, true))
	u.mux.HandleFunc("POST /n/{n}/amendments/{a}", u.page(u.decide, true))
	u.mux.HandleFunc("POST /n/{n}/comments", u.page(u.comment, true))
	u.mux.HandleFunc("POST /n/{n}/positions", u.page(u.savePosition, true))
	u.mux.HandleFunc("POST /n/{n}/reservation", u.page(u.saveReservation, true))
	u.mux.HandleFunc("POST /n/{n}/votes", u.page(u.callVote, true))
	u.mux.HandleFunc("POST /n/{n}/timeline", u.page(u.addEvent, true))
	u.mux.HandleFunc("POST /n/{n}/votes/{v}", u.page(u.ballot, true))
	u.mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		u.fail(w, r, nil, apperr.E("web", apperr.NotFound, "no such page"))
	})
	return u
}

func (u *UI) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	// Same-origin, not no-referrer: a browser then sends the page's Origin
	// with its forms and fetches, which the CSRF checks compare.
	h.Set("Referrer-Policy", "same-origin")
	h.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'; form-action 'self'")
	u.mux.ServeHTTP(w, r)
}

func cacheFor(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "public, max-age=3600")
		h.ServeHTTP(w, r)
	})
}

// req is one page request: who asks, and in which negotiation.
type req struct {
	w    http.ResponseWriter
	r    *http.Request
	acct *store.Account
	csrf string
	// st and rd are set for a page of a negotiation.
	st *negotiation.State
	rd access.Reader
}

// page wraps a handler: sign-in, the negotiation and its reader, the CSRF
// check of a form post, and errors as pages.
func (u *UI) page(h func(q *req) error, post bool) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		acct, csrf, err := u.srv.Caller(r)
		if err == nil && acct == nil {
			err = apperr.E("web", apperr.Unauthorized, "sign in first")
		}
		if err != nil {
			if apperr.Is(err, apperr.Unauthorized) && r.Method == http.MethodGet {
				http.Redirect(w, r, "/signin?next="+url.QueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
				return
			}
			u.fail(w, r, nil, err)
			return
		}
		q := &req{w: w, r: r, acct: acct, csrf: csrf}
		if post {
			if err := checkForm(r, csrf); err != nil {
				u.fail(w, r, q, err)
				return
			}
		}
		if id := r.PathValue("n"); id != "" {
			q.st, q.rd, err = u.svc.Open(r.Context(), acct, id)
			if err != nil {
				u.fail(w, r, q, err)
				return
			}
		}
		if err := h(q); err != nil {
			u.fail(w, r, q, err)
		}
	}
}

// checkForm guards a form post: same origin, and the session's CSRF token
// in the form field "csrf".
func checkForm(r *http.Request, csrf string) error {
	if o := r.Header.Get("Origin"); o != "" {
		ou, err := url.Parse(o)
		if err != nil || ou.Host != r.Host {
			return apperr.E("csrf", apperr.Forbidden, "cross-origin form refused")
		}
	}
	r.Body = http.MaxBytesReader(nil, r.Body, 1<<20)
	if err := r.ParseForm(); err != nil {
		return apperr.E("form", apperr.Invalid, "unreadable form: %v", err)
	}
	got := r.PostForm.Get("csrf")
	if csrf == "" || subtle.ConstantTimeCompare([]byte(got), []byte(csrf)) != 1 {
		return apperr.E("csrf", apperr.Forbidden, "the form is stale or not from this site: reload the page and try again")
	}
	return nil
}

// fail shows an error as a page with the status of its kind.
func (u *UI) fail(w http.ResponseWriter, r *http.Request, q *req, err error) {
	status := u.cfg.StatusOf(err)
	msg := err.Error()
	var fields []string
	var ae *apperr.Error
	if errors.As(err, &ae) {
		if ae.Kind == apperr.Internal || status >= 500 {
			u.cfg.Log.Error("web page", "path", r.URL.Path, "err", err)
			msg = "something went wrong on the server; the log says what"
		} else {
			msg = sentence(ae.Msg)
			for _, f := range ae.Fields {
				fields = append(fields, fmt.Sprintf("%s: %s", f.Path, f.Detail))
			}
		}
	} else if status >= 500 {
		u.cfg.Log.Error("web page", "path", r.URL.Path, "err", err)
		msg = "something went wrong on the server; the log says what"
	}
	d := map[string]any{"Status": status, "StatusText": errorHeading(status), "Message": msg, "Fields": fields}
	d["Back"], d["BackLabel"] = backLink(r, q)
	u.render(w, q, status, "error", "Error", d)
}

// layout is what every page's frame shows.
type layout struct {
	Title    string
	Account  string
	CSRF     string
	N        string // the negotiation's id
	NTitle   string
	Role     string
	Party    string
	Nav      []navItem
	Data     any
	Fragment bool
}

type navItem struct {
	Href, Label string
	Current     bool
}

// render writes page name with data inside the frame.
func (u *UI) render(w http.ResponseWriter, q *req, status int, name, title string, data any) {
	l := layout{Title: title, Data: data}
	if q != nil && q.acct != nil {
		l.Account, l.CSRF = q.acct.Name, q.csrf
		if q.st != nil {
			l.N, l.NTitle, l.Role, l.Party = q.st.ID, q.st.Title, string(q.rd.Role), q.rd.Party
			l.Nav = navFor(q, name)
		}
	}
	t, ok := u.pages[name]
	if !ok {
		http.Error(w, "no template "+name, http.StatusInternalServerError)
		return
	}
	var b strings.Builder
	if err := t.ExecuteTemplate(&b, "layout", l); err != nil {
		u.cfg.Log.Error("template", "page", name, "err", err)
		http.Error(w, "the page could not be drawn", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "private, no-cache")
	w.WriteHeader(status)
	w.Write([]byte(b.String()))
}

// fragment writes one named block of a page alone: a part of the page
// that a script replaces in place.
func (u *UI) fragment(w http.ResponseWriter, q *req, page, block string, data any) error {
	var b strings.Builder
	if err := u.pages[page].ExecuteTemplate(&b, block, layout{Data: data, CSRF: q.csrf, N: q.st.ID, Role: string(q.rd.Role), Party: q.rd.Party}); err != nil {
		return apperr.Wrap("web.fragment", apperr.Internal, err, "the page could not be drawn")
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "private, no-cache")
	w.Write([]byte(b.String()))
	return nil
}

func navFor(q *req, current string) []navItem {
	n := "/n/" + url.PathEscape(q.st.ID)
	var items []navItem
	add := func(href, label, name string) {
		items = append(items, navItem{href, label, name == current})
	}
	if access.Can(q.rd, access.Analyze, access.Resource{}) {
		label := "Analysis"
		if q.rd.Role == access.Mediator {
			label = "Mediator's desk"
		}
		add(n+"/desk", label, "desk")
	}
	add(n+"/text", "Living text", "text")
	add(n+"/compare", "Compare", "compare")
	if q.rd.Role == access.Party {
		add(n+"/workspace", "My workspace", "workspace")
	}
	add(n+"/simulate", "Simulation", "simulate")
	return items
}

// back redirects to where a form came from, with a notice.
func back(q *req, path, notice string) error {
	target, frag, _ := strings.Cut(path, "#")
	if notice != "" {
		sep := "?"
		if strings.Contains(target, "?") {
			sep = "&"
		}
		target += sep + "notice=" + url.QueryEscape(notice)
	}
	if frag != "" {
		target += "#" + frag
	}
	http.Redirect(q.w, q.r, target, http.StatusSeeOther)
	return nil
}

func (q *req) base() string { return "/n/" + url.PathEscape(q.st.ID) }

func (u *UI) home(q *req) error {
	ns, err := u.svc.Store.Negotiations(q.r.Context(), q.acct.ID)
	if err != nil {
		return err
	}
	if len(ns) == 1 {
		http.Redirect(q.w, q.r, "/n/"+url.PathEscape(ns[0].ID), http.StatusSeeOther)
		return nil
	}
	u.render(q.w, q, http.StatusOK, "home", "Your negotiations", ns)
	return nil
}

// negotiationHome opens the page of the reader's role.
func (u *UI) negotiationHome(q *req) error {
	switch q.rd.Role {
	case access.Mediator:
		http.Redirect(q.w, q.r, q.base()+"/desk", http.StatusSeeOther)
	case access.Party:
		http.Redirect(q.w, q.r, q.base()+"/workspace", http.StatusSeeOther)
	default:
		http.Redirect(q.w, q.r, q.base()+"/text", http.StatusSeeOther)
	}
	return nil
}

func (u *UI) signIn(w http.ResponseWriter, r *http.Request) {
	next := localPath(r.URL.Query().Get("next"))
	acct, csrf, _ := u.srv.Caller(r)
	q := &req{w: w, r: r, acct: acct, csrf: csrf}
	u.render(w, q, http.StatusOK, "signin", "Sign in", map[string]any{"Next": next, "Signed": acct != nil})
}
