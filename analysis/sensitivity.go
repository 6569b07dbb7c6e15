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
}

// SensitivityTolerance is the precision of the weight ranges.
const SensitivityTolerance = 1e-4

// ReservationSensitivity returns, for each party, the interval of its
// reservation value over which the Nash package nash stays the Nash
// package, the other parties' disagreement values staying at d. The frontier
// f must be exact: moving a disagreement value does not move the frontier,
// and against each frontier vector y the comparison of Nash products is
// linear in the moving value, so every bound is exact.
func ReservationSensitivity(p *Problem, f *FrontierResult, d []float64, nash *Outcome) []ReservationRange {
	if nash == nil {
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

// WeightSensitivity returns, for each party and each issue with a choice
// that the party weighs, the interval of the issue's weight share over
// which the Nash package keeps its choices. It needs the parties' weight
// shares per issue (Issue.Weights).
func WeightSensitivity(ctx context.Context, p *Problem, d []float64, nash *Outcome) ([]WeightRange, error) {
	if nash == nil {
		return nil, nil
	}
	s, ok := newSpace(p, nil)
	if !ok {
		return nil, nil
	}
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
			same := func(share float64) (bool, error) {
				q := reweighted(p, si.index, k, share)
				sol, err := Solve(ctx, q, d)
				if err != nil || sol.Nash == nil {
					return false, err
				}
				return samePackage(sol.Nash.Package, nash.Package), nil
			}
			lo, err := edge(same, w, 0)
			if err != nil {
				return nil, err
			}
			hi, err := edge(same, w, 1)
			if err != nil {
				return nil, err
			}
			out = append(out, WeightRange{Party: p.Parties[k], Points: is.Points, Share: w, From: lo, To: hi})
		}
	}
	return out, nil
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
// in steps of 0.02 finds the first failure, bisection refines it.
func edge(same func(float64) (bool, error), start, limit float64) (float64, error) {
	const step = 0.02
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

func samePackage(a, b Package) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
