package analysis

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"sort"
)

// Outcome is a package with every party's utility. Its JSON form is
// {"package": {point id: option id}, "utilities": [...]}.
type Outcome struct {
	Package Package
	// Utilities are in the order of Problem.Parties.
	Utilities []float64
	problem   *Problem
}

func (p *Problem) outcome(pkg Package) *Outcome {
	return &Outcome{Package: pkg, Utilities: p.Utilities(pkg), problem: p}
}

// Choices maps each point id to the option id the package chooses; it is
// nil for an Outcome the engine did not make.
func (o *Outcome) Choices() map[string]string {
	if o.problem == nil {
		return nil
	}
	return o.problem.Choices(o.Package)
}

// MarshalJSON writes the package as a map from point id to option id.
func (o Outcome) MarshalJSON() ([]byte, error) {
	return json.Marshal(struct {
		Package   map[string]string `json:"package"`
		Utilities []float64         `json:"utilities"`
	}{o.Choices(), o.Utilities})
}

// FrontierOptions tune Frontier.
type FrontierOptions struct {
	// Epsilon, when positive, asks for an ε-approximate frontier: every
	// Pareto-optimal package has a reported package that is at most
	// Epsilon worse for every party. Zero asks for the exact frontier,
	// which is computed unless, with three or more parties, one merge
	// step has more than Limit candidate vectors; DefaultEpsilon is then
	// used from that step on.
	Epsilon float64
	// Limit is the number of candidate vectors of one merge step beyond
	// which the ε-approximation takes over (default DefaultFrontierLimit).
	Limit int
	// stepLimit, when positive, replaces ManyPartyFrontierLimit, so that
	// tests reach the steps that raise ε on small problems.
	stepLimit int
}

// DefaultFrontierLimit is the default FrontierOptions.Limit.
const DefaultFrontierLimit = 6_000

// DefaultEpsilon is the ε used when an exact frontier is too large.
const DefaultEpsilon = 0.01

// FrontierResult is the Pareto frontier of the packages acceptable to all.
type FrontierResult struct {
	// Outcomes are the Pareto-optimal packages, one per distinct utility
	// vector, sorted by decreasing utility of the first party, then of the
	// next.
	Outcomes []Outcome
	// Epsilon is 0 when the frontier is exact, else the ε of the
	// approximation.
	Epsilon float64
}

// Frontier returns the Pareto frontier of the packages acceptable to all
// (no red line crossed, no linkage broken). The frontier is built issue by
// issue: the frontier of the first k issues, combined with the options of
// issue k+1, pruned of dominated vectors, is the frontier of the first k+1.
// It is empty when no package is acceptable to all.
func Frontier(ctx context.Context, p *Problem, opt FrontierOptions) (*FrontierResult, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	s, ok, err := newSpaceCtx(ctx, p, nil)
	if err != nil || !ok {
		return &FrontierResult{}, err
	}
	return s.frontier(ctx, p, opt)
}

func (s *space) frontier(ctx context.Context, p *Problem, opt FrontierOptions) (*FrontierResult, error) {
	limit := opt.Limit
	if limit <= 0 {
		limit = DefaultFrontierLimit
	}
	eps := opt.Epsilon
	if eps < 0 || math.IsNaN(eps) {
		return nil, fmt.Errorf("analysis: negative epsilon %v", eps)
	}
	m, err := s.merge(ctx, mergeOptions{eps: eps, limit: limit, most: opt.stepLimit})
	if err != nil {
		return nil, err
	}
	res := &FrontierResult{Epsilon: m.eps}
	n := m.n
	res.Outcomes = make([]Outcome, m.size())
	for i := range res.Outcomes {
		res.Outcomes[i] = *p.outcome(s.pkg(m.choice(i)))
	}
	// By decreasing utility of the first party, then of the next, as
	// reported (the merge adds up in another order, which can differ in
	// the last bit).
	slices.SortStableFunc(res.Outcomes, func(a, b Outcome) int {
		for k := range n {
			if c := cmp.Compare(b.Utilities[k], a.Utilities[k]); c != 0 {
				return c
			}
		}
		return 0
	})
	return res, nil
}

