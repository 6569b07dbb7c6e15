package web

import (
	"net/url"
	"testing"

	"parley/analysis"
	"parley/examples"
	"parley/scenario"
)

// FuzzWhatIf feeds the what-if controls any query: they never panic, and
// what they accept is a lift of three named parts or a reservation value
// in [0,1].
func FuzzWhatIf(f *testing.F) {
	sc, err := scenario.Load(examples.DefaultName, examples.Default)
	if err != nil {
		f.Fatal(err)
	}
	for _, s := range []string{"lift=ru|territory|line_of_contact", "res.ua=0.3", "res.ru=2", "lift=a|b", "res.e3=NaN&lift=", "res.ua=%ff"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		q, err := url.ParseQuery(raw)
		if err != nil {
			return
		}
		changes, err := whatIf(q, sc)
		if err != nil {
			return
		}
		for _, c := range changes {
			switch c.Kind {
			case analysis.LiftChange:
				if c.Party == "" && c.Point == "" && c.Option == "" {
					t.Errorf("an empty lift accepted from %q", raw)
				}
			case analysis.ReservationChange:
				if c.To == nil || !(*c.To >= 0 && *c.To <= 1) {
					t.Errorf("reservation %v accepted from %q", c.To, raw)
				}
			default:
				t.Errorf("unexpected change %v from %q", c.Kind, raw)
			}
		}
	})
}
