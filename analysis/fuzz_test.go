package analysis

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"parley/scenario"
)

// FuzzAnalyzeScenario feeds scenario files that load cleanly to the whole
// analysis: whatever the file says, the engine must not panic, and what it
// reports must hold together.
func FuzzAnalyzeScenario(f *testing.F) {
	// The default scenario is too large a seed for the fuzzer to minimise
	// quickly; the format example and the command fixtures are small.
	files, _ := filepath.Glob("../scenario/testdata/*.yaml")
	more, _ := filepath.Glob("../cmd/parley/testdata/*/*.yaml")
	for _, name := range append(files, more...) {
		if data, err := os.ReadFile(name); err == nil {
			f.Add(data)
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := scenario.Load("fuzz.yaml", data)
		if err != nil {
			return
		}
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		for _, v := range s.Versions {
			rep, err := AnalyzeScenario(ctx, s, v.ID, Options{MaxRelaxations: 3})
			if err != nil {
				continue
			}
			n := len(rep.Parties)
			for _, o := range rep.Pareto {
				if len(o.Utilities) != n {
					t.Fatalf("version %s: frontier vector %v for %d parties", v.ID, o.Utilities, n)
				}
			}
			if rep.ZoneOfAgreement && (rep.Solutions.Maximin == nil || !rep.Feasible) {
				t.Fatalf("version %s: zone of agreement without a maximin package", v.ID)
			}
			if !rep.Feasible && len(rep.Conflicts) == 0 {
				t.Fatalf("version %s: infeasible without a conflict", v.ID)
			}
			// The text analysis holds together too.
			if sc := rep.Scorecard; sc != nil && sc.Package != nil {
				if len(sc.Package.Utilities) != n || len(sc.Package.NotCountedUtilities) != len(rep.NotCounted) {
					t.Fatalf("version %s: scorecard package %+v for %d parties and %d not counted", v.ID, sc.Package, n, len(rep.NotCounted))
				}
				if *sc.ParetoEfficient != (len(sc.DominatedBy) == 0) && sc.Epsilon == 0 {
					t.Fatalf("version %s: Pareto-efficient %v with %d dominating packages", v.ID, *sc.ParetoEfficient, len(sc.DominatedBy))
				}
			}
			for _, c := range rep.Concessions {
				for _, pc := range c.Parties {
					if pc.Cost < -1e-9 || pc.Utility > pc.Ideal+1e-9 {
						t.Fatalf("version %s: %s concedes %v (ideal %v, utility %v)", v.ID, pc.Party, pc.Cost, pc.Ideal, pc.Utility)
					}
				}
			}
		}
	})
}