// merged is the result of merging the issues of a space: the vectors of the
// final frontier, and for every level the parent and option of each vector,
// from which the packages are rebuilt.
type merged struct {
	n      int
	vals   []float64 // final vectors, n per entry, offset included
	parent [][]int32 // parent[j][e]: index at level j-1 of entry e at level j
	option [][]int32 // option[j][e]: option of issue j chosen by entry e
	eps    float64
}

func (m *merged) size() int { return len(m.vals) / m.n }

// push records the next level: the kept candidates of cand, each of which
// combines entry c/k of the previous level with option c%k (or, when from
// is not nil, entry from[c]/k with option from[c]%k). It returns their
// vectors.
func (m *merged) push(cand []float64, keep, from []int, k int) []float64 {
	n := m.n
	par := make([]int32, len(keep))
	opt := make([]int32, len(keep))
	next := make([]float64, 0, len(keep)*n)
	for i, c := range keep {
		f := c
		if from != nil {
			f = from[c]
		}
		par[i], opt[i] = int32(f/k), int32(f%k)
		next = append(next, cand[c*n:c*n+n]...)
	}
	m.parent = append(m.parent, par)
	m.option = append(m.option, opt)
	return next
}

func (m *merged) choice(idx int) []int {
	levels := len(m.option)
	c := make([]int, levels)
	for j := levels - 1; j >= 0; j-- {
		c[j] = int(m.option[j][idx])
		idx = int(m.parent[j][idx])
	}
	return c
}

// maxStepCandidates bounds the candidate vectors of one step of an
// ε-frontier: when the vectors a step keeps, times the options of the next
// issue, would pass it, the step's grid is coarsened (its side doubled)
// until they do not, and the frontier's ε is the error actually allowed,
// which is then larger than the ε asked for. It bounds memory (2M
// candidates of 8 parties take about 130 MB) where a fine grid in many
// dimensions would keep nearly every vector.
const maxStepCandidates = 2_000_000

// ManyPartyFrontierLimit bounds the vectors one step of an ε-frontier keeps
// with five or more parties, so that a step costs a bounded time. When the
// candidates of a step would keep more, each kept vector is let stand for
// more of them (see coverStep), and the frontier says which ε it reached,
// possibly more than the ε asked for.
const ManyPartyFrontierLimit = 10_000

// mergeOptions tune merge.
type mergeOptions struct {
	eps   float64 // the ε asked for, or 0
	limit int     // candidates of a step beyond which ε takes over
	most  int     // when positive, replaces ManyPartyFrontierLimit
	// floor, when not nil, drops the packages that give some party less.
	floor []float64
}

// reaches reports whether base plus ov plus rest gives every party at least
// floor, up to tol.
func reaches(base, ov, rest, floor []float64) bool {
	for q := range floor {
		if base[q]+ov[q]+rest[q] < floor[q]-tol {
			return false
		}
	}
	return true
}

