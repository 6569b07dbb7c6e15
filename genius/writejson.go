package genius

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"math/big"
	"strings"

	"parley/scenario"
)

// maxBidSearch bounds the packages visited while looking for a reservation
// bid.
const maxBidSearch = 5_000_000

// WriteGeniusWeb turns a version of a scenario into a GeniusWeb domain and
// one LinearAdditiveUtilitySpace profile per party that holds a position.
// GeniusWeb requires a profile's weights to add up to exactly 1 and its
// value utilities to lie in [0,1], so weights are adjusted to that, keeping
// every package's utility; a party whose utility can exceed 1 makes the
// export fail unless opt.Lossy, which divides its utilities by their
// largest. GeniusWeb states a reservation value only as the utility of a
// reservation bid, so a package worth exactly the party's reservation value
// is searched for; without one the export fails unless opt.Lossy, which
// takes the nearest package and says so. Names hold letters and digits
// only, as GeniusWeb requires.
func WriteGeniusWeb(s *scenario.Scenario, opt ExportOptions) (*Export, error) {
	t, err := newTable(s, opt, "GeniusWeb")
	if err != nil {
		return nil, err
	}
	dom, names, err := fileNames(t, "", ".json")
	if err != nil {
		dom, names, err = fileNames(t, "_domain", ".json")
		if err != nil {
			return nil, err
		}
	}
	e := &Export{Format: FormatGeniusWeb, Warnings: t.warnings}
	var b bytes.Buffer
	t.domainJSON(&b, "")
	b.WriteString("\n")
	e.Files = append(e.Files, File{Name: dom, Data: b.Bytes()})
	for k, p := range t.parties {
		if p.discount > 0 {
			e.Warnings = append(e.Warnings, fmt.Sprintf("party %s: discount factor %s dropped (GeniusWeb profiles have none)", p.id, about(p.discount)))
		}
		p, texts, warn, err := unitWeights(p, opt.Lossy)
		if err != nil {
			return nil, err
		}
		if warn != "" {
			e.Warnings = append(e.Warnings, warn)
		}
		bid, warn, err := t.reservationBid(p, opt.Lossy)
		if err != nil {
			return nil, err
		}
		if warn != "" {
			e.Warnings = append(e.Warnings, warn)
		}
		e.Files = append(e.Files, File{Name: names[k], Data: t.profileJSON(p, texts, bid)})
	}
	return e, nil
}

// unitWeights returns the party with weights that add up to exactly 1 in
// decimal, as GeniusWeb requires, and their texts. Weights that already do
// are kept. Otherwise every contribution weight×utility is kept and the
// weights move: the weights as given when they add up to at most 1, else
// each issue's largest contribution; what is missing goes to the largest
// weight, and the utilities of an issue whose weight moved are its
// contributions divided by the new weight. A party whose utility can
// exceed 1 cannot be written; with lossy its utilities and reservation
// value are divided by their largest.
func unitWeights(p tableParty, lossy bool) (tableParty, []string, string, error) {
	n := len(p.weights)
	texts := make([]string, n)
	sum := new(big.Rat)
	for i, w := range p.weights {
		texts[i] = num(w)
		sum.Add(sum, exactDecimal(texts[i]))
	}
	if sum.Cmp(big.NewRat(1, 1)) == 0 {
		return p, texts, "", nil
	}
	reach := 0.0 // the party's largest utility
	for i, w := range p.weights {
		m := 0.0
		for _, u := range p.utils[i] {
			m = max(m, w*u)
		}
		reach += m
	}
	warn, scale := "", 1.0
	if reach > 1+1e-12 {
		msg := fmt.Sprintf("party %s: its utility can reach %s, and a GeniusWeb utility is at most 1", p.id, about(reach))
		if !lossy {
			return p, nil, "", fmt.Errorf("%s: use --lossy to divide its utilities and reservation value by %s", msg, about(reach))
		}
		warn = fmt.Sprintf("%s; its utilities and reservation value were divided by %s", msg, about(reach))
		scale = reach
		p.reservation /= reach
	}
	contrib := make([][]float64, n)
	most := make([]float64, n) // each issue's largest contribution
	given := make([]float64, n)
	total := 0.0
	for i, w := range p.weights {
		given[i] = w / scale
		contrib[i] = make([]float64, len(p.utils[i]))
		for j, u := range p.utils[i] {
			contrib[i][j] = w * u / scale
			most[i] = max(most[i], contrib[i][j])
		}
		total += given[i]
	}
	target := given
	if total > 1+1e-12 {
		target = most
	}
	k := 0
	for i := range target {
		if target[i] > target[k] {
			k = i
		}
	}
	rest := new(big.Rat).SetInt64(1)
	for i := range target {
		if i != k {
			texts[i] = num(target[i])
			rest.Sub(rest, exactDecimal(texts[i]))
		}
	}
	if rest.Sign() < 0 {
		return p, nil, "", fmt.Errorf("internal error: party %s: weights %v cannot be made to add up to 1", p.id, target)
	}
	texts[k] = rest.FloatString(decimalPlaces(rest))
	q := tableParty{id: p.id, name: p.name, reservation: p.reservation, discount: p.discount}
	for i, text := range texts {
		w, _ := exactDecimal(text).Float64()
		q.weights = append(q.weights, w)
		if scale == 1 && w == p.weights[i] {
			q.utils = append(q.utils, p.utils[i])
			continue
		}
		us := make([]float64, len(contrib[i]))
		for j, c := range contrib[i] {
			if w > 0 {
				us[j] = min(max(c/w, 0), 1)
			}
		}
		q.utils = append(q.utils, us)
	}
	return q, texts, warn, nil
}

