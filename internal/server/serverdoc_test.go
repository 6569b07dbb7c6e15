package server

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"parley/examples"
	"parley/internal/jobs"
	"parley/internal/store"
	"parley/internal/store/sqlite"
	"parley/scenario"
)

// The walkthrough of docs/server.md is run as a reader pastes it, against
// a server set up as `parley serve` sets up its demo, and what it prints
// is checked against the outputs the page shows in its comments.

// walkthrough returns the shell of docs/server.md's curl walkthrough and
// its background jobs, in order.
func walkthrough(t *testing.T, doc string) string {
	t.Helper()
	var parts []string
	for _, sec := range [][2]string{{"## From first draft", "## Storage"}, {"## Background jobs", ""}} {
		i := strings.Index(doc, sec[0])
		if i < 0 {
			t.Fatalf("docs/server.md has no section %q", sec[0])
		}
		part := doc[i:]
		if sec[1] != "" {
			part = part[:strings.Index(part, sec[1])]
		}
		parts = append(parts, part)
	}
	var sh strings.Builder
	for _, m := range regexp.MustCompile("(?s)```sh\n(.*?)```").FindAllStringSubmatch(strings.Join(parts, ""), -1) {
		sh.WriteString(m[1])
	}
	return sh.String()
}

// expectedOutputs returns what the walkthrough's comments say it prints,
// in order: JSON values, HTTP statuses, the ETag header and audit lines.
// An output shown for a job "while it runs" depends on timing and is left
// out.
func expectedOutputs(sh string) []string {
	var out []string
	lines := strings.Split(sh, "\n")
	for i := 0; i < len(lines); i++ {
		line := lines[i]
		c := strings.Index(line, "# ")
		if c < 0 {
			continue
		}
		if strings.TrimSpace(line[:c]) == "" && i > 0 && strings.Contains(lines[i-1], "while it runs") {
			continue
		}
		text := strings.TrimSpace(line[c+2:])
		switch {
		case strings.HasPrefix(text, "{") || strings.HasPrefix(text, "["):
			// A value may go on over the next comment lines.
			for j := i + 1; !json.Valid([]byte(firstValue(text))) && j < len(lines); j++ {
				more, ok := strings.CutPrefix(strings.TrimSpace(lines[j]), "#")
				if !ok {
					break
				}
				text += strings.TrimSpace(more)
				i = j
			}
			out = append(out, firstValue(text))
		case regexp.MustCompile(`^[1-5]\d\d\b`).MatchString(text):
			out = append(out, text[:3])
		case strings.HasPrefix(text, "Etag:"):
			out = append(out, text)
		case regexp.MustCompile(`^\d+ \d{4}-\d\d-\d\dT`).MatchString(text):
			out = append(out, maskTimes(text))
		}
	}
	return out
}

// firstValue returns the first JSON value of s, or s if it has none.
func firstValue(s string) string {
	d := json.NewDecoder(strings.NewReader(s))
	var v json.RawMessage
	if d.Decode(&v) != nil {
		return s
	}
	var b bytes.Buffer
	json.Compact(&b, v)
	return b.String()
}

var clock = regexp.MustCompile(`\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d`)

func maskTimes(s string) string { return clock.ReplaceAllString(s, "TIME") }

// TestServerDocWalkthrough runs docs/server.md's walkthrough with bash,
// curl and jq against a server with the demo negotiation and a job queue.
func TestServerDocWalkthrough(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the walkthrough of docs/server.md; skipped with -short")
	}
	for _, tool := range []string{"bash", "curl", "jq"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("the walkthrough needs %s, which is not installed", tool)
		}
	}
	doc, err := os.ReadFile("../../docs/server.md")
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	dir := t.TempDir()
	file := filepath.Join(dir, "parley.db")
	st, err := sqlite.Open(ctx, file)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	srv := New(st, Config{Log: quietLog()})

	// The demo, as parley serve makes it.
	sc, err := scenario.Load(examples.DefaultName, examples.Default)
	if err != nil {
		t.Fatal(err)
	}
	demo := [][3]string{{"mediator", "mediator", "us"}, {"ukraine", "party", "ua"}, {"russia", "party", "ru"}, {"europe", "party", "e3"}, {"observer", "observer", ""}}
	codes := map[string]string{}
	accts := map[string]*store.Account{}
	for _, d := range demo {
		a := &store.Account{ID: "demo-" + d[0], Name: d[0]}
		if err := st.CreateAccount(ctx, a); err != nil {
			t.Fatal(err)
		}
		accts[d[0]] = a
		if codes[d[0]], _, err = IssueToken(ctx, st, a, store.TokenSignIn, time.Hour); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := srv.Service().Create(ctx, accts["mediator"], sc); err != nil {
		t.Fatal(err)
	}
	for _, d := range demo[1:] {
		if err := srv.Service().AddMember(ctx, accts["mediator"], sc.ID, store.Member{Account: accts[d[0]].ID, Role: d[1], Party: d[2]}); err != nil {
			t.Fatal(err)
		}
	}
	q, err := jobs.OpenSQLite(ctx, file, srv.Work(), jobs.Options{Log: quietLog()})
	if err != nil {
		t.Fatal(err)
	}
	srv.SetJobs(q)
	if err := q.Start(ctx); err != nil {
		t.Fatal(err)
	}
	defer q.Stop(ctx)
	ts := httptest.NewServer(srv)
	defer ts.Close()

	sh := walkthrough(t, string(doc))
	want := expectedOutputs(sh)
	if len(want) < 20 {
		t.Fatalf("only %d outputs shown in the walkthrough's comments: %q", len(want), want)
	}
	sh = strings.ReplaceAll(sh, "http://127.0.0.1:8080", ts.URL)
	sh = regexp.MustCompile(`login psi_…(\w+)'s[^)]*`).ReplaceAllStringFunc(sh, func(m string) string {
		name := regexp.MustCompile(`…(\w+)'s`).FindStringSubmatch(m)[1]
		if codes[name] == "" {
			t.Fatalf("the walkthrough signs in as %q, not a demo account", name)
		}
		return "login " + codes[name]
	})
	// The export is read by parley analyze, which this package cannot run.
	sh = regexp.MustCompile(`(?m)^go run .*$`).ReplaceAllString(sh, "")
	work := t.TempDir()
	ex, err := filepath.Abs("../../examples")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(ex, filepath.Join(work, "examples")); err != nil {
		t.Fatal(err)
	}
	cctx, cancel := context.WithTimeout(ctx, 3*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(cctx, "bash", "-e", "-o", "pipefail", "-c", sh)
	cmd.Dir = work
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("the walkthrough fails: %v\nstdout:\n%s\nstderr:\n%s", err, stdout.String(), stderr.String())
	}
	var got []string
	for _, line := range strings.Split(stdout.String(), "\n") {
		line = strings.TrimRight(line, "\r")
		if json.Valid([]byte(line)) {
			line = firstValue(line)
		}
		got = append(got, maskTimes(line))
	}
	// Each output shown must be printed, in the order shown.
	k := 0
	for _, w := range want {
		for k < len(got) && got[k] != w {
			k++
		}
		if k == len(got) {
			t.Errorf("docs/server.md shows %s, which the walkthrough does not print (or not in that order); it printed:\n%s", w, stdout.String())
			return
		}
		k++
	}
}