// merge builds the frontier of the space issue by issue. With eps > 0, or
// when the exact frontier outgrows limit with three or more parties, the
// steps thin their candidates so that the whole stays within ε, and the
// result says which ε it reached when a step had to allow more (see
// maxStepCandidates and ManyPartyFrontierLimit). With three or four
// parties each step keeps one vector per box of an ε-grid, and the steps
// share the error budget: the result's ε is at most the sum of the steps'
// errors. With five or more, each vector carries the error it stands for
// per party (see coverFilter), and the result's ε is the largest error of
// any party of a vector of the last step.
//
// With a floor, the partial packages whose best completion falls short of
// some party's floor are dropped: a package Pareto-optimal among those
// above the floor is Pareto-optimal among all, and a dominated partial
// package stays dominated whatever follows, so the pruning is exact. The
// result is then empty when no package reaches the floor.
func (s *space) merge(ctx context.Context, mo mergeOptions) (*merged, error) {
	eps, limit, floor := mo.eps, mo.limit, mo.floor
	n := s.n
	m := &merged{n: n}
	cur := append([]float64(nil), s.offset...)
	// rest[j*n+k] is the most party k can get from the issues from j on.
	var rest []float64
	if floor != nil {
		rest = s.bestRest()
	}
	asked := eps > 0
	approx := asked
	if !approx {
		eps = DefaultEpsilon
	}
	// Error budget: the remaining steps share what is left of eps; used
	// is the error the steps have allowed so far.
	budget, used, last := eps, 0.0, 0.0
	coarsened := false
	// With five parties or more: the errors each vector of cur stands
	// for, one per party, the bound on them, and the last step's raise of
	// the bound.
	errs, bound, inc := make([]float64, n), 0.0, 0.0
	// lost, with a floor and five parties or more, is the largest error
	// of a vector dropped for falling short of the floor: the packages it
	// stood for are not listed, and may pass the floor by up to lost, so
	// the result is no more exact than that.
	lost := 0.0
	// approximated tells whether some step dropped a vector that no kept
	// vector covers: only then is the result labelled with ε.
	approximated := false
	for j, si := range s.issues {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		k := len(si.opts)
		cnt := len(cur) / n
		cand := make([]float64, 0, cnt*k*n)
		// from[c], with a floor, is the index e*k+o of candidate c, which
		// combines entry e of cur with option o.
		var from []int
		for e := range cnt {
			base := cur[e*n : e*n+n]
			for o := range k {
				ov := si.vals[o*n : o*n+n]
				if floor != nil && !reaches(base, ov, rest[(j+1)*n:(j+2)*n], floor) {
					if n >= 5 {
						lost = max(lost, slices.Max(errs[e*n:e*n+n]))
					}
					continue
				}
				for q := range n {
					cand = append(cand, base[q]+ov[q])
				}
				if floor != nil {
					from = append(from, e*k+o)
				}
			}
		}
		if len(cand) == 0 {
			// No package reaches the floor, unless one was stood for by
			// a vector that falls short of it: then the answer is only
			// as exact as the steps that approximated.
			m := &merged{n: n}
			if lost > 0 {
				m.eps = max(eps, lost)
			}
			if approximated {
				m.eps = max(m.eps, eps, used)
			}
			return m, nil
		}
		if !approx && n >= 3 && len(cand)/n > limit {
			approx = true
		}
		// The most vectors this step may keep.
		most := maxStepCandidates
		if j+1 < len(s.issues) {
			most /= len(s.issues[j+1].opts)
		}
		if n >= 5 {
			most = min(most, ManyPartyFrontierLimit)
			if mo.most > 0 {
				most = mo.most
			}
		}
		var keep []int
		var err error
		cnt = len(cand) / n
		if approx && n >= 5 {
			cerr := make([]float64, 0, cnt*n)
			for c := range cnt {
				f := c
				if from != nil {
					f = from[c]
				}
				cerr = append(cerr, errs[f/k*n:f/k*n+n]...)
			}
			// The bound grows with the steps: step j may let a vector
			// stand for others up to (j+1)/steps of the budget.
			bound = max(bound, eps*float64(j+1)/float64(len(s.issues)))
			if keep, errs, bound, inc, err = coverStep(ctx, cand, cerr, n, bound, inc, most); err != nil {
				return nil, err
			}
			cur = m.push(cand, keep, from, k)
			continue
		} else if asked && n >= 3 && cnt <= most && gridTooFine(cand, n, budget, j, len(s.issues)) {
			// A grid this fine merges almost nothing: the exact filter
			// is as small and cheaper, and spends none of the budget.
			if keep, err = paretoFilterCtx(ctx, cand, n); err != nil {
				return nil, err
			}
		} else if approx && n >= 3 {
			// The later steps, where the frontier is largest, get the
			// larger share of what is left of the budget: step j's share
			// grows with j.
			weight := 0.0
			for i := j; i < len(s.issues); i++ {
				weight += float64(i + 1)
			}
			share := budget * float64(j+1) / weight
			delta := share
			if delta <= 0 {
				delta = last // the budget is spent: keep the last grid
			}
			// Coarsen first by the count of distinct boxes, which is
			// cheap: the boxes that no other dominates are rarely fewer
			// than a quarter of them.
			for delta < 1 && boxCount(cand, n, delta, 4*most) > 4*most {
				delta *= 2
			}
			var exact bool
			for {
				if keep, exact, err = gridFilter(ctx, cand, n, delta, true); err != nil {
					return nil, err
				}
				if len(keep) <= most || delta >= 1 {
					break
				}
				delta *= 2
			}
			coarsened = coarsened || delta > share
			budget = max(0, budget-delta)
			last = delta
			if exact {
				// Boxes keep apart vectors equal up to the tolerance
				// that fall either side of a grid line: only the exact
				// filter makes the kept vectors the exact frontier.
				if keep, err = exactSubset(ctx, cand, n, keep); err != nil {
					return nil, err
				}
			} else {
				approximated = true
				used += delta
			}
		} else if keep, err = paretoFilterCtx(ctx, cand, n); err != nil {
			return nil, err
		}
		cur = m.push(cand, keep, from, k)
		if n >= 5 {
			errs = make([]float64, len(keep)*n)
		}
	}
	m.vals = cur
	if n >= 5 && approx {
		worst := lost
		for _, e := range errs {
			worst = max(worst, e)
		}
		approximated, used, coarsened = worst > 0, worst, worst > eps+tol
	}
	if approximated {
		m.eps = eps
		if coarsened || used > eps+tol {
			m.eps = max(eps, used)
		}
	}
	return m, nil
}

