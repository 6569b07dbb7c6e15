package genius

import (
	"math"
	"strconv"
	"strings"
)

// jsonRole tells a GeniusWeb domain from a profile.
type jsonRole int

const (
	jsonDomain jsonRole = iota + 1
	jsonProfile
)

// classifyJSON tells what a GeniusWeb document is.
func classifyJSON(file string, n *jnode) (jsonRole, error) {
	if n.kind != jObject {
		return 0, n.errorf(file, "expected a GeniusWeb domain or profile object, found %s", n.kind)
	}
	if n.get("issuesValues") != nil {
		return jsonDomain, nil
	}
	if n.get("LinearAdditiveUtilitySpace") != nil {
		return jsonProfile, nil
	}
	if len(n.keys) == 1 && strings.HasSuffix(n.keys[0], "Space") {
		return 0, n.vals[0].errorf(file, "unsupported GeniusWeb profile type %q (parley reads LinearAdditiveUtilitySpace)", n.keys[0])
	}
	return 0, n.errorf(file, "neither a GeniusWeb domain (no \"issuesValues\") nor a LinearAdditiveUtilitySpace profile")
}

// readDomainJSON reads a GeniusWeb domain: a name and issuesValues, each
// issue a list of values or a number range.
func readDomainJSON(file string, n *jnode) (string, []*issue, error) {
	if n.kind != jObject {
		return "", nil, n.errorf(file, "expected a domain object, found %s", n.kind)
	}
	name := ""
	if nm := n.get("name"); nm != nil {
		if nm.kind != jString {
			return "", nil, nm.errorf(file, "expected a string, found %s", nm.kind)
		}
		name = nm.str
	}
	iv := n.get("issuesValues")
	if iv == nil {
		return "", nil, n.errorf(file, "domain without \"issuesValues\"")
	}
	if iv.kind != jObject {
		return "", nil, iv.errorf(file, "expected an object of issues, found %s", iv.kind)
	}
	if len(iv.keys) == 0 {
		return "", nil, iv.errorf(file, "the domain has no issues")
	}
	var issues []*issue
	for i, k := range iv.keys {
		is, err := readIssueJSON(file, k, i+1, iv.vals[i])
		if err != nil {
			return "", nil, err
		}
		issues = append(issues, is)
	}
	return name, issues, nil
}

func readIssueJSON(file, name string, index int, n *jnode) (*issue, error) {
	if n.kind != jObject {
		return nil, n.errorf(file, "expected a value set object, found %s", n.kind)
	}
	is := &issue{name: name, index: index}
	if vs := n.get("values"); vs != nil {
		if vs.kind != jArray {
			return nil, vs.errorf(file, "expected an array of values, found %s", vs.kind)
		}
		is.kind = kindDiscrete
		seen := map[string]bool{}
		for _, v := range vs.vals {
			if v.kind != jString && v.kind != jNumber {
				return nil, v.errorf(file, "expected a value, found %s", v.kind)
			}
			if seen[v.str] {
				return nil, v.errorf(file, "value %q appears twice", v.str)
			}
			seen[v.str] = true
			is.values = append(is.values, v.str)
		}
		if len(is.values) == 0 {
			return nil, vs.errorf(file, "issue %q has no values", name)
		}
		return is, nil
	}
	r := n.get("range")
	if r == nil {
		return nil, n.errorf(file, "unknown value set for issue %q: expected \"values\" or \"range\"", name)
	}
	if r.kind != jObject {
		return nil, r.errorf(file, "expected a range object {low, high, step}, found %s", r.kind)
	}
	var lhs [3]float64
	var texts [3]string
	for k, key := range []string{"low", "high", "step"} {
		c := r.get(key)
		if c == nil {
			return nil, r.errorf(file, "range without %q", key)
		}
		v, err := numberValue(file, c)
		if err != nil {
			return nil, err
		}
		lhs[k], texts[k] = v, c.str
	}
	lo, hi, step := lhs[0], lhs[1], lhs[2]
	if step <= 0 {
		return nil, r.get("step").errorf(file, "step must be positive")
	}
	if hi < lo {
		return nil, r.get("high").errorf(file, "high is below low")
	}
	count := math.Floor((hi-lo)/step+1e-9) + 1
	if count > maxIssueValues {
		return nil, r.errorf(file, "number issue with %.0f values, more than %d", count, maxIssueValues)
	}
	dec := max(decimals(texts[0]), decimals(texts[2]))
	is.kind, is.lower, is.upper, is.step = kindNumber, lo, hi, step
	for k := 0; k < int(count); k++ {
		x := lo + float64(k)*step
		if dec <= 15 {
			x, _ = strconv.ParseFloat(strconv.FormatFloat(x, 'f', dec, 64), 64)
		}
		is.nums = append(is.nums, x)
		is.values = append(is.values, fmtNum(x))
	}
	return is, nil
}

// decimals counts the digits after the decimal point of a number's text.
func decimals(s string) int {
	s = strings.ToLower(s)
	if i := strings.IndexByte(s, 'e'); i >= 0 {
		exp, _ := strconv.Atoi(s[i+1:])
		return max(0, decimals(s[:i])-exp)
	}
	if i := strings.IndexByte(s, '.'); i >= 0 {
		return len(s) - i - 1
	}
	return 0
}

