package genius

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// xmlDomain is a GENIUS negotiation_template.
type xmlDomain struct {
	issues []*issue
	notes  []string
}

// readDomainXML reads a GENIUS domain: a negotiation_template whose
// utility_space holds an objective tree of issues. A budget (nil for none)
// refuses the issue that takes the scenario of an import past its limit.
func readDomainXML(file string, data []byte, opt Options, budget *sizeBudget) (*xmlDomain, error) {
	root, err := parseXML(file, data)
	if err != nil {
		return nil, err
	}
	if root.name != "negotiation_template" {
		return nil, root.errorf(file, "not a GENIUS domain: the root element is <%s>, not <negotiation_template>", root.name)
	}
	us := root.child("utility_space")
	if us == nil {
		return nil, root.errorf(file, "no <utility_space> element")
	}
	obj := us.child("objective")
	if obj == nil {
		return nil, us.errorf(file, "no <objective> element")
	}
	var elems []*element
	collectIssues(obj, &elems, 0)
	if len(elems) == 0 {
		return nil, obj.errorf(file, "the domain has no issues")
	}
	d := &xmlDomain{}
	byIndex := map[int]bool{}
	byName := map[string]bool{}
	for _, e := range elems {
		is, note, err := readDomainIssue(file, e, opt)
		if err != nil {
			return nil, err
		}
		if byIndex[is.index] {
			return nil, e.errorf(file, "another issue has index %d", is.index)
		}
		if byName[is.name] {
			return nil, e.errorf(file, "another issue is named %q", is.name)
		}
		byIndex[is.index], byName[is.name] = true, true
		if !budget.add(is) {
			msg, args := budget.refusal(is)
			return nil, e.errorf(file, msg, args...)
		}
		d.issues = append(d.issues, is)
		if note != "" {
			d.notes = append(d.notes, note)
		}
	}
	return d, nil
}

// collectIssues gathers the issues of an objective tree in preorder, the
// order in which GENIUS evaluates them.
func collectIssues(obj *element, out *[]*element, depth int) {
	if depth > maxDepth {
		return
	}
	for _, c := range obj.children {
		switch c.name {
		case "issue":
			*out = append(*out, c)
		case "objective":
			collectIssues(c, out, depth+1)
		}
	}
}

// issueType returns the type of an issue element as GENIUS reads it: only
// the type attribute counts (vtype and etype are not consulted), an issue
// without one is discrete, and so is one whose type GENIUS does not know.
// known is false for such an unknown type, so that a note can say so.
func issueType(e *element) (t kind, raw string, known bool) {
	s, ok := e.attr("type")
	if !ok {
		return kindDiscrete, "", true
	}
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "discrete":
		return kindDiscrete, s, true
	case "integer":
		return kindInteger, s, true
	case "real":
		return kindReal, s, true
	}
	return kindDiscrete, s, false
}

func readDomainIssue(file string, e *element, opt Options) (*issue, string, error) {
	name, ok := e.attr("name")
	if !ok || name == "" {
		return nil, "", e.errorf(file, "issue without a name")
	}
	idx, err := e.intAttr(file, "index")
	if err != nil {
		return nil, "", err
	}
	t, raw, known := issueType(e)
	var typeNote string
	if !known {
		typeNote = fmt.Sprintf("issue %s has the unknown type %q: read as discrete, as GENIUS does", name, raw)
	}
	is := &issue{name: name, index: idx}
	switch t {
	case kindDiscrete:
		is.kind = kindDiscrete
		seen := map[string]bool{}
		for _, it := range e.childrenNamed("item") {
			v, ok := it.attr("value")
			if !ok {
				return nil, "", it.errorf(file, "item without a value")
			}
			if seen[v] {
				return nil, "", it.errorf(file, "value %q appears twice", v)
			}
			seen[v] = true
			is.values = append(is.values, v)
		}
		if len(is.values) == 0 {
			return nil, "", e.errorf(file, "discrete issue without items")
		}
		return is, typeNote, nil
	case kindInteger:
		is.kind = kindInteger
		lo, hi, err := intBounds(file, e)
		if err != nil {
			return nil, "", err
		}
		is.lower, is.upper = float64(lo), float64(hi)
		for v := lo; v <= hi; v++ {
			is.values = append(is.values, strconv.Itoa(v))
			is.nums = append(is.nums, float64(v))
		}
		return is, "", nil
	case kindReal:
		is.kind = kindReal
		lo, hi, err := realBounds(file, e)
		if err != nil {
			return nil, "", err
		}
		is.lower, is.upper = lo, hi
		steps := opt.RealSteps
		if lo == hi {
			steps = 1
		}
		is.nums = discretise(lo, hi, steps)
		is.values = formatNums(is.nums)
		return is, fmt.Sprintf("issue %s (real, [%s, %s]) discretised into %d steps", name, fmtNum(lo), fmtNum(hi), steps), nil
	}
	return nil, "", e.errorf(file, "issue type %s cannot be read", t)
}