// paretoFilter returns the indexes of the vectors of vals (n per vector)
// that no other vector dominates, one per group of equal vectors, in
// increasing order.
func paretoFilter(vals []float64, n int) []int {
	keep, _ := paretoFilterCtx(context.Background(), vals, n)
	return keep
}

// paretoFilterCtx is paretoFilter honouring ctx.
func paretoFilterCtx(ctx context.Context, vals []float64, n int) ([]int, error) {
	cnt := len(vals) / n
	idx := make([]int, cnt)
	for i := range idx {
		idx[i] = i
	}
	var keep []int
	switch n {
	case 1:
		best := 0
		for i := 1; i < cnt; i++ {
			if vals[i] > vals[best]+tol {
				best = i
			}
		}
		keep = []int{best}
	case 2:
		keep = filter2(vals, idx)
	default:
		var err error
		if keep, err = filterN(ctx, vals, n, idx); err != nil {
			return nil, err
		}
	}
	sort.Ints(keep)
	return keep, nil
}

// filter2 is the two-party sweep: by decreasing first utility, a vector is
// kept when its second utility beats every kept one.
func filter2(vals []float64, idx []int) []int {
	sort.Slice(idx, func(a, b int) bool {
		x, y := idx[a], idx[b]
		if vals[2*x] != vals[2*y] {
			return vals[2*x] > vals[2*y]
		}
		if vals[2*x+1] != vals[2*y+1] {
			return vals[2*x+1] > vals[2*y+1]
		}
		return x < y
	})
	var keep []int
	best := math.Inf(-1)
	for _, c := range idx {
		u0, u1 := vals[2*c], vals[2*c+1]
		if u1 <= best+tol {
			continue // dominated by or equal to a kept vector
		}
		// Kept vectors whose first utility c matches up to tol are
		// dominated by c.
		for len(keep) > 0 && vals[2*keep[len(keep)-1]] <= u0+tol {
			keep = keep[:len(keep)-1]
		}
		keep = append(keep, c)
		best = u1
	}
	return keep
}

