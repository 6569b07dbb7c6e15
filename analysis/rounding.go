package analysis

import (
	"fmt"
	"math"
	"slices"
	"strconv"
)

// RoundParts rounds a total and the parts it is made of to the given
// number of decimals so that the rounded parts add up to the rounded
// total, as a report that prints both must show. The total is rounded as
// fmt's %.*f rounds it; each part is rounded down, and the units still
// missing go one each to the parts with the largest remainders (the
// largest remainder method), the earlier part first among equal ones.
// When the parts add up to the total, each rounded part then lies within
// one unit of the last decimal of its exact value, a larger part (beyond
// the noise of floating point) is never shown smaller, and of equal parts
// the earlier is never shown smaller; when they do not quite, the rounded
// parts still add up to the rounded total.
//
// The values returned are the nearest float64 to each decimal, which %.*f
// with the same precision prints exactly.
func RoundParts(total float64, parts []float64, precision int) (float64, []float64) {
	precision = max(0, min(precision, 15))
	scale := math.Pow10(precision)
	want := roundedUnits(total, precision)
	units := make([]float64, len(parts))
	rem := make([]float64, len(parts))
	have := 0.0
	for i, p := range parts {
		units[i] = math.Floor(p * scale)
		rem[i] = p*scale - units[i]
		have += units[i]
	}
	if len(parts) > 0 {
		order := make([]int, len(parts))
		for i := range order {
			order[i] = i
		}
		// Largest remainder first; remainders that differ only by the
		// noise of floating point are equal, and the earlier part goes
		// first, so that equal parts listed largest first still read so.
		slices.SortStableFunc(order, func(a, b int) int {
			switch {
			case rem[a] > rem[b]+remainderNoise:
				return -1
			case rem[a] < rem[b]-remainderNoise:
				return 1
			}
			return 0
		})
		// The units missing or in excess; nothing is moved when they are
		// not a finite, reasonable count (parts that are not numbers).
		d := want - have
		if !math.IsNaN(d) && math.Abs(d) <= 1e6 {
			n := int(d)
			for k := 0; k < n; k++ {
				units[order[k%len(order)]]++
			}
			for k := 0; k < -n; k++ {
				units[order[len(order)-1-k%len(order)]]--
			}
		}
	}
	out := make([]float64, len(parts))
	for i, u := range units {
		out[i] = u / scale
	}
	return want / scale, out
}

// remainderNoise is the difference between two remainders, in units of
// the last decimal, below which they count as equal.
const remainderNoise = 1e-9

// roundedUnits is v rounded to precision decimals as %.*f prints it, in
// units of the last decimal.
func roundedUnits(v float64, precision int) float64 {
	r, err := strconv.ParseFloat(fmt.Sprintf("%.*f", precision, v), 64)
	if err != nil || math.IsInf(r, 0) || math.IsNaN(r) {
		return math.Round(v * math.Pow10(precision))
	}
	return math.Round(r * math.Pow10(precision))
}
