package analysis

import (
	"context"
	"math"
)

// ReservationRange is how far one party's reservation value can move, the
// others' staying put, before the Nash package changes.
type ReservationRange struct {
	Party       string  `json:"party"`
	Reservation float64 `json:"reservation"`
	// From and To bound the interval of reservation values over which the
	// Nash package stays the same.
	From float64 `json:"from"`
	To   float64 `json:"to"`
}

// WeightRange is how far a party's weight share of an issue can move
// before the Nash package changes; the party's other weights scale so that
// its weights keep their sum.
type WeightRange struct {
	Party  string   `json:"party"`
	Points []string `json:"points"`
	// Share is the issue's share of the party's total weight.
	Share float64 `json:"share"`
	// From and To bound the shares over which the Nash package stays the
	// same, found by bisection to within SensitivityTolerance.
	From float64 `json:"from"`
	To   float64 `json:"to"`
}

// Sensitivity describes how robust the Nash package is.
type Sensitivity struct {
	Reservation []ReservationRange `json:"reservation"`
	Weights     []WeightRange      `json:"weights,omitempty"`
	// WeightsTruncated is true when the weight ranges stopped at the
	// budget (MaxWeightEvaluations checks, MaxWeightWork partial packages)
	// before every issue was done.
	WeightsTruncated bool `json:"weights_truncated,omitempty"`
}

// SensitivityTolerance is the precision of the weight ranges.
const SensitivityTolerance = 1e-3

// MaxWeightEvaluations bounds the number of times WeightSensitivity checks
// whether the Nash package is still optimal.
const MaxWeightEvaluations = 3000

// MaxWeightWork bounds the partial packages those checks may generate in
// all: a deterministic limit on their time (about a second's work).
const MaxWeightWork = 2_000_000

// ReservationSensitivity returns, for each party, the interval of its
// reservation value over which the Nash package nash stays the Nash
// package, the other parties' disagreement values staying at d. The frontier
// f must be exact: moving a disagreement value does not move the frontier,
// and against each frontier vector y the comparison of Nash products is
// linear in the moving value, so every bound is exact.
func ReservationSensitivity(p *Problem, f *FrontierResult, d []float64, nash *Outcome) []ReservationRange {
	if nash == nil || len(d) != len(p.Parties) {
		return nil
	}
	n := len(p.Parties)
	x := nash.Utilities
	var out []ReservationRange
	for k := range n {
		ax := 1.0
		for q := range n {
			if q != k {
				ax *= x[q] - d[q]
			}
		}
		lo, hi := 0.0, math.Min(1, x[k]) // x stops gaining at x[k]
		for _, o := range f.Outcomes {
			y := o.Utilities
			if equal(x, y) {
				continue
			}
			ay := 1.0
			for q := range n {
				if q != k {
					g := y[q] - d[q]
					if g <= tol {
						ay = 0
						break
					}
					ay *= g
				}
			}
			if ay == 0 {
				continue
			}
			// y beats x at t when ay*(y_k - t) > ax*(x_k - t), that is
			// when a - b*t > 0, and y still gains (t < y_k): on the
			// interval (from, to).
			a := ay*y[k] - ax*x[k]
			b := ay - ax
			from, to := math.Inf(-1), y[k]
			switch {
			case b > 0:
				to = math.Min(to, a/b)
			case b < 0:
				from = a / b
			case a <= 0:
				continue
			}
			if from >= to {
				continue
			}
			if to <= d[k]+tol && to > lo {
				lo = to
			}
			if from >= d[k]-tol && from < hi {
				hi = from
			}
		}
		out = append(out, ReservationRange{Party: p.Parties[k], Reservation: d[k], From: lo, To: hi})
	}
	return out
}