// filterN handles three or more parties. A vector is dropped when another
// covers it and either beats it somewhere or is equal to it and comes first
// (by decreasing sum, then increasing index): what is left is the frontier,
// one vector per group of equal ones. Covering is checked against every
// candidate, kept or not (a vector covered by a dropped one is covered by
// whatever dropped that one), so one balanced k-d tree built over all the
// candidates answers every check in about logarithmic time.
func filterN(ctx context.Context, vals []float64, n int, idx []int) ([]int, error) {
	cnt := len(vals) / n
	sums := make([]float64, cnt)
	for i := range sums {
		for _, v := range vals[i*n : i*n+n] {
			sums[i] += v
		}
	}
	ids := make([]int32, len(idx))
	for i, c := range idx {
		ids[i] = int32(c)
	}
	tree, err := newKDTree(ctx, vals, n, ids)
	if err != nil {
		return nil, err
	}
	var keep []int
	last := -1
	for i, c := range idx {
		if i%4096 == 4095 {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
		}
		v := vals[c*n : c*n+n]
		beats := func(o int) bool {
			if o == c {
				return false
			}
			if !equal(vals[o*n:o*n+n], v) {
				return true
			}
			return sums[o] > sums[c] || (sums[o] == sums[c] && o < c)
		}
		// The vector that covered the last one often covers this one.
		if last >= 0 && coversFlat(vals[last*n:last*n+n], v) && beats(last) {
			continue
		}
		if hit := tree.find(v, tol, func(id int32) bool { return beats(int(id)) }); hit >= 0 {
			last = int(hit)
			continue
		}
		keep = append(keep, c)
	}
	return keep, nil
}

// someDominated returns the vectors of vals (n per vector) less those that
// one of a few others covers: by decreasing sum, each vector is checked
// against the first probe vectors kept and the last one that covered
// another. It drops only covered vectors, not all of them, in time linear
// in their number; the branch and bound needs no more to stay exact.
func someDominated(vals []float64, n, probe int) []int {
	if n <= 2 {
		return paretoFilter(vals, n)
	}
	idx := bySum[int](vals, n)
	var keep []int
	last := -1
	for _, c := range idx {
		v := vals[c*n : c*n+n]
		if last >= 0 && coversFlat(vals[last*n:last*n+n], v) {
			continue
		}
		covered := false
		for _, q := range keep[:min(len(keep), probe)] {
			if coversFlat(vals[q*n:q*n+n], v) {
				covered, last = true, q
				break
			}
		}
		if !covered {
			keep = append(keep, c)
		}
	}
	sort.Ints(keep)
	return keep
}

func coversFlat(a, b []float64) bool {
	for k := range a {
		if a[k] < b[k]-tol {
			return false
		}
	}
	return true
}

// coverStep thins the candidates of one step of a five-party (or more)
// ε-frontier with coverFilter, within bound when that keeps at most most
// vectors. Else the bound is raised above the largest error of the
// candidates (of any party) by inc (the raise of the step before), then by
// half as much again until at most most vectors are kept. It returns the
// kept candidates, their errors (n per kept candidate), the bound used and
// its raise.
func coverStep(ctx context.Context, cand, errs []float64, n int, bound, inc float64, most int) ([]int, []float64, float64, float64, error) {
	floor := slices.Max(errs)
	bound = max(bound, floor)
	inc = max(inc, tol)
	if len(errs)/n > most {
		// A bound at the candidates' largest error rarely thins them
		// enough: start at the raise of the step before.
		bound = max(bound, floor+inc)
	}
	for {
		keep, ke, err := coverFilter(ctx, cand, errs, n, bound)
		if err != nil {
			return nil, nil, 0, 0, err
		}
		if len(keep) <= most || bound >= 1 {
			if slices.Max(ke) == 0 {
				// Only covered vectors were dropped: make the kept ones
				// the exact frontier, one per group of equal vectors.
				keep, err = exactSubset(ctx, cand, n, keep)
				ke = make([]float64, len(keep)*n)
			}
			return keep, ke, bound, max(inc, bound-floor), err
		}
		if bound < floor+inc {
			bound = floor + inc
		} else {
			bound = floor + 1.5*(bound-floor)
		}
	}
}

// exactSubset returns the indexes of keep whose vectors no other of keep
// dominates, one per group of equal ones.
func exactSubset(ctx context.Context, vals []float64, n int, keep []int) ([]int, error) {
	sub := make([]float64, 0, len(keep)*n)
	for _, c := range keep {
		sub = append(sub, vals[c*n:c*n+n]...)
	}
	kk, err := paretoFilterCtx(ctx, sub, n)
	if err != nil {
		return nil, err
	}
	for i, c := range kk {
		kk[i] = keep[c]
	}
	return kk, nil
}