// exactDecimal is the exact value of a number written by num.
func exactDecimal(s string) *big.Rat {
	r, _ := new(big.Rat).SetString(s)
	return r
}

// simpleName keeps the letters and digits of a name, which are all a
// GeniusWeb name may hold.
func simpleName(s string) string {
	var b strings.Builder
	for _, c := range s {
		if c < 128 && (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9') {
			b.WriteRune(c)
		}
	}
	if b.Len() == 0 {
		return "x"
	}
	return b.String()
}

func jstr(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

func (t *table) domainJSON(b *bytes.Buffer, indent string) {
	fmt.Fprintf(b, "{\n%s\t\"name\": %s,\n%s\t\"issuesValues\": {", indent, jstr(simpleName(t.id)), indent)
	for i, is := range t.issues {
		if i > 0 {
			b.WriteString(",")
		}
		fmt.Fprintf(b, "\n%s\t\t%s: {\"values\": [", indent, jstr(is.name))
		for j, v := range is.values {
			if j > 0 {
				b.WriteString(", ")
			}
			b.WriteString(jstr(v))
		}
		b.WriteString("]}")
	}
	fmt.Fprintf(b, "\n%s\t}\n%s}", indent, indent)
}

func (t *table) profileJSON(p tableParty, weights []string, bid []int) []byte {
	var b bytes.Buffer
	b.WriteString("{\n\t\"LinearAdditiveUtilitySpace\": {\n")
	fmt.Fprintf(&b, "\t\t\"name\": %s,\n", jstr(simpleName(p.id)))
	b.WriteString("\t\t\"issueUtilities\": {")
	for i, is := range t.issues {
		if i > 0 {
			b.WriteString(",")
		}
		fmt.Fprintf(&b, "\n\t\t\t%s: {\"discreteutils\": {\"valueUtilities\": {", jstr(is.name))
		for j, v := range is.values {
			if j > 0 {
				b.WriteString(", ")
			}
			fmt.Fprintf(&b, "%s: %s", jstr(v), num(p.utils[i][j]))
		}
		b.WriteString("}}}")
	}
	b.WriteString("\n\t\t},\n\t\t\"issueWeights\": {")
	for i, is := range t.issues {
		if i > 0 {
			b.WriteString(",")
		}
		fmt.Fprintf(&b, "\n\t\t\t%s: %s", jstr(is.name), weights[i])
	}
	b.WriteString("\n\t\t},\n\t\t\"domain\": ")
	t.domainJSON(&b, "\t\t")
	b.WriteString(",\n\t\t\"reservationBid\": ")
	if bid == nil {
		b.WriteString("null")
	} else {
		b.WriteString("{\"issuevalues\": {")
		for i, j := range bid {
			if i > 0 {
				b.WriteString(", ")
			}
			fmt.Fprintf(&b, "%s: %s", jstr(t.issues[i].name), jstr(t.issues[i].values[j]))
		}
		b.WriteString("}}")
	}
	b.WriteString("\n\t}\n}\n")
	return b.Bytes()
}

// reservationBid finds a package whose utility for the party is its
// reservation value, adding up utilities in the order a reader does. A
// reservation value of 0 without such a package is written as no bid.
func (t *table) reservationBid(p tableParty, lossy bool) ([]int, string, error) {
	n := len(t.issues)
	contrib := make([][]float64, n)
	lo, hi := make([]float64, n+1), make([]float64, n+1)
	for i := n - 1; i >= 0; i-- {
		contrib[i] = make([]float64, len(p.utils[i]))
		mn, mx := math.Inf(1), math.Inf(-1)
		for j, u := range p.utils[i] {
			c := p.weights[i] * u
			contrib[i][j] = c
			mn, mx = math.Min(mn, c), math.Max(mx, c)
		}
		lo[i], hi[i] = lo[i+1]+mn, hi[i+1]+mx
	}
	const tol = 1e-12
	r := p.reservation
	pkg := make([]int, n)
	var best []int
	bestDiff := math.Inf(1)
	visited := 0
	// Branch and bound on the distance to r: a subtree whose utilities lie
	// in [acc+lo, acc+hi] is skipped when even its nearest end is no
	// better than the best package so far.
	var dfs func(i int, acc float64)
	dfs = func(i int, acc float64) {
		visited++
		if visited > maxBidSearch || bestDiff <= tol {
			return
		}
		if i == n {
			if d := math.Abs(acc - r); d < bestDiff {
				bestDiff, best = d, append(best[:0], pkg...)
			}
			return
		}
		gap := 0.0
		if a, b := acc+lo[i], acc+hi[i]; r < a {
			gap = a - r
		} else if r > b {
			gap = r - b
		}
		if gap > tol && gap >= bestDiff {
			return
		}
		for j := range contrib[i] {
			pkg[i] = j
			dfs(i+1, acc+contrib[i][j])
		}
	}
	dfs(0, 0)
	if bestDiff <= tol {
		return best, "", nil
	}
	if r == 0 {
		return nil, "", nil
	}
	if !lossy {
		return nil, "", fmt.Errorf("party %s: GeniusWeb states a reservation value only as the utility of a reservation bid, and no package is worth exactly %s to %s: use --lossy to take the nearest package", p.id, about(r), p.id)
	}
	u := 0.0
	for i, j := range best {
		u += contrib[i][j]
	}
	return best, fmt.Sprintf("party %s: reservation value %s becomes %s, the utility of the nearest package (GeniusWeb states a reservation value only as a bid, and no package is worth exactly %s)", p.id, about(r), about(u), about(r)), nil
}
