// Package testkit is parley's one brute-force checker and one set of random
// generators for tests. Its cases are plain numbers (no type of the engine),
// and its oracle enumerates every package and compares every pair, sharing
// no helper (dominance, equality, sums) with the code it checks.
package testkit

import (
	"fmt"
	"math"
	"slices"

	"pgregory.net/rapid"
)

// Tol is the tolerance of the oracle's comparisons.
const Tol = 1e-9

// Case is a small negotiation in numbers: issues with options, each with a
// utility per party, and constraints (red lines) that block options.
type Case struct {
	Parties     int
	Reservation []float64
	// Utility[i][o][k] is party k's utility of option o of issue i.
	Utility [][][]float64
	// Blockers[i][o] are the constraints that block option o of issue i;
	// every constraint blocks options of one issue only.
	Blockers [][][]int
	// Holder[c] is the party that holds constraint c.
	Holder []int
}

// Spec bounds the cases Draw makes.
type Spec struct {
	MinParties, MaxParties int
	MaxIssues, MaxOptions  int
	// MaxPackages bounds the number of packages (default 4096), so that
	// the oracle stays quick.
	MaxPackages int
	// RedLines is the chance, in tenths, that an option is a red line of
	// a random party (0: none).
	RedLines int
}

// Draw makes a random case. Utilities come from a coarse grid (quarters,
// twentieths or thousandths, divided by the number of issues) so that the
// ties where dominance code goes wrong are common.
func Draw(t *rapid.T, spec Spec) *Case {
	if spec.MinParties < 1 {
		spec.MinParties = 1
	}
	if spec.MaxPackages == 0 {
		spec.MaxPackages = 4096
	}
	c := &Case{Parties: rapid.IntRange(spec.MinParties, spec.MaxParties).Draw(t, "parties")}
	m := rapid.IntRange(1, spec.MaxIssues).Draw(t, "issues")
	grid := rapid.SampledFrom([]int{4, 20, 1000}).Draw(t, "grid")
	for range c.Parties {
		c.Reservation = append(c.Reservation, float64(rapid.IntRange(0, grid).Draw(t, "reservation"))/float64(grid)*0.6)
	}
	packages := 1
	for i := range m {
		most := min(spec.MaxOptions, spec.MaxPackages/packages)
		if most < 1 {
			break
		}
		k := rapid.IntRange(1, most).Draw(t, "options")
		packages *= k
		c.Utility = append(c.Utility, make([][]float64, k))
		c.Blockers = append(c.Blockers, make([][]int, k))
		for o := range k {
			for range c.Parties {
				u := float64(rapid.IntRange(0, grid).Draw(t, "utility")) / float64(grid) / float64(m)
				c.Utility[i][o] = append(c.Utility[i][o], u)
			}
			if spec.RedLines > 0 && rapid.IntRange(0, 9).Draw(t, "red line") < spec.RedLines {
				c.Holder = append(c.Holder, rapid.IntRange(0, c.Parties-1).Draw(t, "holder"))
				c.Blockers[i][o] = append(c.Blockers[i][o], len(c.Holder)-1)
			}
		}
	}
	return c
}

// Packages returns every package: one option index per issue.
func (c *Case) Packages() [][]int {
	out := [][]int{{}}
	for i := range c.Utility {
		var next [][]int
		for _, pre := range out {
			for o := range c.Utility[i] {
				next = append(next, append(slices.Clone(pre), o))
			}
		}
		out = next
	}
	return out
}

// Utilities returns each party's utility of a package.
func (c *Case) Utilities(pkg []int) []float64 {
	u := make([]float64, c.Parties)
	for i, o := range pkg {
		for k := range u {
			u[k] += c.Utility[i][o][k]
		}
	}
	return u
}

// Allowed reports whether every constraint that blocks the package is
// lifted (lifted may be nil: nothing lifted).
func (c *Case) Allowed(pkg []int, lifted map[int]bool) bool {
	for i, o := range pkg {
		for _, b := range c.Blockers[i][o] {
			if !lifted[b] {
				return false
			}
		}
	}
	return true
}

// Vectors returns the utilities of the packages allowed with the
// constraints lifted.
func (c *Case) Vectors(lifted map[int]bool) [][]float64 {
	var out [][]float64
	for _, pkg := range c.Packages() {
		if c.Allowed(pkg, lifted) {
			out = append(out, c.Utilities(pkg))
		}
	}
	return out
}

// Frontier is the Pareto frontier of the vectors, one per group of equal
// ones, by comparing every pair.
func Frontier(vs [][]float64) [][]float64 {
	var out [][]float64
	for i, a := range vs {
		keep := true
		for j, b := range vs {
			if i == j {
				continue
			}
			ge, gt, same := true, false, true
			for k := range a {
				if b[k] < a[k]-Tol {
					ge = false
				}
				if b[k] > a[k]+Tol {
					gt = true
				}
				if math.Abs(b[k]-a[k]) > Tol {
					same = false
				}
			}
			if (ge && gt) || (same && j < i) {
				keep = false
				break
			}
		}
		if keep {
			out = append(out, a)
		}
	}
	return out
}

