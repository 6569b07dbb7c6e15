package analysis

import (
	"context"
	"math"
	"slices"
)

// ReservationRange is how far one party's disagreement value (its
// reservation value unless the analysis was asked for another
// disagreement point) can move, the others' staying put, before the Nash
// package changes.
type ReservationRange struct {
	Party string `json:"party"`
	// Reservation is the party's reservation value, as at the top of the
	// analysis.
	Reservation float64 `json:"reservation"`
	// Disagreement is the party's disagreement value, the value that
	// moves: the reservation value unless another disagreement point was
	// asked for.
	Disagreement float64 `json:"disagreement"`
	// From and To bound the interval of disagreement values over which
	// the Nash package stays the same.
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
	// ReservationNote says why Reservation is empty when it is left out.
	ReservationNote string `json:"reservation_note,omitempty"`
}

// ReservationNeedsExactFrontier is the ReservationNote of an analysis whose
// frontier is ε-approximate: the reservation ranges are exact bounds taken
// from the exact frontier, so they are left out rather than guessed.
const ReservationNeedsExactFrontier = "left out: they need the exact frontier"

// SensitivityTolerance is the precision of the weight ranges.
const SensitivityTolerance = 1e-3

// MaxWeightEvaluations bounds the number of times WeightSensitivity checks
// whether the Nash package is still optimal.
const MaxWeightEvaluations = 3000

// MaxWeightWork bounds the partial packages those checks may generate in
// all: a deterministic limit on their time (about a second's work).
const MaxWeightWork = 1_000_000

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
		out = append(out, ReservationRange{Party: p.Parties[k], Reservation: p.Reservation[k], Disagreement: d[k], From: lo, To: hi})
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
// many checks it has made. The space of the problem is built once; each
// check scales the moving party's utilities in a copy of it (scaling one
// party's utilities on an issue keeps the dominance among that issue's
// options, so the space stays valid), and counts its work against
// MaxWeightWork.
func weightSensitivity(ctx context.Context, p *Problem, d []float64, nash *Outcome, report func(int)) ([]WeightRange, bool, error) {
	return weightRanges(ctx, p, d, nash, report, true)
}

// weightRanges is weightSensitivity finding the edges with shareEdges when
// fast, and with a check at every step of edge otherwise.
func weightRanges(ctx context.Context, p *Problem, d []float64, nash *Outcome, report func(int), fast bool) ([]WeightRange, bool, error) {
	if nash == nil {
		return nil, false, nil
	}
	d, err := disagreementOf(p, d)
	if err != nil {
		return nil, false, err
	}
	s, ok, err := newSpaceCtx(ctx, p, nil)
	if err != nil || !ok {
		return nil, false, err
	}
	// The Nash package's choice per space issue, and each issue's share
	// of every party's utility of it.
	choice := make([]int, len(s.issues))
	for j, si := range s.issues {
		choice[j] = slices.Index(si.opts, nash.Package[si.index])
		if choice[j] < 0 {
			// The Nash package uses an option the space dropped as
			// dominated by or equal to another: its twin will do.
			choice[j] = twin(p, si, nash.Package[si.index])
		}
	}
	evals := 0
	var work int64
	var out []WeightRange
	n := s.n
	scaled := &space{n: n, offset: make([]float64, n), fixed: s.fixed, issues: make([]spaceIssue, len(s.issues)), work: &work}
	for j, si := range s.issues {
		scaled.issues[j] = spaceIssue{index: si.index, opts: si.opts, vals: make([]float64, len(si.vals))}
	}
	u := make([]float64, n)
	// known holds the packages found to beat the Nash package, for
	// shareEdges: one that beats it after one change of weights often
	// beats it after another.
	var known [][]int
	for j, si := range s.issues {
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
			// check reports whether the Nash package stays optimal at
			// share, and when it does not because another package beats
			// it, that package's options.
			check := func(share float64) (bool, []int, error) {
				evals++
				if report != nil {
					report(evals)
				}
				in, rest := share/w, (1-share)/(1-w)
				copy(scaled.offset, s.offset)
				scaled.offset[k] *= rest
				for l, sl := range s.issues {
					f := rest
					if l == j {
						f = in
					}
					v := scaled.issues[l].vals
					copy(v, sl.vals)
					for o := k; o < len(v); o += n {
						v[o] *= f
					}
				}
				copy(u, scaled.offset)
				for l, sl := range scaled.issues {
					for q := range n {
						u[q] += sl.vals[choice[l]*n+q]
					}
				}
				if _, ok := (nashObj{d}).value(u); !ok {
					return false, nil, nil // the Nash package no longer gains
				}
				by, err := scaled.beatenBy(ctx, nashObj{d}, u)
				return by == nil, by, err
			}
			same := func(share float64) (bool, error) {
				ok, _, err := check(share)
				return ok, err
			}
			find := func(limit float64) (float64, error) { return edge(same, w, limit) }
			if fast {
				e := &shareEdges{s: s, d: d, choice: choice, j: j, k: k, w: w, check: check, known: &known}
				find = func(limit float64) (float64, error) { return e.edge(same, limit) }
			}
			lo, err := find(0)
			if err != nil {
				return nil, false, err
			}
			hi, err := find(1)
			if err != nil {
				return nil, false, err
			}
			out = append(out, WeightRange{Party: p.Parties[k], Points: is.Points, Share: w, From: lo, To: hi})
		}
	}
	return out, false, nil
}

