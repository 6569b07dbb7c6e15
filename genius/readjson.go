package genius

import (
	"math/big"
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
// issue a list of values or a number range. A budget (nil for none)
// refuses the issue that takes the scenario of an import past its limit.
func readDomainJSON(file string, n *jnode, budget *sizeBudget) (string, []*issue, error) {
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
		if !budget.add(is) {
			msg, args := budget.refusal(is)
			return "", nil, iv.vals[i].errorf(file, msg, args...)
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
	var lhs [3]*big.Rat
	for k, key := range []string{"low", "high", "step"} {
		c := r.get(key)
		if c == nil {
			return nil, r.errorf(file, "range without %q", key)
		}
		v, _, err := exactValue(file, c)
		if err != nil {
			return nil, err
		}
		lhs[k] = v
	}
	lo, hi, step := lhs[0], lhs[1], lhs[2]
	if step.Sign() <= 0 {
		return nil, r.get("step").errorf(file, "step must be positive")
	}
	if hi.Cmp(lo) < 0 {
		return nil, r.get("high").errorf(file, "high is below low")
	}
	// The values are low, low+step, ... up to high, computed exactly.
	q := new(big.Rat).Quo(new(big.Rat).Sub(hi, lo), step)
	count := new(big.Int).Quo(q.Num(), q.Denom())
	count.Add(count, big.NewInt(1))
	if count.Cmp(big.NewInt(maxIssueValues)) > 0 {
		return nil, r.errorf(file, "number issue with %s values, more than %d", count, maxIssueValues)
	}
	is.kind = kindNumber
	is.exactLow, is.exactHigh, is.exactStep = lo, hi, step
	is.lower, _ = lo.Float64()
	is.upper, _ = hi.Float64()
	is.step, _ = step.Float64()
	is.nums = stepValues(lo, step, int(count.Int64()))
	is.values = formatNums(is.nums)
	return is, nil
}

// stepValues returns lo, lo+step, ... (n numbers), each the float64
// nearest to the exact decimal. With d decimals, lo+k·step is
// (L + k·S)·10^-d for the integers L and S.
func stepValues(lo, step *big.Rat, n int) []float64 {
	d := max(decimalPlaces(lo), decimalPlaces(step))
	pow := new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(d)), nil)
	scaled := func(x *big.Rat) *big.Int {
		i := new(big.Int).Mul(x.Num(), pow)
		return i.Quo(i, x.Denom())
	}
	x, s := scaled(lo), scaled(step)
	out := make([]float64, n)
	q := new(big.Rat)
	for k := range out {
		out[k], _ = q.SetFrac(x, pow).Float64()
		x.Add(x, s)
	}
	return out
}

// exactValue reads a number written as a JSON number or a string, both as
// the exact decimal written and as the nearest float64.
func exactValue(file string, n *jnode) (*big.Rat, float64, error) {
	if n.kind != jNumber && n.kind != jString {
		return nil, 0, n.errorf(file, "expected a number, found %s", n.kind)
	}
	r, err := parseDecimal(n.str)
	if err != nil {
		return nil, 0, n.errorf(file, "%q: %v", n.str, err)
	}
	f, _ := r.Float64()
	if f > 1e300 || f < -1e300 {
		return nil, 0, n.errorf(file, "%q: not a finite number", n.str)
	}
	return r, f, nil
}

