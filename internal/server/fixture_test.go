package server

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"parley/examples"
	"parley/internal/negotiation"
	"parley/internal/store"
	"parley/internal/store/sqlite"
	"parley/scenario"
)

// The markers planted in ru's private data: no response to anyone but ru
// and the mediator may contain them.
var secrets = []string{"SECRET-RU-POSITION", "SECRET-DRAFT", "SECRET-RU-VERSION", "SECRET-RU-AMENDMENT", "SECRET-RU-COMMENT", "SECRET-RU-REPLY"}

// fixture is a server with the default scenario, its members, and private
// data of every kind.
type fixture struct {
	srv    *Server
	ts     *httptest.Server
	store  store.Store
	tokens map[string]string // role letter → bearer token
	ids    map[string]string // amendment, comment, vote ids by name
	file   string            // the SQLite file
}

const nid = "ukraine-2025"

var (
	templateOnce sync.Once
	templateDir  string
	templateIDs  map[string]string
	templateToks map[string]string
	templateErr  error
)

func quietLog() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

// buildTemplate makes the fixture's database once; each test copies it.
func buildTemplate() {
	ctx := context.Background()
	dir, err := os.MkdirTemp("", "parley-fixture-")
	if err != nil {
		templateErr = err
		return
	}
	templateDir = dir
	st, err := sqlite.Open(ctx, filepath.Join(dir, "parley.db"))
	if err != nil {
		templateErr = err
		return
	}
	defer st.Close()
	svc := negotiation.New(st)
	accts := map[string]*store.Account{}
	for _, r := range []string{"M", "A", "B", "O", "S"} {
		a := &store.Account{ID: "acct-" + r, Name: "name-" + r}
		if err := st.CreateAccount(ctx, a); err != nil {
			templateErr = err
			return
		}
		accts[r] = a
	}
	templateToks = map[string]string{}
	for r, a := range accts {
		tok, _, err := IssueToken(ctx, st, a, store.TokenAPI, time.Hour)
		if err != nil {
			templateErr = err
			return
		}
		templateToks[r] = tok
	}
	sc, err := scenario.Load(examples.DefaultName, examples.Default)
	if err != nil {
		templateErr = err
		return
	}
	M, A, B := accts["M"], accts["A"], accts["B"]
	step := func(err error) {
		if err != nil && templateErr == nil {
			templateErr = err
		}
	}
	_, err = svc.Create(ctx, M, sc)
	step(err)
	step(svc.AddMember(ctx, M, nid, store.Member{Account: A.ID, Role: "party", Party: "ua"}))
	step(svc.AddMember(ctx, M, nid, store.Member{Account: B.ID, Role: "party", Party: "ru"}))
	step(svc.AddMember(ctx, M, nid, store.Member{Account: accts["O"].ID, Role: "observer"}))
	// ru's private position.
	st1, _ := svc.State(ctx, nid)
	doc, _, _ := st1.PositionsOf(st1.Reader(B.ID), "ru")
	doc.Positions[0].Points[0].Options[0].Reason = "SECRET-RU-POSITION"
	_, err = svc.PutPositions(ctx, B, nid, "ru", doc, 0)
	step(err)
	// A draft, and a version shared with ru alone.
	v4, _ := sc.Version("v4")
	draft := *v4
	draft.ID, draft.Title, draft.Parent = "d-secret", "SECRET-DRAFT", "v4"
	_, err = svc.CreateDraft(ctx, M, nid, draft)
	step(err)
	ruv := *v4
	ruv.ID, ruv.Title, ruv.Parent = "p-ru", "SECRET-RU-VERSION", "v4"
	_, err = svc.CreateDraft(ctx, M, nid, ruv)
	step(err)
	_, err = svc.Publish(ctx, M, nid, "p-ru")
	step(err)
	_, err = svc.Share(ctx, M, nid, "p-ru", []string{"ru"})
	step(err)
	templateIDs = map[string]string{}
	am, err := svc.Propose(ctx, B, nid, negotiation.Amendment{Version: "p-ru", Point: "territory", Kind: "critique", Reason: "SECRET-RU-AMENDMENT"})
	step(err)
	templateIDs["ru-amendment"] = am.ID
	am, err = svc.Propose(ctx, A, nid, negotiation.Amendment{Version: "v4", Point: "territory", Kind: "critique", Reason: "ua critique"})
	step(err)
	templateIDs["ua-amendment"] = am.ID
	cm, err := svc.AddComment(ctx, B, nid, negotiation.Comment{Point: "territory", Body: "SECRET-RU-COMMENT"})
	step(err)
	templateIDs["ru-comment"] = cm.ID
	_, err = svc.AddComment(ctx, M, nid, negotiation.Comment{Point: "territory", Parent: cm.ID, Body: "SECRET-RU-REPLY"})
	step(err)
	vote, err := svc.CallVote(ctx, M, nid, negotiation.Vote{Kind: "version", Version: "v4"})
	step(err)
	templateIDs["vote"] = vote.ID
	yes := true
	_, err = svc.Answer(ctx, B, nid, vote.ID, &yes, []map[string]string{{"territory": "anchorage"}})
	step(err)
}

// newFixture returns a fresh copy of the fixture, served over loopback.
func newFixture(t testing.TB) *fixture {
	t.Helper()
	templateOnce.Do(buildTemplate)
	if templateErr != nil {
		t.Fatalf("fixture: %v", templateErr)
	}
	dir := t.TempDir()
	for _, f := range []string{"parley.db", "parley.db-wal", "parley.db-shm"} {
		b, err := os.ReadFile(filepath.Join(templateDir, f))
		if err != nil {
			continue
		}
		if err := os.WriteFile(filepath.Join(dir, f), b, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	st, err := sqlite.Open(context.Background(), filepath.Join(dir, "parley.db"))
	if err != nil {
		t.Fatal(err)
	}
	srv := New(st, Config{Log: quietLog()})
	ts := httptest.NewServer(srv)
	t.Cleanup(func() { ts.Close(); st.Close() })
	return &fixture{srv: srv, ts: ts, store: st, tokens: templateToks, ids: templateIDs, file: filepath.Join(dir, "parley.db")}
}

// do sends a request as role ("X" for signed out) and returns the status
// and body.
func (f *fixture) do(t testing.TB, role, method, path, ctype, body string, hdr ...string) (int, string, http.Header) {
	t.Helper()
	req, err := http.NewRequest(method, f.ts.URL+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	if tok := f.tokens[role]; tok != "" {
		req.Header.Set("Authorization", "Bearer "+tok)
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	resp, err := f.ts.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b), resp.Header
}