// twin returns the option of the space issue with the same utilities as
// option o of the problem, or the one that dominates it.
func twin(p *Problem, si spaceIssue, o int) int {
	u := p.Issues[si.index].Options[o].Utility
	n := len(u)
	for c := range si.opts {
		if covers(si.vals[c*n:c*n+n], u) {
			return c
		}
	}
	return 0
}

// beaten reports whether some package of the space beats, on obj, the
// package with utilities u0 by more than objTol. It tries cheap candidates
// first (the package that maximises the objective's linear bound, and the
// packages one issue away from the best found), then decides by the
// issue-by-issue branch and bound, pruning every partial package that
// cannot beat u0, and stopping at the first complete one that does.
func (s *space) beaten(ctx context.Context, obj objective, u0 []float64) (bool, error) {
	c, err := s.beatenBy(ctx, obj, u0)
	return c != nil, err
}

// beatenBy is beaten returning, when some package beats u0, that
// package's option per space issue, and nil otherwise.
func (s *space) beatenBy(ctx context.Context, obj objective, u0 []float64) ([]int, error) {
	n := s.n
	levels := len(s.issues)
	v0, ok := obj.value(u0)
	if !ok {
		v0 = math.Inf(-1)
	}
	t := v0 + objTol
	rest := s.bestRest()
	lam, conv := obj.linear(s, u0)
	var restLin []float64
	if lam != nil {
		var choice []int
		var u []float64
		restLin, choice, u = s.linearBest(lam)
		if v, ok := obj.value(u); ok && v > t {
			return choice, nil
		}
		if conv(restLin[0]+dot(lam, s.offset)) <= t {
			return nil, nil
		}
	}
	m := &merged{n: n}
	cur := append([]float64(nil), s.offset...)
	opt := make([]float64, n)
	for j, si := range s.issues {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		k := len(si.opts)
		cnt := len(cur) / n
		cand := make([]float64, 0, n*min(cnt*k, 1<<16))
		var from []int
		for e := range cnt {
			if e%4096 == 4095 {
				if err := ctx.Err(); err != nil {
					return nil, err
				}
			}
			base := cur[e*n : e*n+n]
			for o := range k {
				ov := si.vals[o*n : o*n+n]
				for q := range n {
					opt[q] = base[q] + ov[q] + rest[(j+1)*n+q]
				}
				if v, ok := obj.value(opt); !ok || v <= t {
					continue
				}
				if lam != nil {
					L := restLin[j+1]
					for q := range n {
						L += lam[q] * (base[q] + ov[q])
					}
					if conv(L) <= t {
						continue
					}
				}
				if j == levels-1 {
					// opt is the complete package: it beats u0.
					c := make([]int, levels)
					c[j] = o
					for l := j - 1; l >= 0; l-- {
						c[l] = int(m.option[l][e])
						e = int(m.parent[l][e])
					}
					return c, nil
				}
				for q := range n {
					cand = append(cand, base[q]+ov[q])
				}
				from = append(from, e*k+o)
			}
		}
		if s.work != nil {
			*s.work += int64(len(from))
		}
		if len(from) == 0 {
			return nil, nil
		}
		cur = m.push(cand, someDominated(cand, n, 64), from, k)
	}
	// No issue with a choice: the only package is the offset.
	if v, ok := obj.value(s.offset); ok && v > t && levels == 0 {
		return []int{}, nil
	}
	return nil, nil
}

