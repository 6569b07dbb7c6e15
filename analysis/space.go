package analysis

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
	n := len(p.Parties)
	s := &space{n: n, offset: make([]float64, n), fixed: make([]int, len(p.Issues))}
	for i := range p.Issues {
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
			return nil, false
		}
		// Drop options dominated by (or equal to) another option.
		var keep []int
		for a, oa := range cand {
			ua := p.Issues[i].Options[oa].Utility
			dominated := false
			for b, ob := range cand {
				if a == b {
					continue
				}
				ub := p.Issues[i].Options[ob].Utility
				if dominates(ub, ua) || (b < a && equal(ub, ua)) {
					dominated = true
					break
				}
			}
			if !dominated {
				keep = append(keep, oa)
			}
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
	return s, true
}

// pkg turns a choice per space issue into a Package of the problem.
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