// intBounds reads the lowerbound and upperbound of an integer issue.
func intBounds(file string, e *element) (int, int, error) {
	lo, err := e.intAttr(file, "lowerbound")
	if err != nil {
		return 0, 0, err
	}
	hi, err := e.intAttr(file, "upperbound")
	if err != nil {
		return 0, 0, err
	}
	if hi < lo {
		return 0, 0, e.errorf(file, "upperbound %d is below lowerbound %d", hi, lo)
	}
	if int64(hi)-int64(lo)+1 > maxIssueValues {
		return 0, 0, e.errorf(file, "integer issue with %d values, more than %d", int64(hi)-int64(lo)+1, maxIssueValues)
	}
	return lo, hi, nil
}

// realBounds reads the bounds of a real issue from its <range> child or,
// failing that, its own attributes.
func realBounds(file string, e *element) (float64, float64, error) {
	r := e.child("range")
	if r == nil {
		r = e
	}
	lo, err := r.floatAttr(file, "lowerbound")
	if err != nil {
		return 0, 0, err
	}
	hi, err := r.floatAttr(file, "upperbound")
	if err != nil {
		return 0, 0, err
	}
	if hi < lo {
		return 0, 0, r.errorf(file, "upperbound %s is below lowerbound %s", fmtNum(hi), fmtNum(lo))
	}
	return lo, hi, nil
}

// discretise returns n evenly spaced numbers from lo to hi, both included.
func discretise(lo, hi float64, n int) []float64 {
	if n <= 1 {
		return []float64{lo}
	}
	xs := make([]float64, n)
	for i := range xs {
		xs[i] = lo + (hi-lo)*float64(i)/float64(n-1)
	}
	xs[n-1] = hi
	return xs
}

// fmtNum formats a number briefly: at most 12 significant digits, so that
// 0.30000000000000004 reads 0.3.
func fmtNum(x float64) string {
	return strconv.FormatFloat(x, 'g', 12, 64)
}

func formatNums(xs []float64) []string {
	s := make([]string, len(xs))
	for i, x := range xs {
		s[i] = fmtNum(x)
	}
	return s
}

// readProfileXML reads a GENIUS utility_space profile of the given domain.
func readProfileXML(file, name string, data []byte, issues []*issue) (*profile, error) {
	root, err := parseXML(file, data)
	if err != nil {
		return nil, err
	}
	if root.name != "utility_space" {
		return nil, root.errorf(file, "not a GENIUS profile: the root element is <%s>, not <utility_space>", root.name)
	}
	p := &profile{name: name, file: file}
	nonlinear, err := profileType(file, root)
	if err != nil {
		return nil, err
	}
	if err := readReservation(file, root, p, !nonlinear); err != nil {
		return nil, err
	}
	obj := root.child("objective")
	if obj == nil {
		return nil, root.errorf(file, "no <objective> element")
	}
	var elems []*element
	collectIssues(obj, &elems, 0)
	if nonlinear {
		if len(elems) > 0 {
			if _, err := matchIssues(file, obj, elems, issues, &p.notes); err != nil {
				return nil, err
			}
		}
		u := findUtility(root)
		if u == nil {
			return nil, root.errorf(file, "nonlinear profile without a <utility> element in the first element of <utility_space>, where GENIUS looks for it")
		}
		nl, err := readNonlinear(file, u, issues)
		if err != nil {
			return nil, err
		}
		p.nonlinear = nl
		return p, nil
	}
	matched, err := matchIssues(file, obj, elems, issues, &p.notes)
	if err != nil {
		return nil, err
	}
	if err := readWeights(file, obj, issues, p); err != nil {
		return nil, err
	}
	p.evals = make([][]float64, len(issues))
	for i, is := range issues {
		ev, err := readEvaluator(file, matched[i], is)
		if err != nil {
			return nil, err
		}
		if is.kind == kindInteger && matched[i].child("evaluator") == nil {
			p.notes = append(p.notes, fmt.Sprintf("profile %s: integer issue %s has a weight but no <evaluator>: it contributes 0 (GENIUS's slope and offset default to 0)", name, is.name))
		}
		p.evals[i] = ev
	}
	p.capped = p.maxUtility() > 1+1e-9
	return p, nil
}