func dot(a, b []float64) float64 {
	x := 0.0
	for k := range a {
		x += a[k] * b[k]
	}
	return x
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

// shareEdges finds the edges of one weight range with few checks. Moving
// party k's share of issue j moves its utility of every package linearly
// in the share, the others' staying put, so against any one package y the
// comparison of Nash products is a comparison of two linear functions: the
// first share at which y beats the Nash package follows in closed form.
// Starting from no known package, the edge is guessed as the nearest such
// share (or where the Nash package stops gaining, or the limit), a check
// just inside it either proves the Nash package optimal there or yields a
// package that beats it, which joins the known ones, and so on. Once
// proved, the walk of edge is replayed on the known interval, so the
// result is the one edge finds with a check at every step.
//
// The proof needs the shares at which y beats the Nash package to form an
// interval that reaches the edge, which holds while the Nash product stays
// above what any package can reach at a gain of tol (see bounded); when it
// does not, or anything else is out of the ordinary, edge checks at every
// step as before.
type shareEdges struct {
	s      *space
	d      []float64
	choice []int
	j, k   int
	w      float64
	check  func(float64) (bool, []int, error)
	// known holds the packages found so far to beat the Nash package at
	// some weights, shared by the ranges of one analysis.
	known *[][]int
}

// maxKnown bounds the packages shareEdges keeps to try first.
const maxKnown = 64

// line is a linear function of the share, at + slope·(share - w).
type line struct{ at, slope float64 }

func (l line) value(share, w float64) float64 { return l.at + l.slope*(share-w) }

// positive returns the least t ≥ 0 at which l, walked along dir from w,
// is above 0 (a closed-form bound; +Inf when never) and, when above 0 at w,
// the least t at which it stops being so (+Inf when never).
func (l line) positive(dir float64) (from, to float64) {
	sl := dir * l.slope
	switch {
	case l.at > 0 && sl >= 0:
		return 0, math.Inf(1)
	case l.at > 0:
		return 0, l.at / -sl
	case sl > 0:
		return -l.at / sl, math.Inf(1)
	default:
		return math.Inf(1), math.Inf(1)
	}
}

// parts returns, for the package with options c, the product of the other
// parties' gains and party k's utility from issue j and from the rest,
// at the current weights; ok is false when another party does not gain.
func (e *shareEdges) parts(c []int) (prod, a, b float64, ok bool) {
	s, n := e.s, e.s.n
	prod = 1
	for q := range n {
		u := s.offset[q]
		for l, si := range s.issues {
			u += si.vals[c[l]*n+q]
		}
		if q == e.k {
			a = s.issues[e.j].vals[c[e.j]*n+q]
			b = u - a
			continue
		}
		g := u - e.d[q]
		if g <= tol {
			return 0, 0, 0, false
		}
		prod *= g
	}
	return prod, a, b, true
}

// gain is party k's gain, as a line in the share, of a package whose
// utility for party k is a from issue j and b from the rest.
func (e *shareEdges) gain(a, b float64) line {
	w := e.w
	return line{at: a + b - e.d[e.k], slope: a/w - b/(1-w)}
}

// edge returns the edge of the range towards limit, as edge(same, w,
// limit) does.
func (e *shareEdges) edge(same func(float64) (bool, error), limit float64) (float64, error) {
	w := e.w
	dir := 1.0
	if limit < w {
		dir = -1
	}
	span := math.Abs(limit - w)
	cx, ax, bx, ok := e.parts(e.choice)
	if !ok {
		return edge(same, w, limit)
	}
	gx := e.gain(ax, bx)
	bound := e.bounded()
	growth := math.Exp(objTol)
	type rival struct {
		prod float64
		g    line
	}
	var rivals []rival
	for _, c := range *e.known {
		if prod, a, b, ok := e.parts(c); ok {
			rivals = append(rivals, rival{prod, e.gain(a, b)})
		}
	}
	const inside = 1e-9
	for range 32 {
		// The nearest share at which something changes: the Nash
		// package stops gaining, or a known package beats it.
		t := span
		if _, stop := (line{at: gx.at - tol, slope: gx.slope}).positive(dir); stop < t {
			t = stop
		}
		for _, r := range rivals {
			f1, t1 := line{at: r.g.at - tol, slope: r.g.slope}.positive(dir)
			diff := line{at: r.prod*r.g.at - growth*cx*gx.at, slope: r.prod*r.g.slope - growth*cx*gx.slope}
			f2, t2 := diff.positive(dir)
			if from, to := math.Max(f1, f2), math.Min(t1, t2); from < to && from < t {
				t = from
			}
		}
		// The Nash product must stay above what a package gaining
		// only tol could reach, at both ends (it is linear).
		for _, at := range []float64{0, t} {
			if growth*cx*gx.value(w+dir*at, w) <= bound {
				return edge(same, w, limit)
			}
		}
		probe := w + dir*t
		whole := t == span
		if !whole {
			if t <= 2*inside {
				return edge(same, w, limit)
			}
			probe = w + dir*(t-inside)
		}
		ok, by, err := e.check(probe)
		if err != nil {
			return 0, err
		}
		if ok {
			end := w + dir*t
			return edge(func(share float64) (bool, error) {
				if whole {
					return true, nil
				}
				return dir*(share-end) < 0, nil
			}, w, limit)
		}
		if by == nil {
			return edge(same, w, limit)
		}
		prod, a, b, ok := e.parts(by)
		if !ok {
			return edge(same, w, limit)
		}
		rivals = append(rivals, rival{prod, e.gain(a, b)})
		if len(*e.known) < maxKnown {
			*e.known = append(*e.known, by)
		}
	}
	return edge(same, w, limit)
}

// bounded returns tol times the largest product of the gains of the
// parties other than k that any package can reach: a package gaining at
// most tol for party k has a Nash product below it.
func (e *shareEdges) bounded() float64 {
	s, n := e.s, e.s.n
	p := 1.0
	for q := range n {
		if q == e.k {
			continue
		}
		u := s.offset[q]
		for _, si := range s.issues {
			mx := math.Inf(-1)
			for o := range si.opts {
				mx = math.Max(mx, si.vals[o*n+q])
			}
			u += mx
		}
		p *= math.Max(0, u-e.d[q])
	}
	return p * tol
}