// gridTooFine reports whether the grid step j of steps would use puts
// nine in ten candidates in boxes of their own.
func gridTooFine(cand []float64, n int, budget float64, j, steps int) bool {
	weight := 0.0
	for i := j; i < steps; i++ {
		weight += float64(i + 1)
	}
	delta := budget * float64(j+1) / weight
	cnt := len(cand) / n
	return delta > 0 && boxCount(cand, n, delta, cnt) >= cnt*9/10
}

// boxCount returns the number of distinct boxes of side delta the vectors
// of vals fall in, up to a hash collision, or more than most as soon as it
// passes most.
func boxCount(vals []float64, n int, delta float64, most int) int {
	lo := make([]float64, n)
	for k := range lo {
		lo[k] = math.Inf(1)
	}
	cnt := len(vals) / n
	for c := range cnt {
		for k := range n {
			lo[k] = math.Min(lo[k], vals[c*n+k])
		}
	}
	seen := make(map[uint64]struct{}, min(cnt, most+1))
	for c := range cnt {
		h := uint64(14695981039346656037)
		for k := range n {
			h ^= uint64(int64(math.Floor((vals[c*n+k] - lo[k]) / delta)))
			h *= 1099511628211
			h ^= h >> 29
		}
		seen[h] = struct{}{}
		if len(seen) > most {
			return len(seen)
		}
	}
	return len(seen)
}

// gridFilter thins the vectors of vals (n per vector, n ≥ 3) to at most one
// per box of a grid of side delta, the one with the largest sum, and drops
// the boxes that another box dominates. Every vector of vals is then within
// delta, for every party, of a kept vector: a vector of a kept box is
// covered by its box's representative up to delta, and a box B' that
// dominates a box B is ahead of B by a whole box in some party and level
// with it in the others, so its representative covers B's vectors up to
// delta. Dominance among boxes is decided by a Fenwick tree of maxima when
// the grid is coarse and there are three or four parties, else by a k-d
// tree over the distinct boxes; either way no pair of vectors is compared.
// It also reports whether the thinning was exact: every vector dropped is
// covered by a kept one, so that the kept vectors are the exact frontier.
// When dominance is false, boxes are only merged, not compared:
// every vector is still within delta of a kept one, but a kept one may be
// dominated.
func gridFilter(ctx context.Context, vals []float64, n int, delta float64, dominance bool) ([]int, bool, error) {
	cnt := len(vals) / n
	lo := make([]float64, n)
	for k := range lo {
		lo[k] = math.Inf(1)
	}
	for c := range cnt {
		for k := range n {
			lo[k] = math.Min(lo[k], vals[c*n+k])
		}
	}
	box := make([]float64, len(vals))
	span := make([]float64, n)
	sums := make([]float64, cnt)
	for c := range cnt {
		for k := range n {
			b := math.Floor((vals[c*n+k] - lo[k]) / delta)
			box[c*n+k] = b
			span[k] = max(span[k], b+1)
			sums[c] += vals[c*n+k]
		}
	}
	coarse := n <= 4
	for k := range n {
		coarse = coarse && span[k] < 1<<12
	}
	if !coarse || !dominance {
		return gridFilterKD(ctx, vals, box, sums, n, dominance)
	}
	ib := make([]int32, len(box))
	is := make([]int32, n)
	for i, b := range box {
		ib[i] = int32(b)
	}
	for k := range n {
		is[k] = int32(span[k])
	}
	keep, exact := gridFilterFenwick(vals, ib, is, sums, n)
	return keep, exact, nil
}

