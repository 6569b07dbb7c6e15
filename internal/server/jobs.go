package server

import (
	"context"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"

	"parley/analysis"
	"parley/round"
	"parley/simulate"

	"parley/internal/access"
	"parley/internal/apperr"
	"parley/internal/jobs"
)

type jobRequest struct {
	Kind    string `json:"kind"`
	Version string `json:"version,omitempty"`
	// For a simulation: strategies (one per party, repeated if fewer),
	// rounds (default 100), reps (default 1, at most 100) and seed. For a
	// tournament: the strategies that take part (each once), rounds, reps
	// of every pairing (default 1) and seed.
	Strategies []string `json:"strategies,omitempty"`
	Rounds     int      `json:"rounds,omitempty"`
	Reps       int      `json:"reps,omitempty"`
	Seed       uint64   `json:"seed,omitempty"`
}

func (s *Server) createJob(w http.ResponseWriter, r *http.Request, c *call) error {
	const op = "job.create"
	var req jobRequest
	if err := decodeJSON(r, &req); err != nil {
		return err
	}
	st, rd, err := s.open(r, c)
	if err != nil {
		return err
	}
	if !access.Can(rd, access.Analyze, access.Resource{}) {
		return apperr.E(op, apperr.Forbidden, "%s may not %s", rd.Role.Someone(), access.Analyze.Phrase())
	}
	var args jobs.Args
	switch req.Kind {
	case jobs.KindAnalysis:
		args = jobs.AnalysisArgs{Negotiation: st.ID, Version: req.Version, Account: c.acct.ID}
	case jobs.KindSimulation:
		sim, err := simulationArgs(req)
		if err != nil {
			return err
		}
		sim.Negotiation, sim.Version, sim.Account = st.ID, req.Version, c.acct.ID
		args = sim
	case jobs.KindTournament:
		t, err := tournamentArgs(req)
		if err != nil {
			return err
		}
		t.Negotiation, t.Version, t.Account = st.ID, req.Version, c.acct.ID
		if err := checkTournamentSize(st.Scenario(rd), t); err != nil {
			return err
		}
		args = t
	default:
		return &apperr.Error{Op: op, Kind: apperr.Invalid, Msg: "unknown job", Fields: []apperr.Field{{Path: "kind", Detail: "must be analysis, simulation or tournament"}}}
	}
	if _, ok := st.Scenario(rd).Version(req.Version); !ok {
		return &apperr.Error{Op: op, Kind: apperr.Invalid, Msg: "unknown version", Fields: []apperr.Field{{Path: "version", Detail: "no version " + strconv.Quote(req.Version)}}}
	}
	if s.jobs == nil {
		return apperr.E(op, apperr.Conflict, "this server runs no background jobs")
	}
	id, err := s.jobs.Enqueue(r.Context(), args)
	if err != nil {
		return err
	}
	loc := "/api/negotiations/" + st.ID + "/jobs/" + strconv.FormatInt(id, 10)
	w.Header().Set("Location", loc)
	writeJSON(w, http.StatusAccepted, map[string]any{"id": id, "kind": req.Kind, "state": "available", "href": loc})
	return nil
}

func (s *Server) getJob(w http.ResponseWriter, r *http.Request, c *call) error {
	j, err := s.ownJob(r, c, "job.get")
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, j)
	return nil
}

// ownJob returns the job of the request's path if the caller asked for it
// in this negotiation; NotFound for anyone else, so that others' jobs are
// not disclosed.
func (s *Server) ownJob(r *http.Request, c *call, op string) (*jobs.Job, error) {
	st, _, err := s.open(r, c)
	if err != nil {
		return nil, err
	}
	id, err := strconv.ParseInt(r.PathValue("job"), 10, 64)
	if err != nil || s.jobs == nil {
		return nil, apperr.E(op, apperr.NotFound, "no job %q", r.PathValue("job"))
	}
	j, err := s.jobs.Job(r.Context(), id)
	if err != nil {
		return nil, err
	}
	// A job is its requester's: its result is what they may see.
	if j.Negotiation != st.ID || j.Account != c.acct.ID {
		return nil, apperr.E(op, apperr.NotFound, "no job %d", id)
	}
	return j, nil
}

func (s *Server) listJobs(w http.ResponseWriter, r *http.Request, c *call) error {
	st, _, err := s.open(r, c)
	if err != nil {
		return err
	}
	js := []*jobs.Job{}
	if s.jobs != nil {
		if js, err = s.jobs.List(r.Context(), st.ID, c.acct.ID); err != nil {
			return err
		}
	}
	// A listing carries no results: each job's own resource has its.
	for _, j := range js {
		j.Result = nil
	}
	writeJSON(w, http.StatusOK, js)
	return nil
}

func (s *Server) cancelJob(w http.ResponseWriter, r *http.Request, c *call) error {
	const op = "job.cancel"
	j, err := s.ownJob(r, c, op)
	if err != nil {
		return err
	}
	if j, err = s.jobs.Cancel(r.Context(), j.ID); err != nil {
		return err
	}
	if j.State == "completed" || j.State == "discarded" {
		return apperr.E(op, apperr.Conflict, "job %d has finished already (%s)", j.ID, j.State)
	}
	if j.State != "cancelled" {
		// Running: its work is told to stop and ends cancelled, unless it
		// finishes first. Poll the job.
		writeJSON(w, http.StatusAccepted, j)
		return nil
	}
	writeJSON(w, http.StatusOK, j)
	return nil
}

// RunAnalysis is the work of an analysis job: the analysis of a version as
// the requesting member sees the negotiation now.
func (s *Server) RunAnalysis(ctx context.Context, args jobs.AnalysisArgs) (json.RawMessage, error) {
	acct, err := s.store.Account(ctx, args.Account)
	if err != nil {
		return nil, err
	}
	st, rd, err := s.svc.Open(ctx, acct, args.Negotiation)
	if err != nil {
		return nil, err
	}
	b, err := s.analysisFor(ctx, st, rd, args.Version)
	return b, err
}