// SameSet reports, as an error, whether two sets of vectors differ (up to
// Tol, as multisets).
func SameSet(got, want [][]float64) error {
	if len(got) != len(want) {
		return fmt.Errorf("%d vectors, want %d", len(got), len(want))
	}
	used := make([]bool, len(want))
next:
	for _, g := range got {
		for j, w := range want {
			if !used[j] && within(g, w, Tol) {
				used[j] = true
				continue next
			}
		}
		return fmt.Errorf("vector %v is not among %v", g, want)
	}
	return nil
}

// Covers reports, as an error, whether some vector of want has no vector of
// got at most eps worse for every party.
func Covers(got, want [][]float64, eps float64) error {
	for _, w := range want {
		ok := false
		for _, g := range got {
			all := true
			for k := range w {
				if g[k] < w[k]-eps-Tol {
					all = false
					break
				}
			}
			if all {
				ok = true
				break
			}
		}
		if !ok {
			return fmt.Errorf("vector %v has nothing within ε=%v", w, eps)
		}
	}
	return nil
}

func within(a, b []float64, eps float64) bool {
	for k := range a {
		if math.Abs(a[k]-b[k]) > eps {
			return false
		}
	}
	return true
}

// Objective is a bargaining objective: its value at a vector, and whether
// the vector is admissible.
type Objective func(u []float64) (float64, bool)

// Nash is the product of the gains over d, admissible when every party
// gains more than Tol.
func Nash(d []float64) Objective {
	return func(u []float64) (float64, bool) {
		v := 1.0
		for k := range u {
			g := u[k] - d[k]
			if g <= Tol {
				return 0, false
			}
			v *= g
		}
		return v, true
	}
}

// Maximin is the smallest gain over d, admissible when no party loses.
func Maximin(d []float64) Objective {
	return func(u []float64) (float64, bool) {
		v := math.Inf(1)
		for k := range u {
			g := u[k] - d[k]
			if g < -Tol {
				return 0, false
			}
			v = math.Min(v, g)
		}
		return v, true
	}
}

// Utilitarian is the sum of utilities, admissible when no party loses.
func Utilitarian(d []float64) Objective {
	return func(u []float64) (float64, bool) {
		v := 0.0
		for k := range u {
			if u[k] < d[k]-Tol {
				return 0, false
			}
			v += u[k]
		}
		return v, true
	}
}

// Ideal is party k's utility, admissible when no party loses.
func Ideal(d []float64, k int) Objective {
	return func(u []float64) (float64, bool) {
		for q := range u {
			if u[q] < d[q]-Tol {
				return 0, false
			}
		}
		return u[k], true
	}
}

// KalaiSmorodinsky is the smallest gain relative to the ideal gain, over
// the parties that can gain, admissible when no party loses.
func KalaiSmorodinsky(d, ideal []float64) Objective {
	return func(u []float64) (float64, bool) {
		v := math.Inf(1)
		for k := range u {
			g := u[k] - d[k]
			if g < -Tol {
				return 0, false
			}
			if r := ideal[k] - d[k]; r > Tol {
				v = math.Min(v, g/r)
			}
		}
		if math.IsInf(v, 1) {
			v = 0
		}
		return v, true
	}
}

// Best returns the best value of f over the vectors, whether any is
// admissible, and the largest sum of utilities among the vectors whose
// value ties with the best (within relTol of it): the tie-break the engine
// documents.
func Best(vs [][]float64, f Objective, relTol float64) (best float64, found bool, tieSum float64) {
	best = math.Inf(-1)
	for _, u := range vs {
		if v, ok := f(u); ok && v > best {
			best, found = v, true
		}
	}
	tieSum = math.Inf(-1)
	for _, u := range vs {
		if v, ok := f(u); ok && v >= best-relTol {
			s := 0.0
			for _, x := range u {
				s += x
			}
			tieSum = math.Max(tieSum, s)
		}
	}
	return best, found, tieSum
}

// Opens reports whether, with the constraints lifted, some allowed package
// gives every party at least d.
func (c *Case) Opens(d []float64, lifted map[int]bool) bool {
	for _, u := range c.Vectors(lifted) {
		ok := true
		for k := range u {
			if u[k] < d[k]-Tol {
				ok = false
				break
			}
		}
		if ok {
			return true
		}
	}
	return false
}

// Relaxations returns the size of the smallest sets of constraints whose
// lifting opens a zone of agreement (0 when one is open, -1 when none
// does) and every such set, each sorted, by trying every subset. It gives
// up (ok false) past maxConstraints constraints.
func (c *Case) Relaxations(d []float64, maxConstraints int) (size int, sets [][]int, ok bool) {
	n := len(c.Holder)
	if n > maxConstraints {
		return 0, nil, false
	}
	for s := 0; s <= n; s++ {
		for mask := 0; mask < 1<<n; mask++ {
			if popcount(mask) != s {
				continue
			}
			lifted := make(map[int]bool)
			var set []int
			for b := range n {
				if mask&(1<<b) != 0 {
					lifted[b] = true
					set = append(set, b)
				}
			}
			if c.Opens(d, lifted) {
				sets = append(sets, set)
			}
		}
		if len(sets) > 0 {
			return s, sets, true
		}
	}
	return -1, nil, true
}

func popcount(x int) int {
	n := 0
	for ; x != 0; x &= x - 1 {
		n++
	}
	return n
}
