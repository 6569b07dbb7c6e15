package genius

import (
	"slices"
	"strings"
	"testing"

	"parley/examples"
	"parley/scenario"
)

// TestLossyReportsEachLossOnce exports every version of the default
// scenario with Lossy: each red line given utility 0 is reported once,
// and exactly those of the positions the version is judged by (a party
// holding the same red line in an older position is not reported twice),
// and no warning is repeated.
func TestLossyReportsEachLossOnce(t *testing.T) {
	s, err := scenario.Load(examples.DefaultName, examples.Default)
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range s.Versions {
		// The oracle: the red lines, on the version's points and options,
		// of the positions held at its date by the parties that bargain.
		options := map[string]bool{}
		for _, pt := range v.Points() {
			if pt.Status == scenario.StatusDropped {
				continue
			}
			for _, o := range pt.Options {
				options[pt.ID+"="+o.ID] = true
			}
		}
		var want []string
		for _, pos := range s.PositionsAt(v.Date) {
			if p, ok := s.Party(pos.Party); !ok || !p.Counted() {
				continue
			}
			for _, pp := range pos.Points {
				for _, os := range pp.Options {
					if os.Stance == scenario.RedLine && options[pp.Point+"="+os.Option] {
						want = append(want, pos.Party+" "+pp.Point+"="+os.Option)
					}
				}
			}
		}
		for _, write := range []func(*scenario.Scenario, ExportOptions) (*Export, error){WriteGenius, WriteGeniusWeb} {
			e, err := write(s, ExportOptions{Version: v.ID, Lossy: true})
			if err != nil {
				t.Fatalf("%s: %v", v.ID, err)
			}
			var got []string
			for i, w := range e.Warnings {
				if slices.Contains(e.Warnings[:i], w) {
					t.Errorf("%s: %q reported twice", v.ID, w)
				}
				party, rest, _ := strings.Cut(strings.TrimPrefix(w, "party "), ": ")
				for _, prefix := range []string{"red line given utility 0: ", "red lines given utility 0: "} {
					if list, ok := strings.CutPrefix(rest, prefix); ok {
						for _, o := range strings.Split(list, ", ") {
							got = append(got, party+" "+o)
						}
					}
				}
			}
			slices.Sort(got)
			slices.Sort(want)
			if !slices.Equal(got, want) {
				t.Errorf("%s: red lines reported %q, want %q", v.ID, got, want)
			}
		}
	}
}
