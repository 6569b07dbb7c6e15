package genius

import (
	"context"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"parley/analysis"
)

// sharedData holds the GENIUS and GeniusWeb domains of the ANAC
// competitions, read in place.
const sharedData = "../../shared/data"

// sharedDomains returns the shared domain folders, or skips the test.
func sharedDomains(t testing.TB) []string {
	t.Helper()
	var dirs []string
	for _, f := range []string{"genius", "geniusweb"} {
		ds, _ := filepath.Glob(filepath.Join(sharedData, f, "*"))
		dirs = append(dirs, ds...)
	}
	if len(dirs) == 0 {
		t.Skipf("no shared domains under %s", sharedData)
	}
	return dirs
}

// The brute force below reads the files with encoding/xml and
// encoding/json into plain structs, computes every package's utilities the
// simplest way, and knows nothing of the package under test.

type bruteItem struct {
	Value string   `xml:"value,attr"`
	Eval  *float64 `xml:"evaluation,attr"`
}

type bruteIssue struct {
	Name  string      `xml:"name,attr"`
	Index int         `xml:"index,attr"`
	Type  string      `xml:"type,attr"`
	Items []bruteItem `xml:"item"`
}

type bruteWeight struct {
	Index int     `xml:"index,attr"`
	Value float64 `xml:"value,attr"`
}

type bruteObjective struct {
	Issues  []bruteIssue  `xml:"issue"`
	Weights []bruteWeight `xml:"weight"`
}

type bruteXML struct {
	XMLName      xml.Name
	Objective    bruteObjective `xml:"objective"`
	UtilitySpace *bruteXML      `xml:"utility_space"`
	Reservation  *struct {
		V float64 `xml:"value,attr"`
	} `xml:"reservation"`
}

type bruteGW struct {
	Name         string                               `json:"name"`
	IssuesValues map[string]struct{ Values []string } `json:"issuesValues"`
	LAS          *struct {
		Name           string `json:"name"`
		IssueUtilities map[string]struct {
			Discrete struct {
				ValueUtilities map[string]float64 `json:"valueUtilities"`
			} `json:"discreteutils"`
		} `json:"issueUtilities"`
		IssueWeights   map[string]float64 `json:"issueWeights"`
		ReservationBid *struct {
			IssueValues map[string]string `json:"issuevalues"`
		} `json:"reservationBid"`
	} `json:"LinearAdditiveUtilitySpace"`
}

// bruteSpace is every package's utility vector and each party's
// reservation value.
type bruteSpace struct {
	vectors     [][]float64
	byPackage   map[string][]float64 // keyed by pairKey
	reservation []float64
}

// pairKey names a package by its sorted issue=value pairs.
func pairKey(issues, values []string) string {
	pairs := make([]string, len(issues))
	for i := range issues {
		pairs[i] = issues[i] + "=" + values[i]
	}
	sort.Strings(pairs)
	return strings.Join(pairs, "\x00")
}

// problemPackages keys a problem's package utilities like pairKey.
func problemPackages(p *analysis.Problem) map[string][]float64 {
	m := map[string][]float64{}
	eachPackage(p, func(pkg analysis.Package) {
		var is, vs []string
		for i, o := range pkg {
			is = append(is, p.Issues[i].Points...)
			vs = append(vs, p.Issues[i].Options[o].Choices...)
		}
		m[pairKey(is, vs)] = p.Utilities(pkg)
	})
	return m
}

