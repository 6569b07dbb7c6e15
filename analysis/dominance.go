package analysis

// domTree is a k-d tree of vectors that answers one question quickly at
// any number of parties: does some stored vector cover a query vector (at
// least as large in every coordinate, give or take a slack)? Each node
// keeps the largest value of every coordinate in its subtree, so a search
// skips every subtree that falls short of the query in some coordinate;
// the cost of a search grows with the part of the tree near the query's
// dominance cone, not with the size of the tree.
type domTree struct {
	d     int
	pts   []float64 // d per node: the node's vector
	hi    []float64 // d per node: the largest value per coordinate below it
	left  []int32
	right []int32
	id    []int32 // the caller's id, or -1 once removed
	stack []int32
}

func newDomTree(d, capacity int) *domTree {
	return &domTree{
		d:     d,
		pts:   make([]float64, 0, capacity*d),
		hi:    make([]float64, 0, capacity*d),
		left:  make([]int32, 0, capacity),
		right: make([]int32, 0, capacity),
		id:    make([]int32, 0, capacity),
	}
}

func (t *domTree) len() int { return len(t.id) }

// insert adds v with the caller's id and returns its node.
func (t *domTree) insert(v []float64, id int32) int32 {
	d := t.d
	node := int32(len(t.id))
	t.pts = append(t.pts, v...)
	t.hi = append(t.hi, v...)
	t.left = append(t.left, -1)
	t.right = append(t.right, -1)
	t.id = append(t.id, id)
	if node == 0 {
		return node
	}
	cur, depth := int32(0), 0
	for {
		h := t.hi[int(cur)*d : int(cur)*d+d]
		for k, x := range v {
			if x > h[k] {
				h[k] = x
			}
		}
		k := depth % d
		next := &t.left[cur]
		if v[k] >= t.pts[int(cur)*d+k] {
			next = &t.right[cur]
		}
		if *next < 0 {
			*next = node
			return node
		}
		cur = *next
		depth++
	}
}

// remove marks a node as gone; searches no longer report it.
func (t *domTree) remove(node int32) { t.id[node] = -1 }

// covering returns the node of a stored vector w with w[k] ≥ q[k] − slack
// for every k, or -1. Among several it returns any.
func (t *domTree) covering(q []float64, slack float64) int32 {
	return t.find(q, slack, nil)
}

// find is covering with a filter: accept, when not nil, must also hold for
// the node returned.
func (t *domTree) find(q []float64, slack float64, accept func(node int32) bool) int32 {
	if len(t.id) == 0 {
		return -1
	}
	d := t.d
	st := append(t.stack[:0], 0)
	defer func() { t.stack = st[:0] }()
	for len(st) > 0 {
		cur := st[len(st)-1]
		st = st[:len(st)-1]
		h := t.hi[int(cur)*d : int(cur)*d+d]
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
		if t.id[cur] >= 0 {
			p := t.pts[int(cur)*d : int(cur)*d+d]
			ok := true
			for k, x := range q {
				if p[k] < x-slack {
					ok = false
					break
				}
			}
			if ok && (accept == nil || accept(cur)) {
				return cur
			}
		}
		// The right subtree holds the larger values of the split
		// coordinate: search it first.
		if l := t.left[cur]; l >= 0 {
			st = append(st, l)
		}
		if r := t.right[cur]; r >= 0 {
			st = append(st, r)
		}
	}
	return -1
}

// kdTree is a balanced k-d tree built once over a fixed set of vectors,
// for the same question as domTree. Its nodes are laid out implicitly: the
// node of a range of slots is the middle slot, its subtrees the halves on
// either side.
type kdTree struct {
	d     int
	pts   []float64 // d per slot, in tree order
	hi    []float64 // d per slot: the largest value per coordinate in the slot's subtree
	ids   []int32   // the caller's index of each slot
	stack [][2]int32
}

// newKDTree builds the tree of the vectors of vals (d per vector) whose
// indexes are ids (all of them when ids is nil).
func newKDTree(vals []float64, d int, ids []int32) *kdTree {
	if ids == nil {
		ids = make([]int32, len(vals)/d)
		for i := range ids {
			ids[i] = int32(i)
		}
	} else {
		ids = append([]int32(nil), ids...)
	}
	t := &kdTree{d: d, ids: ids}
	t.build(vals, 0, len(ids), 0)
	t.pts = make([]float64, len(ids)*d)
	for s, id := range ids {
		copy(t.pts[s*d:s*d+d], vals[int(id)*d:int(id)*d+d])
	}
	t.hi = make([]float64, len(ids)*d)
	t.bound(0, len(ids))
	return t
}

// build arranges ids[lo:hi] so that the middle slot holds the median of
// coordinate depth mod d, the smaller values before it, and recurses.
func (t *kdTree) build(vals []float64, lo, hi, depth int) {
	for hi-lo > 1 {
		mid := (lo + hi) / 2
		k := depth % t.d
		selectNth(t.ids[lo:hi], mid-lo, func(id int32) float64 { return vals[int(id)*t.d+k] })
		t.build(vals, lo, mid, depth+1)
		lo, depth = mid+1, depth+1
	}
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
