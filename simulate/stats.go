package simulate

import (
	"encoding/json"
	"math"

	"parley/round"
)

// Stat summarises a sample: its size, mean, standard deviation (with n−1)
// and the 95% confidence interval of the mean by Student's t. Undefined
// values (the mean of nothing, the spread of one value) are NaN, written
// as null in JSON.
type Stat struct {
	N    int
	Mean float64
	SD   float64
	Lo   float64
	Hi   float64
}

// Summarise returns the Stat of xs, ignoring NaNs.
func Summarise(xs []float64) Stat {
	s := Stat{Mean: math.NaN(), SD: math.NaN(), Lo: math.NaN(), Hi: math.NaN()}
	sum := 0.0
	for _, x := range xs {
		if !math.IsNaN(x) {
			s.N++
			sum += x
		}
	}
	if s.N == 0 {
		return s
	}
	s.Mean = sum / float64(s.N)
	if s.N < 2 {
		return s
	}
	ss := 0.0
	for _, x := range xs {
		if !math.IsNaN(x) {
			ss += (x - s.Mean) * (x - s.Mean)
		}
	}
	s.SD = math.Sqrt(ss / float64(s.N-1))
	h := studentT975(s.N-1) * s.SD / math.Sqrt(float64(s.N))
	s.Lo, s.Hi = s.Mean-h, s.Mean+h
	return s
}

// MarshalJSON writes the Stat with nulls for undefined values, its
// figures rounded by round.Float.
func (s Stat) MarshalJSON() ([]byte, error) {
	num := func(x float64) *float64 {
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return nil
		}
		x = round.Float(x)
		return &x
	}
	return json.Marshal(struct {
		N    int      `json:"n"`
		Mean *float64 `json:"mean"`
		SD   *float64 `json:"sd"`
		Lo   *float64 `json:"ci95_lo"`
		Hi   *float64 `json:"ci95_hi"`
	}{s.N, num(s.Mean), num(s.SD), num(s.Lo), num(s.Hi)})
}

// studentT975 returns the 97.5% quantile of Student's t distribution with
// df degrees of freedom, found by bisection on its distribution function.
func studentT975(df int) float64 {
	v := float64(df)
	// P(T ≤ x) = 1 − I_{v/(v+x²)}(v/2, 1/2)/2 for x ≥ 0.
	cdf := func(x float64) float64 { return 1 - 0.5*incBeta(v/2, 0.5, v/(v+x*x)) }
	lo, hi := 0.0, 1000.0
	for range 200 {
		mid := (lo + hi) / 2
		if cdf(mid) < 0.975 {
			lo = mid
		} else {
			hi = mid
		}
	}
	return (lo + hi) / 2
}

// incBeta is the regularised incomplete beta function I_x(a, b), by its
// continued fraction (Lentz's method).
func incBeta(a, b, x float64) float64 {
	if x <= 0 {
		return 0
	}
	if x >= 1 {
		return 1
	}
	la, _ := math.Lgamma(a)
	lb, _ := math.Lgamma(b)
	lab, _ := math.Lgamma(a + b)
	front := math.Exp(lab - la - lb + a*math.Log(x) + b*math.Log(1-x))
	if x > (a+1)/(a+b+2) {
		return 1 - incBeta(b, a, 1-x)
	}
	const tiny = 1e-300
	f, c, d := 1.0, 1.0, 0.0
	for i := 0; i <= 300; i++ {
		m := float64(i / 2)
		var num float64
		switch {
		case i == 0:
			num = 1
		case i%2 == 0:
			num = m * (b - m) * x / ((a + 2*m - 1) * (a + 2*m))
		default:
			num = -(a + m) * (a + b + m) * x / ((a + 2*m) * (a + 2*m + 1))
		}
		d = 1 + num*d
		if math.Abs(d) < tiny {
			d = tiny
		}
		d = 1 / d
		c = 1 + num/c
		if math.Abs(c) < tiny {
			c = tiny
		}
		cd := c * d
		f *= cd
		if math.Abs(1-cd) < 1e-15 {
			break
		}
	}
	return front * (f - 1) / a
}
