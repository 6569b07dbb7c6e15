package web

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"parley/analysis"
	"parley/internal/access"
	"parley/internal/apperr"
	"parley/internal/chart"
	"parley/internal/jobs"
	"parley/scenario"
	"parley/simulate"
)

// A simulation runs in the server's process as a background job: the
// page starts it and watches its progress. It is not kept across a
// restart of the server (the page says so).

// run is one simulated negotiation as the page shows it.
type run struct {
	Agreement bool      `json:"agreement"`
	End       string    `json:"end"`
	Round     int       `json:"round"`
	Utilities []float64 `json:"utilities"`
	// Crossed is set when the agreement crosses a red line (known for
	// the simulations run in-process).
	Crossed bool `json:"-"`
}

// job is one simulation: strategies per party, rounds, repetitions.
type job struct {
	ID, Negotiation, Owner string
	Version                string
	Parties                []string
	Strategies             []string
	Rounds, Reps           int
	Started                time.Time

	mu       sync.Mutex
	done     int
	finished bool
	err      string
	results  []run
	chart    []byte
	took     time.Duration
}

// jobView is a job as a page shows it, copied under its lock.
type jobView struct {
	ID, Version         string
	Parties, Strategies []string
	Rounds, Reps, Done  int
	Finished            bool
	Err                 string
	Results             []run
	// Queued is set for a job of the server's durable queue: it reports
	// its state, not each run, until it is finished.
	Queued      bool
	State       string
	Chart       []byte
	Took        time.Duration
	Agreements  int
	MeanUtility []float64
	MeanRound   float64
}

func (j *job) view() jobView {
	j.mu.Lock()
	defer j.mu.Unlock()
	v := jobView{ID: j.ID, Version: j.Version, Parties: j.Parties, Strategies: j.Strategies, Rounds: j.Rounds, Reps: j.Reps,
		Done: j.done, Finished: j.finished, Err: j.err, Results: j.results, Chart: j.chart, Took: j.took}
	v.summarise()
	return v
}

// summarise counts the agreements and averages the outcomes.
func (v *jobView) summarise() {
	if len(v.Results) > 0 {
		v.MeanUtility = make([]float64, len(v.Parties))
		for _, r := range v.Results {
			if r.Agreement {
				v.Agreements++
			}
			v.MeanRound += float64(r.Round)
			for k, x := range r.Utilities {
				v.MeanUtility[k] += x
			}
		}
		for k := range v.MeanUtility {
			v.MeanUtility[k] /= float64(len(v.Results))
		}
		v.MeanRound /= float64(len(v.Results))
	}
}

// Percent is how much of the job is done.
func (v jobView) Percent() int {
	if v.Reps == 0 {
		return 0
	}
	return 100 * v.Done / v.Reps
}

type localJobs struct {
	mu   sync.Mutex
	byID map[string]*job
}

func newJobs() *localJobs { return &localJobs{byID: map[string]*job{}} }

func (js *localJobs) add(j *job) {
	js.mu.Lock()
	defer js.mu.Unlock()
	js.byID[j.ID] = j
}

func (js *localJobs) get(id string) (*job, bool) {
	js.mu.Lock()
	defer js.mu.Unlock()
	j, ok := js.byID[id]
	return j, ok
}

const (
	maxRounds = 10_000
	maxReps   = 100
)

type simulateData struct {
	Versions   []scenario.Version
	Version    string
	Parties    []string
	Strategies []string
	Summaries  map[string]string
	Job        *jobView
	// Durable is set when simulations go to the server's job queue.
	Durable bool
	// Why, when set, says why the reader cannot simulate: the form is
	// not offered.
	Why string
}

func (u *UI) simulateForm(q *req) (simulateData, *scenario.Scenario, error) {
	if !access.Can(q.rd, access.Analyze, access.Resource{}) {
		return simulateData{}, nil, apperr.E("simulate", apperr.Forbidden, "%s may not simulate", q.rd.Role.Someone())
	}
	sc := q.st.Scenario(q.rd)
	d := simulateData{Versions: sc.Versions, Strategies: simulate.Names(), Summaries: map[string]string{}, Durable: u.queue() != nil}
	for _, n := range d.Strategies {
		d.Summaries[n] = simulate.Summary(n)
	}
	if len(sc.Versions) > 0 {
		// The latest version the parties have, rather than a draft.
		d.Version = sc.Versions[len(sc.Versions)-1].ID
		aud := q.st.Audience()
		for i := len(sc.Versions) - 1; i >= 0; i-- {
			if _, published := aud[sc.Versions[i].ID]; published {
				d.Version = sc.Versions[i].ID
				break
			}
		}
		if p, err := analysis.Compile(sc, d.Version); err == nil {
			d.Parties = p.Parties
		}
	}
	if len(d.Parties) < 2 && q.rd.Role != access.Mediator {
		d.Why = "A simulation needs the positions of at least two parties, and you can see fewer on this text: your own, if any, and those shared with you. The others' positions are confidential until they share them."
	}
	return d, sc, nil
}