// Work returns the work of the server's background jobs.
func (s *Server) Work() jobs.Work {
	return jobs.Work{Analysis: s.RunAnalysis, Simulation: s.RunSimulation, Tournament: s.RunTournament}
}

const maxReps, maxRounds = 100, 10000

func simulationArgs(req jobRequest) (jobs.SimulationArgs, error) {
	const op = "job.create"
	bad := func(path, detail string) error {
		return &apperr.Error{Op: op, Kind: apperr.Invalid, Msg: "invalid " + req.Kind, Fields: []apperr.Field{{Path: path, Detail: detail}}}
	}
	a := jobs.SimulationArgs{Strategies: req.Strategies, Rounds: req.Rounds, Reps: req.Reps, Seed: req.Seed}
	if a.Rounds == 0 {
		a.Rounds = 100
	}
	if a.Reps == 0 {
		a.Reps = 1
	}
	if a.Rounds < 1 || a.Rounds > maxRounds {
		return a, bad("rounds", "must be 1 to "+strconv.Itoa(maxRounds))
	}
	if a.Reps < 1 || a.Reps > maxReps {
		return a, bad("reps", "must be 1 to "+strconv.Itoa(maxReps))
	}
	if len(a.Strategies) == 0 {
		return a, bad("strategies", "name at least one strategy: "+strings.Join(simulate.Names(), ", "))
	}
	for i, n := range a.Strategies {
		if _, err := simulate.Lookup(n); err != nil {
			return a, bad("strategies["+strconv.Itoa(i)+"]", "no strategy "+strconv.Quote(n)+"; known: "+strings.Join(simulate.Names(), ", "))
		}
	}
	return a, nil
}

// simulationRun is one simulated negotiation.
type simulationRun struct {
	Agreement bool              `json:"agreement"`
	End       string            `json:"end"`
	Round     int               `json:"round"`
	Package   map[string]string `json:"package"`
	// Utilities are rounded by round.Float, as in every output.
	Utilities []float64 `json:"utilities"`
}

type simulationResult struct {
	Negotiation string          `json:"negotiation"`
	Version     string          `json:"version"`
	Parties     []string        `json:"parties"`
	Strategies  []string        `json:"strategies"`
	Rounds      int             `json:"rounds"`
	Agreements  int             `json:"agreements"`
	Runs        []simulationRun `json:"runs"`
	Note        string          `json:"note,omitempty"`
}

// seenNote says that a simulation or tournament saw only some positions.
const seenNote = "simulated over the positions you can see: your own and those shared with you"

// simulationDomain is the domain of a simulation or a tournament: the
// version with the positions the requester may see now.
type simulationDomain struct {
	id      string // the negotiation
	role    access.Role
	problem *analysis.Problem
	domain  *simulate.Domain
}

func (s *Server) simulationDomain(ctx context.Context, op, account, negotiation, version string) (*simulationDomain, error) {
	acct, err := s.store.Account(ctx, account)
	if err != nil {
		return nil, err
	}
	st, rd, err := s.svc.Open(ctx, acct, negotiation)
	if err != nil {
		return nil, err
	}
	sc := st.Scenario(rd)
	p, err := analysis.Compile(sc, version)
	if err != nil {
		return nil, apperr.E(op, apperr.Invalid, "cannot simulate version %q with the positions you can see: %v", version, err)
	}
	if len(p.Parties) < 2 {
		return nil, apperr.E(op, apperr.Invalid, "a simulation needs two parties; you see the positions of %d", len(p.Parties))
	}
	discount := make([]float64, len(p.Parties))
	for i, id := range p.Parties {
		if party, ok := sc.Party(id); ok {
			discount[i] = party.Discount
		}
	}
	d, err := simulate.NewDomain(sc.ID, p, discount)
	if err != nil {
		return nil, apperr.E(op, apperr.Invalid, "cannot simulate: %v", err)
	}
	return &simulationDomain{id: st.ID, role: rd.Role, problem: p, domain: d}, nil
}

// RunSimulation is the work of a simulation job: negotiations between
// automated strategies built from the positions the requester may see.
func (s *Server) RunSimulation(ctx context.Context, args jobs.SimulationArgs, progress func(done, total int)) (json.RawMessage, error) {
	sd, err := s.simulationDomain(ctx, "simulation", args.Account, args.Negotiation, args.Version)
	if err != nil {
		return nil, err
	}
	p, d := sd.problem, sd.domain
	res := simulationResult{Negotiation: sd.id, Version: args.Version, Parties: p.Parties, Rounds: args.Rounds, Runs: []simulationRun{}}
	for i := range p.Parties {
		res.Strategies = append(res.Strategies, args.Strategies[i%len(args.Strategies)])
	}
	if sd.role != access.Mediator {
		res.Note = seenNote
	}
	for rep := range args.Reps {
		var strats []simulate.Strategy
		for _, n := range res.Strategies {
			f, _ := simulate.Lookup(n)
			strats = append(strats, f())
		}
		out, err := simulate.Negotiate(ctx, d, strats, simulate.Options{Rounds: args.Rounds, Seed: args.Seed + uint64(rep)})
		if err != nil {
			return nil, err
		}
		run := simulationRun{Agreement: out.Agreement, End: out.End, Round: out.Round, Utilities: round.Floats(out.Utilities)}
		if out.Package != nil {
			run.Package = p.Choices(out.Package)
			res.Agreements++
		}
		res.Runs = append(res.Runs, run)
		progress(rep+1, args.Reps)
	}
	return json.Marshal(res)
}
