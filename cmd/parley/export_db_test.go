package main

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"parley/examples"
	"parley/internal/negotiation"
	"parley/internal/server"
	"parley/internal/store"
	"parley/internal/store/sqlite"
	"parley/scenario"
)

// storedNegotiation creates sc under a fresh id in the database db,
// changes one of changer's positions, and returns the id, a server on the
// same database, API tokens of the mediator and of reader's delegate, and
// the changed weight.
func storedNegotiation(t *testing.T, db string, sc *scenario.Scenario, changer, reader string) (id, url, medToken, ruToken string, changed float64) {
	t.Helper()
	ctx := context.Background()
	st, _, err := openStore(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	stamp := time.Now().UnixNano()
	id = fmt.Sprintf("export-%d", stamp)
	cp := *sc
	cp.ID = id
	sc = &cp
	med := &store.Account{ID: fmt.Sprintf("m%d", stamp), Name: fmt.Sprintf("med-%d", stamp)}
	ru := &store.Account{ID: fmt.Sprintf("r%d", stamp), Name: fmt.Sprintf("ru-%d", stamp)}
	for _, a := range []*store.Account{med, ru} {
		if err := st.CreateAccount(ctx, a); err != nil {
			t.Fatal(err)
		}
	}
	svc := negotiation.New(st)
	state, err := svc.Create(ctx, med, sc)
	if err != nil {
		t.Fatal(err)
	}
	if err := svc.AddMember(ctx, med, id, store.Member{Account: ru.ID, Role: "party", Party: reader}); err != nil {
		t.Fatal(err)
	}
	// A changed position: the changer's first point weighs three times
	// as much.
	doc, rev, ok := state.PositionsOf(state.Reader(med.ID), changer)
	if !ok {
		t.Fatalf("%s holds no position", changer)
	}
	doc.Positions[0].Points[0].Weight *= 3
	changed = doc.Positions[0].Points[0].Weight
	if changed == firstWeight(sc, changer) {
		t.Fatal("the change of position changes nothing")
	}
	if _, err := svc.PutPositions(ctx, med, id, changer, doc, rev); err != nil {
		t.Fatal(err)
	}
	// A later version shared with reader alone, and a draft after it.
	last := sc.Versions[len(sc.Versions)-1]
	for _, vid := range []string{"shared", "draft"} {
		v := last
		v.ID, v.Title, v.Parent = vid, "A "+vid+" version", last.ID
		if _, err := svc.CreateDraft(ctx, med, id, v); err != nil {
			t.Fatal(err)
		}
		last = v
	}
	if _, err := svc.Publish(ctx, med, id, "shared"); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Share(ctx, med, id, "shared", []string{reader}); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(server.New(st, server.Config{}))
	t.Cleanup(srv.Close)
	medToken, _, err = server.IssueToken(ctx, st, med, store.TokenAPI, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	ruToken, _, err = server.IssueToken(ctx, st, ru, store.TokenAPI, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	return id, srv.URL, medToken, ruToken, changed
}

// firstWeight is the weight of the first point of party's first position.
func firstWeight(s *scenario.Scenario, party string) float64 {
	for _, q := range s.Positions {
		if q.Party == party {
			return q.Points[0].Weight
		}
	}
	return -1
}

func apiGet(t *testing.T, url, token string) []byte {
	t.Helper()
	req, _ := http.NewRequest("GET", url, nil)
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 {
		t.Fatalf("GET %s: %d %s", url, resp.StatusCode, b)
	}
	return b
}

// TestExportScenarioFromDatabase exports a stored negotiation after a
// change of position and finds the file valid, equal to the server's own
// export for the same reader, and analysed as the server analyses it.
func TestExportScenarioFromDatabase(t *testing.T) {
	def, err := scenario.Load(examples.DefaultName, examples.Default)
	if err != nil {
		t.Fatal(err)
	}
	trade, err := scenario.LoadFile("testdata/simulate/trade.yaml")
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		sc              *scenario.Scenario
		changer, reader string
		zone            bool // the analysis has a Pareto frontier
	}{{def, "ua", "ru", false}, {trade, "north", "south", true}}
	for name, db := range serveDatabases(t) {
		for _, c := range cases {
			t.Run(name+"/"+c.sc.ID, func(t *testing.T) {
				exportFromDatabase(t, db(t), c.sc, c.changer, c.reader, c.zone)
			})
		}
	}
}

func exportFromDatabase(t *testing.T, file string, sc *scenario.Scenario, changer, reader string, zone bool) {
	id, url, medToken, ruToken, changed := storedNegotiation(t, file, sc, changer, reader)
	dir := t.TempDir()
	out := filepath.Join(dir, "talks.yaml")

	code, stdout, stderr := runParley(t, "export", "scenario", "--db", file, "--negotiation", id, "-o", out)
	if code != 0 || stdout != "" || !strings.HasPrefix(stderr, "parley export: wrote") || !strings.Contains(strings.Join(strings.Fields(stderr), " "), " "+out+": "+id+", revision") {
		t.Fatalf("export: exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}
	for _, line := range strings.Split(strings.TrimSuffix(stderr, "\n"), "\n") {
		// The path alone may be longer: it is never split.
		if runeLen(line) > 80 && strings.TrimSpace(line) != out+":" {
			t.Errorf("export: line wider than 80 columns: %q", line)
		}
	}
	got, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	want := apiGet(t, url+"/api/negotiations/"+id+"/scenario.yaml", medToken)
	if string(got) != string(want) {
		t.Errorf("the mediator's export differs from the server's scenario.yaml")
	}
	if code, _, stderr := runParley(t, "validate", out); code != 0 {
		t.Errorf("validate: exit %d: %s", code, stderr)
	}

	// The same analysis: parley analyze on the file, and the
	// server's mediator analysis of the stored state.
	var served struct {
		Analysis json.RawMessage `json:"analysis"`
	}
	if err := json.Unmarshal(apiGet(t, url+"/api/negotiations/"+id+"/analysis", medToken), &served); err != nil {
		t.Fatal(err)
	}
	var fromServer analysisJSON
	if err := json.Unmarshal(served.Analysis, &fromServer); err != nil {
		t.Fatal(err)
	}
	fromFile := analyzeJSON(t, out)
	if len(fromServer.Parties) == 0 || zone && len(fromServer.Pareto) == 0 {
		t.Fatalf("nothing to compare: file %+v, server %+v", fromFile, &fromServer)
	}
	fromServer.Notes, fromFile.Notes = nil, nil
	if !reflect.DeepEqual(&fromServer, fromFile) {
		t.Errorf("parley analyze on the export differs from the server's analysis:\nfile   %+v\nserver %+v", fromFile, &fromServer)
	}
	// The change of position is in the file.
	exported, err := scenario.LoadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	if w := firstWeight(exported, changer); w != changed {
		t.Errorf("%s's first weight in the export is %v, want the changed %v", changer, w, changed)
	}

	// A party's export: to standard output, what the server gives
	// that party, and none of ua's private positions.
	code, stdout, stderr = runParley(t, "export", "scenario", "--db", file, "--negotiation", id, "--for", reader)
	if code != 0 {
		t.Fatalf("export --for %s: exit %d, %s", reader, code, stderr)
	}
	want = apiGet(t, url+"/api/negotiations/"+id+"/scenario.yaml", ruToken)
	if stdout != string(want) {
		t.Errorf("ru's export differs from the server's scenario.yaml for ru")
	}
	s, err := scenario.Load("ru.yaml", []byte(stdout))
	if err != nil {
		t.Fatalf("ru's export does not load: %v", err)
	}
	if _, ok := s.Version("shared"); !ok {
		t.Errorf("%s's export lacks the version shared with it", reader)
	}
	if _, ok := s.Version("draft"); ok {
		t.Errorf("%s's export holds the mediator's draft", reader)
	}
	if _, ok := exported.Version("draft"); !ok {
		t.Errorf("the mediator's export lacks the draft")
	}
	for _, q := range s.Positions {
		if q.Party != reader && !q.Shared {
			t.Errorf("ru's export holds %s's private position", q.Party)
		}
	}

	// Mistakes.
	for _, c := range []struct {
		args []string
		code int
		msg  string
	}{
		{[]string{"--db", file, "--negotiation", "nope"}, 2, `no negotiation "nope"`},
		{[]string{"--db", file, "--negotiation", id, "--for", "xx"}, 2, `no party "xx"`},
		{[]string{"--db", filepath.Join(dir, "missing.db"), "--negotiation", id}, 2, "no such database file"},
		{[]string{"--db", out, "--negotiation", id}, 2, "not a SQLite database"},
		{[]string{"--db", dir, "--negotiation", id}, 2, "is a folder"},
		{[]string{"--negotiation", id}, 2, "--db is required"},
		{[]string{"--db", file}, 2, "--negotiation ID is required"},
		{[]string{"--db", file, "--negotiation", id, "--lossy"}, 2, "--lossy go with export genius"},
		{[]string{"--db", "ftp://host/x", "--negotiation", id}, 2, "want a SQLite file or a postgres:// URL"},
		{[]string{"--db", "postgres://u:secret@[::1", "--negotiation", id}, 2, "not a valid PostgreSQL URL"},
		{[]string{"--db", "postgres://u:secret@127.0.0.1:1/x?connect_timeout=5", "--negotiation", id}, 1, "open postgres"},
	} {
		code, _, stderr := runParley(t, append([]string{"export", "scenario"}, c.args...)...)
		if code != c.code || !strings.Contains(stderr, c.msg) || strings.Contains(stderr, "secret") {
			t.Errorf("%v: exit %d, %q; want %d and %q", c.args, code, stderr, c.code, c.msg)
		}
	}
}

// TestExportScenarioLeavesOtherDatabasesAlone refuses a SQLite database
// that parley did not write, without changing it.
func TestExportScenarioLeavesOtherDatabasesAlone(t *testing.T) {
	file := filepath.Join(t.TempDir(), "other.db")
	st, err := sqlite.Open(context.Background(), file)
	if err != nil {
		t.Fatal(err)
	}
	st.Close()
	// An empty parley database has no negotiation.
	code, _, stderr := runParley(t, "export", "scenario", "--db", file, "--negotiation", "x")
	if code != 2 || !strings.Contains(stderr, `no negotiation "x"`) {
		t.Errorf("empty database: exit %d, %q", code, stderr)
	}
	other := filepath.Join(t.TempDir(), "notes.db")
	conn, err := sqlOpenForTest(other)
	if err != nil {
		t.Fatal(err)
	}
	before, _ := os.ReadFile(other)
	code, _, stderr = runParley(t, "export", "scenario", "--db", other, "--negotiation", "x")
	if code != 2 || !strings.Contains(stderr, "not one written by parley serve") {
		t.Errorf("foreign database: exit %d, %q", code, stderr)
	}
	after, _ := os.ReadFile(other)
	if string(before) != string(after) {
		t.Error("the foreign database was changed")
	}
	conn.Close()
}

// sqlOpenForTest makes a SQLite database with a table of its own.
func sqlOpenForTest(file string) (*sql.DB, error) {
	conn, err := sql.Open("sqlite", file)
	if err != nil {
		return nil, err
	}
	if _, err := conn.Exec(`CREATE TABLE notes (body TEXT)`); err != nil {
		conn.Close()
		return nil, err
	}
	return conn, nil
}
