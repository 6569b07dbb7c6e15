package analysis

import (
	"cmp"
	"context"
	"math"
	"slices"
)

// coverTree is a k-d tree laid out once over a fixed set of vectors, all of
// them asleep at first; vectors are woken one at a time, and a search sees
// only the awake ones. The largest value per coordinate of a subtree counts
// only its awake vectors, so a subtree with none awake is never entered.
type coverTree struct {
	kdTree
	awake []bool  // per slot
	slot  []int32 // slot of each of the caller's indexes
}

// newCoverTree lays out the vectors of vals (d per vector), all asleep.
func newCoverTree(ctx context.Context, vals []float64, d int) (*coverTree, error) {
	cnt := len(vals) / d
	ids := make([]int32, cnt)
	for i := range ids {
		ids[i] = int32(i)
	}
	t := &coverTree{kdTree: kdTree{d: d, ids: ids}}
	if err := t.build(ctx, vals, 0, cnt, 0); err != nil {
		return nil, err
	}
	t.pts = make([]float64, cnt*d)
	t.slot = make([]int32, cnt)
	for s, id := range ids {
		copy(t.pts[s*d:s*d+d], vals[int(id)*d:int(id)*d+d])
		t.slot[id] = int32(s)
	}
	t.hi = make([]float64, cnt*d)
	for i := range t.hi {
		t.hi[i] = math.Inf(-1)
	}
	t.awake = make([]bool, cnt)
	return t, nil
}

// wake makes vector id visible to searches.
func (t *coverTree) wake(id int) {
	d := t.d
	s := int(t.slot[id])
	t.awake[s] = true
	p := t.pts[s*d : s*d+d]
	lo, hi := 0, len(t.ids)
	for lo < hi {
		mid := (lo + hi) / 2
		h := t.hi[mid*d : mid*d+d]
		for k, x := range p {
			h[k] = max(h[k], x)
		}
		switch {
		case s < mid:
			hi = mid
		case s > mid:
			lo = mid + 1
		default:
			return
		}
	}
}

// find returns an awake vector w with w[k] ≥ q[k] − slack for every k, or
// -1.
func (t *coverTree) find(q []float64, slack float64) int32 {
	return t.kdTree.find(q, slack, func(id int32) bool { return t.awake[t.slot[id]] })
}

// coverFilter thins the vectors of vals (n per vector) to a cover within
// bound, each vector c carrying the errors errs[c*n:c*n+n] it already
// stands for, one per party (every package it represents gives party k at
// most vals[c*n+k] + errs[c*n+k]). By decreasing sum, a vector c is dropped
// when a kept vector w gives every party k at least c_k + e_ck − bound; w
// then stands for what c stood for, and its error for party k becomes the
// larger of its own and c_k + e_ck − w_k, which the test keeps within
// bound. Carrying the error per party, a step adds to each party only that
// party's shortfall, not the largest shortfall of any party. Every vector
// is kept or stood for within bound, and no kept vector dominates another
// (a vector dominating a kept one has a larger sum and was looked at
// first). One kept vector stands for all those a little below it, however
// far apart they are along the frontier: far fewer vectors than one per box
// of a grid. It returns the kept indexes, increasing, and their errors, n
// per kept vector.
func coverFilter(ctx context.Context, vals, errs []float64, n int, bound float64) ([]int, []float64, error) {
	cnt := len(vals) / n
	order := bySum[int32](vals, n)
	tree, err := newCoverTree(ctx, vals, n)
	if err != nil {
		return nil, nil, err
	}
	out := make([]float64, cnt*n) // errors of each kept vector
	kept := make([]bool, cnt)
	last := -1
	// q[k] is the least a vector standing for c must give party k.
	q := make([]float64, n)
	for i, c := range order {
		if i%1024 == 1023 {
			if err := ctx.Err(); err != nil {
				return nil, nil, err
			}
		}
		v := vals[int(c)*n : int(c)*n+n]
		ec := errs[int(c)*n : int(c)*n+n]
		for k := range n {
			// Not v[k] + ec[k] − bound, which rounds above v[k] when
			// ec[k] = bound.
			q[k] = v[k] - (bound - ec[k])
		}
		hit := -1
		// The vector that stood for the last one often stands for this
		// one.
		if last >= 0 && coversBy(vals[last*n:last*n+n], q, 0) {
			hit = last
		} else if h := tree.find(q, 0); h >= 0 {
			hit = int(h)
		}
		if hit < 0 {
			tree.wake(int(c))
			kept[c] = true
			copy(out[int(c)*n:int(c)*n+n], ec)
			continue
		}
		last = hit
		w := vals[hit*n : hit*n+n]
		for k := range n {
			// Shortfalls within the tolerance are equal utilities.
			if e := v[k] + ec[k] - w[k]; e > tol {
				out[hit*n+k] = max(out[hit*n+k], e)
			}
		}
	}
	var keep []int
	var ke []float64
	for c := range cnt {
		if kept[c] {
			keep = append(keep, c)
			ke = append(ke, out[c*n:c*n+n]...)
		}
	}
	return keep, ke, nil
}

// coversBy reports whether a is at least b − slack for every party.
func coversBy(a, b []float64, slack float64) bool {
	for k := range a {
		if a[k] < b[k]-slack {
			return false
		}
	}
	return true
}

// bySum returns the indexes of the vectors of vals (n per vector) by
// decreasing sum, then increasing index.
func bySum[I int | int32](vals []float64, n int) []I {
	cnt := len(vals) / n
	sums := make([]float64, cnt)
	order := make([]I, cnt)
	for c := range cnt {
		order[c] = I(c)
		for _, v := range vals[c*n : c*n+n] {
			sums[c] += v
		}
	}
	slices.SortFunc(order, func(a, b I) int {
		if c := cmp.Compare(sums[b], sums[a]); c != 0 {
			return c
		}
		return cmp.Compare(a, b)
	})
	return order
}
