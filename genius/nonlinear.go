package genius

import (
	"math"
	"strconv"
	"strings"
)

// nonlinearSpace is a GENIUS nonlinear profile: a tree of utility
// functions over hyperrectangles of integer issues. The utility of a
// package is the root function's value divided by maxutility, capped at 1.
type nonlinearSpace struct {
	maxUtility float64
	root       *ufun
	issues     []*issue
}

// ufun aggregates its hyperrectangles and inner functions (sum, min or
// max). Its weight multiplies its value where an outer function
// aggregates it; the root function's weight is never used, as in GENIUS.
type ufun struct {
	agg    string
	weight float64
	rects  []rect
	inner  []*ufun
}

// rect is a hyperRectangle: an inclusive one is worth utility*weight for
// the packages inside all its bounds, an exclusive one for the packages
// outside at least one of them; one without bounds covers every package.
type rect struct {
	inclusive bool
	all       bool
	bounds    []bound
	value     float64 // utility*weight
}

// bound is a closed interval of one integer issue's values.
type bound struct {
	issue    int
	min, max float64
}

func readNonlinear(file string, u *element, issues []*issue) (*nonlinearSpace, error) {
	mu, err := u.floatAttr(file, "maxutility")
	if err != nil {
		return nil, err
	}
	if mu <= 0 {
		return nil, u.errorf(file, "maxutility must be positive, not %s", fmtNum(mu))
	}
	f := u.child("ufun")
	if f == nil {
		return nil, u.errorf(file, "nonlinear profile without a <ufun>")
	}
	root, err := readUfun(file, f, issues, 0)
	if err != nil {
		return nil, err
	}
	return &nonlinearSpace{maxUtility: mu, root: root, issues: issues}, nil
}

func readUfun(file string, e *element, issues []*issue, depth int) (*ufun, error) {
	if depth > maxDepth {
		return nil, e.errorf(file, "utility functions nested deeper than %d", maxDepth)
	}
	a, ok := e.attr("aggregation")
	if !ok {
		return nil, e.errorf(file, "missing attribute \"aggregation\" (sum, min or max): GENIUS cannot read a utility function without one")
	}
	f := &ufun{agg: strings.ToLower(a), weight: 1}
	switch f.agg {
	case "sum", "min", "max":
	default:
		return nil, e.errorf(file, "unsupported aggregation %q: GENIUS reads sum, min and max, and silently takes any other word for sum", a)
	}
	if w, ok, err := e.optFloatAttr(file, "weight"); err != nil {
		return nil, err
	} else if ok {
		f.weight = w
	}
	for _, c := range e.children {
		switch c.name {
		case "hyperRectangle":
			r, err := readRect(file, c, issues)
			if err != nil {
				return nil, err
			}
			f.rects = append(f.rects, r)
		case "ufun":
			g, err := readUfun(file, c, issues, depth+1)
			if err != nil {
				return nil, err
			}
			f.inner = append(f.inner, g)
		}
	}
	if f.agg != "sum" && len(f.rects) == 0 && len(f.inner) == 0 {
		// GENIUS starts a minimum at 2147483647 and a maximum at
		// -2147483647, and returns that when there is nothing to aggregate.
		start := "2147483647"
		if f.agg == "max" {
			start = "-2147483647"
		}
		return nil, e.errorf(file, "utility function with aggregation %s and nothing to aggregate: GENIUS would give it the value %s", f.agg, start)
	}
	return f, nil
}

func readRect(file string, e *element, issues []*issue) (rect, error) {
	var r rect
	u, err := e.floatAttr(file, "utility")
	if err != nil {
		return r, err
	}
	w := 1.0
	if v, ok, err := e.optFloatAttr(file, "weight"); err != nil {
		return r, err
	} else if ok {
		w = v
	}
	r.value = u * w
	if math.IsInf(r.value, 0) {
		return r, e.errorf(file, "utility %s times weight %s is too large", fmtNum(u), fmtNum(w))
	}
	inc, exc := e.childrenNamed("INCLUDES"), e.childrenNamed("EXCLUDES")
	bs := inc
	r.inclusive = true
	switch {
	case len(inc) > 0 && len(exc) > 0:
		return r, e.errorf(file, "hyperRectangle with both INCLUDES and EXCLUDES (GENIUS would silently drop the INCLUDES)")
	case len(exc) > 0:
		bs, r.inclusive = exc, false
	case len(inc) == 0:
		r.all = true
		return r, nil
	}
	for _, b := range bs {
		idx, err := b.intAttr(file, "index")
		if err != nil {
			return r, err
		}
		k := -1
		for i, is := range issues {
			if is.index == idx {
				k = i
			}
		}
		if k < 0 {
			return r, b.errorf(file, "bound on issue index %d, which the domain does not have", idx)
		}
		if issues[k].kind != kindInteger {
			return r, b.errorf(file, "bound on issue %q, which is %s: GENIUS bounds only integer issues", issues[k].name, issues[k].kind)
		}
		// GENIUS reads bounds as integers, like the values they bound.
		lo, err := b.intAttr(file, "min")
		if err != nil {
			return r, err
		}
		hi, err := b.intAttr(file, "max")
		if err != nil {
			return r, err
		}
		r.bounds = append(r.bounds, bound{issue: k, min: float64(lo), max: float64(hi)})
	}
	return r, nil
}

// utility returns the profile's utility of a package.
func (s *nonlinearSpace) utility(pkg []int) float64 {
	v := s.root.value(s.issues, pkg) / s.maxUtility
	if v > 1 {
		return 1
	}
	return v
}

// value aggregates the function's rectangles and its inner functions,
// each inner function's value multiplied by its weight. The function's own
// weight is left to the function that aggregates it.
func (f *ufun) value(issues []*issue, pkg []int) float64 {
	var acc float64
	switch f.agg {
	case "min":
		acc = math.Inf(1)
	case "max":
		acc = math.Inf(-1)
	}
	add := func(x float64) {
		switch f.agg {
		case "sum":
			acc += x
		case "min":
			acc = min(acc, x)
		case "max":
			acc = max(acc, x)
		}
	}
	for _, r := range f.rects {
		add(r.utility(issues, pkg))
	}
	for _, g := range f.inner {
		add(g.value(issues, pkg) * g.weight)
	}
	return acc
}

func (r *rect) utility(issues []*issue, pkg []int) float64 {
	if r.all {
		return r.value
	}
	inside := true
	for _, b := range r.bounds {
		x := issues[b.issue].nums[pkg[b.issue]]
		if x < b.min || x > b.max {
			inside = false
			break
		}
	}
	if inside == r.inclusive {
		return r.value
	}
	return 0
}

// describe names the function briefly for notes.
func (s *nonlinearSpace) describe() string {
	n := 0
	var count func(f *ufun)
	count = func(f *ufun) {
		n += len(f.rects)
		for _, g := range f.inner {
			count(g)
		}
	}
	count(s.root)
	return strconv.Itoa(n) + " hyperrectangles"
}
