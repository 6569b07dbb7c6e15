package jobs

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"testing"
	"time"

	"parley/internal/apperr"
	"parley/internal/store/postgres"
	"parley/internal/store/sqlite"
)

func quiet() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

// opener opens a queue on one database; both SQLite and PostgreSQL run.
type opener func(t *testing.T, w Work) *Queue

func openers(t *testing.T) map[string]opener {
	file := filepath.Join(t.TempDir(), "parley.db")
	ctx := context.Background()
	opt := Options{Queue: fmt.Sprintf("test_%d", time.Now().UnixNano()), Log: quiet()}
	// The store's own schema lives beside River's.
	db, err := sqlite.Open(ctx, file)
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
	m := map[string]opener{
		"sqlite": func(t *testing.T, f Work) *Queue {
			q, err := OpenSQLite(ctx, file, f, opt)
			if err != nil {
				t.Fatal(err)
			}
			return q
		},
	}
	if dsn := os.Getenv("PARLEY_TEST_POSTGRES"); dsn != "" {
		db, err := postgres.Open(ctx, dsn)
		if err != nil {
			t.Fatal(err)
		}
		db.Close()
		m["postgres"] = func(t *testing.T, f Work) *Queue {
			q, err := OpenPostgres(ctx, dsn, f, opt)
			if err != nil {
				t.Fatal(err)
			}
			return q
		}
	} else {
		t.Log("PARLEY_TEST_POSTGRES is not set: the PostgreSQL queue is not tested")
	}
	return m
}

func waitFor(t *testing.T, q *Queue, id int64, state string) *Job {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		j, err := q.Job(context.Background(), id)
		if err != nil {
			t.Fatal(err)
		}
		if j.State == state {
			return j
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("job %d did not reach %s within 30 s", id, state)
	return nil
}

// TestJobSurvivesRestart queues a job while no worker runs, closes the
// queue, opens it again and finds the job worked, with its result.
func TestJobSurvivesRestart(t *testing.T) {
	for name, open := range openers(t) {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			work := func(ctx context.Context, a AnalysisArgs) (json.RawMessage, error) {
				if a.Version == "bad" {
					return nil, apperr.E("test", apperr.Invalid, "no such version")
				}
				return json.RawMessage(`{"version":"` + a.Version + `"}`), nil
			}
			q := open(t, Work{Analysis: work})
			id, err := q.Enqueue(ctx, AnalysisArgs{Negotiation: "n", Version: "v4", Account: "a"})
			if err != nil {
				t.Fatal(err)
			}
			q.Stop(ctx) // never started: the job waits in the database
			q = open(t, Work{Analysis: work})
			if err := q.Start(ctx); err != nil {
				t.Fatal(err)
			}
			defer q.Stop(ctx)
			j := waitFor(t, q, id, "completed")
			var res struct{ Version string }
			json.Unmarshal(j.Result, &res)
			if res.Version != "v4" || j.Account != "a" || j.Finished == nil {
				t.Errorf("job: %+v, result %s", j, j.Result)
			}
			bad, _ := q.Enqueue(ctx, AnalysisArgs{Negotiation: "n", Version: "bad", Account: "a"})
			j = waitFor(t, q, bad, "cancelled")
			if len(j.Errors) == 0 || j.Result != nil {
				t.Errorf("a job with a bad request: %+v", j)
			}
			if _, err := q.Job(ctx, 1<<40); !apperr.Is(err, apperr.NotFound) {
				t.Errorf("missing job: %v", err)
			}
		})
	}
}

// TestListCancelProgress lists an account's jobs in a negotiation (and
// not another's), reads the progress a running job reports, and cancels a
// job that waits and one that runs.
func TestListCancelProgress(t *testing.T) {
	for name, open := range openers(t) {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			started := make(chan struct{}, 1)
			work := Work{
				Analysis: func(ctx context.Context, a AnalysisArgs) (json.RawMessage, error) {
					return json.RawMessage(`{}`), nil
				},
				Tournament: func(ctx context.Context, a TournamentArgs, progress func(done, total int)) (json.RawMessage, error) {
					progress(3, 10)
					started <- struct{}{}
					<-ctx.Done() // until cancelled
					return json.RawMessage(`{"partial":true}`), nil
				},
			}
			q := open(t, work)
			waiting, err := q.Enqueue(ctx, AnalysisArgs{Negotiation: "n", Version: "v1", Account: "a"})
			if err != nil {
				t.Fatal(err)
			}
			for _, args := range []Args{
				AnalysisArgs{Negotiation: "n", Version: "v2", Account: "b"},
				AnalysisArgs{Negotiation: "m", Version: "v3", Account: "a"},
			} {
				if _, err := q.Enqueue(ctx, args); err != nil {
					t.Fatal(err)
				}
			}
			j, err := q.Cancel(ctx, waiting)
			if err != nil || j.State != "cancelled" {
				t.Fatalf("cancel a waiting job: %+v, %v", j, err)
			}
			if err := q.Start(ctx); err != nil {
				t.Fatal(err)
			}
			defer q.Stop(ctx)
			running, err := q.Enqueue(ctx, TournamentArgs{Negotiation: "n", Version: "v4", Account: "a", Strategies: []string{"x", "y"}})
			if err != nil {
				t.Fatal(err)
			}
			<-started
			deadline := time.Now().Add(30 * time.Second)
			for j, _ = q.Job(ctx, running); j.Progress == nil && time.Now().Before(deadline); j, _ = q.Job(ctx, running) {
				time.Sleep(20 * time.Millisecond)
			}
			if j.Progress == nil || *j.Progress != (Progress{3, 10}) || j.State != "running" {
				t.Errorf("a running job's progress: %+v", j)
			}
			js, err := q.List(ctx, "n", "a")
			if err != nil {
				t.Fatal(err)
			}
			var ids []int64
			for _, j := range js {
				ids = append(ids, j.ID)
			}
			if len(ids) != 2 || ids[0] != running || ids[1] != waiting {
				t.Errorf("a's jobs in n: %v, expected [%d %d]", ids, running, waiting)
			}
			if len(js) == 2 && (js[0].Kind != KindTournament || js[1].Kind != KindAnalysis) {
				t.Errorf("kinds listed: %q and %q, expected %q and %q", js[0].Kind, js[1].Kind, KindTournament, KindAnalysis)
			}
			if _, err := q.Cancel(ctx, running); err != nil {
				t.Fatal(err)
			}
			j = waitFor(t, q, running, "cancelled")
			if j.Result != nil || j.Progress == nil {
				t.Errorf("a cancelled job: %+v", j)
			}
			if _, err := q.Cancel(ctx, 1<<40); !apperr.Is(err, apperr.NotFound) {
				t.Errorf("cancel a missing job: %v", err)
			}
		})
	}
}