// gridFilterKD groups the vectors by box and keeps the representatives of
// the boxes that no other box covers.
func gridFilterKD(ctx context.Context, vals, box, sums []float64, n int, dominance bool) ([]int, bool, error) {
	cnt := len(vals) / n
	order := make([]int32, cnt)
	for i := range order {
		order[i] = int32(i)
	}
	slices.SortFunc(order, func(a, b int32) int {
		x, y := box[int(a)*n:int(a)*n+n], box[int(b)*n:int(b)*n+n]
		for k := range x {
			if c := cmp.Compare(x[k], y[k]); c != 0 {
				return c
			}
		}
		return cmp.Compare(a, b)
	})
	// reps[g] is the representative of the g-th distinct box; group[c] the
	// box of vector c.
	var reps []int32
	group := make([]int32, cnt)
	exact := true
	for i := 0; i < cnt; {
		j := i + 1
		b := box[int(order[i])*n : int(order[i])*n+n]
		for j < cnt && slices.Equal(b, box[int(order[j])*n:int(order[j])*n+n]) {
			j++
		}
		rep := order[i]
		for _, c := range order[i+1 : j] {
			if sums[c] > sums[rep] {
				rep = c
			}
		}
		for _, c := range order[i:j] {
			group[c] = int32(len(reps))
			if c != rep && !coversFlat(vals[int(rep)*n:int(rep)*n+n], vals[int(c)*n:int(c)*n+n]) {
				exact = false
			}
		}
		reps = append(reps, rep)
		i = j
	}
	if !dominance {
		keep := make([]int, len(reps))
		for i, r := range reps {
			keep[i] = int(r)
		}
		sort.Ints(keep)
		return keep, false, nil
	}
	tree, err := newKDTree(ctx, box, n, reps)
	if err != nil {
		return nil, false, err
	}
	var keep []int
	kept := make([]bool, len(reps))
	for g, rep := range reps {
		if g%4096 == 4095 {
			if err := ctx.Err(); err != nil {
				return nil, false, err
			}
		}
		b := box[int(rep)*n : int(rep)*n+n]
		hit := tree.find(b, 0, func(id int32) bool { return id != rep })
		if hit < 0 {
			keep = append(keep, int(rep))
			kept[g] = true
			continue
		}
		if exact && !coversFlat(vals[int(hit)*n:int(hit)*n+n], vals[int(rep)*n:int(rep)*n+n]) {
			exact = false
		}
	}
	if exact {
		// The vectors of a dropped box other than its representative are
		// covered by it, but maybe not by what dropped the box: check them.
		for c := range cnt {
			if g := group[c]; reps[g] != int32(c) && !kept[g] {
				exact = false
				break
			}
		}
	}
	sort.Ints(keep)
	return keep, exact, nil
}