// bruteLoad reads a shared domain folder (discrete issues only).
func bruteLoad(t *testing.T, dir string) *bruteSpace {
	t.Helper()
	files, _ := filepath.Glob(filepath.Join(dir, "*"))
	sort.Strings(files)
	var values [][]string
	var issueNames []string
	// utility[k] maps a package (value per issue) to party k's utility.
	var utility []func(pkg []string) float64
	var reservation []float64
	if strings.HasSuffix(files[0], ".json") {
		var prof []bruteGW
		var names []string
		for _, f := range files {
			var g bruteGW
			data, _ := os.ReadFile(f)
			if err := json.Unmarshal(data, &g); err != nil {
				t.Fatal(err)
			}
			if g.LAS != nil {
				prof = append(prof, g)
				continue
			}
			for n := range g.IssuesValues {
				names = append(names, n)
			}
			sort.Strings(names)
			for _, n := range names {
				values = append(values, g.IssuesValues[n].Values)
			}
			issueNames = names
		}
		for _, g := range prof {
			las := g.LAS
			u := func(pkg []string) float64 {
				s := 0.0
				for i, n := range names {
					s += las.IssueWeights[n] * las.IssueUtilities[n].Discrete.ValueUtilities[pkg[i]]
				}
				return s
			}
			utility = append(utility, u)
			r := 0.0
			if las.ReservationBid != nil {
				pkg := make([]string, len(names))
				for i, n := range names {
					pkg[i] = las.ReservationBid.IssueValues[n]
				}
				r = u(pkg)
			}
			reservation = append(reservation, r)
		}
	} else {
		var dom bruteObjective
		var profs []bruteXML
		for _, f := range files {
			var x bruteXML
			data, _ := os.ReadFile(f)
			if err := xml.Unmarshal(data, &x); err != nil {
				t.Fatal(err)
			}
			if x.XMLName.Local == "negotiation_template" {
				dom = x.UtilitySpace.Objective
			} else {
				profs = append(profs, x)
			}
		}
		for _, is := range dom.Issues {
			if is.Type != "discrete" {
				t.Fatalf("%s: the brute force reads discrete issues only", dir)
			}
			var vs []string
			for _, it := range is.Items {
				vs = append(vs, it.Value)
			}
			values = append(values, vs)
			issueNames = append(issueNames, is.Name)
		}
		for _, x := range profs {
			type issueEval struct {
				w    float64
				eval map[string]float64
			}
			evals := make([]issueEval, len(dom.Issues))
			for i, dis := range dom.Issues {
				for _, is := range x.Objective.Issues {
					if is.Index != dis.Index {
						continue
					}
					m := 0.0
					for _, it := range is.Items {
						m = math.Max(m, *it.Eval)
					}
					evals[i].eval = map[string]float64{}
					for _, it := range is.Items {
						evals[i].eval[it.Value] = *it.Eval / m
					}
				}
				for _, w := range x.Objective.Weights {
					if w.Index == dis.Index {
						evals[i].w = w.Value
					}
				}
			}
			utility = append(utility, func(pkg []string) float64 {
				s := 0.0
				for i := range pkg {
					s += evals[i].w * evals[i].eval[pkg[i]]
				}
				return math.Min(s, 1) // GENIUS caps utilities at 1
			})
			r := 0.0
			if x.Reservation != nil {
				r = x.Reservation.V
			}
			reservation = append(reservation, r)
		}
	}
	b := &bruteSpace{reservation: reservation, byPackage: map[string][]float64{}}
	idx := make([]int, len(values))
	for {
		pkg := make([]string, len(values))
		for i, j := range idx {
			pkg[i] = values[i][j]
		}
		u := make([]float64, len(utility))
		for k, f := range utility {
			u[k] = f(pkg)
		}
		b.vectors = append(b.vectors, u)
		b.byPackage[pairKey(issueNames, pkg)] = u
		i := len(idx) - 1
		for ; i >= 0; i-- {
			idx[i]++
			if idx[i] < len(values[i]) {
				break
			}
			idx[i] = 0
		}
		if i < 0 {
			return b
		}
	}
}

// bruteVectors lists a problem's package utility vectors by enumeration.
func bruteVectors(p *analysis.Problem) [][]float64 {
	var vs [][]float64
	eachPackage(p, func(pkg analysis.Package) {
		if p.Acceptable(pkg) {
			vs = append(vs, p.Utilities(pkg))
		}
	})
	return vs
}

const tiny = 1e-12

// dominates reports whether w is at least as good as v for everyone and
// better for someone, beyond rounding.
func dominates(w, v []float64) bool {
	gt := false
	for k := range v {
		if w[k] < v[k]-tiny {
			return false
		}
		if w[k] > v[k]+tiny {
			gt = true
		}
	}
	return gt
}

// paretoVectors returns the vectors no other vector dominates. Vectors are
// taken by decreasing sum, so that a vector's dominators usually come
// first; a last pass over the survivors catches the others.
func paretoVectors(vs [][]float64) [][]float64 {
	order := make([]int, len(vs))
	sums := make([]float64, len(vs))
	for i, v := range vs {
		order[i] = i
		for _, x := range v {
			sums[i] += x
		}
	}
	sort.Slice(order, func(a, b int) bool { return sums[order[a]] > sums[order[b]] })
	var kept [][]float64
	for _, i := range order {
		dominated := false
		for _, w := range kept {
			if dominates(w, vs[i]) {
				dominated = true
				break
			}
		}
		if !dominated {
			kept = append(kept, vs[i])
		}
	}
	var f [][]float64
	for i, v := range kept {
		dominated := false
		for j, w := range kept {
			if i != j && dominates(w, v) {
				dominated = true
				break
			}
		}
		if !dominated {
			f = append(f, v)
		}
	}
	return f
}

func near(a, b []float64, eps float64) bool {
	for k := range a {
		if math.Abs(a[k]-b[k]) > eps {
			return false
		}
	}
	return true
}

// sameSet reports whether every vector of a is near one of b and the
// other way round.
func sameSet(a, b [][]float64, eps float64) error {
	for _, x := range [2][2][][]float64{{a, b}, {b, a}} {
		for _, v := range x[0] {
			found := false
			for _, w := range x[1] {
				if near(v, w, eps) {
					found = true
					break
				}
			}
			if !found {
				return fmt.Errorf("%v is in one set (%d vectors) and not in the other (%d vectors)", v, len(x[0]), len(x[1]))
			}
		}
	}
	return nil
}