// TestCompletedProgress checks that a finished simulation keeps its
// progress, all done, beside its result, and that an analysis, which
// reports none, has none.
func TestCompletedProgress(t *testing.T) {
	for name, open := range openers(t) {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			work := Work{
				Analysis: func(ctx context.Context, a AnalysisArgs) (json.RawMessage, error) {
					return json.RawMessage(`{"analysis":{}}`), nil
				},
				Simulation: func(ctx context.Context, a SimulationArgs, progress func(done, total int)) (json.RawMessage, error) {
					for i := range a.Reps {
						progress(i+1, a.Reps)
					}
					return json.RawMessage(`{"agreements":2}`), nil
				},
			}
			q := open(t, work)
			if err := q.Start(ctx); err != nil {
				t.Fatal(err)
			}
			defer q.Stop(ctx)
			sim, err := q.Enqueue(ctx, SimulationArgs{Negotiation: "n", Version: "v2", Account: "a", Strategies: []string{"x"}, Reps: 7})
			if err != nil {
				t.Fatal(err)
			}
			an, err := q.Enqueue(ctx, AnalysisArgs{Negotiation: "n", Version: "v2", Account: "a"})
			if err != nil {
				t.Fatal(err)
			}
			j := waitFor(t, q, sim, "completed")
			if j.Progress == nil || *j.Progress != (Progress{7, 7}) || compact(j.Result) != `{"agreements":2}` {
				t.Errorf("a completed simulation: progress %+v, result %s; expected {7 7} and its result", j.Progress, j.Result)
			}
			js, err := q.List(ctx, "n", "a")
			if err != nil {
				t.Fatal(err)
			}
			for _, l := range js {
				if l.ID == sim && (l.Progress == nil || *l.Progress != (Progress{7, 7})) {
					t.Errorf("the listed simulation's progress: %+v", l.Progress)
				}
			}
			j = waitFor(t, q, an, "completed")
			if j.Progress != nil || compact(j.Result) != `{"analysis":{}}` {
				t.Errorf("a completed analysis: progress %+v, result %s", j.Progress, j.Result)
			}
		})
	}
}

// TestCompletedOf reads the outputs of completed jobs, in today's shape and
// as a result alone (jobs completed before progress was kept).
func TestCompletedOf(t *testing.T) {
	tests := []struct {
		out, result string
		progress    *Progress
	}{
		{`{"progress":{"done":4,"total":4},"result":{"played":4}}`, `{"played":4}`, &Progress{4, 4}},
		{`{"result":{"analysis":{}}}`, `{"analysis":{}}`, nil},
		{`{"analysis":{},"parties_seen":["ua"]}`, `{"analysis":{},"parties_seen":["ua"]}`, nil},
		{`{"result":1,"note":"a result of its own"}`, `{"result":1,"note":"a result of its own"}`, nil},
		{`[1,2]`, `[1,2]`, nil},
	}
	for _, tt := range tests {
		c := completedOf([]byte(tt.out))
		if string(c.Result) != tt.result || (c.Progress == nil) != (tt.progress == nil) || (c.Progress != nil && *c.Progress != *tt.progress) {
			t.Errorf("%s: expected result %s, progress %v; got %s, %v", tt.out, tt.result, tt.progress, c.Result, c.Progress)
		}
	}
}

// compact returns JSON without the spaces PostgreSQL's jsonb adds.
func compact(b []byte) string {
	var out bytes.Buffer
	if err := json.Compact(&out, b); err != nil {
		return string(b)
	}
	return out.String()
}

// FuzzCompletedOf reads arbitrary outputs without panicking, and reads
// back what a completed job records.
func FuzzCompletedOf(f *testing.F) {
	f.Add([]byte(`{"progress":{"done":4,"total":4},"result":{"played":4}}`), 3, []byte(`{"a":1}`))
	f.Add([]byte(`{"result":null}`), 0, []byte(`[1]`))
	f.Add([]byte(`"text"`), 1, []byte(`"x"`))
	f.Fuzz(func(t *testing.T, out []byte, n int, result []byte) {
		c := completedOf(out)
		if c.Result == nil && out != nil {
			t.Errorf("%q: no result", out)
		}
		if !json.Valid(result) {
			return
		}
		var p *Progress
		if n > 0 {
			p = &Progress{n, n}
		}
		b, err := json.Marshal(completed{Progress: p, Result: result})
		if err != nil {
			t.Fatal(err)
		}
		c = completedOf(b)
		if compact(c.Result) != compact(result) || (c.Progress == nil) != (p == nil) || (p != nil && *c.Progress != *p) {
			t.Errorf("%s: read back result %s, progress %v", b, c.Result, c.Progress)
		}
	})
}
