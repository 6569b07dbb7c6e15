package server

import (
	"context"
	"encoding/json"
	"math"
	"strconv"
	"strings"

	"parley/analysis"
	"parley/round"
	"parley/scenario"
	"parley/simulate"

	"parley/internal/access"
	"parley/internal/apperr"
	"parley/internal/jobs"
)

// maxTournament bounds the negotiations of one tournament job.
const maxTournament = 20000

func tournamentArgs(req jobRequest) (jobs.TournamentArgs, error) {
	sim, err := simulationArgs(req)
	if err != nil {
		return jobs.TournamentArgs{}, err
	}
	seen := map[string]int{}
	for i, n := range sim.Strategies {
		if j, ok := seen[n]; ok {
			return jobs.TournamentArgs{}, &apperr.Error{Op: "job.create", Kind: apperr.Invalid, Msg: "invalid tournament", Fields: []apperr.Field{{
				Path: "strategies[" + strconv.Itoa(i) + "]", Detail: strconv.Quote(n) + " is listed already, at strategies[" + strconv.Itoa(j) + "]"}}}
		}
		seen[n] = i
	}
	return jobs.TournamentArgs{Strategies: sim.Strategies, Rounds: sim.Rounds, Reps: sim.Reps, Seed: sim.Seed}, nil
}

// checkTournamentSize refuses a tournament of more than maxTournament
// negotiations over the parties the requester sees. A version that does
// not compile is left to the version check and the job.
func checkTournamentSize(sc *scenario.Scenario, t jobs.TournamentArgs) error {
	p, err := analysis.Compile(sc, t.Version)
	if err != nil {
		return nil
	}
	n := math.Pow(float64(len(t.Strategies)), float64(len(p.Parties))) * float64(t.Reps)
	if n > maxTournament {
		return &apperr.Error{Op: "job.create", Kind: apperr.Invalid, Msg: "tournament too large", Fields: []apperr.Field{{
			Path: "strategies", Detail: strconv.Itoa(len(t.Strategies)) + " strategies over " + strconv.Itoa(len(p.Parties)) +
				" parties, " + strconv.Itoa(t.Reps) + " times each, make " + strconv.FormatFloat(n, 'f', 0, 64) +
				" negotiations; at most " + strconv.Itoa(maxTournament) + ": fewer strategies or reps"}}}
	}
	return nil
}

// standing is one strategy's results in a tournament. Means are null when
// there is nothing to average.
type standing struct {
	Strategy     string   `json:"strategy"`
	Negotiations int      `json:"negotiations"`
	Agreements   *float64 `json:"agreement_rate"`
	Round        *float64 `json:"mean_round"`
	Utility      *float64 `json:"mean_utility"`
	Payoff       *float64 `json:"mean_payoff"`
	Welfare      *float64 `json:"mean_welfare"`
	Pareto       *float64 `json:"mean_pareto_distance"`
	Nash         *float64 `json:"mean_nash_distance"`
	Dropped      int      `json:"dropped"`
}

type tournamentResult struct {
	Negotiation string     `json:"negotiation"`
	Version     string     `json:"version"`
	Parties     []string   `json:"parties"`
	Strategies  []string   `json:"strategies"`
	Rounds      int        `json:"rounds"`
	Reps        int        `json:"reps"`
	Seed        uint64     `json:"seed"`
	Planned     int        `json:"planned"`
	Played      int        `json:"played"`
	Standings   []standing `json:"standings"`
	Note        string     `json:"note,omitempty"`
}

// finite returns the mean of s rounded by round.Float, as in every output,
// or nil when there is nothing to average.
func finite(s simulate.Stat) *float64 {
	if s.N == 0 || math.IsNaN(s.Mean) || math.IsInf(s.Mean, 0) {
		return nil
	}
	m := round.Float(s.Mean)
	return &m
}

// RunTournament is the work of a tournament job: a round robin of the
// strategies on the version, over the positions the requester may see,
// reporting its progress in negotiations played.
func (s *Server) RunTournament(ctx context.Context, args jobs.TournamentArgs, progress func(done, total int)) (json.RawMessage, error) {
	const op = "tournament"
	sd, err := s.simulationDomain(ctx, op, args.Account, args.Negotiation, args.Version)
	if err != nil {
		return nil, err
	}
	t := &simulate.Tournament{
		Domains: []*simulate.Domain{sd.domain},
		Reps:    args.Reps, Rounds: args.Rounds, Seed: args.Seed,
		// One worker: the server's requests come first.
		Workers:  1,
		Progress: progress,
	}
	for _, n := range args.Strategies {
		f, err := simulate.Lookup(n)
		if err != nil {
			return nil, apperr.E(op, apperr.Invalid, "no strategy %q; known: %s", n, strings.Join(simulate.Names(), ", "))
		}
		t.Strategies = append(t.Strategies, simulate.Entry{Name: n, New: f})
	}
	if n := t.Negotiations(); n > maxTournament {
		return nil, apperr.E(op, apperr.Invalid, "%.0f negotiations over the parties you can see, more than %d: use fewer strategies or reps", n, maxTournament)
	}
	rep, err := t.Run(ctx)
	if err != nil {
		return nil, err
	}
	res := tournamentResult{
		Negotiation: sd.id, Version: args.Version, Parties: sd.problem.Parties, Strategies: args.Strategies,
		Rounds: args.Rounds, Reps: args.Reps, Seed: args.Seed,
		Planned: rep.Planned, Played: len(rep.Records), Standings: []standing{},
	}
	for _, a := range rep.ByStrategy {
		res.Standings = append(res.Standings, standing{
			Strategy: a.Name, Negotiations: a.Negotiations,
			Agreements: finite(a.Agreement), Round: finite(a.Round), Utility: finite(a.Utility), Payoff: finite(a.Payoff),
			Welfare: finite(a.Welfare), Pareto: finite(a.ParetoDistance), Nash: finite(a.NashDistance), Dropped: a.Dropped,
		})
	}
	if sd.role != access.Mediator {
		res.Note = seenNote
	}
	return json.Marshal(res)
}
