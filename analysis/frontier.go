package analysis

import (
	"context"
	"fmt"
	"math"
	"sort"
)

// Outcome is a package with every party's utility.
type Outcome struct {
	Package Package `json:"-"`
	// Choices maps each point id to the chosen option id.
	Choices map[string]string `json:"package"`
	// Utilities are in the order of Problem.Parties.
	Utilities []float64 `json:"utilities"`
}

func (p *Problem) outcome(pkg Package) *Outcome {
	return &Outcome{Package: pkg, Choices: p.Choices(pkg), Utilities: p.Utilities(pkg)}
}

// FrontierOptions tune Frontier.
type FrontierOptions struct {
	// Epsilon, when positive, asks for an ε-approximate frontier: every
	// Pareto-optimal package has a reported package that is at most
	// Epsilon worse for every party. Zero asks for the exact frontier,
	// which is computed unless it grows beyond Limit points with three or
	// more parties; then DefaultEpsilon is used.
	Epsilon float64
	// Limit is the size of an intermediate exact frontier beyond which the
	// ε-approximation takes over (default DefaultFrontierLimit).
	Limit int
}

// DefaultFrontierLimit is the default FrontierOptions.Limit.
const DefaultFrontierLimit = 400_000

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
	s, ok := newSpace(p, nil)
	if !ok {
		return &FrontierResult{}, nil
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
	m, err := s.merge(ctx, eps, limit)
	if err != nil {
		return nil, err
	}
	res := &FrontierResult{Epsilon: m.eps}
	for idx := range m.size() {
		res.Outcomes = append(res.Outcomes, *p.outcome(s.pkg(m.choice(idx))))
	}
	sort.SliceStable(res.Outcomes, func(a, b int) bool {
		ua, ub := res.Outcomes[a].Utilities, res.Outcomes[b].Utilities
		for k := range ua {
			if ua[k] != ub[k] {
				return ua[k] > ub[k]
			}
		}
		return false
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

func (m *merged) choice(idx int) []int {
	levels := len(m.option)
	c := make([]int, levels)
	for j := levels - 1; j >= 0; j-- {
		c[j] = int(m.option[j][idx])
		idx = int(m.parent[j][idx])
	}
	return c
}

// merge builds the frontier of the space issue by issue. With eps > 0, or
// when the exact frontier outgrows limit with three or more parties, each
// step keeps one vector per box of an ε-grid; the steps share the error
// budget so that the whole stays within ε.
func (s *space) merge(ctx context.Context, eps float64, limit int) (*merged, error) {
	n := s.n
	m := &merged{n: n}
	cur := append([]float64(nil), s.offset...)
	approx := eps > 0
	if !approx {
		eps = DefaultEpsilon
	}
	// Error budget: the remaining steps share what is left of eps.
	budget := eps
	for j, si := range s.issues {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		k := len(si.opts)
		cnt := len(cur) / n
		cand := make([]float64, 0, cnt*k*n)
		for e := range cnt {
			base := cur[e*n : e*n+n]
			for o := range k {
				ov := si.vals[o*n : o*n+n]
				for q := range n {
					cand = append(cand, base[q]+ov[q])
				}
			}
		}
		keep := paretoFilter(cand, n)
		if !approx && n >= 3 && len(keep) > limit {
			approx = true
		}
		if approx && n >= 3 {
			steps := len(s.issues) - j
			delta := budget / float64(steps)
			keep = boxFilter(cand, n, keep, delta)
			budget -= delta
		}
		par := make([]int32, len(keep))
		opt := make([]int32, len(keep))
		next := make([]float64, 0, len(keep)*n)
		for i, c := range keep {
			par[i] = int32(c / k)
			opt[i] = int32(c % k)
			next = append(next, cand[c*n:c*n+n]...)
		}
		m.parent = append(m.parent, par)
		m.option = append(m.option, opt)
		cur = next
	}
	m.vals = cur
	if approx && n >= 3 {
		m.eps = eps
	}
	return m, nil
}

// paretoFilter returns the indexes of the vectors of vals (n per vector)
// that no other vector dominates, one per group of equal vectors, in
// increasing order.
func paretoFilter(vals []float64, n int) []int {
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
		keep = filterN(vals, n, idx)
	}
	sort.Ints(keep)
	return keep
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

// filterN handles three or more parties: by decreasing sum, a vector is kept
// when no kept vector covers it. A vector can only dominate another with a
// smaller sum, give or take the tolerance, so a kept vector is checked
// against the newcomer only when their sums are that close.
func filterN(vals []float64, n int, idx []int) []int {
	sums := make([]float64, len(vals)/n)
	for i := range sums {
		for _, v := range vals[i*n : i*n+n] {
			sums[i] += v
		}
	}
	sort.Slice(idx, func(a, b int) bool {
		x, y := idx[a], idx[b]
		if sums[x] != sums[y] {
			return sums[x] > sums[y]
		}
		return x < y
	})
	var keep []int
	kept := make([]float64, 0, 1024)
	lastHit := -1
	for _, c := range idx {
		v := vals[c*n : c*n+n]
		if lastHit >= 0 && coversFlat(kept[lastHit*n:lastHit*n+n], v) {
			continue
		}
		hit := -1
		for i := 0; i < len(keep); i++ {
			if coversFlat(kept[i*n:i*n+n], v) {
				hit = i
				break
			}
		}
		if hit >= 0 {
			lastHit = hit
			continue
		}
		// Near ties: the newcomer may dominate kept vectors of almost the
		// same sum.
		near := sums[c] + float64(n)*tol
		w := len(keep)
		for w > 0 && sums[keep[w-1]] <= near {
			w--
		}
		if w < len(keep) {
			j := w
			for i := w; i < len(keep); i++ {
				if !dominates(v, kept[i*n:i*n+n]) {
					keep[j] = keep[i]
					copy(kept[j*n:j*n+n], kept[i*n:i*n+n])
					j++
				}
			}
			keep = keep[:j]
			kept = kept[:j*n]
			lastHit = -1
		}
		keep = append(keep, c)
		kept = append(kept, v...)
	}
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

// boxFilter thins the Pareto-optimal vectors keep to one per box of a grid
// of side delta, keeping in each box the vector with the largest sum. Every
// vector of keep is then within delta of a kept vector for every party.
func boxFilter(vals []float64, n int, keep []int, delta float64) []int {
	type entry struct {
		idx int
		sum float64
	}
	boxes := make(map[string]entry, len(keep))
	key := make([]byte, 0, 4*n)
	for _, c := range keep {
		key = key[:0]
		sum := 0.0
		for _, v := range vals[c*n : c*n+n] {
			b := int32(math.Floor(v / delta))
			key = append(key, byte(b), byte(b>>8), byte(b>>16), byte(b>>24))
			sum += v
		}
		if e, ok := boxes[string(key)]; !ok || sum > e.sum {
			boxes[string(key)] = entry{c, sum}
		}
	}
	out := make([]int, 0, len(boxes))
	for _, e := range boxes {
		out = append(out, e.idx)
	}
	sort.Ints(out)
	return out
}