// gridFilterFenwick is gridFilter for three or four parties on a coarse
// grid.
func gridFilterFenwick(vals []float64, box []int32, span []int32, sums []float64, n int) ([]int, bool) {
	cnt := len(vals) / n
	// Order by the first box coordinate, then the sum of the others,
	// decreasing: a box's dominators come before it. Equal boxes end up
	// adjacent, the vector with the largest sum first.
	type entry struct {
		key uint64
		idx int32
	}
	ents := make([]entry, cnt)
	packed := n <= 4
	for c := range cnt {
		e := entry{idx: int32(c)}
		if packed {
			// 12 bits per coordinate and 14 for the sum of the others,
			// complemented so that increasing order is the order wanted.
			var t, rest uint64
			for k := 1; k < n; k++ {
				t += uint64(box[c*n+k])
				rest = rest<<12 | uint64(box[c*n+k])
			}
			e.key = ^(uint64(box[c*n])<<50 | t<<36 | rest)
		}
		ents[c] = e
	}
	if packed {
		// Least significant digit radix sort, 8 bits at a time; stable,
		// so equal boxes keep the candidates' order.
		tmp := make([]entry, cnt)
		var counts [256]int
		for shift := uint(0); shift < 64; shift += 8 {
			counts = [256]int{}
			for _, e := range ents {
				counts[byte(e.key>>shift)]++
			}
			if counts[byte(ents[0].key>>shift)] == cnt {
				continue // every key has this digit
			}
			pos := 0
			for i, c := range counts {
				counts[i] = pos
				pos += c
			}
			for _, e := range ents {
				d := byte(e.key >> shift)
				tmp[counts[d]] = e
				counts[d]++
			}
			ents, tmp = tmp, ents
		}
	} else {
		slices.SortStableFunc(ents, func(a, b entry) int {
			x, y := box[int(a.idx)*n:int(a.idx)*n+n], box[int(b.idx)*n:int(b.idx)*n+n]
			if x[0] != y[0] {
				return cmp.Compare(y[0], x[0])
			}
			var sx, sy int32
			for k := 1; k < n; k++ {
				sx += x[k]
				sy += y[k]
			}
			if sx != sy {
				return cmp.Compare(sy, sx)
			}
			for k := 1; k < n; k++ {
				if x[k] != y[k] {
					return cmp.Compare(y[k], x[k])
				}
			}
			return 0
		})
	}
	sameBox := func(a, b entry) bool {
		if packed {
			return a.key == b.key
		}
		return slicesEqual(box[int(a.idx)*n:int(a.idx)*n+n], box[int(b.idx)*n:int(b.idx)*n+n])
	}
	dom := newBoxIndex(n, span)
	exact := true
	var keep []int
	for i := 0; i < len(ents); {
		// The group of candidates in the same box; its representative is
		// the one with the largest sum.
		c := int(ents[i].idx)
		b := box[c*n : c*n+n]
		rep := c
		j := i + 1
		for ; j < len(ents) && sameBox(ents[i], ents[j]); j++ {
			if o := int(ents[j].idx); sums[o] > sums[rep] {
				rep = o
			}
		}
		for _, e := range ents[i:j] {
			if o := int(e.idx); o != rep && !coversFlat(vals[rep*n:rep*n+n], vals[o*n:o*n+n]) {
				exact = false
			}
		}
		i = j
		if dom.covered(b[1:]) {
			exact = false
			continue
		}
		dom.add(b[1:])
		keep = append(keep, rep)
	}
	sort.Ints(keep)
	return keep, exact
}

func slicesEqual(a, b []int32) bool {
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// boxIndex holds boxes (all coordinates but the first) and tells whether
// one at least as large in every coordinate was added.
type boxIndex struct {
	dims int
	span []int32
	// Three parties: a Fenwick tree over the second coordinate, reversed,
	// of the largest third. Four: the same in two dimensions over the
	// second and third, of the largest fourth.
	tree []int16
}

func newBoxIndex(n int, span []int32) *boxIndex {
	x := &boxIndex{dims: n - 1, span: span[1:]}
	switch x.dims {
	case 2:
		x.tree = make([]int16, span[1]+1)
	case 3:
		x.tree = make([]int16, (span[1]+1)*(span[2]+1))
	}
	for i := range x.tree {
		x.tree[i] = -1
	}
	return x
}

// covered reports whether a box at least as large as b in every
// coordinate was added.
func (x *boxIndex) covered(b []int32) bool {
	switch x.dims {
	case 2:
		best := int16(-1)
		for i := x.span[0] - b[0]; i > 0; i -= i & -i {
			best = max(best, x.tree[i])
		}
		return int32(best) >= b[1]
	case 3:
		w := x.span[1] + 1
		best := int16(-1)
		for i := x.span[0] - b[0]; i > 0; i -= i & -i {
			row := x.tree[i*w:]
			for j := x.span[1] - b[1]; j > 0; j -= j & -j {
				best = max(best, row[j])
			}
		}
		return int32(best) >= b[2]
	}
	panic("analysis: box index of more than four parties")
}

func (x *boxIndex) add(b []int32) {
	switch x.dims {
	case 2:
		for i := x.span[0] - b[0]; i <= x.span[0]; i += i & -i {
			x.tree[i] = max(x.tree[i], int16(b[1]))
		}
	case 3:
		w := x.span[1] + 1
		for i := x.span[0] - b[0]; i <= x.span[0]; i += i & -i {
			row := x.tree[i*w:]
			for j := x.span[1] - b[1]; j <= x.span[1]; j += j & -j {
				row[j] = max(row[j], int16(b[2]))
			}
		}
	}
}
