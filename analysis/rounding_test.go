package analysis

import (
	"fmt"
	"math"
	"testing"

	"pgregory.net/rapid"
)

// TestRoundPartsAddUp checks RoundParts against every way of rounding
// each part up or down: the rounded parts add up to the total as %.*f
// prints it, and no other way that adds up is closer to the exact parts.
// The parts are drawn in millionths, so that the check works in exact
// integers.
func TestRoundPartsAddUp(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		precision := rapid.IntRange(0, 3).Draw(t, "precision")
		micro := rapid.SliceOfN(rapid.Int64Range(0, 1_000_000), 0, 7).Draw(t, "parts")
		var sum int64
		parts := make([]float64, len(micro))
		for i, m := range micro {
			parts[i] = float64(m) / 1e6
			sum += m
		}
		total := float64(sum) / 1e6
		gotTotal, got := RoundParts(total, parts, precision)

		unit := int64(1)
		for range 6 - precision {
			unit *= 10
		}
		scale := math.Pow10(precision)
		if p, w := fmt.Sprintf("%.*f", precision, gotTotal), fmt.Sprintf("%.*f", precision, total); p != w {
			t.Fatalf("total %v printed %s, want %s", total, p, w)
		}
		want := int64(math.Round(gotTotal * scale))
		shown := make([]int64, len(got))
		var shownSum int64
		for i, g := range got {
			shown[i] = int64(math.Round(g * scale))
			if d := math.Abs(g*scale - float64(shown[i])); d > 1e-6 {
				t.Fatalf("part %d = %v is not a whole number of units", i, g)
			}
			if p := fmt.Sprintf("%.*f", precision, g); p != fmt.Sprintf("%.*f", precision, float64(shown[i])/scale) {
				t.Fatalf("part %d prints %s", i, p)
			}
			shownSum += shown[i]
		}
		if shownSum != want {
			t.Fatalf("parts %v round to %v, which add up to %d units, not the total's %d", parts, got, shownSum, want)
		}
		// Every rounding of each part to the unit below or above it that
		// adds up to the total, and the least distance to the exact parts.
		errOf := func(shown []int64) int64 {
			var e int64
			for i, s := range shown {
				d := s*unit - micro[i]
				if d < 0 {
					d = -d
				}
				e += d
			}
			return e
		}
		best := int64(-1)
		for mask := 0; mask < 1<<len(micro); mask++ {
			cand := make([]int64, len(micro))
			var s int64
			for i, m := range micro {
				cand[i] = m / unit
				if mask&(1<<i) != 0 {
					cand[i]++
				}
				s += cand[i]
			}
			if s != want {
				continue
			}
			if e := errOf(cand); best < 0 || e < best {
				best = e
			}
		}
		if best < 0 {
			t.Fatalf("no rounding of %v adds up to %d units", micro, want)
		}
		if e := errOf(shown); e != best {
			t.Fatalf("parts %v shown as %v are %d millionths off in all, but %d is possible", micro, shown, e, best)
		}
		for i := range micro {
			for j := range micro {
				if (micro[i] > micro[j] || (micro[i] == micro[j] && i < j)) && shown[i] < shown[j] {
					t.Fatalf("part %d (%d) comes before part %d (%d) but is shown smaller: %v", i, micro[i], j, micro[j], shown)
				}
			}
		}
	})
}

func TestRoundPartsOddInput(t *testing.T) {
	for _, c := range []struct {
		total float64
		parts []float64
	}{
		{math.Inf(1), []float64{1, 2}},
		{math.NaN(), []float64{math.NaN()}},
		{1e300, []float64{1e300}},
		{0.5, nil},
		{0.3, []float64{0.1, 0.1, 0.1}},
	} {
		_, got := RoundParts(c.total, c.parts, 2)
		if len(got) != len(c.parts) {
			t.Errorf("RoundParts(%v, %v): %d parts, want %d", c.total, c.parts, len(got), len(c.parts))
		}
	}
}