func (u *UI) simulatePage(q *req) error {
	d, _, err := u.simulateForm(q)
	if err != nil {
		return err
	}
	u.render(q.w, q, http.StatusOK, "simulate", "Simulation", d)
	return nil
}

func (u *UI) simulateJob(q *req) error {
	d, _, err := u.simulateForm(q)
	if err != nil {
		return err
	}
	id := q.r.PathValue("job")
	if n, err := strconv.ParseInt(strings.TrimPrefix(id, "q"), 10, 64); err == nil && strings.HasPrefix(id, "q") && u.queue() != nil {
		v, err := u.queuedView(q, n)
		if err != nil {
			return err
		}
		d.Job = v
	} else {
		j, ok := u.jobs.get(id)
		if !ok || j.Negotiation != q.st.ID || j.Owner != q.acct.ID {
			return apperr.E("simulate", apperr.NotFound, "no simulation %q: simulations run without the job queue are kept until the server restarts", id)
		}
		v := j.view()
		d.Job = &v
	}
	if q.r.URL.Query().Get("fragment") == "job" {
		return u.fragment(q.w, q, "simulate", "job", d)
	}
	u.render(q.w, q, http.StatusOK, "simulate", "Simulation", d)
	return nil
}

func (u *UI) simulateStart(q *req) error {
	const op = "simulate"
	_, sc, err := u.simulateForm(q)
	if err != nil {
		return err
	}
	f := q.r.PostForm
	bad := func(path, detail string) error {
		return &apperr.Error{Op: op, Kind: apperr.Invalid, Msg: "invalid simulation", Fields: []apperr.Field{{Path: path, Detail: detail}}}
	}
	vid := f.Get("version")
	p, err := analysis.Compile(sc, vid)
	if err != nil {
		return bad("version", "cannot be simulated with the positions you can see: "+err.Error())
	}
	rounds, err := strconv.Atoi(f.Get("rounds"))
	if err != nil || rounds < 1 || rounds > maxRounds {
		return bad("rounds", fmt.Sprintf("a whole number from 1 to %d", maxRounds))
	}
	reps, err := strconv.Atoi(f.Get("reps"))
	if err != nil || reps < 1 || reps > maxReps {
		return bad("reps", fmt.Sprintf("a whole number from 1 to %d", maxReps))
	}
	var strategies []string
	for _, party := range p.Parties {
		s := f.Get("strategy." + party)
		if _, err := simulate.Lookup(s); err != nil {
			return bad("strategy."+party, "pick one of the strategies")
		}
		strategies = append(strategies, s)
	}
	discount := make([]float64, len(p.Parties))
	for k, id := range p.Parties {
		if pt, ok := sc.Party(id); ok {
			discount[k] = pt.Discount
		}
	}
	dom, err := simulate.NewDomain(sc.ID+"@"+vid, p, discount)
	if err != nil {
		return bad("version", err.Error())
	}
	if queue := u.queue(); queue != nil {
		id, err := queue.Enqueue(q.r.Context(), jobs.SimulationArgs{Negotiation: q.st.ID, Version: vid, Account: q.acct.ID,
			Strategies: strategies, Rounds: rounds, Reps: reps, Seed: 1})
		if err != nil {
			return err
		}
		http.Redirect(q.w, q.r, q.base()+"/simulate/q"+strconv.FormatInt(id, 10), http.StatusSeeOther)
		return nil
	}
	b := make([]byte, 8)
	rand.Read(b)
	j := &job{ID: hex.EncodeToString(b), Negotiation: q.st.ID, Owner: q.acct.ID, Version: vid, Parties: p.Parties,
		Strategies: strategies, Rounds: rounds, Reps: reps, Started: time.Now()}
	u.jobs.add(j)
	go j.run(dom, p, sc.Title)
	http.Redirect(q.w, q.r, q.base()+"/simulate/"+url.PathEscape(j.ID), http.StatusSeeOther)
	return nil
}

// run plays the repetitions one after another, each with its own seed.
func (j *job) run(dom *simulate.Domain, p *analysis.Problem, title string) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	for rep := 0; rep < j.Reps; rep++ {
		var players []simulate.Strategy
		for _, s := range j.Strategies {
			f, _ := simulate.Lookup(s)
			players = append(players, f())
		}
		res, err := simulate.Negotiate(ctx, dom, players, simulate.Options{Rounds: j.Rounds, Seed: uint64(rep + 1)})
		j.mu.Lock()
		if err != nil {
			j.err = err.Error()
			j.finished = true
			j.mu.Unlock()
			return
		}
		j.results = append(j.results, run{Agreement: res.Agreement, End: res.End, Round: res.Round, Utilities: res.Utilities, Crossed: res.Agreement && !res.Acceptable})
		j.done++
		j.mu.Unlock()
	}
	j.mu.Lock()
	results := j.results
	j.mu.Unlock()
	svg := outcomeChart(results, p, title)
	j.mu.Lock()
	j.chart, j.finished, j.took = svg, true, time.Since(j.Started).Round(time.Millisecond)
	j.mu.Unlock()
}

