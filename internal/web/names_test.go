package web

import (
	"math/big"
	"regexp"
	"strings"
	"testing"

	"pgregory.net/rapid"

	"parley/analysis"
	"parley/examples"
	"parley/scenario"
)

var groupedDigits = regexp.MustCompile(`^-?[1-9][0-9]{0,2}(,[0-9]{3})*$|^0$`)

// TestGrouped: a count reads back as itself with its commas taken out,
// and its digits are in groups of three after the first.
func TestGrouped(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		digits := rapid.StringMatching(`-?[1-9][0-9]{0,40}|0`).Draw(t, "n")
		n, ok := new(big.Int).SetString(digits, 10)
		if !ok {
			t.Fatalf("bad draw %q", digits)
		}
		got := countDigits(analysis.Count{Int: n})
		if strings.ReplaceAll(got, ",", "") != digits || !groupedDigits.MatchString(got) {
			t.Fatalf("countDigits(%s) = %q", digits, got)
		}
	})
	if got := countDigits(analysis.Count{}); got != "0" {
		t.Errorf("grouped of no count = %q, want 0", got)
	}
}

// TestChoicesInTextOrder: whatever points a package holds, they come out
// in the order the version reads, each with its number and title.
func TestChoicesInTextOrder(t *testing.T) {
	sc, err := scenario.Load(examples.DefaultName, examples.Default)
	if err != nil {
		t.Fatal(err)
	}
	rapid.Check(t, func(t *rapid.T) {
		v := &sc.Versions[rapid.IntRange(0, len(sc.Versions)-1).Draw(t, "version")]
		pts := v.Points()
		pkg := map[string]string{}
		for _, pt := range pts {
			if len(pt.Options) > 0 && rapid.Bool().Draw(t, "in "+pt.ID) {
				pkg[pt.ID] = pt.Options[rapid.IntRange(0, len(pt.Options)-1).Draw(t, "option of "+pt.ID)].ID
			}
		}
		got := newVersionPoints(v).Choices(pkg)
		var want []pkgChoice
		for _, pt := range pts { // the version's own order, read directly
			if o, ok := pkg[pt.ID]; ok {
				want = append(want, pkgChoice{Point: pt.ID, Option: o})
			}
		}
		if len(got) != len(want) {
			t.Fatalf("%d choices, want %d", len(got), len(want))
		}
		for i := range want {
			if got[i].Point != want[i].Point || got[i].Option != want[i].Option {
				t.Fatalf("pkgChoice %d is %s=%s, want %s=%s", i, got[i].Point, got[i].Option, want[i].Point, want[i].Option)
			}
			if !strings.HasSuffix(got[i].Label, ". "+deskPointTitle(v, want[i].Point)) {
				t.Fatalf("pkgChoice %d is labelled %q", i, got[i].Label)
			}
		}
	})
}

func deskPointTitle(v *scenario.Version, id string) string {
	for _, b := range v.Blocks {
		for _, pt := range b.Points {
			if pt.ID == id {
				return pt.Title
			}
		}
	}
	return ""
}

func TestPackagesInWords(t *testing.T) {
	for n, want := range map[int]string{0: "0 packages", 1: "1 package", 999: "999 packages", 8221: "8,221 packages", 1234567: "1,234,567 packages"} {
		if got := (deskData{}).Packages(n); got != want {
			t.Errorf("Packages(%d) = %q, want %q", n, got, want)
		}
	}
}
