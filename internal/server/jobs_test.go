package server

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"parley/internal/jobs"
)

// TestAnalysisJob queues an analysis as a party and reads its result,
// which only the party that asked may read.
func TestAnalysisJob(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	q, err := jobs.OpenSQLite(ctx, f.file, f.srv.RunAnalysis, jobs.Options{Log: quietLog()})
	if err != nil {
		t.Fatal(err)
	}
	f.srv.SetJobs(q)
	if err := q.Start(ctx); err != nil {
		t.Fatal(err)
	}
	defer q.Stop(ctx)
	code, body, h := f.do(t, "A", "POST", "/api/negotiations/"+nid+"/jobs", "application/json", `{"kind":"analysis","version":"v4"}`)
	if code != 202 || h.Get("Location") == "" {
		t.Fatalf("queue: %d %s", code, body)
	}
	loc := h.Get("Location")
	var j jobs.Job
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		code, body, _ = f.do(t, "A", "GET", loc, "", "")
		if code != 200 {
			t.Fatalf("job: %d %s", code, body)
		}
		json.Unmarshal([]byte(body), &j)
		if j.State == "completed" || j.State == "cancelled" || j.State == "discarded" {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	var res struct {
		Seen   []string        `json:"parties_seen"`
		Result json.RawMessage `json:"analysis"`
	}
	if err := json.Unmarshal(j.Result, &res); err != nil || j.State != "completed" {
		t.Fatalf("job %s: %s", j.State, trim(body))
	}
	if len(res.Seen) != 1 || res.Seen[0] != "ua" || res.Result == nil {
		t.Errorf("ua's analysis job saw %v", res.Seen)
	}
	for _, role := range []string{"M", "B", "O", "S"} {
		if code, _, _ := f.do(t, role, "GET", loc, "", ""); code != 404 {
			t.Errorf("%s reads ua's job: %d", role, code)
		}
	}
	if code, body, _ := f.do(t, "A", "POST", "/api/negotiations/"+nid+"/jobs", "application/json", `{"kind":"analysis","version":"p-ru"}`); code != 422 || strings.Contains(body, "SECRET") {
		t.Errorf("a job on a version not shared: %d %s", code, body)
	}
}
