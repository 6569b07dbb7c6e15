package server

import (
	"context"
	"encoding/json"
	"math"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"parley/simulate"

	"parley/internal/jobs"
)

// jobQueue gives the fixture's server a job queue on its SQLite file, not
// yet started.
func (f *fixture) jobQueue(t *testing.T) *jobs.Queue {
	t.Helper()
	q, err := jobs.OpenSQLite(context.Background(), f.file, f.srv.Work(), jobs.Options{Log: quietLog()})
	if err != nil {
		t.Fatal(err)
	}
	f.srv.SetJobs(q)
	return q
}

// TestAnalysisJob queues an analysis as a party and reads its result,
// which only the party that asked may read.
func TestAnalysisJob(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	q := f.jobQueue(t)
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

	// A simulation by the mediator, over every party's position.
	code, body, h = f.do(t, "M", "POST", "/api/negotiations/"+nid+"/jobs", "application/json", `{"kind":"simulation","version":"v1","strategies":["boulware","conceder"],"rounds":50,"reps":2}`)
	if code != 202 {
		t.Fatalf("queue a simulation: %d %s", code, body)
	}
	j = waitJob(t, f, "M", h.Get("Location"))
	var sim simulationResult
	if err := json.Unmarshal(j.Result, &sim); err != nil || j.State != "completed" {
		t.Fatalf("simulation %s: %v %+v", j.State, err, j.Errors)
	}
	if len(sim.Runs) != 2 || len(sim.Parties) < 3 || sim.Strategies[2] != "boulware" || len(sim.Runs[0].Utilities) != len(sim.Parties) {
		t.Errorf("simulation: %+v", sim)
	}
	if j.Progress == nil || *j.Progress != (jobs.Progress{Done: 2, Total: 2}) {
		t.Errorf("a completed simulation's progress: %+v, expected 2 of 2", j.Progress)
	}
	// A party sees one position: nothing to simulate, and the job says so.
	_, _, h = f.do(t, "A", "POST", "/api/negotiations/"+nid+"/jobs", "application/json", `{"kind":"simulation","version":"v4","strategies":["boulware"]}`)
	if j := waitJob(t, f, "A", h.Get("Location")); j.State != "cancelled" || len(j.Errors) == 0 {
		t.Errorf("a party's simulation: %+v", j)
	}
	if code, _, _ := f.do(t, "M", "POST", "/api/negotiations/"+nid+"/jobs", "application/json", `{"kind":"simulation","version":"v4","strategies":["nobody"]}`); code != 422 {
		t.Errorf("an unknown strategy: %d", code)
	}
}