// bruteSolution checks a solution against the best objective value over
// all vectors.
func bruteSolution(name string, vs [][]float64, d []float64, got *analysis.Outcome) error {
	admissible := func(u []float64) bool {
		for k := range u {
			if u[k] < d[k]-tiny {
				return false
			}
		}
		return true
	}
	ideal := make([]float64, len(d))
	for k := range ideal {
		ideal[k] = math.Inf(-1)
	}
	for _, u := range vs {
		if admissible(u) {
			for k := range u {
				ideal[k] = math.Max(ideal[k], u[k])
			}
		}
	}
	obj := func(u []float64) (float64, bool) {
		if !admissible(u) {
			return 0, false
		}
		switch name {
		case "nash":
			v := 1.0
			for k := range u {
				if u[k]-d[k] <= tiny {
					return 0, false
				}
				v *= u[k] - d[k]
			}
			return v, true
		case "kalai_smorodinsky":
			v := math.Inf(1)
			for k := range u {
				if ideal[k]-d[k] > tiny {
					v = math.Min(v, (u[k]-d[k])/(ideal[k]-d[k]))
				}
			}
			if math.IsInf(v, 1) {
				v = 0
			}
			return v, true
		case "maximin":
			v := math.Inf(1)
			for k := range u {
				v = math.Min(v, u[k]-d[k])
			}
			return v, true
		}
		s := 0.0
		for _, x := range u {
			s += x
		}
		return s, true
	}
	best, found := math.Inf(-1), false
	for _, u := range vs {
		if v, ok := obj(u); ok && v > best {
			best, found = v, true
		}
	}
	switch {
	case !found && got == nil:
		return nil
	case !found:
		return fmt.Errorf("%s: got %v, want none", name, got.Utilities)
	case got == nil:
		return fmt.Errorf("%s: got none, want objective %v", name, best)
	}
	v, ok := obj(got.Utilities)
	if !ok || math.Abs(v-best) > 1e-9*math.Max(1, math.Abs(best)) {
		return fmt.Errorf("%s: %v has objective %v (admissible %v), best is %v", name, got.Utilities, v, ok, best)
	}
	for _, u := range vs {
		if near(u, got.Utilities, 1e-9) {
			return nil
		}
	}
	return fmt.Errorf("%s: %v is no package's utilities", name, got.Utilities)
}

// checkEngine compares the engine's frontier and solutions with brute
// force over the given vectors, for the reservation values and for zero.
func checkEngine(t *testing.T, p *analysis.Problem, vs [][]float64) {
	t.Helper()
	ctx := context.Background()
	f, err := analysis.Frontier(ctx, p, analysis.FrontierOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if f.Epsilon != 0 {
		t.Fatalf("frontier is approximate (ε=%v)", f.Epsilon)
	}
	var got [][]float64
	for _, o := range f.Outcomes {
		got = append(got, o.Utilities)
	}
	if err := sameSet(paretoVectors(vs), got, 1e-9); err != nil {
		t.Errorf("frontier: %v", err)
	}
	for _, d := range [][]float64{p.Reservation, make([]float64, len(p.Parties))} {
		sol, err := analysis.Solve(ctx, p, d)
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range []struct {
			name string
			o    *analysis.Outcome
		}{{"nash", sol.Nash}, {"kalai_smorodinsky", sol.KalaiSmorodinsky}, {"maximin", sol.Maximin}, {"utilitarian", sol.Utilitarian}} {
			if err := bruteSolution(s.name, vs, d, s.o); err != nil {
				t.Errorf("disagreement %v: %v", d, err)
			}
		}
	}
}

// TestSharedDomainsAgainstBruteForce reads every shared domain both ways
// and compares the engine's frontier and solutions with an enumeration of
// every package.
func TestSharedDomainsAgainstBruteForce(t *testing.T) {
	for _, dir := range sharedDomains(t) {
		t.Run(filepath.Base(dir), func(t *testing.T) {
			b := bruteLoad(t, dir)
			d, err := Load([]string{dir}, Options{})
			if err != nil {
				t.Fatal(err)
			}
			if !near(b.reservation, d.Problem.Reservation, 1e-12) {
				t.Errorf("reservation = %v, want %v", d.Problem.Reservation, b.reservation)
			}
			got := problemPackages(d.Problem)
			if len(got) != len(b.byPackage) {
				t.Errorf("%d packages, want %d", len(got), len(b.byPackage))
			}
			for k, u := range b.byPackage {
				if g, ok := got[k]; !ok || !near(g, u, 1e-12) {
					t.Errorf("package %q: utilities %v, want %v", k, g, u)
					break
				}
			}
			checkEngine(t, d.Problem, b.vectors)
		})
	}
}

// TestFixturesAgainstBruteForce runs the engine check on the hand-checked
// fixtures, integer, real and nonlinear issues included.
func TestFixturesAgainstBruteForce(t *testing.T) {
	for _, dir := range []string{"small", "numeric", "nonlinear", "trip"} {
		t.Run(dir, func(t *testing.T) {
			d, err := Load([]string{filepath.Join("testdata", dir)}, Options{})
			if err != nil {
				t.Fatal(err)
			}
			checkEngine(t, d.Problem, bruteVectors(d.Problem))
		})
	}
}
