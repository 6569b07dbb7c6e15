package main

import (
	"context"
	"fmt"
	"math"
	"os"
	"slices"
	"strings"

	"parley/analysis"
	"parley/internal/chart"
	"parley/scenario"
	"parley/simulate"
)

func init() {
	register(&command{
		name:    "plot",
		summary: "draw an SVG chart: the frontier, the versions, or a negotiation",
		usage: `Usage: parley plot [flags] [FILE] --kind KIND -o OUT.svg

Draws a chart as a standalone SVG file (no scripts, no external assets):

  frontier    with two parties, the utility plane: the Pareto frontier of
              the packages acceptable to both, the fair packages, each
              version as written and the point of no agreement (shaded
              above and to the right: better than no agreement for both).
              With more parties, parallel coordinates: one axis per party
              and each package a line across them. When no package is
              acceptable to all, the fair packages of each relaxation.
  versions    each party's utility of every version as written, judged by
              the positions held at its date, with its reservation value
              dashed; a bar where points are open (the range over every
              way of deciding them).
  simulation  one simulated negotiation: the utility of each party's offers
              to itself (solid) and to the party that likes them least
              (dashed), over time.

A version "as written" is the package its points propose (see "proposed"
in docs/format.md). On the frontier, a version that leaves points open is
not marked, and parley says so.

FILE is a parley scenario (YAML or JSON; "-" reads standard input); without
FILE, parley draws its embedded default scenario.

Flags:
  --kind KIND         frontier (the default), versions or simulation
  -o, --output FILE   the SVG file to write; "-" writes standard output
  --version ID        the version analysed (frontier, simulation; default:
                      the last)
  --parties A,B       frontier: the plane of two of the parties (the packages
                      stay those acceptable to all)
  --strategies LIST   simulation: one strategy per party, comma-separated,
                      repeated as needed (default boulware,conceder)
  --rounds N          simulation: deadline in rounds (default 200)
  --seed S            simulation: the seed (default 1)

Examples:
  parley plot --kind frontier -o frontier.svg
  parley plot --kind frontier --parties ua,ru -o ua-ru.svg
  parley plot talks.yaml --kind versions -o versions.svg
  parley plot --kind simulation --strategies boulware,tft -o run.svg
  rsvg-convert frontier.svg -o frontier.png     # a PNG, with librsvg
`,
		run: runPlot,
	})
}

func runPlot(ctx context.Context, e *env, args []string) error {
	fs := newFlags(commands["plot"], e)
	kind := fs.String("kind", "frontier", "")
	var out string
	fs.StringVar(&out, "o", "", "")
	fs.StringVar(&out, "output", "", "")
	version := fs.String("version", "", "")
	strategies := fs.String("strategies", "boulware,conceder", "")
	rounds := fs.Int("rounds", 200, "")
	seed := fs.Uint64("seed", 1, "")
	parties := fs.String("parties", "", "")
	paths, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if out == "" {
		return usagef("no output file: give -o OUT.svg (or -o - for standard output)")
	}
	if *rounds < 1 {
		return usagef("--rounds must be at least 1, got %d", *rounds)
	}
	in, err := loadInput(paths, inputOptions{version: *version, stdin: e.stdin})
	if err != nil {
		return err
	}
	var (
		svg   []byte
		notes []string
	)
	switch *kind {
	case "frontier":
		extra := ""
		if *parties != "" {
			all := len(in.Problem.Parties)
			if err := restrictParties(in, strings.Split(*parties, ",")); err != nil {
				return err
			}
			if n := len(in.Problem.Parties); n < all {
				extra = fmt.Sprintf("the utilities of %s only; the red lines of all %d parties decide what is acceptable", list(in.Problem.Parties, "and"), all)
			}
		}
		svg, notes, err = plotFrontier(ctx, in, extra)
	case "versions":
		svg, notes, err = plotVersions(in)
	case "simulation":
		svg, notes, err = plotSimulation(ctx, in, strings.Split(*strategies, ","), *rounds, *seed)
	default:
		return usagef("--kind must be frontier, versions or simulation, got %q", *kind)
	}
	if err != nil {
		return err
	}
	l := e.layout(0, 2)
	for _, n := range notes {
		l.para(e.stderr, "parley plot: ", "             ", s(n))
	}
	if out == "-" {
		_, err = e.stdout.Write(svg)
		return err
	}
	if err := os.WriteFile(out, svg, 0o644); err != nil {
		return fmt.Errorf("write chart: %w", err)
	}
	return nil
}