func waitJob(t *testing.T, f *fixture, role, loc string) jobs.Job {
	t.Helper()
	var j jobs.Job
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		code, body, _ := f.do(t, role, "GET", loc, "", "")
		if code != 200 {
			t.Fatalf("job: %d %s", code, body)
		}
		json.Unmarshal([]byte(body), &j)
		if j.State == "completed" || j.State == "cancelled" || j.State == "discarded" {
			return j
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("job %s did not finish", loc)
	return j
}

// TestTournamentJob runs a tournament as the mediator, lists and cancels
// jobs, and checks that no one else lists, reads or cancels them.
func TestTournamentJob(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	q := f.jobQueue(t)
	jobsPath := "/api/negotiations/" + nid + "/jobs"
	// Queued before the queue starts, so that it waits: cancelled, it
	// never runs.
	code, body, h := f.do(t, "M", "POST", jobsPath, "application/json", `{"kind":"tournament","version":"v1","strategies":["boulware","conceder"],"rounds":30}`)
	if code != 202 {
		t.Fatalf("queue a tournament: %d %s", code, body)
	}
	first := h.Get("Location")
	for _, role := range []string{"A", "B", "O", "S"} {
		if code, _, _ := f.do(t, role, "POST", first+"/cancel", "", ""); code != 404 {
			t.Errorf("%s cancels the mediator's job: %d", role, code)
		}
	}
	code, body, _ = f.do(t, "M", "POST", first+"/cancel", "", "")
	var j jobs.Job
	if json.Unmarshal([]byte(body), &j); code != 200 || j.State != "cancelled" {
		t.Fatalf("cancel: %d %s", code, body)
	}
	if err := q.Start(ctx); err != nil {
		t.Fatal(err)
	}
	defer q.Stop(ctx)
	_, _, h = f.do(t, "M", "POST", jobsPath, "application/json", `{"kind":"tournament","version":"v1","strategies":["boulware","conceder"],"rounds":30,"reps":2}`)
	second := h.Get("Location")
	j = waitJob(t, f, "M", second)
	var res tournamentResult
	if err := json.Unmarshal(j.Result, &res); err != nil || j.State != "completed" {
		t.Fatalf("tournament %s: %v %+v", j.State, err, j.Errors)
	}
	want := 2
	for range res.Parties[1:] {
		want *= 2
	}
	if res.Planned != want*2 || res.Played != res.Planned || len(res.Standings) != 2 || res.Standings[0].Strategy != "boulware" {
		t.Errorf("tournament: %+v", res)
	}
	if j.Progress == nil || *j.Progress != (jobs.Progress{Done: res.Planned, Total: res.Planned}) {
		t.Errorf("a completed tournament's progress: %+v, expected %d of %d", j.Progress, res.Planned, res.Planned)
	}
	if code, body, _ := f.do(t, "M", "POST", second+"/cancel", "", ""); code != 409 {
		t.Errorf("cancel a completed job: %d %s", code, body)
	}

	// The list: the mediator's two, newest first, without results; no one
	// else's list holds them.
	code, body, _ = f.do(t, "M", "GET", jobsPath, "", "")
	var js []jobs.Job
	if err := json.Unmarshal([]byte(body), &js); err != nil || code != 200 || len(js) != 2 {
		t.Fatalf("the mediator's jobs: %d %s", code, body)
	}
	if js[0].State != "completed" || js[1].State != "cancelled" || js[0].Result != nil || js[0].ID < js[1].ID {
		t.Errorf("the mediator's jobs: %+v", js)
	}
	if p := js[0].Progress; p == nil || p.Done != p.Total || p.Total == 0 {
		t.Errorf("the listed completed tournament's progress: %+v", p)
	}
	for _, role := range []string{"A", "B", "O"} {
		if code, body, _ := f.do(t, role, "GET", jobsPath, "", ""); code != 200 || body != "[]\n" && body != "[]" {
			t.Errorf("%s lists jobs: %d %s", role, code, body)
		}
	}

	// Bad requests say which field.
	for _, c := range []struct{ body, field string }{
		{`{"kind":"tournament","version":"v1","strategies":["boulware","boulware"]}`, "strategies[1]"},
		{`{"kind":"tournament","version":"v1","strategies":["boulware","conceder","hardheaded","random","tft"],"reps":100}`, "strategies"},
		{`{"kind":"tournament","version":"v1","strategies":["nobody"]}`, "strategies[0]"},
	} {
		code, body, _ := f.do(t, "M", "POST", jobsPath, "application/json", c.body)
		if code != 422 || !strings.Contains(body, `"`+c.field+`"`) {
			t.Errorf("%s: %d %s", c.body, code, body)
		}
	}
}

// TestCancelRunningTournament cancels a long tournament while it runs:
// the job shows its progress, the cancel is accepted (202), and the job
// ends cancelled with the progress it had made and no result.
func TestCancelRunningTournament(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	q := f.jobQueue(t)
	if err := q.Start(ctx); err != nil {
		t.Fatal(err)
	}
	defer q.Stop(ctx)
	// 5 strategies over 4 parties, 32 times: 20,000 negotiations.
	code, body, h := f.do(t, "M", "POST", "/api/negotiations/"+nid+"/jobs", "application/json",
		`{"kind":"tournament","version":"v1","strategies":["boulware","conceder","linear","tft","frequency"],"reps":32}`)
	if code != 202 {
		t.Fatalf("queue: %d %s", code, body)
	}
	loc := h.Get("Location")
	var j jobs.Job
	deadline := time.Now().Add(30 * time.Second)
	for j.Progress == nil && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
		_, body, _ = f.do(t, "M", "GET", loc, "", "")
		j = jobs.Job{}
		json.Unmarshal([]byte(body), &j)
	}
	if j.State == "completed" {
		t.Skip("the tournament finished before it could be cancelled")
	}
	if j.Progress == nil || j.Progress.Total != 20000 || j.State != "running" {
		t.Fatalf("a running tournament: %s", body)
	}
	code, body, _ = f.do(t, "M", "POST", loc+"/cancel", "", "")
	if code != 202 && code != 200 {
		t.Fatalf("cancel a running job: %d %s", code, body)
	}
	j = waitJob(t, f, "M", loc)
	if j.State != "cancelled" || j.Result != nil || j.Progress == nil || j.Progress.Done >= j.Progress.Total {
		t.Errorf("a cancelled tournament: %+v", j)
	}
}