// numberValue reads a number written as a JSON number or a string.
func numberValue(file string, n *jnode) (float64, error) {
	if n.kind != jNumber && n.kind != jString {
		return 0, n.errorf(file, "expected a number, found %s", n.kind)
	}
	v, err := parseFloat(n.str)
	if err != nil {
		return 0, n.errorf(file, "%q: %v", n.str, err)
	}
	return v, nil
}

// readProfileJSON reads a LinearAdditiveUtilitySpace profile. It returns
// the profile and the domain the profile embeds.
func readProfileJSON(file string, n *jnode, issues []*issue) (*profile, string, []*issue, error) {
	las := n.get("LinearAdditiveUtilitySpace")
	if las == nil {
		_, err := classifyJSON(file, n)
		if err == nil {
			err = n.errorf(file, "not a LinearAdditiveUtilitySpace profile")
		}
		return nil, "", nil, err
	}
	if las.kind != jObject {
		return nil, "", nil, las.errorf(file, "expected an object, found %s", las.kind)
	}
	var domName string
	var embedded []*issue
	if d := las.get("domain"); d != nil {
		var err error
		domName, embedded, err = readDomainJSON(file, d)
		if err != nil {
			return nil, "", nil, err
		}
		if issues != nil {
			if err := sameDomain(file, d, embedded, issues); err != nil {
				return nil, "", nil, err
			}
		}
	}
	if issues == nil {
		if embedded == nil {
			return nil, "", nil, las.errorf(file, "profile without a \"domain\", and no domain file given")
		}
		issues = embedded
	}
	p := &profile{file: file, name: baseName(file)}
	if nm := las.get("name"); nm != nil && nm.kind == jString && nm.str != "" {
		p.name = nm.str
	}
	fns, err := readIssueUtilities(file, las, issues, p)
	if err != nil {
		return nil, "", nil, err
	}
	if err := readIssueWeights(file, las, issues, p); err != nil {
		return nil, "", nil, err
	}
	if rb := las.get("reservationBid"); rb != nil && rb.kind != jNull {
		r, err := bidUtility(file, rb, issues, p, fns)
		if err != nil {
			return nil, "", nil, err
		}
		p.reservation = r
	}
	return p, domName, embedded, nil
}

// sameDomain checks that a profile's embedded domain is the domain file's.
func sameDomain(file string, d *jnode, embedded, issues []*issue) error {
	if len(embedded) != len(issues) {
		return d.errorf(file, "profile does not match its domain: %d issues here, %d in the domain", len(embedded), len(issues))
	}
	for i, e := range embedded {
		is := issues[i]
		if e.name != is.name || e.kind != is.kind || strings.Join(e.values, "\x00") != strings.Join(is.values, "\x00") {
			return d.get("issuesValues").errorf(file, "profile does not match its domain: issue %q differs", e.name)
		}
	}
	return nil
}

// readIssueUtilities reads each issue's value utilities. It returns, for
// number issues, the utility function, to evaluate reservation bids.
func readIssueUtilities(file string, las *jnode, issues []*issue, p *profile) ([]func(float64) float64, error) {
	iu := las.get("issueUtilities")
	if iu == nil {
		return nil, las.errorf(file, "profile without \"issueUtilities\"")
	}
	if iu.kind != jObject {
		return nil, iu.errorf(file, "expected an object, found %s", iu.kind)
	}
	p.evals = make([][]float64, len(issues))
	fns := make([]func(float64) float64, len(issues))
	for k, name := range iu.keys {
		i := issueNamed(issues, name)
		if i < 0 {
			return nil, iu.vals[k].errorf(file, "profile does not match its domain: the domain has no issue %q", name)
		}
		n := iu.vals[k]
		if n.kind != jObject || len(n.keys) != 1 {
			return nil, n.errorf(file, "expected {\"discreteutils\": ...} or {\"numberutils\": ...}")
		}
		is := issues[i]
		switch n.keys[0] {
		case "discreteutils", "DiscreteValueSetUtilities":
			ev, err := readDiscreteUtils(file, n.vals[0], is)
			if err != nil {
				return nil, err
			}
			p.evals[i] = ev
		case "numberutils", "NumberValueSetUtilities":
			f, err := readNumberUtils(file, n.vals[0], is)
			if err != nil {
				return nil, err
			}
			fns[i] = f
			p.evals[i] = make([]float64, len(is.nums))
			for j, x := range is.nums {
				p.evals[i][j] = f(x)
			}
		default:
			return nil, n.vals[0].errorf(file, "unknown value set utilities %q", n.keys[0])
		}
	}
	for i, is := range issues {
		if p.evals[i] == nil {
			return nil, iu.errorf(file, "missing evaluation of issue %q", is.name)
		}
	}
	return fns, nil
}

func issueNamed(issues []*issue, name string) int {
	for i, is := range issues {
		if is.name == name {
			return i
		}
	}
	return -1
}