// scenarioTitle is the chart title's first part.
func scenarioTitle(in *input) string {
	if in.Scenario != nil && in.Scenario.Title != "" {
		return oneLine(in.Scenario.Title)
	}
	return in.Name
}

// writtenOutcome is a version as written, scored by the engine: each
// party's utility of the package it proposes, or its range while points
// are open.
type writtenOutcome struct {
	version *scenario.Version
	score   analysis.VersionScore
}

// versionsAsWritten scores every version of s as written (the engine's
// text over time), each with the positions opt chooses: those held at its
// own date by default. The notes say which versions cannot be scored and
// why.
func versionsAsWritten(s *scenario.Scenario, opt analysis.CompileOptions) ([]writtenOutcome, []string) {
	tr, warnings, err := analysis.NewTrajectory(s, opt, nil)
	if err != nil {
		return nil, []string{sentence(err.Error())}
	}
	var out []writtenOutcome
	for _, vs := range tr.Versions {
		v, _ := s.Version(vs.Version)
		out = append(out, writtenOutcome{v, vs})
	}
	var notes []string
	for _, w := range warnings {
		if w.Kind == analysis.VersionSkippedWarning {
			notes = append(notes, sentence(w.Message))
		}
	}
	return out, notes
}

// open reports whether the version leaves points open.
func (w *writtenOutcome) open() bool { return len(w.score.Open) > 0 }

// acceptable reports whether the version as written is acceptable to all
// (false while points are open).
func (w *writtenOutcome) acceptable() bool {
	return w.score.AcceptableToAll != nil && *w.score.AcceptableToAll
}

// utilityOf returns party's utility of the version as written, NaN when
// the party holds no position then or points are open.
func (w *writtenOutcome) utilityOf(party string) float64 {
	for _, ps := range w.score.Parties {
		if ps.Party == party && ps.Utility != nil {
			return *ps.Utility
		}
	}
	return math.NaN()
}

// rangeOf returns the bounds of party's utility over every way of deciding
// the open points; ok is false when the party holds no position then.
func (w *writtenOutcome) rangeOf(party string) (lo, hi float64, ok bool) {
	for _, ps := range w.score.Parties {
		if ps.Party == party {
			return ps.Min, ps.Max, true
		}
	}
	return 0, 0, false
}

// joinNotes joins the parts of a chart's note that are not empty.
func joinNotes(parts ...string) string {
	var out []string
	for _, p := range parts {
		if p != "" {
			out = append(out, p)
		}
	}
	s := strings.Join(out, "; ")
	if s != "" {
		s = strings.ToUpper(s[:1]) + s[1:]
	}
	return s
}

// maxPlotRelaxations bounds the relaxations whose Nash packages the
// frontier chart marks; more are said to be left out.
const maxPlotRelaxations = 10

// marked is a package marked on the frontier chart.
type marked struct {
	label string
	u     []float64
	kind  chart.MarkKind
}

// mergeMarks marks packages that would draw on the same spot once, with
// their labels joined by " = " (as the report joins solutions that
// coincide): at is where a mark is drawn.
func mergeMarks(marks []marked, at func([]float64) []float64) []marked {
	var out []marked
	for _, m := range marks {
		same := -1
		for i, o := range out {
			if slices.EqualFunc(at(o.u), at(m.u), func(a, b float64) bool { return math.Abs(a-b) < 1e-9 }) {
				same = i
				break
			}
		}
		if same < 0 {
			out = append(out, m)
			continue
		}
		out[same].label += " = " + m.label
	}
	return out
}

