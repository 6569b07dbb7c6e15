package web_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"parley/examples"
	"parley/internal/jobs"
	"parley/internal/server"
	"parley/internal/store"
	"parley/internal/store/sqlite"
	"parley/internal/web"
	"parley/scenario"
)

const nid = "ukraine-2025"

// fixture is parley serve in a test: the default scenario with a
// mediator, a delegate for each party and an observer, the API and the
// web UI on one loopback server.
type fixture struct {
	ts    *httptest.Server
	srv   *server.Server
	st    store.Store
	accts map[string]*store.Account
}

// members are the accounts: name, role, party.
var members = [][3]string{
	{"mediator", "mediator", ""},
	{"ukraine", "party", "ua"},
	{"russia", "party", "ru"},
	{"europe", "party", "e3"},
	{"observer", "observer", ""},
}

func newFixture(t testing.TB) *fixture { return newFixtureQueue(t, false) }

// newFixtureQueue is newFixture, with the server's job queue in the same
// database when queue is set (as parley serve runs).
func newFixtureQueue(t testing.TB, queue bool) *fixture {
	t.Helper()
	ctx := context.Background()
	file := filepath.Join(t.TempDir(), "parley.db")
	st, err := sqlite.Open(ctx, file)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	srv := server.New(st, server.Config{Log: log})
	if queue {
		q, err := jobs.OpenSQLite(ctx, file, srv.Work(), jobs.Options{Log: log})
		if err != nil {
			t.Fatal(err)
		}
		if err := q.Start(ctx); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() {
			sctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			q.Stop(sctx)
		})
		srv.SetJobs(q)
	}
	srv.Mount(web.New(srv, web.Config{Log: log, StatusOf: server.StatusOf}))
	f := &fixture{srv: srv, st: st, accts: map[string]*store.Account{}}
	for _, m := range members {
		a := &store.Account{ID: "acct-" + m[0], Name: m[0]}
		if err := st.CreateAccount(ctx, a); err != nil {
			t.Fatal(err)
		}
		f.accts[m[0]] = a
	}
	sc, err := scenario.Load(examples.DefaultName, examples.Default)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := srv.Service().Create(ctx, f.accts["mediator"], sc); err != nil {
		t.Fatal(err)
	}
	for _, m := range members[1:] {
		if err := srv.Service().AddMember(ctx, f.accts["mediator"], nid, store.Member{Account: f.accts[m[0]].ID, Role: m[1], Party: m[2]}); err != nil {
			t.Fatal(err)
		}
	}
	f.ts = httptest.NewServer(srv)
	t.Cleanup(f.ts.Close)
	return f
}

// code issues a one-time sign-in code for an account.
func (f *fixture) code(t testing.TB, name string) string {
	t.Helper()
	c, _, err := server.IssueToken(context.Background(), f.st, f.accts[name], store.TokenSignIn, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// session signs an account in as a browser would: its cookie and CSRF
// token.
func (f *fixture) session(t testing.TB, name string) (*http.Cookie, string) {
	t.Helper()
	secret, csrf, err := server.IssueToken(context.Background(), f.st, f.accts[name], store.TokenSession, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	return &http.Cookie{Name: "parley_session", Value: secret}, csrf
}

// get fetches a page as an account.
func (f *fixture) get(t testing.TB, name, path string) (int, string) {
	t.Helper()
	c, _ := f.session(t, name)
	req, _ := http.NewRequest("GET", f.ts.URL+path, nil)
	req.AddCookie(c)
	code, _, body := send(t, req)
	return code, body
}

// send sends req without following a redirect and returns the status,
// the redirect's target and the body.
func send(t testing.TB, req *http.Request) (int, string, string) {
	t.Helper()
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header.Get("Location"), string(b)
}

// post sends a form as an account, with its session's CSRF token, and
// returns the status, the redirect's target and the body.
func (f *fixture) post(t testing.TB, name, path string, form url.Values) (int, string, string) {
	t.Helper()
	c, csrf := f.session(t, name)
	form.Set("csrf", csrf)
	req, _ := http.NewRequest("POST", f.ts.URL+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.AddCookie(c)
	return send(t, req)
}