func readDiscreteUtils(file string, n *jnode, is *issue) ([]float64, error) {
	if is.kind != kindDiscrete {
		return nil, n.errorf(file, "profile does not match its domain: discrete utilities for %s issue %q", is.kind, is.name)
	}
	vu := n.get("valueUtilities")
	if vu == nil || vu.kind != jObject {
		return nil, n.errorf(file, "expected an object \"valueUtilities\"")
	}
	ev := make([]float64, len(is.values))
	seen := make([]bool, len(is.values))
	for k, v := range vu.keys {
		j := -1
		for jj, x := range is.values {
			if x == v {
				j = jj
			}
		}
		if j < 0 {
			return nil, vu.vals[k].errorf(file, "profile does not match its domain: issue %q has no value %q", is.name, v)
		}
		u, err := vu.vals[k].float(file)
		if err != nil {
			return nil, err
		}
		if u < 0 || u > 1 {
			return nil, vu.vals[k].errorf(file, "utility %s outside [0,1]", fmtNum(u))
		}
		ev[j], seen[j] = u, true
	}
	for j, v := range is.values {
		if !seen[j] {
			return nil, vu.errorf(file, "missing evaluation of value %q", v)
		}
	}
	return ev, nil
}

// readNumberUtils reads a linear utility between a low and a high value;
// values outside [lowValue, highValue] are worth 0, as in GeniusWeb.
func readNumberUtils(file string, n *jnode, is *issue) (func(float64) float64, error) {
	if is.kind != kindNumber {
		return nil, n.errorf(file, "profile does not match its domain: number utilities for %s issue %q", is.kind, is.name)
	}
	if n.kind != jObject {
		return nil, n.errorf(file, "expected an object, found %s", n.kind)
	}
	var v [4]float64
	for k, key := range []string{"lowValue", "lowUtility", "highValue", "highUtility"} {
		c := n.get(key)
		if c == nil {
			return nil, n.errorf(file, "missing %q", key)
		}
		x, err := numberValue(file, c)
		if err != nil {
			return nil, err
		}
		if (k == 1 || k == 3) && (x < 0 || x > 1) {
			return nil, c.errorf(file, "utility %s outside [0,1]", fmtNum(x))
		}
		v[k] = x
	}
	lv, lu, hv, hu := v[0], v[1], v[2], v[3]
	if hv <= lv {
		return nil, n.get("highValue").errorf(file, "highValue must be above lowValue")
	}
	return func(x float64) float64 {
		if x < lv || x > hv {
			return 0
		}
		return lu + (hu-lu)*(x-lv)/(hv-lv)
	}, nil
}

func readIssueWeights(file string, las *jnode, issues []*issue, p *profile) error {
	iw := las.get("issueWeights")
	if iw == nil {
		return las.errorf(file, "profile without \"issueWeights\"")
	}
	if iw.kind != jObject {
		return iw.errorf(file, "expected an object, found %s", iw.kind)
	}
	p.weights = make([]float64, len(issues))
	seen := make([]bool, len(issues))
	for k, name := range iw.keys {
		i := issueNamed(issues, name)
		if i < 0 {
			return iw.vals[k].errorf(file, "weight for issue %q, which the domain does not have", name)
		}
		w, err := iw.vals[k].float(file)
		if err != nil {
			return err
		}
		if w < 0 {
			return iw.vals[k].errorf(file, "negative weight %s", fmtNum(w))
		}
		p.weights[i], seen[i] = w, true
	}
	for i, is := range issues {
		if !seen[i] {
			return iw.errorf(file, "no weight for issue %q", is.name)
		}
	}
	return nil
}

// bidUtility returns the utility of a bid; issues the bid leaves out are
// worth 0, as in GeniusWeb.
func bidUtility(file string, rb *jnode, issues []*issue, p *profile, fns []func(float64) float64) (float64, error) {
	iv := rb.get("issuevalues")
	if rb.kind != jObject || iv == nil || iv.kind != jObject {
		return 0, rb.errorf(file, "expected a bid {\"issuevalues\": {...}}")
	}
	u := 0.0
	for k, name := range iv.keys {
		i := issueNamed(issues, name)
		if i < 0 {
			return 0, iv.vals[k].errorf(file, "the domain has no issue %q", name)
		}
		v := iv.vals[k]
		is := issues[i]
		if is.kind == kindNumber {
			x, err := numberValue(file, v)
			if err != nil {
				return 0, err
			}
			if x < is.lower || x > is.upper {
				return 0, v.errorf(file, "value %s is outside issue %q's range", v.str, name)
			}
			u += p.weights[i] * fns[i](x)
			continue
		}
		if v.kind != jString && v.kind != jNumber {
			return 0, v.errorf(file, "expected a value, found %s", v.kind)
		}
		j := -1
		for jj, x := range is.values {
			if x == v.str {
				j = jj
			}
		}
		if j < 0 {
			return 0, v.errorf(file, "issue %q has no value %q", name, v.str)
		}
		u += p.weights[i] * p.evals[i][j]
	}
	return u, nil
}
