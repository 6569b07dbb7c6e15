package analysis

import (
	"context"
	"encoding/json"
	"math/big"
)

// Options tune Analyze.
type Options struct {
	// Disagreement is the disagreement point of the solutions and of the
	// zone of agreement; nil means the reservation values.
	Disagreement []float64
	// Epsilon asks for an ε-approximate frontier (0: exact when feasible;
	// see FrontierOptions).
	Epsilon float64
	// MaxRelaxations bounds the number of relaxations reported (default 10).
	MaxRelaxations int
	// NoSensitivity skips the sensitivity analysis.
	NoSensitivity bool
	// Progress, when set, is told which stage the analysis has reached
	// ("frontier", "solutions", "relaxations", "sensitivity") and, within
	// a stage that counts, how much of it is done.
	Progress func(stage string, done, total int)
}

func (o *Options) progress(stage string, done, total int) {
	if o.Progress != nil {
		o.Progress(stage, done, total)
	}
}

// Result is a full analysis of a problem. Its JSON form is the stable
// contract of "parley analyze --json", documented in docs/analysis.md.
type Result struct {
	// Parties are the party ids, in the order of every utilities array.
	Parties      []string  `json:"parties"`
	Reservation  []float64 `json:"reservation"`
	Disagreement []float64 `json:"disagreement"`
	// Outcomes is the number of packages; Acceptable the number acceptable
	// to all.
	Outcomes   Count `json:"outcomes"`
	Acceptable Count `json:"acceptable"`
	// Feasible is true when some package is acceptable to all;
	// ZoneOfAgreement when one of them also gives every party at least its
	// disagreement value.
	Feasible        bool `json:"feasible"`
	ZoneOfAgreement bool `json:"zone_of_agreement"`
	// Epsilon is set when the frontier is ε-approximate.
	Epsilon   float64    `json:"epsilon,omitempty"`
	Pareto    []Outcome  `json:"pareto"`
	Solutions *Solutions `json:"solutions"`
	Conflicts []Conflict `json:"conflicts"`
	// Relaxations are the smallest sets of constraints whose lifting opens
	// a zone of agreement (empty when one is open); RelaxationSize is
	// their size (0 when a zone is open, -1 when no lifting opens one).
	Relaxations    []Relaxation `json:"relaxations"`
	RelaxationSize int          `json:"relaxation_size"`
	// RelaxationsCut is empty when Relaxations lists every smallest
	// relaxation, else why it does not.
	RelaxationsCut RelaxationCut `json:"relaxations_cut,omitempty"`
	Sensitivity    *Sensitivity  `json:"sensitivity,omitempty"`
}

// Count is a number of packages: a JSON number up to 2^53, a decimal
// string beyond.
type Count struct{ *big.Int }

// MarshalJSON writes the count as a number when a float64 holds it exactly.
func (c Count) MarshalJSON() ([]byte, error) {
	if c.Int == nil {
		return []byte("0"), nil
	}
	if c.Int.Cmp(new(big.Int).Lsh(big.NewInt(1), 53)) <= 0 {
		return []byte(c.Int.String()), nil
	}
	return json.Marshal(c.Int.String())
}

// Analyze runs the whole analysis of p.
func Analyze(ctx context.Context, p *Problem, opt Options) (*Result, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	d, err := disagreementOf(p, opt.Disagreement)
	if err != nil {
		return nil, err
	}
	r := &Result{
		Parties:      p.Parties,
		Reservation:  p.Reservation,
		Disagreement: d,
		Outcomes:     Count{p.Outcomes()},
		Acceptable:   Count{acceptableCount(p)},
		Pareto:       []Outcome{},
		Solutions:    &Solutions{},
		Conflicts:    Conflicts(p),
		Relaxations:  []Relaxation{},
	}
	if r.Conflicts == nil {
		r.Conflicts = []Conflict{}
	}
	s, feasible, err := newSpaceCtx(ctx, p, nil)
	if err != nil {
		return nil, err
	}
	r.Feasible = feasible
	var f *FrontierResult
	if feasible {
		opt.progress("frontier", 0, 0)
		if f, err = s.frontier(ctx, p, FrontierOptions{Epsilon: opt.Epsilon}); err != nil {
			return nil, err
		}
		r.Pareto, r.Epsilon = f.Outcomes, f.Epsilon
		opt.progress("solutions", 0, 0)
		if r.Solutions, err = s.solve(ctx, p, f, d); err != nil {
			return nil, err
		}
		r.ZoneOfAgreement = r.Solutions.Maximin != nil
	}
	if !r.ZoneOfAgreement {
		opt.progress("relaxations", 0, 0)
		rr, err := RelaxationSearch(ctx, p, d, RelaxOptions{Max: opt.MaxRelaxations, Epsilon: opt.Epsilon})
		if err != nil {
			return nil, err
		}
		r.RelaxationSize, r.RelaxationsCut = rr.Size, rr.Cut
		if rr.Relaxations != nil {
			r.Relaxations = rr.Relaxations
		}
	}
	if !opt.NoSensitivity && r.Solutions.Nash != nil {
		sens := &Sensitivity{Reservation: []ReservationRange{}}
		if f.Epsilon == 0 {
			sens.Reservation = ReservationSensitivity(p, f, d, r.Solutions.Nash)
		} else {
			sens.ReservationNote = ReservationNeedsExactFrontier
		}
		opt.progress("sensitivity", 0, MaxWeightEvaluations)
		report := func(done int) { opt.progress("sensitivity", done, MaxWeightEvaluations) }
		if sens.Weights, sens.WeightsTruncated, err = weightSensitivity(ctx, p, d, r.Solutions.Nash, report); err != nil {
			return nil, err
		}
		r.Sensitivity = sens
	}
	return r, nil
}

func acceptableCount(p *Problem) *big.Int {
	n := big.NewInt(1)
	for _, is := range p.Issues {
		c := 0
		for _, o := range is.Options {
			if len(o.Blockers) == 0 {
				c++
			}
		}
		n.Mul(n, big.NewInt(int64(c)))
	}
	return n
}