// A chart of many parties draws at most maxOutcomeLines outcomes and
// maxFrontierLines frontier packages, and its note says so when it leaves
// some out: more lines would be unreadable.
const (
	maxOutcomeLines  = 12
	maxFrontierLines = 200
)

// outcomeChart draws the outcomes among the Pareto frontier.
func outcomeChart(results []run, p *analysis.Problem, title string) []byte {
	res, err := analysis.Analyze(context.Background(), p, analysis.Options{NoSensitivity: true, MaxRelaxations: 1})
	note := fmt.Sprintf("%d simulated negotiations; outcomes marked", len(results))
	if len(p.Parties) == 2 {
		pl := &chart.Plane{Title: title, Note: note, XLabel: p.Parties[0] + "'s utility", YLabel: p.Parties[1] + "'s utility"}
		if err == nil {
			for _, o := range res.Pareto {
				pl.Frontier = append(pl.Frontier, chart.XY{X: o.Utilities[0], Y: o.Utilities[1]})
			}
			pl.Reservation = &chart.XY{X: res.Disagreement[0], Y: res.Disagreement[1]}
		}
		for i, r := range results {
			if r.Agreement {
				pl.Marks = append(pl.Marks, chart.Mark{At: chart.XY{X: r.Utilities[0], Y: r.Utilities[1]}, Label: fmt.Sprintf("run %d", i+1), Kind: chart.Agreement})
			}
		}
		return pl.SVG()
	}
	par := &chart.Parallel{Title: title, Axes: p.Parties}
	var left []string // what the chart leaves out, said in its note
	if err == nil {
		par.Reservation = res.Disagreement
		for i, o := range res.Pareto {
			if i == maxFrontierLines {
				left = append(left, fmt.Sprintf("%d of the %d Pareto-optimal packages drawn", maxFrontierLines, len(res.Pareto)))
				break
			}
			par.Frontier = append(par.Frontier, o.Utilities)
		}
	}
	seen := map[string]bool{}
	distinct := 0
	for _, r := range results {
		if k := fmt.Sprint(r.Utilities); !seen[k] {
			seen[k] = true
			distinct++
		}
	}
	if distinct > maxOutcomeLines {
		left = append([]string{fmt.Sprintf("the first %d of %d distinct outcomes drawn", maxOutcomeLines, distinct)}, left...)
	}
	if len(left) > 0 {
		note += "; " + strings.Join(left, "; ")
	}
	par.Note = note
	clear(seen)
	for i, r := range results {
		k := fmt.Sprint(r.Utilities)
		if seen[k] || len(par.Lines) >= maxOutcomeLines {
			continue
		}
		seen[k] = true
		label := fmt.Sprintf("run %d: no agreement", i+1)
		if r.Agreement {
			label = fmt.Sprintf("run %d: agreement", i+1)
		}
		par.Lines = append(par.Lines, chart.Line{Values: r.Utilities, Label: label, Kind: chart.Agreement})
	}
	return par.SVG()
}

// queue is the server's durable job queue, if it has one.
func (u *UI) queue() *jobs.Queue {
	if s, ok := u.srv.(interface{ Jobs() *jobs.Queue }); ok {
		return s.Jobs()
	}
	return nil
}

// queuedResult is what a simulation job of the queue returns.
type queuedResult struct {
	Version    string   `json:"version"`
	Parties    []string `json:"parties"`
	Strategies []string `json:"strategies"`
	Rounds     int      `json:"rounds"`
	Runs       []run    `json:"runs"`
	Note       string   `json:"note"`
}

// queuedView reads a simulation job of the queue: its requester's alone.
func (u *UI) queuedView(q *req, id int64) (*jobView, error) {
	j, err := u.queue().Job(q.r.Context(), id)
	if err != nil {
		return nil, err
	}
	if j.Negotiation != q.st.ID || j.Account != q.acct.ID || j.Kind != jobs.KindSimulation {
		return nil, apperr.E("simulate", apperr.NotFound, "no simulation q%d", id)
	}
	v := &jobView{ID: fmt.Sprintf("q%d", id), Queued: true, State: j.State, Err: strings.Join(j.Errors, "; ")}
	switch j.State {
	case "completed", "cancelled", "discarded":
		v.Finished = true
	}
	if j.Finished != nil {
		v.Took = j.Finished.Sub(j.Created).Round(time.Millisecond)
	}
	if p := j.Progress; p != nil && p.Total > 0 {
		v.Reps, v.Done = p.Total, p.Done
	}
	if len(j.Result) > 0 {
		var res queuedResult
		if err := json.Unmarshal(j.Result, &res); err != nil {
			return nil, apperr.Wrap("simulate", apperr.Internal, err, "unreadable simulation result")
		}
		v.Version, v.Parties, v.Strategies, v.Rounds, v.Results = res.Version, res.Parties, res.Strategies, res.Rounds, res.Runs
		v.Reps, v.Done = len(res.Runs), len(res.Runs)
		v.summarise()
		sc := q.st.Scenario(q.rd)
		if p, err := analysis.Compile(sc, res.Version); err == nil {
			v.Chart = outcomeChart(res.Runs, p, sc.Title)
		}
	}
	return v, nil
}
