package genius

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"

	"parley/scenario"
)

// maxBidSearch bounds the packages visited while looking for a reservation
// bid.
const maxBidSearch = 5_000_000

// WriteGeniusWeb turns a version of a scenario into a GeniusWeb domain and
// one LinearAdditiveUtilitySpace profile per party that holds a position.
// GeniusWeb states a reservation value only as the utility of a
// reservation bid, so a package worth exactly the party's reservation value
// is searched for; without one the export fails unless opt.Lossy, which
// takes the nearest package and says so.
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
			e.Warnings = append(e.Warnings, fmt.Sprintf("party %s: discount factor %s dropped (GeniusWeb profiles have none)", p.id, num(p.discount)))
		}
		bid, warn, err := t.reservationBid(p, opt.Lossy)
		if err != nil {
			return nil, err
		}
		if warn != "" {
			e.Warnings = append(e.Warnings, warn)
		}
		e.Files = append(e.Files, File{Name: names[k], Data: t.profileJSON(p, bid)})
	}
	return e, nil
}

func jstr(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

func (t *table) domainJSON(b *bytes.Buffer, indent string) {
	fmt.Fprintf(b, "{\n%s\t\"name\": %s,\n%s\t\"issuesValues\": {", indent, jstr(t.id), indent)
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

func (t *table) profileJSON(p tableParty, bid []int) []byte {
	var b bytes.Buffer
	b.WriteString("{\n\t\"LinearAdditiveUtilitySpace\": {\n")
	fmt.Fprintf(&b, "\t\t\"name\": %s,\n", jstr(p.id))
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
		fmt.Fprintf(&b, "\n\t\t\t%s: %s", jstr(is.name), num(p.weights[i]))
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
	msg := fmt.Sprintf("party %s: GeniusWeb states a reservation value only as the utility of a reservation bid, and no package is worth exactly %s to %s", p.id, num(r), p.id)
	if !lossy {
		return nil, "", fmt.Errorf("%s: use --lossy to take the nearest package", msg)
	}
	u := 0.0
	for i, j := range best {
		u += contrib[i][j]
	}
	return best, fmt.Sprintf("%s; the reservation bid is worth %s instead", msg, num(u)), nil
}
