package genius

import (
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"unicode/utf8"

	"parley/analysis"
	"parley/round"
	"parley/scenario"
)

// ExportOptions tunes WriteGenius and WriteGeniusWeb.
type ExportOptions struct {
	// Version is the id of the version to export; empty means the last.
	Version string
	// Lossy allows what the research formats cannot say exactly: red
	// lines become utility 0, linkages are dropped, a GeniusWeb reservation
	// value becomes the utility of the nearest package, a GeniusWeb party
	// whose utility can exceed 1 has its utilities divided by the largest,
	// and GENIUS caps utilities at 1. Export.Warnings lists each loss.
	Lossy bool
}

// Export is a scenario turned into files of a research format.
type Export struct {
	Format Format
	// Files are the domain file first, then one profile per party, in
	// party order.
	Files []File
	// Warnings say what was lost or changed on the way.
	Warnings []string
}

// File is one file of an export.
type File struct {
	Name string
	Data []byte
}

// WriteDir writes the export's files into dir, creating it if needed, and
// returns their paths.
func (e *Export) WriteDir(dir string) ([]string, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	var paths []string
	for _, f := range e.Files {
		p := filepath.Join(dir, f.Name)
		if err := os.WriteFile(p, f.Data, 0o644); err != nil {
			return nil, err
		}
		paths = append(paths, p)
	}
	return paths, nil
}

// table is a scenario reduced to what the research formats hold: issues
// with values, and per party a weight per issue and a utility in [0,1] per
// value.
type table struct {
	id, title string
	issues    []tableIssue
	parties   []tableParty
	warnings  []string
}

type tableIssue struct {
	name   string
	values []string
}

type tableParty struct {
	id, name    string
	weights     []float64
	utils       [][]float64
	reservation float64
	discount    float64
}

// newTable compiles the scenario as the analysis engine does and splits
// each party's option utilities into an issue weight and value utilities,
// keeping the scenario's own weights and utilities where they reproduce
// the engine's numbers.
func newTable(s *scenario.Scenario, opt ExportOptions, format string) (*table, error) {
	v, ok := s.Version(opt.Version)
	if !ok {
		if opt.Version == "" {
			return nil, fmt.Errorf("scenario %s has no versions", s.ID)
		}
		return nil, fmt.Errorf("scenario %s has no version %q", s.ID, opt.Version)
	}
	t := &table{id: s.ID, title: s.Title}
	src := s
	if opt.Lossy {
		// What is lost are the constraints of the compiled version: the
		// red lines of the positions the analysis uses (a party's older
		// positions are not exported) and the linkages that bind its
		// points, each once.
		orig, err := analysis.Compile(s, v.ID)
		if err != nil {
			return nil, err
		}
		src, t.warnings = relax(s), lossWarnings(s, orig.Constraints)
	}
	prob, err := analysis.Compile(src, v.ID)
	if err != nil {
		return nil, err
	}
	if len(prob.Constraints) > 0 {
		var what []string
		for i, c := range prob.Constraints {
			if i == 5 {
				what = append(what, fmt.Sprintf("and %d more", len(prob.Constraints)-5))
				break
			}
			what = append(what, c.String())
		}
		return nil, fmt.Errorf("%s cannot represent red lines or linkages (%s): use --lossy to give red lines utility 0 and drop linkages", format, strings.Join(what, ", "))
	}
	points := map[string]*scenario.Point{}
	for _, pt := range v.Points() {
		points[pt.ID] = pt
	}
	var pts []*scenario.Point
	for _, is := range prob.Issues {
		if len(is.Points) != 1 {
			return nil, fmt.Errorf("internal error: issue of %d points without linkages", len(is.Points))
		}
		pts = append(pts, points[is.Points[0]])
	}
	titles := make([]string, len(pts))
	for i, pt := range pts {
		titles[i] = pt.Title
	}
	useTitles := usable(titles)
	// Values are the option texts when every point's texts can label
	// values (as for a scenario imported from a research domain, whose
	// texts are the original value names), else the option ids: the same
	// rule on every issue.
	useTexts := true
	for _, pt := range pts {
		texts := make([]string, len(pt.Options))
		for j, o := range pt.Options {
			texts[j] = o.Text
		}
		useTexts = useTexts && usable(texts)
	}
	for _, pt := range pts {
		ti := tableIssue{name: pt.ID}
		if useTitles {
			ti.name = pt.Title
		}
		for _, o := range pt.Options {
			if useTexts {
				ti.values = append(ti.values, o.Text)
			} else {
				ti.values = append(ti.values, o.ID)
			}
		}
		t.issues = append(t.issues, ti)
	}
	for k, id := range prob.Parties {
		party, _ := s.Party(id)
		tp := tableParty{id: id, name: party.Name, reservation: prob.Reservation[k], discount: party.Discount}
		tp.weights, tp.utils = split(src, party, pts, prob, k)
		t.parties = append(t.parties, tp)
	}
	return t, nil
}

// usable reports whether names can label issues or values: non-empty,
// distinct, one line, and not too long.
func usable(names []string) bool {
	seen := map[string]bool{}
	for _, n := range names {
		if n == "" || seen[n] || strings.ContainsAny(n, "\r\n\t") || strings.TrimSpace(n) != n || utf8.RuneCountInString(n) > 200 {
			return false
		}
		seen[n] = true
	}
	return true
}

