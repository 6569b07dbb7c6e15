package simulate

import (
	"math"
	"math/rand/v2"
	"sort"

	"parley/analysis"
)

// space is one party's view of the outcome space, prepared once per domain
// and shared, read only, by every negotiation on it.
//
// Utilities are additive, so a package's utility is a sum of one value per
// issue (a flat table lookup per issue: no allocation), and the packages
// whose utility lies in a band can be found by a depth-first search over
// the issues that prunes every branch whose best or worst completion falls
// outside the band: the search never enumerates the packages it skips.
type space struct {
	// off[i] is the index in val of issue i's first option; val holds each
	// option's utility for the party, -Inf for an option that crosses one
	// of its red lines or linkages (or one held by all).
	off []int
	val []float64
	// order lists the issues by decreasing spread of utility, the order
	// the search decides them in; opts[j] are the acceptable options of
	// issue order[j], best first.
	order []int
	opts  [][]optionValue
	// sufMax[j] and sufMin[j] are the best and worst utility the issues
	// order[j:] can add.
	sufMax, sufMin []float64
	// ok tells whether some package is acceptable to the party; max, best
	// and min describe the acceptable packages.
	ok       bool
	max, min float64
	best     analysis.Package
}

type optionValue struct {
	v float64
	o int
}

// binds reports whether constraint c binds the party.
func binds(c analysis.Constraint, party string) bool {
	return c.Party == party || c.Party == "all"
}

func newSpace(p *analysis.Problem, party int) *space {
	id := p.Parties[party]
	s := &space{off: make([]int, len(p.Issues)), ok: true}
	for i, is := range p.Issues {
		s.off[i] = len(s.val)
		for _, o := range is.Options {
			v := o.Utility[party]
			for _, b := range o.Blockers {
				if binds(p.Constraints[b], id) {
					v = math.Inf(-1)
					break
				}
			}
			s.val = append(s.val, v)
		}
	}
	type issueOpts struct {
		issue  int
		opts   []optionValue
		spread float64
	}
	var all []issueOpts
	for i, is := range p.Issues {
		var ov []optionValue
		for o := range is.Options {
			if v := s.val[s.off[i]+o]; !math.IsInf(v, -1) {
				ov = append(ov, optionValue{v, o})
			}
		}
		if len(ov) == 0 {
			s.ok = false
		}
		sort.SliceStable(ov, func(a, b int) bool { return ov[a].v > ov[b].v })
		spread := 0.0
		if len(ov) > 0 {
			spread = ov[0].v - ov[len(ov)-1].v
		}
		all = append(all, issueOpts{i, ov, spread})
	}
	sort.SliceStable(all, func(a, b int) bool { return all[a].spread > all[b].spread })
	n := len(all)
	s.order = make([]int, n)
	s.opts = make([][]optionValue, n)
	s.sufMax = make([]float64, n+1)
	s.sufMin = make([]float64, n+1)
	for j, io := range all {
		s.order[j] = io.issue
		s.opts[j] = io.opts
	}
	if !s.ok {
		s.max, s.min = math.Inf(-1), math.Inf(1)
		return s
	}
	for j := n - 1; j >= 0; j-- {
		o := s.opts[j]
		s.sufMax[j] = s.sufMax[j+1] + o[0].v
		s.sufMin[j] = s.sufMin[j+1] + o[len(o)-1].v
	}
	s.best = make(analysis.Package, n)
	worst := make(analysis.Package, n)
	for j, i := range s.order {
		s.best[i] = s.opts[j][0].o
		worst[i] = s.opts[j][len(s.opts[j])-1].o
	}
	s.max = s.utility(s.best)
	s.min = s.utility(worst)
	return s
}

// utility sums the package's option values in issue order, as
// analysis.Problem.Utilities does, so that both agree to the last bit.
func (s *space) utility(pkg analysis.Package) float64 {
	u := 0.0
	for i, o := range pkg {
		u += s.val[s.off[i]+o]
	}
	return u
}

// searcher holds one party's scratch state for searching its space.
type searcher struct {
	sp    *space
	pkg   analysis.Package
	idx   []int // per depth: options tried so far
	start []int // per depth: where the rotation of the options begins
	sum   []float64
}

func (r *searcher) init(sp *space) {
	n := len(sp.order)
	r.sp = sp
	r.pkg = make(analysis.Package, n)
	r.idx = make([]int, n)
	r.start = make([]int, n)
	r.sum = make([]float64, n+1)
}

// eps absorbs the rounding of sums taken in different orders.
const eps = 1e-12

