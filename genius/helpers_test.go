package genius

import (
	"fmt"
	"math"
	"os"
	"sort"
	"strconv"
	"strings"
	"testing"

	"parley/analysis"
)

func itoa(i int) string { return strconv.Itoa(i) }

func writeFile(t testing.TB, path, data string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
}

// eachPackage calls f with every package of p.
func eachPackage(p *analysis.Problem, f func(analysis.Package)) {
	pkg := make(analysis.Package, len(p.Issues))
	for {
		f(pkg)
		i := len(pkg) - 1
		for ; i >= 0; i-- {
			pkg[i]++
			if pkg[i] < len(p.Issues[i].Options) {
				break
			}
			pkg[i] = 0
		}
		if i < 0 {
			return
		}
	}
}

// packageUtilities maps each package, named by its choices whatever the
// issue structure (issue labels are compared by position in the choice
// list, so that point ids and issue names may differ), to its utilities.
func packageUtilities(p *analysis.Problem) map[string][]float64 {
	m := map[string][]float64{}
	eachPackage(p, func(pkg analysis.Package) {
		var cs []string
		for i, o := range pkg {
			cs = append(cs, p.Issues[i].Options[o].Choices...)
		}
		m[strings.Join(cs, "\x00")] = p.Utilities(pkg)
	})
	return m
}

// samePackages reports how two problems differ in their packages'
// utilities or their reservation values.
func samePackages(a, b *analysis.Problem) error {
	if len(a.Parties) != len(b.Parties) {
		return fmt.Errorf("%d parties and %d", len(a.Parties), len(b.Parties))
	}
	for k := range a.Reservation {
		if math.Abs(a.Reservation[k]-b.Reservation[k]) > 1e-12 {
			return fmt.Errorf("reservation of %s: %v and %v", a.Parties[k], a.Reservation[k], b.Reservation[k])
		}
	}
	ma, mb := packageUtilities(a), packageUtilities(b)
	if len(ma) != len(mb) {
		return fmt.Errorf("%d packages and %d", len(ma), len(mb))
	}
	keys := make([]string, 0, len(ma))
	for k := range ma {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		ub, ok := mb[k]
		if !ok {
			return fmt.Errorf("package %q only in the first", k)
		}
		for i := range ma[k] {
			if math.Abs(ma[k][i]-ub[i]) > 1e-12 {
				return fmt.Errorf("package %q: utilities %v and %v", k, ma[k], ub)
			}
		}
	}
	return nil
}