// relax returns a copy of the scenario without linkages and with red lines
// turned into utility 0.
func relax(s *scenario.Scenario) *scenario.Scenario {
	c := *s
	c.Linkages = nil
	c.Positions = make([]scenario.Position, len(s.Positions))
	zero := 0.0
	for i, pos := range s.Positions {
		np := pos
		np.Points = make([]scenario.PointPosition, len(pos.Points))
		for j, pp := range pos.Points {
			npp := pp
			npp.Options = make([]scenario.OptionStance, len(pp.Options))
			for k, os := range pp.Options {
				if os.Stance == scenario.RedLine {
					os.Stance, os.Utility = scenario.Object, &zero
				}
				npp.Options[k] = os
			}
			np.Points[j] = npp
		}
		c.Positions[i] = np
	}
	return &c
}

// lossWarnings says what relax loses of the constraints cs of a compiled
// version of s: one warning per party for its red lines, one per linkage.
func lossWarnings(s *scenario.Scenario, cs []analysis.Constraint) []string {
	var warn []string
	var parties []string
	redLines := map[string][]string{}
	linkages := map[string]bool{}
	for _, c := range cs {
		switch c.Kind {
		case analysis.RedLineConstraint:
			if redLines[c.Party] == nil {
				parties = append(parties, c.Party)
			}
			redLines[c.Party] = append(redLines[c.Party], c.Point+"="+c.Option)
		case analysis.LinkageConstraint:
			if linkages[c.Linkage] {
				continue
			}
			linkages[c.Linkage] = true
			what := c.Party
			for _, lk := range s.Linkages {
				if lk.ID == c.Linkage {
					what = fmt.Sprintf("%s: %s=%s %s %s=%s", lk.Holder, lk.If.Point, lk.If.Option, lk.Kind, lk.Then.Point, lk.Then.Option)
				}
			}
			warn = append(warn, fmt.Sprintf("linkage %s dropped (%s)", c.Linkage, what))
		}
	}
	for _, p := range parties {
		opts := redLines[p]
		noun := "red line"
		if len(opts) > 1 {
			noun = "red lines"
		}
		warn = append(warn, fmt.Sprintf("party %s: %s given utility 0: %s", p, noun, strings.Join(opts, ", ")))
	}
	return warn
}

// split returns party k's weight per issue and utility per value. It uses
// the scenario's weights (divided by their sum unless as given) and option
// utilities when their products are the compiled utilities; otherwise it
// takes each issue's largest utility as its weight.
func split(s *scenario.Scenario, party *scenario.Party, pts []*scenario.Point, prob *analysis.Problem, k int) ([]float64, [][]float64) {
	n := len(pts)
	weights, utils := make([]float64, n), make([][]float64, n)
	inVersion := map[string]int{}
	for i, pt := range pts {
		inVersion[pt.ID] = i
	}
	total := 0.0
	var pps []*scenario.PointPosition
	for i := range s.Positions {
		if s.Positions[i].Party != party.ID {
			continue
		}
		for j := range s.Positions[i].Points {
			pp := &s.Positions[i].Points[j]
			if _, ok := inVersion[pp.Point]; ok {
				pps = append(pps, pp)
				total += pp.Weight
			}
		}
	}
	exact := true
	for i, pt := range pts {
		utils[i] = make([]float64, len(pt.Options))
	}
	for _, pp := range pps {
		i := inVersion[pp.Point]
		w := pp.Weight
		if party.Weights != scenario.WeightsAsGiven && total > 0 {
			w /= total
		}
		weights[i] = w
		for j, o := range pts[i].Options {
			for _, os := range pp.Options {
				if os.Option == o.ID {
					utils[i][j] = os.Value()
				}
			}
		}
	}
	for i, is := range prob.Issues {
		for j, o := range is.Options {
			u := utils[i][j]
			if u < 0 || u > 1 || math.Abs(weights[i]*u-o.Utility[k]) > 1e-12 {
				exact = false
			}
		}
	}
	if exact {
		return weights, utils
	}
	for i, is := range prob.Issues {
		m := 0.0
		for _, o := range is.Options {
			m = math.Max(m, o.Utility[k])
		}
		weights[i] = m
		for j, o := range is.Options {
			utils[i][j] = 0
			if m > 0 {
				utils[i][j] = o.Utility[k] / m
			}
		}
	}
	return weights, utils
}

// fileNames picks the export's file names: the domain after the scenario,
// each profile after its party.
func fileNames(t *table, domainSuffix, ext string) (string, []string, error) {
	base := ident(t.id, nil)
	// A scenario imported from camera_domain.xml is called camera_domain:
	// its domain is written back as camera_domain.xml, not
	// camera_domain_domain.xml, so that names survive round trips.
	if domainSuffix != "" && len(base) > len(domainSuffix) && strings.EqualFold(base[len(base)-len(domainSuffix):], domainSuffix) {
		base = base[:len(base)-len(domainSuffix)]
	}
	dom := base + domainSuffix + ext
	taken := map[string]bool{strings.ToLower(dom): true}
	var names []string
	for _, p := range t.parties {
		n := ident(p.id, nil) + ext
		if taken[strings.ToLower(n)] {
			return "", nil, fmt.Errorf("party %s: its file name %s is taken", p.id, n)
		}
		taken[strings.ToLower(n)] = true
		names = append(names, n)
	}
	return dom, names, nil
}

// about writes x for a message: as it is when four significant digits
// say it (noise in the last digits aside), else "about" and four
// significant digits. The files hold the exact numbers.
func about(x float64) string {
	short := strconv.FormatFloat(x, 'g', 4, 64)
	if v, err := strconv.ParseFloat(short, 64); err == nil && v == round.Float(x) {
		return short
	}
	return "about " + short
}