// WeightSensitivity returns, with the disagreement point d (the
// reservation values when nil), for each issue with a choice and each party
// that weighs it, the interval of the issue's weight share over which the
// Nash package stays optimal. It needs the parties' weight shares per issue
// (Issue.Weights). Each check is a branch and bound seeded with the Nash
// package under the new weights, which proves it optimal or finds better.
// It reports true when it stopped at MaxWeightEvaluations.
func WeightSensitivity(ctx context.Context, p *Problem, d []float64, nash *Outcome) ([]WeightRange, bool, error) {
	return weightSensitivity(ctx, p, d, nash, nil)
}

// weightSensitivity is WeightSensitivity telling report, when not nil, how
// many checks it has made.
func weightSensitivity(ctx context.Context, p *Problem, d []float64, nash *Outcome, report func(int)) ([]WeightRange, bool, error) {
	if nash == nil {
		return nil, false, nil
	}
	d, err := disagreementOf(p, d)
	if err != nil {
		return nil, false, err
	}
	s, ok := newSpace(p, nil)
	if !ok {
		return nil, false, nil
	}
	evals := 0
	var work int64
	var out []WeightRange
	for _, si := range s.issues {
		is := &p.Issues[si.index]
		if len(is.Weights) != len(p.Parties) {
			continue
		}
		for k := range p.Parties {
			w := is.Weights[k]
			if w <= 0 || w >= 1 {
				continue
			}
			if evals >= MaxWeightEvaluations || work >= MaxWeightWork {
				return out, true, nil
			}
			same := func(share float64) (bool, error) {
				evals++
				if report != nil {
					report(evals)
				}
				q := reweighted(p, si.index, k, share)
				qs, _ := newSpace(q, nil)
				qs.work = &work
				seed := q.outcome(nash.Package)
				obj := nashObj{d}
				v, ok := obj.value(seed.Utilities)
				if !ok {
					return false, nil
				}
				best, err := qs.optimize(ctx, q, obj, seed)
				if err != nil {
					return false, err
				}
				bv, _ := obj.value(best.Utilities)
				return bv <= v+objTol, nil
			}
			lo, err := edge(same, w, 0)
			if err != nil {
				return nil, false, err
			}
			hi, err := edge(same, w, 1)
			if err != nil {
				return nil, false, err
			}
			out = append(out, WeightRange{Party: p.Parties[k], Points: is.Points, Share: w, From: lo, To: hi})
		}
	}
	return out, false, nil
}

// reweighted returns p with party k's weight share of issue i set to share,
// the party's other issues scaled to keep the sum of its weights.
func reweighted(p *Problem, i, k int, share float64) *Problem {
	q := *p
	q.Issues = append([]Issue(nil), p.Issues...)
	w := p.Issues[i].Weights[k]
	in, rest := share/w, (1-share)/(1-w)
	for j := range q.Issues {
		f := rest
		if j == i {
			f = in
		}
		is := q.Issues[j]
		opts := make([]Option, len(is.Options))
		for o, op := range is.Options {
			op.Utility = append([]float64(nil), op.Utility...)
			op.Utility[k] *= f
			opts[o] = op
		}
		is.Options = opts
		q.Issues[j] = is
	}
	return &q
}

// edge walks from start towards limit and returns the last value at which
// same holds before it first fails, to within SensitivityTolerance: a scan
// in steps of 0.05 finds the first failure, bisection refines it.
func edge(same func(float64) (bool, error), start, limit float64) (float64, error) {
	const step = 0.05
	dir := 1.0
	if limit < start {
		dir = -1
	}
	good := start
	for {
		next := good + dir*step
		if (dir > 0 && next >= limit) || (dir < 0 && next <= limit) {
			next = limit
		}
		ok, err := same(next)
		if err != nil {
			return 0, err
		}
		if !ok {
			bad := next
			for math.Abs(bad-good) > SensitivityTolerance {
				mid := (good + bad) / 2
				ok, err := same(mid)
				if err != nil {
					return 0, err
				}
				if ok {
					good = mid
				} else {
					bad = mid
				}
			}
			return good, nil
		}
		good = next
		if good == limit {
			return good, nil
		}
	}
}
