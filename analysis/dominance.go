package analysis

import "context"

// kdTree is a balanced k-d tree built once over a fixed set of vectors,
// for one question at any number of parties: does some vector of the set
// cover a query vector (at least as large in every coordinate, give or take
// a slack)? Each node keeps the largest value of every coordinate in its
// subtree, so a search skips every subtree that falls short of the query
// somewhere, and a search costs about the logarithm of the set's size
// where the vectors around the query are few. Its nodes are laid out
// implicitly: the node of a range of slots is the middle slot, its
// subtrees the halves on either side.
type kdTree struct {
	d     int
	pts   []float64 // d per slot, in tree order
	hi    []float64 // d per slot: the largest value per coordinate in the slot's subtree
	ids   []int32   // the caller's index of each slot
	stack [][2]int32
}

// newKDTree builds the tree of the vectors of vals (d per vector) whose
// indexes are ids (all of them when ids is nil). It stops with ctx's error
// when ctx is done: a tree of millions of vectors takes a while.
func newKDTree(ctx context.Context, vals []float64, d int, ids []int32) (*kdTree, error) {
	if ids == nil {
		ids = make([]int32, len(vals)/d)
		for i := range ids {
			ids[i] = int32(i)
		}
	} else {
		ids = append([]int32(nil), ids...)
	}
	t := &kdTree{d: d, ids: ids}
	if err := t.build(ctx, vals, 0, len(ids), 0); err != nil {
		return nil, err
	}
	t.pts = make([]float64, len(ids)*d)
	for s, id := range ids {
		copy(t.pts[s*d:s*d+d], vals[int(id)*d:int(id)*d+d])
	}
	t.hi = make([]float64, len(ids)*d)
	t.bound(0, len(ids))
	return t, nil
}

// build arranges ids[lo:hi] so that the middle slot holds the median of
// coordinate depth mod d, the smaller values before it, and recurses.
func (t *kdTree) build(ctx context.Context, vals []float64, lo, hi, depth int) error {
	for hi-lo > 1 {
		if hi-lo > 1<<14 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		mid := (lo + hi) / 2
		k := depth % t.d
		selectNth(t.ids[lo:hi], mid-lo, func(id int32) float64 { return vals[int(id)*t.d+k] })
		if err := t.build(ctx, vals, lo, mid, depth+1); err != nil {
			return err
		}
		lo, depth = mid+1, depth+1
	}
	return nil
}

// bound fills hi for the subtree of slots [lo, hi) and returns its root.
func (t *kdTree) bound(lo, hi int) int {
	if lo >= hi {
		return -1
	}
	d := t.d
	mid := (lo + hi) / 2
	h := t.hi[mid*d : mid*d+d]
	copy(h, t.pts[mid*d:mid*d+d])
	for _, c := range []int{t.bound(lo, mid), t.bound(mid+1, hi)} {
		if c < 0 {
			continue
		}
		for k, x := range t.hi[c*d : c*d+d] {
			h[k] = max(h[k], x)
		}
	}
	return mid
}

// find returns the index of a vector w of the tree with w[k] ≥ q[k] − slack
// for every k for which accept (when not nil) holds, or -1.
func (t *kdTree) find(q []float64, slack float64, accept func(id int32) bool) int32 {
	d := t.d
	st := append(t.stack[:0], [2]int32{0, int32(len(t.ids))})
	defer func() { t.stack = st[:0] }()
	for len(st) > 0 {
		r := st[len(st)-1]
		st = st[:len(st)-1]
		lo, hi := int(r[0]), int(r[1])
		mid := (lo + hi) / 2
		h := t.hi[mid*d : mid*d+d]
		reach := true
		for k, x := range q {
			if h[k] < x-slack {
				reach = false
				break
			}
		}
		if !reach {
			continue
		}
		p := t.pts[mid*d : mid*d+d]
		ok := true
		for k, x := range q {
			if p[k] < x-slack {
				ok = false
				break
			}
		}
		if ok && (accept == nil || accept(t.ids[mid])) {
			return t.ids[mid]
		}
		// The upper half holds the larger values of the split coordinate:
		// search it first.
		if lo < mid {
			st = append(st, [2]int32{int32(lo), int32(mid)})
		}
		if mid+1 < hi {
			st = append(st, [2]int32{int32(mid + 1), int32(hi)})
		}
	}
	return -1
}

// selectNth reorders ids so that ids[n] is the element that would be there
// were ids sorted by key, with no larger key before it and no smaller after
// it (quickselect, median of three).
func selectNth(ids []int32, n int, key func(int32) float64) {
	lo, hi := 0, len(ids)-1
	for hi > lo {
		mid := lo + (hi-lo)/2
		a, b, c := key(ids[lo]), key(ids[mid]), key(ids[hi])
		pivot := max(min(a, b), min(max(a, b), c))
		i, j := lo, hi
		for i <= j {
			for key(ids[i]) < pivot {
				i++
			}
			for key(ids[j]) > pivot {
				j--
			}
			if i <= j {
				ids[i], ids[j] = ids[j], ids[i]
				i++
				j--
			}
		}
		switch {
		case n <= j:
			hi = j
		case n >= i:
			lo = i
		default:
			return
		}
	}
}