// TestJobKinds queues one job of each kind and reads its kind back, as the
// request named it, from the job and from the list: while it waits and
// once it has finished.
func TestJobKinds(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	q := f.jobQueue(t)
	jobsPath := "/api/negotiations/" + nid + "/jobs"
	requests := map[string]string{
		"analysis":   `{"kind":"analysis","version":"v1"}`,
		"simulation": `{"kind":"simulation","version":"v1","strategies":["boulware","conceder"],"rounds":20}`,
		"tournament": `{"kind":"tournament","version":"v1","strategies":["boulware","conceder"],"rounds":20}`,
	}
	where := map[string]string{} // kind → the job's address
	for kind, req := range requests {
		code, body, h := f.do(t, "M", "POST", jobsPath, "application/json", req)
		var created struct{ Kind string }
		if err := json.Unmarshal([]byte(body), &created); err != nil || code != 202 || created.Kind != kind {
			t.Fatalf("queue %s: %d %s", kind, code, body)
		}
		where[kind] = h.Get("Location")
	}
	check := func(stage string) {
		t.Helper()
		for kind, loc := range where {
			code, body, _ := f.do(t, "M", "GET", loc, "", "")
			var j struct{ Kind, State string }
			if err := json.Unmarshal([]byte(body), &j); err != nil || code != 200 || j.Kind != kind {
				t.Errorf("%s: the %s job reads %d %s", stage, kind, code, trim(body))
			}
		}
		code, body, _ := f.do(t, "M", "GET", jobsPath, "", "")
		var list []struct {
			ID   int64
			Kind string
		}
		if err := json.Unmarshal([]byte(body), &list); err != nil || code != 200 {
			t.Fatalf("%s: the list: %d %s", stage, code, trim(body))
		}
		listed := map[string]bool{}
		for _, j := range list {
			if _, ok := requests[j.Kind]; !ok {
				t.Errorf("%s: job %d is listed with kind %q", stage, j.ID, j.Kind)
			}
			if !strings.HasSuffix(where[j.Kind], "/"+strconv.FormatInt(j.ID, 10)) {
				t.Errorf("%s: job %d is listed as a %s, which is at %s", stage, j.ID, j.Kind, where[j.Kind])
			}
			listed[j.Kind] = true
		}
		if len(listed) != len(requests) {
			t.Errorf("%s: the list has kinds %v, expected %d", stage, listed, len(requests))
		}
	}
	check("waiting")
	if err := q.Start(ctx); err != nil {
		t.Fatal(err)
	}
	defer q.Stop(ctx)
	for kind, loc := range where {
		if j := waitJob(t, f, "M", loc); j.State != "completed" {
			t.Errorf("the %s job ended %s: %v", kind, j.State, j.Errors)
		}
	}
	check("finished")
	// Their results write numbers readably: no floating-point noise.
	noise := regexp.MustCompile(`[0-9]\.[0-9]{13,}`)
	for kind, loc := range where {
		if kind == "analysis" {
			continue // the analysis JSON is the analysis endpoint's
		}
		_, body, _ := f.do(t, "M", "GET", loc, "", "")
		if m := noise.FindAllString(body, 5); m != nil {
			t.Errorf("the %s job's result writes noise: %q", kind, m)
		}
	}
}

// TestJobResultsRound checks that the numbers of simulation and tournament
// results are rounded, noise and all.
func TestJobResultsRound(t *testing.T) {
	noisy := 0.3874999999999997
	if m := finite(simulate.Stat{N: 2, Mean: noisy}); m == nil {
		t.Errorf("a tournament's mean %v is written null", noisy)
	} else if *m != 0.3875 {
		t.Errorf("a tournament's mean %v is written %v", noisy, *m)
	}
	if m := finite(simulate.Stat{N: 0, Mean: math.NaN()}); m != nil {
		t.Errorf("the mean of nothing is written %v", *m)
	}
}