func plotFrontier(ctx context.Context, in *input, extra string) ([]byte, []string, error) {
	res, err := analysis.Analyze(ctx, in.Problem, analysis.Options{NoSensitivity: true, MaxRelaxations: maxPlotRelaxations})
	if err != nil {
		return nil, nil, err
	}
	var notes []string
	var marks []marked
	for _, g := range groupSolutions(res.Solutions) {
		marks = append(marks, marked{strings.Join(g.names, " = "), g.o.Utilities, chart.Solution})
	}
	note := ""
	if !res.Feasible || !res.ZoneOfAgreement {
		note = "No zone of agreement"
		for _, rel := range res.Relaxations {
			var lifts []string
			for _, c := range rel.Lift {
				if c.Kind == analysis.LinkageConstraint {
					lifts = append(lifts, c.Party+" lifts "+c.Linkage)
				} else {
					lifts = append(lifts, c.Party+" lifts "+c.Option)
				}
			}
			if g := groupSolutions(rel.Solutions); len(g) > 0 {
				marks = append(marks, marked{"Nash if " + strings.Join(lifts, ", "), g[0].o.Utilities, chart.Solution})
			}
		}
		shown := 0
		for _, m := range marks {
			if strings.HasPrefix(m.label, "Nash if ") {
				shown++
			}
		}
		switch {
		case len(res.Relaxations) == 0:
		case res.RelaxationsCut != "":
			left := fmt.Sprintf("the Nash packages of %d relaxations are shown; more relaxations exist and are left out (parley analyze lists them)", shown)
			note += ": " + left
			notes = append(notes, "No zone of agreement: "+left+".")
		case shown < len(res.Relaxations):
			left := fmt.Sprintf("the Nash packages of %d of the %d relaxations are shown (the others have none)", shown, len(res.Relaxations))
			note += ": " + left
			notes = append(notes, "No zone of agreement: "+left+".")
		default:
			note += fmt.Sprintf(": the Nash packages of all %d relaxations are shown", shown)
		}
	}
	if res.Epsilon > 0 {
		note = strings.TrimPrefix(note+"; ", "; ") + fmt.Sprintf("ε-approximate frontier (ε = %g)", res.Epsilon)
	}
	var unmarked []string
	if in.Scenario != nil {
		// Every version as written, judged by the positions of the
		// analysed version, so that the marks and the frontier agree.
		opt := analysis.CompileOptions{}
		if in.Compiled != nil {
			opt.AsOf, opt.Latest = in.Compiled.AsOf, in.Compiled.AsOf == ""
		}
		written, n := versionsAsWritten(in.Scenario, opt)
		notes = append(notes, n...)
		for _, w := range written {
			if w.open() {
				unmarked = append(unmarked, w.version.ID)
				continue
			}
			u := make([]float64, len(res.Parties))
			for k, id := range res.Parties {
				u[k] = w.utilityOf(id)
			}
			label := w.version.ID + " as written"
			if !w.acceptable() {
				label += " (crosses a red line)"
			}
			marks = append(marks, marked{label, u, chart.Version})
		}
		if len(unmarked) > 0 {
			notes = append(notes, "Versions not marked on the chart, since they leave points open: "+list(unmarked, "and")+" (parley plot --kind versions draws their ranges).")
		}
	}
	title := scenarioTitle(in)
	if in.Scenario != nil {
		title += " — version " + in.Version
		if in.Compiled != nil && in.Compiled.AsOf != "" {
			note = joinNotes(note, "versions as written judged by the positions of "+in.Compiled.AsOf)
		}
		if len(unmarked) > 0 {
			note = joinNotes(note, "not marked (points open): "+strings.Join(unmarked, ", "))
		}
	}
	note = joinNotes(note, extra)
	if len(res.Parties) == 2 {
		pl := &chart.Plane{
			Title: title, Note: note,
			XLabel: res.Parties[0] + "'s utility", YLabel: res.Parties[1] + "'s utility",
			Reservation: &chart.XY{X: res.Disagreement[0], Y: res.Disagreement[1]},
		}
		for _, o := range res.Pareto {
			pl.Frontier = append(pl.Frontier, chart.XY{X: o.Utilities[0], Y: o.Utilities[1]})
		}
		for _, m := range mergeMarks(marks, func(u []float64) []float64 { return u[:2] }) {
			if math.IsNaN(m.u[0]) || math.IsNaN(m.u[1]) {
				continue
			}
			pl.Marks = append(pl.Marks, chart.Mark{At: chart.XY{X: m.u[0], Y: m.u[1]}, Label: m.label, Kind: m.kind})
		}
		return pl.SVG(), notes, nil
	}
	par := &chart.Parallel{Title: title, Note: note, Axes: res.Parties, Reservation: res.Disagreement}
	const maxLines = 200
	for i, o := range res.Pareto {
		if i == maxLines {
			notes = append(notes, fmt.Sprintf("The chart draws %d of the %d packages of the frontier.", maxLines, len(res.Pareto)))
			break
		}
		par.Frontier = append(par.Frontier, o.Utilities)
	}
	for _, m := range mergeMarks(marks, func(u []float64) []float64 { return u }) {
		par.Lines = append(par.Lines, chart.Line{Values: m.u, Label: m.label, Kind: m.kind})
	}
	return par.SVG(), notes, nil
}

