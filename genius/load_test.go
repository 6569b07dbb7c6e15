package genius

import (
	"math"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"pgregory.net/rapid"

	"parley/analysis"
	"parley/scenario"
)

var approx = cmpopts.EquateApprox(0, 1e-12)

// opt builds an option with the given choice and utilities.
func opt(choice string, u ...float64) analysis.Option {
	return analysis.Option{Choices: []string{choice}, Utility: u}
}

func TestLoadGenius(t *testing.T) {
	tests := []struct {
		name         string
		paths        []string
		opt          Options
		want         *analysis.Problem
		wantDiscount []float64
		wantNotes    []string
	}{{
		name:  "discrete evaluations are divided by the issue's largest",
		paths: []string{"testdata/small"},
		want: &analysis.Problem{
			Parties:     []string{"a", "b"},
			Reservation: []float64{0.2, 0.1},
			Issues: []analysis.Issue{
				{Points: []string{"Colour"}, Options: []analysis.Option{
					opt("red", 0.6*2/4, 0.5*10/10), opt("green", 0.6*4/4, 0.5*5/10), opt("blue", 0, 0.5*10/10)}},
				{Points: []string{"Size"}, Options: []analysis.Option{
					opt("S", 0.4*1/3, 0.5*7/7), opt("L", 0.4*3/3, 0)}},
			},
		},
		wantDiscount: []float64{0.9, 0},
	}, {
		name:  "explicit files keep their order",
		paths: []string{"testdata/small/small_domain.xml", "testdata/small/b.xml", "testdata/small/a.xml"},
		want: &analysis.Problem{
			Parties:     []string{"b", "a"},
			Reservation: []float64{0.1, 0.2},
			Issues: []analysis.Issue{
				{Points: []string{"Colour"}, Options: []analysis.Option{
					opt("red", 0.5, 0.3), opt("green", 0.25, 0.6), opt("blue", 0.5, 0)}},
				{Points: []string{"Size"}, Options: []analysis.Option{
					opt("S", 0.5, 0.4/3), opt("L", 0, 0.4)}},
			},
		},
		wantDiscount: []float64{0, 0.9},
	}, {
		// p1: price 1-0.1x, units 0.25(x-1), colour 1 and 3 of 3.
		// p2: price 0.15x-0.2 and units 1.2-0.5(x-1), both clipped to
		// [0,1]; colour 0 and 4 of 4.
		name:  "integer and real evaluators are linear, clipped to [0,1]",
		paths: []string{"testdata/numeric"},
		opt:   Options{RealSteps: 6},
		want: &analysis.Problem{
			Parties:     []string{"p1", "p2"},
			Reservation: []float64{0.3, 0.25},
			Issues: []analysis.Issue{
				{Points: []string{"Price"}, Options: []analysis.Option{
					opt("0", 0.5*1, 0), opt("2", 0.5*0.8, 0.4*0.1), opt("4", 0.5*0.6, 0.4*0.4),
					opt("6", 0.5*0.4, 0.4*0.7), opt("8", 0.5*0.2, 0.4*1), opt("10", 0, 0.4*1)}},
				{Points: []string{"Units"}, Options: []analysis.Option{
					opt("1", 0, 0.4*1), opt("2", 0.3*0.25, 0.4*0.7), opt("3", 0.3*0.5, 0.4*0.2),
					opt("4", 0.3*0.75, 0), opt("5", 0.3*1, 0)}},
				{Points: []string{"Colour"}, Options: []analysis.Option{
					opt("red", 0.2/3, 0), opt("blue", 0.2, 0.2)}},
			},
		},
		wantDiscount: []float64{0, 0.5},
		wantNotes:    []string{"issue Price (real, [0, 10]) discretised into 6 steps"},
	}, {
		// alice: hotel 0.2|1, nights 0→1 over 1..3; reservation bid
		// (cheap, 2) is worth 0.7*0.2+0.3*0.5. bob lists his issues in
		// another order, which does not matter.
		name:  "GeniusWeb utilities and weights are used as given",
		paths: []string{"testdata/trip"},
		want: &analysis.Problem{
			Parties:     []string{"alice", "bob"},
			Reservation: []float64{0.7*0.2 + 0.3*0.5, 0},
			Issues: []analysis.Issue{
				{Points: []string{"hotel"}, Options: []analysis.Option{
					opt("cheap", 0.7*0.2, 0.6*1), opt("fancy", 0.7*1, 0.6*0.4)}},
				{Points: []string{"nights"}, Options: []analysis.Option{
					opt("1", 0, 0.4*1), opt("2", 0.3*0.5, 0.4*0.75), opt("3", 0.3*1, 0.4*0.5)}},
			},
		},
		wantDiscount: []float64{0, 0},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, err := Load(tt.paths, tt.opt)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, d.Problem, approx, cmpopts.EquateEmpty(), cmpopts.IgnoreFields(analysis.Issue{}, "Weights")); diff != "" {
				t.Errorf("problem (-want +got):\n%s", diff)
			}
			// Weights are each party's share of its total weight.
			for k := range d.Problem.Parties {
				total := 0.0
				for _, is := range d.Problem.Issues {
					total += is.Weights[k]
				}
				if math.Abs(total-1) > 1e-12 {
					t.Errorf("party %d: weight shares add up to %v", k, total)
				}
			}
			if diff := cmp.Diff(tt.wantDiscount, d.Discount, approx); diff != "" {
				t.Errorf("discount (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.wantNotes, d.Notes, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("notes (-want +got):\n%s", diff)
			}
			if d.Scenario == nil {
				t.Errorf("no scenario for linear profiles")
			}
		})
	}
}