// band calls fn with acceptable packages whose utility lies in [lo, hi]
// until fn returns false or budget branches have been taken. With a random
// source, each branch's options are tried from a random starting point.
func (r *searcher) band(lo, hi float64, budget int, rng *rand.Rand, fn func(analysis.Package, float64) bool) {
	sp := r.sp
	if !sp.ok || lo > sp.max+eps || hi < sp.min-eps {
		return
	}
	n := len(sp.order)
	if n == 0 {
		fn(r.pkg, 0)
		return
	}
	d := 0
	r.enter(0, 0, rng)
	for d >= 0 {
		opts := sp.opts[d]
		if r.idx[d] == len(opts) {
			d--
			continue
		}
		k := r.start[d] + r.idx[d]
		if k >= len(opts) {
			k -= len(opts)
		}
		r.idx[d]++
		v := r.sum[d] + opts[k].v
		if v+sp.sufMax[d+1] < lo-eps || v+sp.sufMin[d+1] > hi+eps {
			if rng == nil && v+sp.sufMax[d+1] < lo-eps {
				// Options are tried best first: none after this one
				// reaches the band either.
				r.idx[d] = len(opts)
			}
			continue
		}
		if budget--; budget < 0 {
			return
		}
		r.pkg[sp.order[d]] = opts[k].o
		if d == n-1 {
			u := sp.utility(r.pkg)
			if u >= lo-eps && u <= hi+eps && !fn(r.pkg, u) {
				return
			}
			continue
		}
		d++
		r.enter(d, v, rng)
	}
}

func (r *searcher) enter(d int, sum float64, rng *rand.Rand) {
	r.idx[d] = 0
	r.sum[d] = sum
	r.start[d] = 0
	if rng != nil {
		r.start[d] = rng.IntN(len(r.sp.opts[d]))
	}
}

// nearest writes into dst the acceptable package whose utility is the least
// at or above target, by branch and bound, and returns its utility and the
// number of packages evaluated. The space must have an acceptable package
// reaching target.
func (r *searcher) nearest(target float64, budget int, dst analysis.Package) (float64, int) {
	sp := r.sp
	best := math.Inf(1)
	evals := 0
	n := len(sp.order)
	if n == 0 {
		return 0, 1
	}
	d := 0
	r.enter(0, 0, nil)
	for d >= 0 {
		opts := sp.opts[d]
		if r.idx[d] == len(opts) {
			d--
			continue
		}
		k := r.idx[d]
		r.idx[d]++
		v := r.sum[d] + opts[k].v
		if v+sp.sufMax[d+1] < target-eps {
			// Options are tried best first: none after this one can
			// reach the target.
			r.idx[d] = len(opts)
			continue
		}
		if math.Max(target, v+sp.sufMin[d+1]) >= best-eps {
			continue
		}
		if budget--; budget < 0 {
			break
		}
		r.pkg[sp.order[d]] = opts[k].o
		if d == n-1 {
			u := sp.utility(r.pkg)
			evals++
			if u >= target-eps && u < best {
				best = u
				copy(dst, r.pkg)
				if u <= target+eps {
					break
				}
			}
			continue
		}
		d++
		r.enter(d, v, nil)
	}
	if math.IsInf(best, 1) {
		copy(dst, sp.best)
		return sp.max, evals + 1
	}
	return best, evals
}

// picker collects candidate offers near a target utility for a strategy,
// in buffers it reuses from turn to turn.
type picker struct {
	self   *Self
	issues int
	buf    []int
	us     []float64
	n      int
	out    analysis.Package
}

func newPicker(self *Self, capacity int) *picker {
	n := len(self.Options)
	return &picker{
		self:   self,
		issues: n,
		buf:    make([]int, capacity*n),
		us:     make([]float64, capacity),
		out:    make(analysis.Package, n),
	}
}

// collect gathers up to the picker's capacity of acceptable packages with
// utility in [lo, hi], visiting the options in a random rotation, and
// returns how many it found.
func (p *picker) collect(lo, hi float64) int {
	p.n = 0
	capacity := len(p.us)
	s := p.self
	s.srch.band(lo, hi, searchBudget, s.Rand, func(pkg analysis.Package, u float64) bool {
		s.evals++
		copy(p.buf[p.n*p.issues:], pkg)
		p.us[p.n] = u
		p.n++
		return p.n < capacity
	})
	return p.n
}

// candidate returns the i-th package collected.
func (p *picker) candidate(i int) analysis.Package {
	return p.buf[i*p.issues : (i+1)*p.issues]
}

// near finds an offer whose utility is at or just above target: one of
// the packages within width above it, chosen by choose (at random when
// choose is nil), or else the nearest package above it. It returns the
// offer, valid until the next call, and its utility.
func (p *picker) near(target, width float64, choose func(p *picker) int) (analysis.Package, float64) {
	s := p.self
	// A package worth the target up to rounding counts as reaching it: a
	// floor of 0.4 is reached by a package summed to 0.39999999999999997.
	target -= tolerance
	if n := p.collect(target, target+width); n > 0 {
		i := 0
		if choose != nil {
			i = choose(p)
		} else if n > 1 {
			i = s.Rand.IntN(n)
		}
		copy(p.out, p.candidate(i))
		return p.out, p.us[i]
	}
	u := s.Nearest(target, p.out)
	return p.out, u
}
