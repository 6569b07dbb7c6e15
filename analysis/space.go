package analysis

import (
	"context"
	"math"
)

// tol is the tolerance below which two utilities count as equal. Utilities
// lie in [0,1] and are sums of at most a few thousand terms, whose rounding
// errors are far below it.
const tol = 1e-9

// space is a Problem restricted to the options allowed (by default, those
// acceptable to all), with the options that another option of the same issue
// dominates removed, and the issues left with one option folded into a
// constant. Every Pareto-optimal package of the restricted problem, and so
// every solution, has a counterpart in the space with the same utilities.
type space struct {
	n int
	// offset is the utility of the issues that have one option left.
	offset []float64
	// fixed gives, per issue of the problem, the option of an issue folded
	// into offset, or -1.
	fixed []int
	// issues are the issues with a choice left; vals holds their options'
	// utilities, flat, n per option.
	issues []spaceIssue
	// work, when not nil, counts the partial packages the branch and bound
	// generates, so that callers can bound the effort of many searches.
	work *int64
}

type spaceIssue struct {
	index int   // issue index in the Problem
	opts  []int // option indexes in the Problem
	vals  []float64
}

// newSpace restricts p to the options for which allowed returns true (all
// options acceptable to all when allowed is nil). It reports false when some
// issue has no allowed option.
func newSpace(p *Problem, allowed func(issue, option int) bool) (*space, bool) {
	s, ok, _ := newSpaceCtx(context.Background(), p, allowed)
	return s, ok
}

// newSpaceCtx is newSpace honouring ctx: an issue of points joined by
// linkages can have a million options.
func newSpaceCtx(ctx context.Context, p *Problem, allowed func(issue, option int) bool) (*space, bool, error) {
	n := len(p.Parties)
	s := &space{n: n, offset: make([]float64, n), fixed: make([]int, len(p.Issues))}
	for i := range p.Issues {
		if err := ctx.Err(); err != nil {
			return nil, false, err
		}
		var cand []int
		for o := range p.Issues[i].Options {
			ok := len(p.Issues[i].Options[o].Blockers) == 0
			if allowed != nil {
				ok = allowed(i, o)
			}
			if ok {
				cand = append(cand, o)
			}
		}
		if len(cand) == 0 {
			return nil, false, nil
		}
		// Drop options dominated by (or equal to) another.
		keep, err := undominatedOptions(ctx, p.Issues[i].Options, cand, n)
		if err != nil {
			return nil, false, err
		}
		if len(keep) == 1 {
			s.fixed[i] = keep[0]
			for k, u := range p.Issues[i].Options[keep[0]].Utility {
				s.offset[k] += u
			}
			continue
		}
		s.fixed[i] = -1
		si := spaceIssue{index: i, opts: keep}
		for _, o := range keep {
			si.vals = append(si.vals, p.Issues[i].Options[o].Utility...)
		}
		s.issues = append(s.issues, si)
	}
	return s, true, nil
}

// undominatedOptions returns the options of cand that no other option of
// cand dominates, the first of each group of equal ones, in their order.
// A few options are compared pair by pair; many go through the frontier's
// filter.
func undominatedOptions(ctx context.Context, opts []Option, cand []int, n int) ([]int, error) {
	if len(cand) <= 32 {
		var keep []int
		for a, oa := range cand {
			ua := opts[oa].Utility
			dominated := false
			for b, ob := range cand {
				if a == b {
					continue
				}
				ub := opts[ob].Utility
				if dominates(ub, ua) || (b < a && equal(ub, ua)) {
					dominated = true
					break
				}
			}
			if !dominated {
				keep = append(keep, oa)
			}
		}
		return keep, nil
	}
	vals := make([]float64, 0, len(cand)*n)
	for _, o := range cand {
		vals = append(vals, opts[o].Utility...)
	}
	idx, err := paretoFilterCtx(ctx, vals, n)
	if err != nil {
		return nil, err
	}
	keep := make([]int, len(idx))
	for i, c := range idx {
		keep[i] = cand[c]
	}
	return keep, nil
}

// pkg turns a choice per space issue into a Package of the problem.
// bestRest returns, at j*n+k, the most party k can get from the issues of
// the space from j on (n the number of parties); the last n entries are 0.
func (s *space) bestRest() []float64 {
	n := s.n
	rest := make([]float64, (len(s.issues)+1)*n)
	for j := len(s.issues) - 1; j >= 0; j-- {
		si := s.issues[j]
		for k := range n {
			mx := math.Inf(-1)
			for o := range si.opts {
				mx = math.Max(mx, si.vals[o*n+k])
			}
			rest[j*n+k] = rest[(j+1)*n+k] + mx
		}
	}
	return rest
}

// linearBest returns, for weights lam on the parties, rest[j] the largest
// Σ_k lam[k]·u_k over the issues of the space from j on (rest[len] is 0),
// choice the option of each issue that reaches it (the first among equals)
// and u the utilities of the package it makes, offset included.
func (s *space) linearBest(lam []float64) (rest []float64, choice []int, u []float64) {
	n := s.n
	rest = make([]float64, len(s.issues)+1)
	choice = make([]int, len(s.issues))
	u = append([]float64(nil), s.offset...)
	for j := len(s.issues) - 1; j >= 0; j-- {
		si := s.issues[j]
		mx := math.Inf(-1)
		for o := range si.opts {
			v := 0.0
			for k := range n {
				v += lam[k] * si.vals[o*n+k]
			}
			if v > mx {
				mx, choice[j] = v, o
			}
		}
		rest[j] = rest[j+1] + mx
		for k := range n {
			u[k] += si.vals[choice[j]*n+k]
		}
	}
	return rest, choice, u
}

func (s *space) pkg(choice []int) Package {
	out := make(Package, len(s.fixed))
	copy(out, s.fixed)
	for j, si := range s.issues {
		out[si.index] = si.opts[choice[j]]
	}
	return out
}

// dominates reports whether a Pareto-dominates b: at least as good for
// every party and better for one, up to tol.
func dominates(a, b []float64) bool {
	better := false
	for k := range a {
		if a[k] < b[k]-tol {
			return false
		}
		if a[k] > b[k]+tol {
			better = true
		}
	}
	return better
}

// covers reports whether a is at least as good as b for every party, up to
// tol: a dominates or equals b.
func covers(a, b []float64) bool {
	for k := range a {
		if a[k] < b[k]-tol {
			return false
		}
	}
	return true
}

func equal(a, b []float64) bool {
	for k := range a {
		if a[k] < b[k]-tol || a[k] > b[k]+tol {
			return false
		}
	}
	return true
}