// profileType tells a nonlinear profile from a linear additive one by the
// type attribute of utility_space, as GENIUS does: none or "linear" is
// linear additive, "nonlinear" is a hyperRectangle profile. GENIUS's
// constraint and uncertain profiles are refused.
func profileType(file string, root *element) (nonlinear bool, err error) {
	t, ok := root.attr("type")
	if !ok {
		return false, nil
	}
	switch strings.ToLower(t) {
	case "linear":
		return false, nil
	case "nonlinear":
		return true, nil
	case "constraint", "uncertain":
		return false, root.errorf(file, "unsupported profile type %q: parley reads linear and nonlinear GENIUS profiles", t)
	}
	return false, root.errorf(file, "unknown profile type %q: GENIUS profiles are linear, nonlinear, constraint or uncertain", t)
}

// readReservation reads <reservation value> and <discount_factor value> as
// GENIUS does. A linear profile is searched at every depth: GENIUS visits
// the elements depth first, takes each element's first <reservation> and
// <discount_factor> child, and the last one it meets wins. A nonlinear
// profile is searched among the children of utility_space only. A
// discount factor of at most 0 or above 1 means no discount (GENIUS sets
// it to 1), and a note says so.
func readReservation(file string, root *element, p *profile, deep bool) error {
	var res, disc *element
	var walk func(e *element, depth int)
	walk = func(e *element, depth int) {
		if r := e.child("reservation"); r != nil {
			res = r
		}
		if d := e.child("discount_factor"); d != nil {
			disc = d
		}
		if !deep || depth >= maxDepth {
			return
		}
		for _, c := range e.children {
			walk(c, depth+1)
		}
	}
	walk(root, 0)
	if res != nil {
		v, err := res.floatAttr(file, "value")
		if err != nil {
			return err
		}
		p.reservation = v
	}
	if disc != nil {
		v, err := disc.floatAttr(file, "value")
		if err != nil {
			return err
		}
		p.discount = v
		if v <= 0 || v > 1 {
			p.discount = 1
			p.notes = append(p.notes, fmt.Sprintf("profile %s: discount factor %s is outside (0,1]: no discount (GENIUS sets it to 1)", p.name, fmtNum(v)))
		}
	}
	return nil
}

// findUtility returns the <utility> element of a nonlinear profile, which
// GENIUS looks for among the children of utility_space's first element.
func findUtility(root *element) *element {
	if len(root.children) == 0 {
		return nil
	}
	return root.children[0].child("utility")
}

