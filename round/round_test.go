package round

import (
	"encoding/json"
	"math"
	"math/big"
	"testing"

	"pgregory.net/rapid"
)

// exact rounds x by the rule with exact rational arithmetic: the number of
// digits before the point is found by comparison with powers of ten, the
// scaled value is rounded half to even, and the result is the float
// nearest the rounded rational.
func exact(x float64) float64 {
	if x == 0 || math.IsNaN(x) || math.IsInf(x, 0) {
		return x + 0
	}
	v := new(big.Rat).SetFloat64(x)
	a := new(big.Rat).Abs(v)
	ten := big.NewRat(10, 1)
	one := big.NewRat(1, 1)
	k := 0
	for p := new(big.Rat).Set(one); a.Cmp(p) >= 0; p.Mul(p, ten) {
		k++
	}
	places := 12 - k // may be negative for huge numbers
	scale := new(big.Rat).SetInt(new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(abs(places))), nil))
	s := new(big.Rat).Set(a)
	if places >= 0 {
		s.Mul(s, scale)
	} else {
		s.Quo(s, scale)
	}
	// Half to even.
	q, r := new(big.Int).QuoRem(s.Num(), s.Denom(), new(big.Int))
	twice := new(big.Int).Mul(r, big.NewInt(2))
	if c := twice.Cmp(s.Denom()); c > 0 || c == 0 && q.Bit(0) == 1 {
		q.Add(q, big.NewInt(1))
	}
	res := new(big.Rat).SetInt(q)
	if places >= 0 {
		res.Quo(res, scale)
	} else {
		res.Mul(res, scale)
	}
	f, _ := res.Float64()
	if x < 0 {
		f = -f
	}
	return f + 0
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}

func TestFloatExamples(t *testing.T) {
	for _, c := range []struct {
		in   float64
		want string
	}{
		{0.3874999999999997, "0.3875"},
		{0.1 + 0.2, "0.3"},
		{0.1 + 0.2 - 0.3, "0"},
		{-(0.1 + 0.2 - 0.3), "0"},
		{1.0 / 3, "0.333333333333"},
		{2.0 / 3, "0.666666666667"},
		{1.0 / 880, "0.001136363636"},
		{1 + 1.0/3, "1.33333333333"},
		{4999.999999999999, "5000"},
		{1234.5678, "1234.5678"},
		{1, "1"},
		{0, "0"},
		{1e-7, "1e-7"},
		{4e-13, "0"},
		{3e-12, "3e-12"},
		{1e-6, "0.000001"},
		{-0.25, "-0.25"},
		{1e300, "1e+300"},
		{123456789012345678, "123456789012000000"},
	} {
		if got := Format(c.in); got != c.want {
			t.Errorf("Format(%v): expected %s got %s", c.in, c.want, got)
		}
	}
	if got := Float(math.NaN()); !math.IsNaN(got) {
		t.Errorf("Float(NaN): got %v", got)
	}
	if got := Float(math.Inf(-1)); !math.IsInf(got, -1) {
		t.Errorf("Float(-Inf): got %v", got)
	}
	if got := Float(-1e-15); math.Signbit(got) {
		t.Errorf("Float(-1e-15): got -0")
	}
}

// numbers draws floats of every size, and sums and means of small
// fractions as the simulations and tournaments compute them.
func numbers() *rapid.Generator[float64] {
	return rapid.OneOf(
		rapid.Float64(),
		rapid.Float64Range(-1, 1),
		rapid.Float64Range(-1e4, 1e4),
		rapid.Custom(func(t *rapid.T) float64 {
			xs := rapid.SliceOfN(rapid.IntRange(0, 1000), 1, 50).Draw(t, "xs")
			d := float64(rapid.IntRange(1, 1000).Draw(t, "d"))
			s := 0.0
			for _, x := range xs {
				s += float64(x) / d
			}
			return s / float64(len(xs))
		}),
		// Ties and near ties at the twelfth decimal.
		rapid.Custom(func(t *rapid.T) float64 {
			n := rapid.Int64Range(0, 1e12).Draw(t, "n")
			return (float64(n) + 0.5) / 1e12
		}),
	)
}

func TestFloatMatchesExact(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		x := numbers().Draw(t, "x")
		got, want := Float(x), exact(x)
		if math.Float64bits(got) != math.Float64bits(want) && !(math.IsNaN(got) && math.IsNaN(want)) {
			t.Fatalf("Float(%v): expected %v got %v", x, want, got)
		}
		if Float(got) != got && !math.IsNaN(got) {
			t.Fatalf("Float(Float(%v)) = %v, not %v", x, Float(got), got)
		}
	})
}

// TestFormatLikeJSON checks that Format writes the rounded number as
// encoding/json does, so that a CSV and a JSON output agree.
func TestFormatLikeJSON(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		x := numbers().Draw(t, "x")
		b, err := json.Marshal(exact(x))
		if err != nil {
			t.Skip()
		}
		if got := Format(x); got != string(b) {
			t.Fatalf("Format(%v): expected %s got %s", x, b, got)
		}
	})
}

func BenchmarkFloat(b *testing.B) {
	xs := make([]float64, 1024)
	for i := range xs {
		xs[i] = float64(i*7919%1000) / 997 * 0.3
	}
	b.ReportAllocs()
	s := 0.0
	for i := 0; b.Loop(); i++ {
		s += Float(xs[i%len(xs)])
	}
	_ = s
}
