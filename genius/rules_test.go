package genius

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"parley/analysis"
)

// TestGeniusRules checks, on small fixtures, the places where GENIUS 10.4
// reads a file more leniently than its format suggests.
func TestGeniusRules(t *testing.T) {
	tests := []struct {
		name         string
		paths        []string
		want         *analysis.Problem
		wantDiscount []float64
		wantNotes    []string // each must appear in some note
		wantNoNotes  bool
	}{{
		name:  "an issue without a type is discrete, whatever vtype and etype say",
		paths: []string{"testdata/rules/notype"},
		want: &analysis.Problem{
			// Profiles in file-name order: city, union.
			Parties:     []string{"city", "union"},
			Reservation: []float64{0, 0},
			Issues: []analysis.Issue{
				{Points: []string{"Wage"}, Options: []analysis.Option{opt("2%", 0.5*5/5, 0.75*1/4), opt("4%", 0.5*1/5, 0.75*4/4)}},
				{Points: []string{"Hours"}, Options: []analysis.Option{opt("35", 0, 0.25*2/2), opt("40", 0.5*3/3, 0.25*1/2)}},
			},
		},
		wantDiscount: []float64{0, 0},
		wantNoNotes:  true,
	}, {
		name:  "an unknown issue type is discrete, with a note",
		paths: []string{"testdata/rules/unknowntype"},
		want: &analysis.Problem{
			Parties:     []string{"a", "b"},
			Reservation: []float64{0, 0},
			Issues: []analysis.Issue{
				{Points: []string{"Kind"}, Options: []analysis.Option{opt("apple", 0.5, 1), opt("pear", 1, 1.0/3)}},
			},
		},
		wantDiscount: []float64{0, 0},
		wantNotes: []string{
			`issue Kind has the unknown type "fuzzy": read as discrete`,
			`profile a: issue Kind has the unknown type "fuzzy": read as discrete`,
		},
	}, {
		name:  "reservation and discount factor at any depth, the last met depth first winning",
		paths: []string{"testdata/rules/deep"},
		want: &analysis.Problem{
			Parties: []string{"a", "b"},
			// a: 0.1 at the root, 0.2 in the objective, then the first of the
			// Colour issue's two (0.3). b: only the root's 0.4.
			Reservation: []float64{0.3, 0.4},
			Issues: []analysis.Issue{
				{Points: []string{"Colour"}, Options: []analysis.Option{opt("red", 0.6*2/4, 0.5*1/2), opt("green", 0.6, 0.5*1/2), opt("blue", 0, 0.5)}},
				{Points: []string{"Size"}, Options: []analysis.Option{opt("S", 0.4/3, 0.5), opt("L", 0.4, 0.5/3)}},
			},
		},
		// a: 0.8 at the root, then 0.5 in the objective. b: 0.7 at the root,
		// then 0.25 inside the Size issue.
		wantDiscount: []float64{0.5, 0.25},
		wantNoNotes:  true,
	}, {
		name:  "a discount factor of at most 0 or above 1 means no discount, with a note",
		paths: []string{"testdata/rules/discount"},
		want: &analysis.Problem{
			Parties:     []string{"negative", "one", "over", "zero"},
			Reservation: []float64{0, 0, 0, 0},
			Issues: []analysis.Issue{
				{Points: []string{"Colour"}, Options: []analysis.Option{
					opt("red", 0.5/3, 0.5/3, 0.5/3, 0.5/3), opt("green", 0.5*2/3, 0.5*2/3, 0.5*2/3, 0.5*2/3), opt("blue", 0.5, 0.5, 0.5, 0.5)}},
				{Points: []string{"Size"}, Options: []analysis.Option{
					opt("S", 0.25, 0.25, 0.25, 0.25), opt("L", 0.5, 0.5, 0.5, 0.5)}},
			},
		},
		wantDiscount: []float64{1, 1, 1, 1},
		wantNotes: []string{
			"profile negative: discount factor -0.5 is outside (0,1]: no discount",
			"profile over: discount factor 1.5 is outside (0,1]: no discount",
			"profile zero: discount factor 0 is outside (0,1]: no discount",
		},
	}, {
		name:  "an integer issue with a weight but no evaluator contributes 0, with a note",
		paths: []string{"testdata/rules/noeval"},
		want: &analysis.Problem{
			Parties:     []string{"buyer", "seller"},
			Reservation: []float64{0, 0},
			Issues: []analysis.Issue{
				{Points: []string{"Units"}, Options: []analysis.Option{opt("1", 0, 0), opt("2", 0, 0.25), opt("3", 0, 0.5)}},
				{Points: []string{"Colour"}, Options: []analysis.Option{opt("red", 0.3, 0.5), opt("blue", 0.6, 0.25)}},
			},
		},
		wantDiscount: []float64{0, 0},
		wantNotes:    []string{"profile buyer: integer issue Units has a weight but no <evaluator>: it contributes 0"},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, err := Load(tt.paths, Options{})
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, d.Problem, approx, cmpopts.EquateEmpty(), cmpopts.IgnoreFields(analysis.Issue{}, "Weights")); diff != "" {
				t.Errorf("problem (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.wantDiscount, d.Discount, approx); diff != "" {
				t.Errorf("discount (-want +got):\n%s", diff)
			}
			if tt.wantNoNotes && len(d.Notes) > 0 {
				t.Errorf("notes %q, want none", d.Notes)
			}
			for _, w := range tt.wantNotes {
				found := false
				for _, n := range d.Notes {
					found = found || strings.Contains(n, w)
				}
				if !found {
					t.Errorf("no note contains %q; notes: %q", w, d.Notes)
				}
			}
		})
	}
}

// TestGeniusMissingWeight checks that a profile without a weight for an
// issue is refused, as GENIUS refuses it.
func TestGeniusMissingWeight(t *testing.T) {
	_, err := Load([]string{"testdata/rules/noweight"}, Options{})
	if err == nil || !strings.Contains(err.Error(), `no weight for issue "Units"`) || !strings.Contains(err.Error(), "buyer.xml") {
		t.Errorf("err = %v, want buyer.xml: no weight for issue \"Units\"", err)
	}
}

// TestStrayFiles checks that a folder's files of the other format are
// ignored with a note, as other stray files are.
func TestStrayFiles(t *testing.T) {
	dir := copyFixture(t, "small")
	writeFile(t, dir+"/results.json", `{"agreements": 3}`)
	d, err := Load([]string{dir}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Notes) != 1 || !strings.Contains(d.Notes[0], "ignored results.json: the folder holds a GENIUS domain") {
		t.Errorf("notes %q", d.Notes)
	}
	dir = copyFixture(t, "trip")
	writeFile(t, dir+"/readme.xml", `<notes/>`)
	d, err = Load([]string{dir}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, n := range d.Notes {
		found = found || strings.Contains(n, "ignored readme.xml: the folder holds a GeniusWeb domain")
	}
	if !found {
		t.Errorf("notes %q", d.Notes)
	}
}