// matchIssues pairs every domain issue with the profile's issue element,
// by index (GENIUS's key) or, for elements without one, by name.
func matchIssues(file string, obj *element, elems []*element, issues []*issue, notes *[]string) ([]*element, error) {
	matched := make([]*element, len(issues))
	for _, e := range elems {
		name, hasName := e.attr("name")
		k := -1
		if s, ok := e.attr("index"); ok {
			idx, err := strconv.Atoi(strings.TrimSpace(s))
			if err != nil {
				return nil, e.errorf(file, "attribute index=%q is not an integer", s)
			}
			for i, is := range issues {
				if is.index == idx {
					k = i
				}
			}
			if k < 0 {
				return nil, e.errorf(file, "profile does not match its domain: the domain has no issue with index %d", idx)
			}
			if hasName && name != issues[k].name {
				return nil, e.errorf(file, "profile does not match its domain: issue %d is %q in the domain", idx, issues[k].name)
			}
		} else {
			for i, is := range issues {
				if is.name == name {
					k = i
				}
			}
			if k < 0 {
				return nil, e.errorf(file, "profile does not match its domain: the domain has no issue %q", name)
			}
		}
		if matched[k] != nil {
			return nil, e.errorf(file, "issue %q appears twice", issues[k].name)
		}
		t, raw, known := issueType(e)
		if !known {
			*notes = append(*notes, fmt.Sprintf("profile %s: issue %s has the unknown type %q: read as discrete, as GENIUS does", baseName(file), issues[k].name, raw))
		}
		if t != issues[k].kind {
			how := string(t)
			switch {
			case raw == "":
				how = "discrete (no type attribute, which GENIUS reads as discrete)"
			case t == kindDiscrete && !strings.EqualFold(strings.TrimSpace(raw), "discrete"):
				how = fmt.Sprintf("discrete (the unknown type %q, which GENIUS reads as discrete)", raw)
			}
			return nil, e.errorf(file, "profile does not match its domain: issue %q is %s here and %s in the domain", issues[k].name, how, issues[k].kind)
		}
		matched[k] = e
	}
	for i, is := range issues {
		if matched[i] == nil {
			return nil, obj.errorf(file, "profile does not match its domain: no evaluation of issue %q", is.name)
		}
	}
	return matched, nil
}

// readWeights reads the <weight index value> elements of the objective
// tree. Weights of objectives that are not issues are ignored, as GENIUS
// ignores them when it adds up a utility.
func readWeights(file string, obj *element, issues []*issue, p *profile) error {
	p.weights = make([]float64, len(issues))
	seen := make([]bool, len(issues))
	objectives := map[int]bool{}
	var ws []*element
	var walk func(e *element, depth int)
	walk = func(e *element, depth int) {
		if depth > maxDepth {
			return
		}
		if s, ok := e.attr("index"); ok {
			if i, err := strconv.Atoi(strings.TrimSpace(s)); err == nil {
				objectives[i] = true
			}
		}
		for _, c := range e.children {
			switch c.name {
			case "weight":
				ws = append(ws, c)
			case "objective":
				walk(c, depth+1)
			}
		}
	}
	walk(obj, 0)
	for _, w := range ws {
		idx, err := w.intAttr(file, "index")
		if err != nil {
			return err
		}
		v, err := w.floatAttr(file, "value")
		if err != nil {
			return err
		}
		k := -1
		for i, is := range issues {
			if is.index == idx {
				k = i
			}
		}
		if k < 0 {
			if objectives[idx] {
				continue
			}
			return w.errorf(file, "weight for issue index %d, which the domain does not have", idx)
		}
		if seen[k] {
			return w.errorf(file, "second weight for issue %q", issues[k].name)
		}
		if v < 0 {
			return w.errorf(file, "negative weight %s for issue %q", fmtNum(v), issues[k].name)
		}
		seen[k] = true
		p.weights[k] = v
	}
	for i, is := range issues {
		if !seen[i] {
			return obj.errorf(file, "no weight for issue %q", is.name)
		}
	}
	return nil
}

// readEvaluator returns the evaluations in [0,1] of an issue's values.
func readEvaluator(file string, e *element, is *issue) ([]float64, error) {
	switch is.kind {
	case kindDiscrete:
		return readDiscreteEvals(file, e, is)
	case kindInteger:
		return readIntegerEvals(file, e, is)
	case kindReal:
		return readRealEvals(file, e, is)
	}
	return nil, e.errorf(file, "issue %q has type %s, which GENIUS profiles cannot evaluate", is.name, is.kind)
}

