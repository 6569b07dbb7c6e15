package web

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"strings"
	"sync"
	"time"

	"parley/analysis"
	"parley/internal/apperr"
	"parley/internal/chart"
	"parley/scenario"
)

// analysed is one analysis of a version as a reader sees it, with what
// the desk draws from it.
type analysed struct {
	Report       *analysis.Report
	Compiled     *analysis.Compiled
	Improvements *analysis.Improvements
	Frontier     []byte // SVG
	Versions     []byte // SVG
	Took         time.Duration
	Err          string // why the analysis could not be made (the engine's words)
}

// analysisCache keeps analyses by the content they were computed from:
// what the reader sees, the version and the what-if changes. A new state
// has a new key, so an entry is never stale.
type analysisCache struct {
	mu    sync.Mutex
	max   int
	order []string
	items map[string]*analysed
}

func newAnalysisCache(max int) *analysisCache {
	return &analysisCache{max: max, items: map[string]*analysed{}}
}

func (c *analysisCache) get(key string) (*analysed, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	a, ok := c.items[key]
	return a, ok
}

func (c *analysisCache) put(key string, a *analysed) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.items[key]; !ok {
		c.order = append(c.order, key)
	}
	c.items[key] = a
	for len(c.order) > c.max {
		delete(c.items, c.order[0])
		c.order = c.order[1:]
	}
}

// analyse returns the analysis of version vid of sc (the scenario as the
// reader sees it) with the what-if changes applied.
func (u *UI) analyse(ctx context.Context, sc *scenario.Scenario, vid string, changes []analysis.Change) (*analysed, error) {
	doc, err := json.Marshal(struct {
		S *scenario.Scenario
		V string
		C []analysis.Change
	}{sc, vid, changes})
	if err != nil {
		return nil, apperr.Wrap("web.analysis", apperr.Internal, err, "cannot encode the scenario")
	}
	sum := sha256.Sum256(doc)
	key := hex.EncodeToString(sum[:])
	if a, ok := u.analyses.get(key); ok {
		return a, nil
	}
	a := compute(ctx, sc, vid, changes)
	u.analyses.put(key, a)
	return a, nil
}

func compute(ctx context.Context, sc *scenario.Scenario, vid string, changes []analysis.Change) *analysed {
	start := time.Now()
	a := &analysed{}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 60*time.Second)
	defer cancel()
	copt := analysis.CompileOptions{Changes: changes}
	c, err := analysis.CompileVersion(sc, vid, copt)
	if err != nil {
		a.Err = err.Error()
		return a
	}
	res, err := analysis.Analyze(ctx, c.Problem, analysis.Options{MaxRelaxations: 5, NoSensitivity: true})
	if err != nil {
		a.Err = "The analysis failed: " + err.Error()
		return a
	}
	t, err := analysis.AnalyzeText(ctx, sc, c, res, analysis.TextOptions{Compile: copt})
	if err != nil {
		a.Err = "The analysis of the text failed: " + err.Error()
		return a
	}
	a.Report = analysis.NewVersionReport(sc, c, res, t)
	a.Compiled = c
	if t.Scorecard != nil && t.Scorecard.Package != nil {
		if base, _, err := c.Package(t.Scorecard.Package.Package, false); err == nil {
			if imp, err := analysis.Improve(ctx, c, base); err == nil {
				a.Improvements = imp
			}
		}
	}
	a.Frontier = frontierChart(sc, a.Report)
	a.Versions = versionsChart(sc, a.Report)
	a.Took = time.Since(start).Round(100 * time.Microsecond)
	return a
}

// solutionNames are the fair packages, in the order shown.
var solutionNames = []struct{ Key, Name string }{
	{"nash", "Nash"}, {"kalai_smorodinsky", "Kalai–Smorodinsky"}, {"maximin", "Maximin"}, {"utilitarian", "Utilitarian"},
}