// readProfileJSON reads a LinearAdditiveUtilitySpace profile. It returns
// the profile and the domain the profile embeds, counted by budget when
// issues, the domain already read, is nil.
func readProfileJSON(file string, n *jnode, issues []*issue, budget *sizeBudget) (*profile, string, []*issue, error) {
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
		if issues != nil {
			budget = nil // the domain has been counted
		}
		domName, embedded, err = readDomainJSON(file, d, budget)
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
	if err := readIssueUtilities(file, las, issues, p); err != nil {
		return nil, "", nil, err
	}
	if err := readIssueWeights(file, las, issues, p); err != nil {
		return nil, "", nil, err
	}
	if rb := las.get("reservationBid"); rb != nil && rb.kind != jNull {
		r, err := bidUtility(file, rb, issues, p)
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

// readIssueUtilities reads each issue's value utilities.
func readIssueUtilities(file string, las *jnode, issues []*issue, p *profile) error {
	iu := las.get("issueUtilities")
	if iu == nil {
		return las.errorf(file, "profile without \"issueUtilities\"")
	}
	if iu.kind != jObject {
		return iu.errorf(file, "expected an object, found %s", iu.kind)
	}
	p.evals = make([][]float64, len(issues))
	for k, name := range iu.keys {
		i := issueNamed(issues, name)
		if i < 0 {
			return iu.vals[k].errorf(file, "profile does not match its domain: the domain has no issue %q", name)
		}
		n := iu.vals[k]
		if n.kind != jObject || len(n.keys) != 1 {
			return n.errorf(file, "expected {\"discreteutils\": ...} or {\"numberutils\": ...}")
		}
		is := issues[i]
		var ev []float64
		var err error
		switch n.keys[0] {
		case "discreteutils", "DiscreteValueSetUtilities":
			ev, err = readDiscreteUtils(file, n.vals[0], is)
		case "numberutils", "NumberValueSetUtilities":
			ev, err = readNumberUtils(file, n.vals[0], is)
		default:
			err = n.vals[0].errorf(file, "unknown value set utilities %q", n.keys[0])
		}
		if err != nil {
			return err
		}
		p.evals[i] = ev
	}
	for i, is := range issues {
		if p.evals[i] == nil {
			return iu.errorf(file, "missing evaluation of issue %q", is.name)
		}
	}
	return nil
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
	index := make(map[string]int, len(is.values))
	for j, x := range is.values {
		index[x] = j
	}
	for k, v := range vu.keys {
		j, ok := index[v]
		if !ok {
			return nil, vu.vals[k].errorf(file, "profile does not match its domain: issue %q has no value %q", is.name, v)
		}
		if vu.vals[k].kind != jNumber {
			return nil, vu.vals[k].errorf(file, "expected a number, found %s", vu.vals[k].kind)
		}
		if u, ok := unitDecimal(vu.vals[k].str); ok {
			ev[j], seen[j] = u, true
			continue
		}
		x, u, err := exactValue(file, vu.vals[k])
		if err != nil {
			return nil, err
		}
		if x.Sign() < 0 || x.Cmp(big.NewRat(1, 1)) > 0 {
			return nil, vu.vals[k].errorf(file, "utility %s outside [0,1]", vu.vals[k].str)
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

// readNumberUtils evaluates a number issue's values as GeniusWeb does: the
// utility goes linearly from lowUtility at lowValue to highUtility at
// highValue, which must be the low and high of the issue's range, and is
// rounded half up to 8 decimals.
func readNumberUtils(file string, n *jnode, is *issue) ([]float64, error) {
	if is.kind != kindNumber {
		return nil, n.errorf(file, "profile does not match its domain: number utilities for %s issue %q", is.kind, is.name)
	}
	if n.kind != jObject {
		return nil, n.errorf(file, "expected an object, found %s", n.kind)
	}
	var v [4]*big.Rat
	for k, key := range []string{"lowValue", "lowUtility", "highValue", "highUtility"} {
		c := n.get(key)
		if c == nil {
			return nil, n.errorf(file, "missing %q", key)
		}
		x, _, err := exactValue(file, c)
		if err != nil {
			return nil, err
		}
		if (k == 1 || k == 3) && (x.Sign() < 0 || x.Cmp(big.NewRat(1, 1)) > 0) {
			return nil, c.errorf(file, "utility %s outside [0,1]", c.str)
		}
		v[k] = x
	}
	lv, lu, hv, hu := v[0], v[1], v[2], v[3]
	if hv.Cmp(lv) <= 0 {
		return nil, n.get("highValue").errorf(file, "highValue must be above lowValue")
	}
	if lv.Cmp(is.exactLow) != 0 {
		return nil, n.get("lowValue").errorf(file, "profile does not match its domain: lowValue %s is not the low %s of issue %q's range", n.get("lowValue").str, is.exactLow.FloatString(decimalPlaces(is.exactLow)), is.name)
	}
	if hv.Cmp(is.exactHigh) != 0 {
		return nil, n.get("highValue").errorf(file, "profile does not match its domain: highValue %s is not the high %s of issue %q's range", n.get("highValue").str, is.exactHigh.FloatString(decimalPlaces(is.exactHigh)), is.name)
	}
	// u(low + k·step) = lu + k·(hu-lu)·step/(hv-lv)
	slope := new(big.Rat).Sub(hu, lu)
	slope.Mul(slope, is.exactStep)
	slope.Quo(slope, new(big.Rat).Sub(hv, lv))
	return rounded8(lu, slope, len(is.nums)), nil
}

// rounded8 returns u_k = a + k·slope for k < n, each rounded half up to 8
// decimals. With a = A/B and slope = P/Q, u_k·10^8 + 1/2 is N_k/M for
// N_k = 2·10^8·(A·Q + k·P·B) + B·Q and M = 2·B·Q, so the rounded u_k is
// floor(N_k/M)·10^-8. Every u_k lies in [0,1].
func rounded8(a, slope *big.Rat, n int) []float64 {
	const e8 = 100_000_000
	A, B, P, Q := a.Num(), a.Denom(), slope.Num(), slope.Denom()
	bq := new(big.Int).Mul(B, Q)
	m := new(big.Int).Lsh(bq, 1)
	nk := new(big.Int).Mul(A, Q)
	nk.Mul(nk, big.NewInt(2*e8))
	nk.Add(nk, bq)
	dn := new(big.Int).Mul(P, B)
	dn.Mul(dn, big.NewInt(2*e8))
	out := make([]float64, n)
	q := new(big.Int)
	for k := range out {
		q.Quo(nk, m)
		out[k] = float64(q.Int64()) / e8
		nk.Add(nk, dn)
	}
	return out
}

// decimalPlaces returns the number of decimals that write x exactly when
// x is a decimal number: a denominator 2^a·5^b needs max(a, b).
func decimalPlaces(x *big.Rat) int {
	d := new(big.Int).Set(x.Denom())
	twos := int(d.TrailingZeroBits())
	d.Rsh(d, uint(twos))
	fives := 0
	five, q, r := big.NewInt(5), new(big.Int), new(big.Int)
	for d.Cmp(big.NewInt(1)) > 0 {
		q.QuoRem(d, five, r)
		if r.Sign() != 0 {
			break
		}
		d.Set(q)
		fives++
	}
	return max(twos, fives)
}

// readIssueWeights reads the issue weights, which GeniusWeb requires to add
// up to exactly 1.
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
	sum := new(big.Rat)
	for k, name := range iw.keys {
		i := issueNamed(issues, name)
		if i < 0 {
			return iw.vals[k].errorf(file, "weight for issue %q, which the domain does not have", name)
		}
		if iw.vals[k].kind != jNumber {
			return iw.vals[k].errorf(file, "expected a number, found %s", iw.vals[k].kind)
		}
		x, w, err := exactValue(file, iw.vals[k])
		if err != nil {
			return err
		}
		if w < 0 {
			return iw.vals[k].errorf(file, "negative weight %s", fmtNum(w))
		}
		p.weights[i], seen[i] = w, true
		sum.Add(sum, x)
	}
	for i, is := range issues {
		if !seen[i] {
			return iw.errorf(file, "no weight for issue %q", is.name)
		}
	}
	if sum.Cmp(big.NewRat(1, 1)) != 0 {
		return iw.errorf(file, "the weights add up to %s, and GeniusWeb requires exactly 1", sum.FloatString(decimalPlaces(sum)))
	}
	return nil
}

// bidUtility returns the utility of a bid. A bid's values must be values
// of the domain, as GeniusWeb requires of a reservation bid: a JSON string
// for a discrete issue, a JSON number on the range's steps for a number
// issue. Issues the bid leaves out are worth 0, as in GeniusWeb.
func bidUtility(file string, rb *jnode, issues []*issue, p *profile) (float64, error) {
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
		j := -1
		if is.kind == kindNumber {
			if v.kind != jNumber {
				return 0, v.errorf(file, "expected a number for number issue %q, found %s", name, v.kind)
			}
			x, _, err := exactValue(file, v)
			if err != nil {
				return 0, err
			}
			j = stepIndex(is, x)
			if j < 0 {
				return 0, v.errorf(file, "value %s is not a value of issue %q (from %s to %s in steps of %s)", v.str, name,
					is.exactLow.FloatString(decimalPlaces(is.exactLow)), is.exactHigh.FloatString(decimalPlaces(is.exactHigh)), is.exactStep.FloatString(decimalPlaces(is.exactStep)))
			}
		} else {
			if v.kind != jString {
				return 0, v.errorf(file, "expected a string for discrete issue %q, found %s", name, v.kind)
			}
			for jj, x := range is.values {
				if x == v.str {
					j = jj
				}
			}
			if j < 0 {
				return 0, v.errorf(file, "issue %q has no value %q", name, v.str)
			}
		}
		u += p.weights[i] * p.evals[i][j]
	}
	return u, nil
}

// stepIndex returns the index of x among a number issue's values, or -1.
func stepIndex(is *issue, x *big.Rat) int {
	if x.Cmp(is.exactLow) < 0 || x.Cmp(is.exactHigh) > 0 {
		return -1
	}
	q := new(big.Rat).Sub(x, is.exactLow)
	q.Quo(q, is.exactStep)
	if !q.IsInt() || !q.Num().IsInt64() || q.Num().Int64() >= int64(len(is.values)) {
		return -1
	}
	return int(q.Num().Int64())
}