// TestLoadNonlinear checks the exact evaluation of a hyperRectangle
// profile: nl(x,y) = (6·[x≥1, y≤1] + 5·[not 2≤y≤3] + 1) / 10, capped at 1.
func TestLoadNonlinear(t *testing.T) {
	d, err := Load([]string{"testdata/nonlinear"}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	want := &analysis.Problem{Parties: []string{"lin", "nl"}, Reservation: []float64{0, 0.3}}
	is := analysis.Issue{Points: []string{"x", "y"}}
	for x := 0; x <= 2; x++ {
		for y := 0; y <= 3; y++ {
			lin := 0.5*(0.5*float64(x)) + 0.5*(1-0.25*float64(y))
			nl := 1.0
			if x >= 1 && y <= 1 {
				nl += 6
			}
			if y < 2 {
				nl += 5
			}
			nl = min(nl/10, 1)
			is.Options = append(is.Options, analysis.Option{
				Choices: []string{string(rune('0' + x)), string(rune('0' + y))},
				Utility: []float64{lin, nl},
			})
		}
	}
	want.Issues = []analysis.Issue{is}
	if diff := cmp.Diff(want, d.Problem, approx, cmpopts.EquateEmpty()); diff != "" {
		t.Errorf("problem (-want +got):\n%s", diff)
	}
	if d.Scenario != nil {
		t.Errorf("a scenario for a nonlinear profile")
	}
	if diff := cmp.Diff([]string{"nl"}, d.Nonlinear); diff != "" {
		t.Errorf("nonlinear (-want +got):\n%s", diff)
	}
	if len(d.Notes) != 1 || !strings.Contains(d.Notes[0], "nonlinear") {
		t.Errorf("notes = %q, want one about the nonlinear profile", d.Notes)
	}
}

// TestLoadNonlinearTooLarge checks that a nonlinear profile over a space
// too large to enumerate is refused, not approximated.
func TestLoadNonlinearTooLarge(t *testing.T) {
	dir := t.TempDir()
	var dom, prof strings.Builder
	dom.WriteString(`<negotiation_template><utility_space><objective index="0" name="root">`)
	prof.WriteString(`<utility_space type="nonlinear"><objective index="0" name="root"><utility maxutility="1"><ufun aggregation="sum">`)
	for i := 1; i <= 7; i++ {
		dom.WriteString(`<issue index="` + itoa(i) + `" name="i` + itoa(i) + `" type="integer" lowerbound="0" upperbound="9"/>`)
		prof.WriteString(`<hyperRectangle utility="0.1"><INCLUDES index="` + itoa(i) + `" min="0" max="4"/></hyperRectangle>`)
	}
	dom.WriteString(`</objective></utility_space></negotiation_template>`)
	prof.WriteString(`</ufun></utility></objective></utility_space>`)
	writeFile(t, filepath.Join(dir, "d.xml"), dom.String())
	writeFile(t, filepath.Join(dir, "p.xml"), prof.String())
	_, err := Load([]string{dir}, Options{})
	if err == nil || !strings.Contains(err.Error(), "10000000 packages") || !strings.Contains(err.Error(), "p.xml") {
		t.Errorf("err = %v, want a refusal naming p.xml and the 10000000 packages", err)
	}
}

func TestScenario(t *testing.T) {
	d, err := Load([]string{"testdata/small"}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	u := func(x float64) *float64 { return &x }
	want := &scenario.Scenario{
		Parley: scenario.FormatVersion, ID: "small_domain", Title: "small_domain",
		Description: "Imported from the GENIUS files small_domain.xml, a.xml, b.xml.",
		Parties: []scenario.Party{
			{ID: "a", Name: "a", Role: scenario.RoleParty, Reservation: 0.2, Weights: scenario.WeightsAsGiven, Discount: 0.9},
			{ID: "b", Name: "b", Role: scenario.RoleParty, Reservation: 0.1, Weights: scenario.WeightsAsGiven},
		},
		Versions: []scenario.Version{{ID: "v1", Title: "small_domain", Blocks: []scenario.Block{{
			ID: "issues", Title: "Issues", Points: []scenario.Point{
				{ID: "Colour", Number: 1, Title: "Colour", Options: []scenario.Option{{ID: "red", Text: "red"}, {ID: "green", Text: "green"}, {ID: "blue", Text: "blue"}}},
				{ID: "Size", Number: 2, Title: "Size", Options: []scenario.Option{{ID: "S", Text: "S"}, {ID: "L", Text: "L"}}},
			}}}}},
		Positions: []scenario.Position{
			{Party: "a", Points: []scenario.PointPosition{
				{Point: "Colour", Weight: 0.6, Options: []scenario.OptionStance{
					{Option: "red", Stance: scenario.Reluctant, Utility: u(0.5)},
					{Option: "green", Stance: scenario.Support, Utility: u(1)},
					{Option: "blue", Stance: scenario.Object, Utility: u(0)}}},
				{Point: "Size", Weight: 0.4, Options: []scenario.OptionStance{
					{Option: "S", Stance: scenario.Object, Utility: u(1.0 / 3)},
					{Option: "L", Stance: scenario.Support, Utility: u(1)}}},
			}},
			{Party: "b", Points: []scenario.PointPosition{
				{Point: "Colour", Weight: 0.5, Options: []scenario.OptionStance{
					{Option: "red", Stance: scenario.Support, Utility: u(1)},
					{Option: "green", Stance: scenario.Reluctant, Utility: u(0.5)},
					{Option: "blue", Stance: scenario.Support, Utility: u(1)}}},
				{Point: "Size", Weight: 0.5, Options: []scenario.OptionStance{
					{Option: "S", Stance: scenario.Support, Utility: u(1)},
					{Option: "L", Stance: scenario.Object, Utility: u(0)}}},
			}},
		},
	}
	if diff := cmp.Diff(want, d.Scenario, approx, cmpopts.EquateEmpty()); diff != "" {
		t.Errorf("scenario (-want +got):\n%s", diff)
	}
	// The scenario compiles to the same problem, up to the labels.
	p, err := analysis.Compile(d.Scenario, "")
	if err != nil {
		t.Fatal(err)
	}
	if err := samePackages(d.Problem, p); err != nil {
		t.Error(err)
	}
}

func TestIdent(t *testing.T) {
	taken := idents{}
	for _, tt := range []struct{ in, want string }{
		{"Size of Fund", "Size_of_Fund"},
		{"$4.37", "4.37"},
		{"19'' LCD", "19_LCD"},
		{"Size-of-Fund", "Size-of-Fund"},
		{"Size of Fund", "Size_of_Fund_2"},
		{"???", "x"},
		{"", "x_2"},
		{"x_3", "x_3"},
		{"x", "x_4"},
		{"Size of Fund", "Size_of_Fund_3"},
	} {
		if got := ident(tt.in, taken); got != tt.want {
			t.Errorf("ident(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestCleanIdentAgreesWithRegexp(t *testing.T) {
	notIdent := regexp.MustCompile(`[^A-Za-z0-9_.-]+`)
	piece := rapid.SampledFrom([]string{"a", "Z", "0", "_", ".", "-", " ", "/", "é", "価", "😀", "\xff", "\xe2\x82", "!!"})
	rapid.Check(t, func(rt *rapid.T) {
		s := strings.Join(rapid.SliceOfN(piece, 0, 10).Draw(rt, "pieces"), "")
		if got, want := cleanIdent(s), notIdent.ReplaceAllString(s, "_"); got != want {
			t.Fatalf("cleanIdent(%q) = %q, want %q", s, got, want)
		}
	})
}