func plotVersions(in *input) ([]byte, []string, error) {
	if in.Scenario == nil {
		return nil, nil, usagef("--kind versions needs a parley scenario: a research domain has no versions")
	}
	s := in.Scenario
	written, notes := versionsAsWritten(s, analysis.CompileOptions{})
	ln := &chart.Lines{Title: scenarioTitle(in), Note: "Each party's utility of each version as written, judged by the positions held at its date; a bar where points are open (the range over every way of deciding them)", XLabel: "version", YLabel: "utility"}
	for _, w := range written {
		ln.Categories = append(ln.Categories, w.version.ID)
	}
	for k, p := range s.Parties {
		var pts []chart.XY
		var ranges []chart.Range
		seen := false
		// Bars of different parties at one version sit side by side.
		dx := (float64(k) - float64(len(s.Parties)-1)/2) * 0.05
		for i, w := range written {
			lo, hi, ok := w.rangeOf(p.ID)
			y := math.NaN()
			switch {
			case !ok:
			case !w.open():
				y = w.utilityOf(p.ID)
			default:
				ranges = append(ranges, chart.Range{X: float64(i) + dx, Low: lo, High: hi})
			}
			seen = seen || ok
			pts = append(pts, chart.XY{X: float64(i), Y: y})
		}
		if !seen {
			continue
		}
		ln.Series = append(ln.Series, chart.Series{Name: p.ID, Points: pts, Dots: true, Colour: k, Ranges: ranges})
		last := float64(max(len(written)-1, 0))
		ln.Series = append(ln.Series, chart.Series{Name: p.ID + ": no agreement", Points: []chart.XY{{X: 0, Y: p.Reservation}, {X: last, Y: p.Reservation}}, Dash: "5 4", Colour: k})
	}
	if len(ln.Series) == 0 {
		ln.Note = "No version can be scored as written: nothing to draw yet"
	}
	return ln.SVG(), notes, nil
}

// offer is one offer of a simulated negotiation.
type offer struct {
	party int
	time  float64
	pkg   analysis.Package
}

// recorder passes a strategy's moves through and keeps its offers.
type recorder struct {
	simulate.Strategy
	party  int
	offers *[]offer
}

func (r *recorder) Act(t *simulate.Turn) (simulate.Action, error) {
	a, err := r.Strategy.Act(t)
	if err == nil && a.Move == simulate.Offer {
		*r.offers = append(*r.offers, offer{r.party, t.Time, slices.Clone(a.Package)})
	}
	return a, err
}

