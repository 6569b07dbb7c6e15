package simulate

import (
	"context"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"pgregory.net/rapid"

	"parley/analysis"
)

func TestComputeReference(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		p := drawProblem(t)
		got, err := ComputeReference(context.Background(), p)
		if err != nil {
			t.Fatal(err)
		}
		want := bruteReference(p)
		sortVecs := cmpopts.SortSlices(func(a, b []float64) bool { return slices.Compare(a, b) < 0 })
		if diff := cmp.Diff(want.Frontier, got.Frontier, sortVecs, cmpopts.EquateApprox(0, 1e-9), cmpopts.EquateEmpty()); diff != "" {
			t.Fatalf("frontier (-brute force +got):\n%s", diff)
		}
		if (want.Nash == nil) != (got.Nash == nil) {
			t.Fatalf("Nash point %v, brute force %v", got.Nash, want.Nash)
		}
		if want.Nash != nil {
			prod := func(u []float64) float64 {
				x := 1.0
				for k := range u {
					x *= u[k] - p.Reservation[k]
				}
				return x
			}
			if math.Abs(prod(want.Nash)-prod(got.Nash)) > 1e-9 {
				t.Fatalf("Nash point %v (product %v), brute force %v (product %v)", got.Nash, prod(got.Nash), want.Nash, prod(want.Nash))
			}
		}
	})
}

// TestComputeReferenceApproximate checks that a reference whose frontier
// the analysis engine had to approximate says so.
func TestComputeReferenceApproximate(t *testing.T) {
	small, err := ComputeReference(context.Background(), genProblem(rand.New(rand.NewPCG(1, 1)), 3, []int{4, 4, 4}))
	if err != nil {
		t.Fatal(err)
	}
	if small.Epsilon != 0 {
		t.Errorf("small problem: epsilon %v, want an exact frontier", small.Epsilon)
	}
	// Four parties, 6^12 packages: the frontier has thousands of points.
	opts := make([]int, 12)
	for i := range opts {
		opts[i] = 6
	}
	big, err := ComputeReference(context.Background(), genProblem(rand.New(rand.NewPCG(1, 1)), 4, opts))
	if err != nil {
		t.Fatal(err)
	}
	if big.Epsilon != analysis.DefaultEpsilon || len(big.Frontier) == 0 {
		t.Errorf("large problem: epsilon %v with %d frontier points, want %v", big.Epsilon, len(big.Frontier), analysis.DefaultEpsilon)
	}
}

func TestMeasure(t *testing.T) {
	d := mustDomain(t, opposedProblem(1, 2), nil)
	d.Reference = &Reference{Frontier: [][]float64{{1, 0}, {0.5, 0.5}, {0, 1}}, Nash: []float64{0.5, 0.5}}
	tests := []struct {
		utilities []float64
		want      Metrics
	}{
		{[]float64{0.5, 0.5}, Metrics{Welfare: 1, ParetoDistance: 0, NashDistance: 0}},
		{[]float64{0, 0}, Metrics{Welfare: 0, ParetoDistance: math.Sqrt(0.5), NashDistance: math.Sqrt(0.5)}},
		{[]float64{0.9, 0}, Metrics{Welfare: 0.9, ParetoDistance: 0.1, NashDistance: math.Sqrt(0.16 + 0.25)}},
	}
	for _, tt := range tests {
		got := d.Measure(&Result{Utilities: tt.utilities})
		if diff := cmp.Diff(tt.want, got, cmpopts.EquateApprox(0, 1e-12)); diff != "" {
			t.Errorf("%v (-want +got):\n%s", tt.utilities, diff)
		}
	}
	d.Reference = nil
	got := d.Measure(&Result{Utilities: []float64{0.25, 0.5}})
	if got.Welfare != 0.75 || !math.IsNaN(got.ParetoDistance) || !math.IsNaN(got.NashDistance) {
		t.Errorf("without reference: %+v, want welfare 0.75 and NaN distances", got)
	}
}

func TestSummarise(t *testing.T) {
	nan := math.NaN()
	tests := []struct {
		xs   []float64
		want Stat
	}{
		{nil, Stat{0, nan, nan, nan, nan}},
		{[]float64{nan}, Stat{0, nan, nan, nan, nan}},
		{[]float64{3}, Stat{1, 3, nan, nan, nan}},
		{[]float64{1, 2, 3, 4, nan}, Stat{4, 2.5, math.Sqrt(5.0 / 3), 2.5 - 3.182446305284263*math.Sqrt(5.0/3)/2, 2.5 + 3.182446305284263*math.Sqrt(5.0/3)/2}},
		{[]float64{2, 2, 2}, Stat{3, 2, 0, 2, 2}},
	}
	for _, tt := range tests {
		got := Summarise(tt.xs)
		if diff := cmp.Diff(tt.want, got, cmpopts.EquateApprox(0, 1e-9), cmpopts.EquateNaNs()); diff != "" {
			t.Errorf("Summarise(%v) (-want +got):\n%s", tt.xs, diff)
		}
	}
}

func TestStudentT(t *testing.T) {
	// Quantiles from the published tables of Student's t.
	tests := []struct {
		df   int
		want float64
	}{
		{1, 12.7062}, {2, 4.3027}, {5, 2.5706}, {9, 2.2622}, {30, 2.0423}, {120, 1.9799}, {100000, 1.9600},
	}
	for _, tt := range tests {
		if got := studentT975(tt.df); math.Abs(got-tt.want) > 5e-4 {
			t.Errorf("t(0.975, %d) = %.5f, want %.4f", tt.df, got, tt.want)
		}
	}
}

func TestStatJSON(t *testing.T) {
	b, err := Summarise([]float64{1}).MarshalJSON()
	if err != nil {
		t.Fatal(err)
	}
	if want := `{"n":1,"mean":1,"sd":null,"ci95_lo":null,"ci95_hi":null}`; string(b) != want {
		t.Errorf("got %s, want %s", b, want)
	}
}
