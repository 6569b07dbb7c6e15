// Package round writes computed numbers for people and scripts: utilities,
// payoffs and scores that come out of sums and means carry floating-point
// noise in their last digits (0.3874999999999997 for 0.3875), which says
// nothing and reads badly.
//
// The rule, the same in every output: a number is rounded to 12 digits —
// to 12 decimal places below 1, to 12 significant digits from 1 on — and
// then written in the shortest form that reads back as that rounded value.
// Twelve digits keep far more than any utility means, and lose only the
// noise, which sits around the 16th or 17th.
package round

import (
	"math"
	"strconv"
)

// Digits is how many digits a number keeps: decimal places below 1,
// significant digits from 1 on.
const Digits = 12

// pow10[k] is 10^k, exactly.
var pow10 = [...]float64{1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12}

// Float returns x rounded to Digits digits; NaN and the infinities are
// returned as they are, and a number that rounds to zero is +0.
func Float(x float64) float64 {
	a := math.Abs(x)
	if a == 0 || math.IsNaN(a) || math.IsInf(a, 0) {
		return x + 0
	}
	if a >= 1e12 {
		return slow(x)
	}
	// k is the number of digits before the point; a is scaled so that the
	// digits kept are all before it, which leaves fewer than 2^40 of them:
	// the product is then within 2^-13 of the exact one, and rounding it
	// gives the exact decimal rounding unless a tie is that close.
	k := 0
	for k < Digits && a >= pow10[k] {
		k++
	}
	scale := pow10[Digits-k]
	p := a * scale
	r := math.Round(p)
	if d := p - math.Floor(p); math.Abs(d-0.5) < 1e-3 {
		return slow(x)
	}
	if r == 0 {
		return 0
	}
	// r and scale are exact, so the quotient is the float nearest the
	// rounded decimal, as strconv would read it.
	return math.Copysign(r/scale, x)
}

// slow rounds through the decimal text of x, exactly, with ties to even.
func slow(x float64) float64 {
	var s string
	if math.Abs(x) < 1 {
		s = strconv.FormatFloat(x, 'f', Digits, 64)
	} else {
		s = strconv.FormatFloat(x, 'g', Digits, 64)
	}
	r, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return x
	}
	return r + 0
}

// Floats returns a copy of xs with each rounded by Float; nil stays nil.
func Floats(xs []float64) []float64 {
	if xs == nil {
		return nil
	}
	out := make([]float64, len(xs))
	for i, x := range xs {
		out[i] = Float(x)
	}
	return out
}

// Format writes x rounded by Float, in the form encoding/json gives a
// float64: plain decimals from 1e-6 to 1e21, an exponent outside. NaN and
// the infinities are written as strconv writes them ("NaN", "+Inf").
func Format(x float64) string {
	return string(Append(nil, x))
}

// Append appends Format(x) to b.
func Append(b []byte, x float64) []byte {
	x = Float(x)
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return strconv.AppendFloat(b, x, 'g', -1, 64)
	}
	a := math.Abs(x)
	if a != 0 && (a < 1e-6 || a >= 1e21) {
		n := len(b)
		b = strconv.AppendFloat(b, x, 'e', -1, 64)
		// 1e-07 → 1e-7, as encoding/json writes it.
		if m := len(b) - n; m >= 4 && b[len(b)-4] == 'e' && b[len(b)-3] == '-' && b[len(b)-2] == '0' {
			b[len(b)-2] = b[len(b)-1]
			b = b[:len(b)-1]
		}
		return b
	}
	return strconv.AppendFloat(b, x, 'f', -1, 64)
}
