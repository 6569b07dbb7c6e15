package analysis

import (
	"context"
	"fmt"

	"parley/scenario"
)

// TextAnalysis is what the analysis of a scenario version says about the
// text itself and about who is counted: the version as written, the text
// over time, and what each party concedes in every package proposed.
type TextAnalysis struct {
	// AsOf is the date of the positions used; empty for each party's
	// latest position.
	AsOf string `json:"as_of,omitempty"`
	// NotCounted are the parties with a position that are shown but not
	// counted in the fair packages, in the order of every
	// not_counted_utilities array; NotCountedReservation their
	// reservation values.
	NotCounted            []string  `json:"not_counted"`
	NotCountedReservation []float64 `json:"not_counted_reservation"`
	// Changes are the what-if changes applied.
	Changes  []Change  `json:"changes"`
	Warnings []Warning `json:"warnings"`
	// Scorecard is the analysed version as written; null when the version
	// proposes nothing (no point names a proposed option and some are
	// open).
	Scorecard  *Scorecard  `json:"scorecard"`
	Trajectory *Trajectory `json:"trajectory"`
	// Concessions are what each party gives up in every package proposed:
	// the version as written, the solutions, the relaxations' solutions.
	Concessions []Concessions `json:"concessions"`
}

// TextOptions tune AnalyzeText.
type TextOptions struct {
	// Compile are the options the version was compiled with; the other
	// versions of the trajectory are compiled with them too.
	Compile CompileOptions
	// Compare are pairs of versions to compare beyond consecutive ones.
	Compare [][2]string
	// NoTrajectory skips the text over time.
	NoTrajectory bool
}

// AnalyzeText completes res, the analysis of the compiled version c of s,
// with what it says about the text.
func AnalyzeText(ctx context.Context, s *scenario.Scenario, c *Compiled, res *Result, opt TextOptions) (*TextAnalysis, error) {
	t := &TextAnalysis{
		AsOf:                  c.AsOf,
		NotCounted:            []string{},
		NotCountedReservation: []float64{},
		Changes:               append([]Change{}, c.Changes...),
		Warnings:              append([]Warning{}, c.Warnings...),
		Concessions:           []Concessions{},
	}
	for k, id := range c.All.Parties {
		if !c.Counted[k] {
			t.NotCounted = append(t.NotCounted, id)
			t.NotCountedReservation = append(t.NotCountedReservation, c.All.Reservation[k])
		}
	}
	if c.HasProposal() {
		sc, err := NewScorecard(ctx, c, res.Solutions)
		if err != nil {
			return nil, err
		}
		t.Scorecard = sc
		if sc.Package != nil {
			pkg, _, _ := c.Package(sc.Proposed, false)
			t.Concessions = append(t.Concessions, c.Concede("scorecard", pkg))
		}
	}
	for _, s := range solutionKeys(res.Solutions) {
		t.Concessions = append(t.Concessions, c.Concede("solutions."+s.key, s.o.Package))
	}
	for i, r := range res.Relaxations {
		for _, s := range solutionKeys(r.Solutions) {
			t.Concessions = append(t.Concessions, c.Concede(fmt.Sprintf("relaxations[%d].solutions.%s", i, s.key), s.o.Package))
		}
	}
	if !opt.NoTrajectory {
		tr, warn, err := NewTrajectory(s, opt.Compile, opt.Compare)
		if err != nil {
			return nil, err
		}
		t.Trajectory = tr
		t.Warnings = append(t.Warnings, warn...)
	}
	return t, nil
}

type keyedOutcome struct {
	key string
	o   *Outcome
}

// solutionKeys lists the solutions that exist, by their JSON keys.
func solutionKeys(s *Solutions) []keyedOutcome {
	if s == nil {
		return nil
	}
	var out []keyedOutcome
	for _, k := range []keyedOutcome{
		{"nash", s.Nash}, {"kalai_smorodinsky", s.KalaiSmorodinsky},
		{"maximin", s.Maximin}, {"utilitarian", s.Utilitarian},
	} {
		if k.o != nil {
			out = append(out, k)
		}
	}
	return out
}

// NewVersionReport is the report of the compiled version c of s: res, the
// analysis of c.Problem, with the agreement map of every party shown and
// the text analysis t.
func NewVersionReport(s *scenario.Scenario, c *Compiled, res *Result, t *TextAnalysis) *Report {
	held := s.PositionsAt(c.AsOf)
	blocks := make(map[[3]string]bool)
	for _, con := range c.Problem.Constraints {
		if con.Kind == RedLineConstraint {
			blocks[[3]string{con.Party, con.Point, con.Option}] = true
		}
	}
	return &Report{
		Scenario:     s.ID,
		Title:        s.Title,
		Version:      c.Version.ID,
		Disclaimer:   s.Disclaimer,
		Result:       res,
		Agreement:    agreementMap(c.Version, held, c.All.Parties, func(party, point, option string) bool { return blocks[[3]string{party, point, option}] }),
		TextAnalysis: t,
	}
}