// readDiscreteEvals divides each evaluation by the largest evaluation of
// the issue, as GENIUS's discrete evaluator does.
func readDiscreteEvals(file string, e *element, is *issue) ([]float64, error) {
	raw := make([]float64, len(is.values))
	seen := make([]bool, len(is.values))
	pos := make(map[string]int, len(is.values))
	for j, v := range is.values {
		pos[v] = j
	}
	for _, it := range e.childrenNamed("item") {
		v, ok := it.attr("value")
		if !ok {
			return nil, it.errorf(file, "item without a value")
		}
		j, ok := pos[v]
		if !ok {
			return nil, it.errorf(file, "profile does not match its domain: issue %q has no value %q", is.name, v)
		}
		if seen[j] {
			return nil, it.errorf(file, "value %q is evaluated twice", v)
		}
		s, ok := it.attr("evaluation")
		if !ok || s == "null" {
			return nil, it.errorf(file, "value %q has no evaluation", v)
		}
		x, err := parseFloat(s)
		if err != nil {
			return nil, it.errorf(file, "evaluation=%q: %v", s, err)
		}
		if x < 0 {
			return nil, it.errorf(file, "negative evaluation %s", fmtNum(x))
		}
		raw[j], seen[j] = x, true
	}
	for j, v := range is.values {
		if !seen[j] {
			return nil, e.errorf(file, "missing evaluation of value %q", v)
		}
	}
	m := 0.0
	for _, x := range raw {
		m = math.Max(m, x)
	}
	ev := make([]float64, len(raw))
	if m < 0.00001 {
		return ev, nil
	}
	for j, x := range raw {
		ev[j] = x / m
	}
	return ev, nil
}

func clip01(x float64) float64 {
	switch {
	case x < 0:
		return 0
	case x > 1:
		return 1
	}
	return x
}

// readIntegerEvals evaluates slope*(x-lowerbound)+offset, clipped to
// [0,1], with the profile's lowerbound when it gives one.
func readIntegerEvals(file string, e *element, is *issue) ([]float64, error) {
	ev := e.child("evaluator")
	if ev == nil {
		// GENIUS's slope and offset default to 0: every value is worth 0.
		return make([]float64, len(is.nums)), nil
	}
	slope, err := ev.floatAttr(file, "slope")
	if err != nil {
		return nil, err
	}
	offset, err := ev.floatAttr(file, "offset")
	if err != nil {
		return nil, err
	}
	lo := is.lower
	if s, ok := e.attr("lowerbound"); ok {
		v, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil {
			return nil, e.errorf(file, "attribute lowerbound=%q is not an integer", s)
		}
		lo = float64(v)
	}
	out := make([]float64, len(is.nums))
	for j, x := range is.nums {
		out[j] = clip01(slope*(x-lo) + offset)
	}
	return out, nil
}

// readRealEvals evaluates a real issue's evaluator at the discretised
// values: linear parameter1*x+parameter0 clipped to [0,1], constant
// parameter0, or triangular.
func readRealEvals(file string, e *element, is *issue) ([]float64, error) {
	ev := e.child("evaluator")
	if ev == nil {
		return nil, e.errorf(file, "missing evaluation: real issue %q has no <evaluator>", is.name)
	}
	ft, ok := ev.attr("ftype")
	if !ok {
		return nil, ev.errorf(file, "missing attribute \"ftype\" (linear, constant or triangular): GENIUS cannot read a real evaluator without one")
	}
	out := make([]float64, len(is.nums))
	switch strings.ToLower(ft) {
	case "linear":
		p0, err := ev.floatAttr(file, "parameter0")
		if err != nil {
			return nil, err
		}
		p1, err := ev.floatAttr(file, "parameter1")
		if err != nil {
			return nil, err
		}
		for j, x := range is.nums {
			out[j] = clip01(p1*x + p0)
		}
	case "constant":
		p0, err := ev.floatAttr(file, "parameter0")
		if err != nil {
			return nil, err
		}
		if p0 < 0 || p0 > 1 {
			return nil, ev.errorf(file, "constant evaluation %s outside [0,1]", fmtNum(p0))
		}
		for j := range out {
			out[j] = p0
		}
	case "triangular":
		var p [3]float64
		for k := range p {
			v, err := ev.floatAttr(file, "parameter"+strconv.Itoa(k))
			if err != nil {
				return nil, err
			}
			p[k] = v
		}
		lo, hi, top := p[0], p[1], p[2]
		for j, x := range is.nums {
			switch {
			case x < lo:
				out[j] = 0
			case x < top:
				out[j] = (x - lo) / (top - lo)
			case x < hi:
				out[j] = 1 - (x-top)/(hi-top)
			default:
				out[j] = 0
			}
		}
	default:
		return nil, ev.errorf(file, "unsupported evaluator ftype %q (parley reads linear, constant and triangular)", ft)
	}
	return out, nil
}
