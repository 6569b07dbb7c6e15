package simulate

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"text/tabwriter"
	"unicode/utf8"

	"parley/round"
)

// CSV columns before the per-party ones; see docs/simulate.md.
var csvColumns = []string{
	"domain", "pairing", "rep", "seed", "agreement", "end", "round", "time", "offers",
	"acceptable", "welfare", "pareto_distance", "nash_distance", "package",
}

// csvPartyColumns repeat for each party, numbered from 1.
var csvPartyColumns = []string{"party", "strategy", "utility", "payoff", "evaluations", "dropped"}

// WriteCSV writes one row per negotiation under a header row. Each party
// has its own group of columns; a domain with fewer parties than the
// largest leaves the extra groups empty.
func (r *Report) WriteCSV(w io.Writer) error {
	parties := 0
	for _, d := range r.Domains {
		parties = max(parties, d.Parties())
	}
	cw := csv.NewWriter(w)
	head := append([]string(nil), csvColumns...)
	for k := 1; k <= parties; k++ {
		for _, c := range csvPartyColumns {
			head = append(head, c+"_"+strconv.Itoa(k))
		}
	}
	if err := cw.Write(head); err != nil {
		return err
	}
	row := make([]string, 0, len(head))
	for i := range r.Records {
		rec := &r.Records[i]
		d := r.Domains[rec.Domain]
		row = append(row[:0],
			d.Name, strconv.Itoa(rec.Pairing), strconv.Itoa(rec.Rep),
			strconv.FormatUint(rec.Seed, 10), strconv.FormatBool(rec.Agreement), rec.End,
			strconv.Itoa(rec.Round), num(rec.Time), strconv.Itoa(rec.Offers),
			strconv.FormatBool(rec.Acceptable), num(rec.Welfare),
			num(rec.ParetoDistance), num(rec.NashDistance), packageText(d, rec.Package))
		reasons := make(map[int]string)
		for _, dr := range rec.Dropped {
			reasons[dr.Party] = oneLine(dr.Reason)
		}
		for k := range parties {
			if k >= d.Parties() {
				for range csvPartyColumns {
					row = append(row, "")
				}
				continue
			}
			row = append(row, d.Problem.Parties[k], rec.Strategies[k], num(rec.Utilities[k]),
				num(rec.Payoffs[k]), strconv.FormatInt(rec.Evaluations[k], 10), reasons[k])
		}
		if err := cw.Write(row); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// num formats x rounded to round.Digits digits, as the JSON report writes
// it; NaN as an empty cell.
func num(x float64) string {
	if math.IsNaN(x) {
		return ""
	}
	return round.Format(x)
}

// packageText writes an agreement as point=option pairs in issue order,
// separated by semicolons; empty without agreement.
func packageText(d *Domain, pkg []int) string {
	if pkg == nil {
		return ""
	}
	var b strings.Builder
	for i, o := range pkg {
		is := &d.Problem.Issues[i]
		for j, pt := range is.Points {
			if b.Len() > 0 {
				b.WriteByte(';')
			}
			b.WriteString(pt)
			b.WriteByte('=')
			b.WriteString(is.Options[o].Choices[j])
		}
	}
	return b.String()
}

// reportJSON is the JSON form of a Report; see docs/simulate.md.
type reportJSON struct {
	// Interrupted and Planned appear when the run was interrupted: the
	// negotiations are those finished, of Planned.
	Interrupted  bool              `json:"interrupted,omitempty"`
	Planned      int               `json:"planned,omitempty"`
	Rounds       int               `json:"rounds"`
	Reps         int               `json:"reps"`
	Seed         string            `json:"seed"`
	Strategies   []string          `json:"strategies"`
	Domains      []domainJSON      `json:"domains"`
	ByStrategy   []aggregateJSON   `json:"by_strategy"`
	ByDomain     []aggregateJSON   `json:"by_domain"`
	Negotiations []negotiationJSON `json:"negotiations"`
}

type domainJSON struct {
	Name     string    `json:"name"`
	Parties  []string  `json:"parties"`
	Issues   int       `json:"issues"`
	Outcomes string    `json:"outcomes"`
	Discount []float64 `json:"discount"`
	Frontier *int      `json:"frontier_size"`
	Nash     []float64 `json:"nash"`
	Notes    []string  `json:"notes"`
}

type aggregateJSON struct {
	Name           string `json:"name"`
	Negotiations   int    `json:"negotiations"`
	Agreement      Stat   `json:"agreement"`
	Round          Stat   `json:"round"`
	Utility        Stat   `json:"utility"`
	Payoff         Stat   `json:"payoff"`
	Welfare        Stat   `json:"welfare"`
	ParetoDistance Stat   `json:"pareto_distance"`
	NashDistance   Stat   `json:"nash_distance"`
	Dropped        int    `json:"dropped"`
}

type negotiationJSON struct {
	Domain      string            `json:"domain"`
	Pairing     int               `json:"pairing"`
	Rep         int               `json:"rep"`
	Seed        string            `json:"seed"`
	Strategies  []string          `json:"strategies"`
	Agreement   bool              `json:"agreement"`
	End         string            `json:"end"`
	Round       int               `json:"round"`
	Time        float64           `json:"time"`
	Offers      int               `json:"offers"`
	Package     map[string]string `json:"package"`
	Acceptable  bool              `json:"acceptable"`
	Utilities   []float64         `json:"utilities"`
	Payoffs     []float64         `json:"payoffs"`
	Evaluations []int64           `json:"evaluations"`
	Dropped     []Drop            `json:"dropped"`
	Welfare     float64           `json:"welfare"`
	Pareto      *float64          `json:"pareto_distance"`
	Nash        *float64          `json:"nash_distance"`
}

// WriteJSON writes the report as one JSON document.
func (r *Report) WriteJSON(w io.Writer) error {
	out := reportJSON{
		Rounds: r.Rounds, Reps: r.Reps, Seed: strconv.FormatUint(r.Seed, 10),
		Strategies:   r.Strategies,
		Domains:      []domainJSON{},
		ByStrategy:   []aggregateJSON{},
		ByDomain:     []aggregateJSON{},
		Negotiations: []negotiationJSON{},
	}
	if r.Interrupted() {
		out.Interrupted, out.Planned = true, r.Planned
	}
	for _, d := range r.Domains {
		dj := domainJSON{
			Name: d.Name, Parties: d.Problem.Parties, Issues: len(d.Problem.Issues),
			Outcomes: d.Problem.Outcomes().String(), Discount: d.Discount,
			Notes: append([]string{}, d.Notes...),
		}
		if d.Reference != nil {
			n := len(d.Reference.Frontier)
			dj.Frontier = &n
			dj.Nash = round.Floats(d.Reference.Nash)
		}
		out.Domains = append(out.Domains, dj)
	}
	for _, a := range r.ByStrategy {
		out.ByStrategy = append(out.ByStrategy, aggregateJSON(a))
	}
	for _, a := range r.ByDomain {
		out.ByDomain = append(out.ByDomain, aggregateJSON(a))
	}
	for i := range r.Records {
		rec := &r.Records[i]
		d := r.Domains[rec.Domain]
		nj := negotiationJSON{
			Domain: d.Name, Pairing: rec.Pairing, Rep: rec.Rep, Seed: strconv.FormatUint(rec.Seed, 10),
			Strategies: rec.Strategies, Agreement: rec.Agreement, End: rec.End, Round: rec.Round,
			Time: round.Float(rec.Time), Offers: rec.Offers, Acceptable: rec.Acceptable,
			Utilities: round.Floats(rec.Utilities), Payoffs: round.Floats(rec.Payoffs), Evaluations: rec.Evaluations,
			Dropped: roundDrops(rec.Dropped), Welfare: round.Float(rec.Welfare),
			Pareto: optional(rec.ParetoDistance), Nash: optional(rec.NashDistance),
		}
		if nj.Dropped == nil {
			nj.Dropped = []Drop{}
		}
		if rec.Package != nil {
			nj.Package = d.Problem.Choices(rec.Package)
		}
		out.Negotiations = append(out.Negotiations, nj)
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}

// optional returns x rounded, or nil when it is not a finite number.
func optional(x float64) *float64 {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return nil
	}
	x = round.Float(x)
	return &x
}

// roundDrops returns the drops with their times rounded.
func roundDrops(ds []Drop) []Drop {
	if ds == nil {
		return nil
	}
	out := make([]Drop, len(ds))
	for i, d := range ds {
		d.Time = round.Float(d.Time)
		out[i] = d
	}
	return out
}

// WriteSummary writes the aggregates as two readable tables, by strategy
// and by domain: each cell is a mean and the half-width of its 95%
// confidence interval. The output fits in 80 columns: a table too wide for
// them is written as one block per strategy or domain instead.
func (r *Report) WriteSummary(w io.Writer) error {
	return r.WriteSummaryWidth(w, 80)
}

// WriteSummaryWidth is WriteSummary for an output of width columns.
func (r *Report) WriteSummaryWidth(w io.Writer, width int) error {
	fmt.Fprintf(w, "%s: %s, %s, %s, %s, seed %d\n",
		plural(len(r.Records), "negotiation"), plural(len(r.Domains), "domain"),
		plural(len(r.Strategies), "strategy"), plural(r.Reps, "repetition"), plural(r.Rounds, "round"), r.Seed)
	if r.Interrupted() {
		fmt.Fprintf(w, "interrupted: %d of %d negotiations finished; the figures are theirs\n", len(r.Records), r.Planned)
	}
	table := func(title, note, first string, aggs []Aggregate) error {
		fmt.Fprintf(w, "\n%s (mean ±95%% interval)\n%s\n", title, note)
		var buf bytes.Buffer
		tw := tabwriter.NewWriter(&buf, 0, 0, 2, ' ', tabwriter.AlignRight)
		nameWidth := utf8.RuneCountInString(first)
		for _, a := range aggs {
			nameWidth = max(nameWidth, utf8.RuneCountInString(a.Name))
		}
		pad := func(s string) string { return s + strings.Repeat(" ", nameWidth-utf8.RuneCountInString(s)) }
		fmt.Fprintf(tw, "%s\tn\tagreed\tround\tutility\tpayoff\twelfare\tpareto dist\tnash dist\tdropped\t\n", pad(first))
		for _, a := range aggs {
			fmt.Fprintf(tw, "%s\t%d\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%d\t\n", pad(a.Name), a.Negotiations,
				cell(a.Agreement, 2), cell(a.Round, 0), cell(a.Utility, 3), cell(a.Payoff, 3),
				cell(a.Welfare, 3), cell(a.ParetoDistance, 3), cell(a.NashDistance, 3), a.Dropped)
		}
		if err := tw.Flush(); err != nil {
			return err
		}
		fits := true
		for _, line := range strings.Split(buf.String(), "\n") {
			if utf8.RuneCountInString(line) > width {
				fits = false
				break
			}
		}
		if fits {
			_, err := w.Write(buf.Bytes())
			return err
		}
		return writeBlocks(w, aggs)
	}
	if err := table("By strategy", "(each party played counts once; utility and payoff are the strategy's own)", "strategy", r.ByStrategy); err != nil {
		return err
	}
	if err := table("By domain", "(utility and payoff are averaged over the parties)", "domain", r.ByDomain); err != nil {
		return err
	}
	return r.writeDrops(w)
}

// writeBlocks writes each aggregate as a block of label-value pairs, two
// to a line, for an output too narrow for the table.
func writeBlocks(w io.Writer, aggs []Aggregate) error {
	for _, a := range aggs {
		fmt.Fprintf(w, "%s: %s, %d dropped\n", a.Name, plural(a.Negotiations, "negotiation"), a.Dropped)
		pairs := [][2]string{
			{"agreed", cell(a.Agreement, 2)}, {"round", cell(a.Round, 0)},
			{"utility", cell(a.Utility, 3)}, {"payoff", cell(a.Payoff, 3)},
			{"welfare", cell(a.Welfare, 3)}, {"pareto dist", cell(a.ParetoDistance, 3)},
			{"nash dist", cell(a.NashDistance, 3)},
		}
		for i := 0; i < len(pairs); i += 2 {
			line := fmt.Sprintf("  %-11s %14s", pairs[i][0], pairs[i][1])
			if i+1 < len(pairs) {
				line += fmt.Sprintf("    %-11s %14s", pairs[i+1][0], pairs[i+1][1])
			}
			if _, err := fmt.Fprintln(w, line); err != nil {
				return err
			}
		}
	}
	return nil
}

// maxDropLines bounds the distinct reasons for drops listed in the
// summary; the CSV and JSON have them all.
const maxDropLines = 10

// writeDrops lists why parties were dropped, one line per strategy and
// reason, with how often, in the order they first happened.
func (r *Report) writeDrops(w io.Writer) error {
	type group struct {
		strategy, reason string
		n                int
	}
	var groups []*group
	index := make(map[[2]string]*group)
	for i := range r.Records {
		rec := &r.Records[i]
		for _, dr := range rec.Dropped {
			k := [2]string{rec.Strategies[dr.Party], dr.Reason}
			g := index[k]
			if g == nil {
				g = &group{strategy: k[0], reason: k[1]}
				index[k] = g
				groups = append(groups, g)
			}
			g.n++
		}
	}
	if len(groups) == 0 {
		return nil
	}
	fmt.Fprintf(w, "\nDropped parties (times, strategy: reason)\n")
	for i, g := range groups {
		if i == maxDropLines {
			fmt.Fprintf(w, "  … and %s more; the CSV and JSON results give every reason\n", plural(len(groups)-i, "reason"))
			break
		}
		fmt.Fprintf(w, "  %d× %s: %s\n", g.n, g.strategy, g.reason)
	}
	return nil
}

func cell(s Stat, prec int) string {
	if math.IsNaN(s.Mean) {
		return "-"
	}
	if math.IsNaN(s.Hi) {
		return strconv.FormatFloat(s.Mean, 'f', prec, 64)
	}
	return strconv.FormatFloat(s.Mean, 'f', prec, 64) + " ±" + strconv.FormatFloat(s.Hi-s.Mean, 'f', prec, 64)
}

func plural(n int, noun string) string {
	switch {
	case n == 1:
		return "1 " + noun
	case strings.HasSuffix(noun, "y"):
		return strconv.Itoa(n) + " " + strings.TrimSuffix(noun, "y") + "ies"
	}
	return strconv.Itoa(n) + " " + noun + "s"
}