// fairPackage is one bargaining solution with what each party concedes.
type fairPackage struct {
	Name        string
	Package     map[string]string
	Utilities   []float64
	Concessions *analysis.Concessions
}

func solutionsOf(s *analysis.Solutions) []struct {
	Key, Name string
	O         *analysis.Outcome
} {
	var out []struct {
		Key, Name string
		O         *analysis.Outcome
	}
	if s == nil {
		return out
	}
	for _, n := range solutionNames {
		var o *analysis.Outcome
		switch n.Key {
		case "nash":
			o = s.Nash
		case "kalai_smorodinsky":
			o = s.KalaiSmorodinsky
		case "maximin":
			o = s.Maximin
		case "utilitarian":
			o = s.Utilitarian
		}
		if o != nil {
			out = append(out, struct {
				Key, Name string
				O         *analysis.Outcome
			}{n.Key, n.Name, o})
		}
	}
	return out
}

func (a *analysed) FairPackages() []fairPackage {
	if a.Report == nil {
		return nil
	}
	var out []fairPackage
	for _, s := range solutionsOf(a.Report.Solutions) {
		fp := fairPackage{Name: s.Name, Package: s.O.Choices(), Utilities: s.O.Utilities}
		for i := range a.Report.Concessions {
			if a.Report.Concessions[i].Of == "solutions."+s.Key {
				fp.Concessions = &a.Report.Concessions[i]
			}
		}
		out = append(out, fp)
	}
	return out
}

// frontierChart draws the Pareto frontier with the fair packages and
// the versions as written: a plane for two parties, parallel axes for
// more.
func frontierChart(sc *scenario.Scenario, rep *analysis.Report) []byte {
	res := rep.Result
	type marked struct {
		label string
		u     []float64
		kind  chart.MarkKind
	}
	var marks []marked
	for _, s := range solutionsOf(res.Solutions) {
		marks = append(marks, marked{s.Name, s.O.Utilities, chart.Solution})
	}
	note := ""
	if !res.ZoneOfAgreement {
		note = "No zone of agreement"
		for _, rel := range res.Relaxations {
			if rel.Solutions != nil && rel.Solutions.Nash != nil {
				var lifts []string
				for _, c := range rel.Lift {
					lifts = append(lifts, c.String())
				}
				marks = append(marks, marked{"Nash if " + strings.Join(lifts, ", ") + " lifted", rel.Solutions.Nash.Utilities, chart.Solution})
			}
		}
	}
	if res.Epsilon > 0 {
		note = strings.TrimPrefix(note+"; ", "; ") + fmt.Sprintf("ε-approximate frontier (ε = %g)", res.Epsilon)
	}
	if rep.TextAnalysis != nil && rep.Trajectory != nil {
		for _, v := range rep.Trajectory.Versions {
			u := make([]float64, len(res.Parties))
			ok := true
			for k, id := range res.Parties {
				u[k] = math.NaN()
				for _, ps := range v.Parties {
					if ps.Party == id && ps.Utility != nil {
						u[k] = *ps.Utility
					}
				}
				ok = ok && !math.IsNaN(u[k])
			}
			if ok {
				marks = append(marks, marked{v.Version + " as written", u, chart.Version})
			}
		}
	}
	title := sc.Title
	if len(res.Parties) == 2 {
		pl := &chart.Plane{Title: title, Note: note, XLabel: res.Parties[0] + "'s utility", YLabel: res.Parties[1] + "'s utility",
			Reservation: &chart.XY{X: res.Disagreement[0], Y: res.Disagreement[1]}}
		for _, o := range res.Pareto {
			pl.Frontier = append(pl.Frontier, chart.XY{X: o.Utilities[0], Y: o.Utilities[1]})
		}
		for _, m := range marks {
			pl.Marks = append(pl.Marks, chart.Mark{At: chart.XY{X: m.u[0], Y: m.u[1]}, Label: m.label, Kind: m.kind})
		}
		return pl.SVG()
	}
	if len(res.Parties) < 2 {
		return nil
	}
	par := &chart.Parallel{Title: title, Note: note, Axes: res.Parties, Reservation: res.Disagreement}
	for i, o := range res.Pareto {
		if i == 200 {
			par.Note = strings.TrimPrefix(par.Note+"; ", "; ") + fmt.Sprintf("200 of the %d packages of the frontier drawn", len(res.Pareto))
			break
		}
		par.Frontier = append(par.Frontier, o.Utilities)
	}
	for _, m := range marks {
		par.Lines = append(par.Lines, chart.Line{Values: m.u, Label: m.label, Kind: m.kind})
	}
	return par.SVG()
}