func plotSimulation(ctx context.Context, in *input, names []string, rounds int, seed uint64) ([]byte, []string, error) {
	p := in.Problem
	d, err := simulate.NewDomain(in.Name, p, in.Discount)
	if err != nil {
		return nil, nil, badInput(err)
	}
	var (
		offers []offer
		strats []simulate.Strategy
		used   []string
	)
	for k := range p.Parties {
		name := strings.TrimSpace(names[k%len(names)])
		f, err := simulate.Lookup(name)
		if err != nil {
			return nil, nil, usagef("--strategies: %v", err)
		}
		strats = append(strats, &recorder{f(), k, &offers})
		used = append(used, p.Parties[k]+" "+name)
	}
	res, err := simulate.Negotiate(ctx, d, strats, simulate.Options{Rounds: rounds, Seed: seed})
	if err != nil {
		return nil, nil, err
	}
	end := "no agreement (" + res.End + ")"
	if res.Agreement {
		end = fmt.Sprintf("agreement in round %d", res.Round)
	}
	ln := &chart.Lines{
		Title: scenarioTitle(in), XLabel: "time (share of the deadline)", YLabel: "utility", XMin: 0, XMax: 1,
		Note: fmt.Sprintf("Simulated: %s; %s, %d offers", strings.Join(used, ", "), end, len(offers)),
	}
	for k, id := range p.Parties {
		var own, least []chart.XY
		for _, o := range offers {
			if o.party != k {
				continue
			}
			u := p.Utilities(o.pkg)
			low := math.Inf(1)
			for j, v := range u {
				if j != k {
					low = math.Min(low, v)
				}
			}
			own = append(own, chart.XY{X: o.time, Y: u[k]})
			least = append(least, chart.XY{X: o.time, Y: low})
		}
		if len(own) == 0 {
			continue
		}
		other := "the others' least"
		if len(p.Parties) == 2 {
			other = p.Parties[1-k] + "'s"
		}
		ln.Series = append(ln.Series,
			chart.Series{Name: id + "'s offers: " + id + "'s utility", Points: own, Colour: k},
			chart.Series{Name: id + "'s offers: " + other + " utility", Points: least, Dash: "5 4", Colour: k})
	}
	if res.Agreement {
		for k, id := range p.Parties {
			ln.Marks = append(ln.Marks, chart.Mark{At: chart.XY{X: res.Time, Y: res.Utilities[k]}, Label: fmt.Sprintf("agreement: %s %.2f", id, res.Utilities[k]), Kind: chart.Agreement})
		}
	}
	var notes []string
	for _, dr := range res.Dropped {
		notes = append(notes, fmt.Sprintf("%s was dropped in round %d: %s", p.Parties[dr.Party], dr.Round, dr.Reason))
	}
	return ln.SVG(), notes, nil
}

// restrictParties narrows the analysis of in to the named parties: their
// utilities only, while every party's red lines and linkages still decide
// which packages are acceptable.
func restrictParties(in *input, ids []string) error {
	p := in.Problem
	var idx []int
	for _, id := range ids {
		id = strings.TrimSpace(id)
		k := slices.Index(p.Parties, id)
		if k < 0 {
			return usagef("--parties: no party %q in the analysis%s; its parties are %s", id, scenario.DidYouMean(id, p.Parties), strings.Join(p.Parties, ", "))
		}
		if slices.Contains(idx, k) {
			return usagef("--parties: %q named twice", id)
		}
		idx = append(idx, k)
	}
	if len(idx) < 2 {
		return usagef("--parties: name at least two parties, got %d", len(idx))
	}
	q := &analysis.Problem{Constraints: p.Constraints}
	for _, k := range idx {
		q.Parties = append(q.Parties, p.Parties[k])
		q.Reservation = append(q.Reservation, p.Reservation[k])
	}
	for _, is := range p.Issues {
		ni := analysis.Issue{Points: is.Points}
		if is.Weights != nil {
			for _, k := range idx {
				ni.Weights = append(ni.Weights, is.Weights[k])
			}
		}
		for _, o := range is.Options {
			no := analysis.Option{Choices: o.Choices, Blockers: o.Blockers}
			for _, k := range idx {
				no.Utility = append(no.Utility, o.Utility[k])
			}
			ni.Options = append(ni.Options, no)
		}
		q.Issues = append(q.Issues, ni)
	}
	in.Problem = q
	return nil
}