// versionsChart draws each party's utility of each version as written.
func versionsChart(sc *scenario.Scenario, rep *analysis.Report) []byte {
	if rep.TextAnalysis == nil || rep.Trajectory == nil || len(rep.Trajectory.Versions) == 0 {
		return nil
	}
	tr := rep.Trajectory
	ln := &chart.Lines{Title: "The versions as written", Note: "Each party's utility of each version; dashed: its utility of no agreement", XLabel: "version", YLabel: "utility"}
	for _, v := range tr.Versions {
		ln.Categories = append(ln.Categories, v.Version)
	}
	for k, id := range tr.Parties {
		var pts []chart.XY
		seen := false
		for i, v := range tr.Versions {
			y := math.NaN()
			for _, ps := range v.Parties {
				if ps.Party == id && ps.Utility != nil {
					y = *ps.Utility
					seen = true
				}
			}
			pts = append(pts, chart.XY{X: float64(i), Y: y})
		}
		if !seen {
			continue
		}
		ln.Series = append(ln.Series, chart.Series{Name: id, Points: pts, Dots: true, Colour: k})
		if p, ok := sc.Party(id); ok && len(tr.Versions) > 1 {
			last := float64(len(tr.Versions) - 1)
			ln.Series = append(ln.Series, chart.Series{Name: id + ": no agreement", Points: []chart.XY{{X: 0, Y: p.Reservation}, {X: last, Y: p.Reservation}}, Dash: "5 4", Colour: k})
		}
	}
	if len(ln.Series) == 0 {
		ln.Note = "No version proposes an option on every point: nothing to draw yet"
	}
	return ln.SVG()
}

// redLines lists the red lines in sc's positions held at the version's
// date, for the what-if control.
type redLine struct {
	Party, Point, Option, Label string
}

func redLinesOf(sc *scenario.Scenario, v *scenario.Version) []redLine {
	var out []redLine
	seen := map[string]bool{}
	names := newVersionPoints(v)
	rank := map[string]int{} // point|option → place in the text
	for _, pt := range v.Points() {
		for _, o := range pt.Options {
			rank[pt.ID+"|"+o.ID] = len(rank)
		}
	}
	party := map[string]int{}
	for i, p := range sc.Parties {
		party[p.ID] = i
	}
	for _, q := range sc.PositionsAt(v.Date) {
		for _, pp := range q.Points {
			if _, ok := names.label[pp.Point]; !ok {
				continue
			}
			for _, o := range pp.Options {
				k := q.Party + "|" + pp.Point + "|" + o.Option
				if o.Stance == scenario.RedLine && !seen[k] {
					seen[k] = true
					out = append(out, redLine{q.Party, pp.Point, o.Option, fmt.Sprintf("%s: %s on %s", q.Party, o.Option, names.Label(pp.Point))})
				}
			}
		}
	}
	// By party, as the parties are listed, then in the order of the text.
	slices.SortFunc(out, func(a, b redLine) int {
		if d := party[a.Party] - party[b.Party]; d != 0 {
			return d
		}
		ra, oka := rank[a.Point+"|"+a.Option]
		rb, okb := rank[b.Point+"|"+b.Option]
		if oka && okb && ra != rb {
			return ra - rb
		}
		return strings.Compare(a.Label, b.Label)
	})
	return out
}
