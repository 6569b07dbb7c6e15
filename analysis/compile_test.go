package analysis

import (
	"context"
	"fmt"
	"math"
	"strings"
	"testing"

	"parley/internal/testkit"
	"parley/scenario"

	"pgregory.net/rapid"
)

// genScenario draws a small scenario with red lines and linkages.
func genScenario(t *rapid.T) *scenario.Scenario {
	stances := []scenario.Stance{scenario.Support, scenario.Accept, scenario.Reluctant, scenario.Object, scenario.RedLine}
	s := &scenario.Scenario{Parley: 1, ID: "gen", Title: "generated"}
	nParties := rapid.IntRange(1, 3).Draw(t, "parties")
	for k := range nParties {
		role := scenario.RoleParty
		if k == 0 && rapid.Bool().Draw(t, "mediator") {
			role = scenario.RoleMediator
		}
		w := scenario.WeightsNormalized
		if rapid.Bool().Draw(t, "asGiven") {
			w = scenario.WeightsAsGiven
		}
		s.Parties = append(s.Parties, scenario.Party{ID: fmt.Sprintf("p%d", k), Name: "P", Role: role, Reservation: float64(rapid.IntRange(0, 5).Draw(t, "rv")) / 10, Weights: w})
	}
	s.Parties = append(s.Parties, scenario.Party{ID: "obs", Name: "Observer", Role: scenario.RoleObserver})
	v := scenario.Version{ID: "v1", Title: "v1", Blocks: []scenario.Block{{ID: "b", Title: "b"}}}
	nPoints := rapid.IntRange(1, 4).Draw(t, "points")
	for i := range nPoints {
		pt := scenario.Point{ID: fmt.Sprintf("pt%d", i), Number: i + 1, Title: "T"}
		if rapid.IntRange(0, 5).Draw(t, "dropped") == 0 {
			pt.Status = scenario.StatusDropped
		}
		for o := range rapid.IntRange(1, 3).Draw(t, "options") {
			pt.Options = append(pt.Options, scenario.Option{ID: fmt.Sprintf("o%d", o), Text: "x"})
		}
		v.Blocks[0].Points = append(v.Blocks[0].Points, pt)
	}
	s.Versions = []scenario.Version{v}
	for _, party := range s.Parties {
		pos := scenario.Position{Party: party.ID}
		for _, pt := range v.Blocks[0].Points {
			if rapid.IntRange(0, 3).Draw(t, "skip") == 0 {
				continue
			}
			pp := scenario.PointPosition{Point: pt.ID, Weight: float64(rapid.IntRange(1, 5).Draw(t, "weight"))}
			for _, o := range pt.Options {
				os := scenario.OptionStance{Option: o.ID, Stance: rapid.SampledFrom(stances).Draw(t, "stance")}
				if rapid.IntRange(0, 4).Draw(t, "explicit") == 0 {
					u := float64(rapid.IntRange(0, 10).Draw(t, "u")) / 10
					os.Utility = &u
				}
				pp.Options = append(pp.Options, os)
			}
			pos.Points = append(pos.Points, pp)
		}
		if len(pos.Points) > 0 {
			s.Positions = append(s.Positions, pos)
		}
	}
	if nPoints >= 2 {
		for l := range rapid.IntRange(0, 2).Draw(t, "linkages") {
			a := rapid.IntRange(0, nPoints-1).Draw(t, "a")
			b := rapid.IntRange(0, nPoints-1).Draw(t, "b")
			if a == b {
				continue
			}
			pa, pb := v.Blocks[0].Points[a], v.Blocks[0].Points[b]
			holder := rapid.SampledFrom([]string{"all", "p0"}).Draw(t, "holder")
			kind := rapid.SampledFrom([]scenario.LinkageKind{scenario.Requires, scenario.Excludes}).Draw(t, "kind")
			s.Linkages = append(s.Linkages, scenario.Linkage{
				ID: fmt.Sprintf("l%d", l), Holder: holder, Kind: kind,
				If:   scenario.OptionRef{Point: pa.ID, Option: pa.Options[rapid.IntRange(0, len(pa.Options)-1).Draw(t, "io")].ID},
				Then: scenario.OptionRef{Point: pb.ID, Option: pb.Options[rapid.IntRange(0, len(pb.Options)-1).Draw(t, "to")].ID},
			})
		}
	}
	return s
}

// scenarioBrute evaluates every package of the scenario's only version
// straight from the model: the utilities of DESIGN.md and the red lines and
// linkages, with none of the compiler's machinery.
func scenarioBrute(s *scenario.Scenario) (parties []string, utils [][]float64, acceptable []bool) {
	v := &s.Versions[0]
	var points []scenario.Point
	for _, pt := range v.Points() {
		if pt.Status != scenario.StatusDropped {
			points = append(points, *pt)
		}
	}
	for _, party := range s.Parties {
		if !party.Counted() {
			continue // mediators and observers are shown, not counted
		}
		for _, pos := range s.Positions {
			if pos.Party != party.ID {
				continue
			}
			held := false
			for _, pp := range pos.Points {
				for _, pt := range points {
					held = held || pt.ID == pp.Point
				}
			}
			if held {
				parties = append(parties, party.ID)
			}
		}
	}
	var walk func(i int, choice map[string]string)
	walk = func(i int, choice map[string]string) {
		if i < len(points) {
			for _, o := range points[i].Options {
				choice[points[i].ID] = o.ID
				walk(i+1, choice)
			}
			return
		}
		ok := true
		var u []float64
		for _, id := range parties {
			party, _ := s.Party(id)
			num, den := 0.0, 0.0
			for _, pos := range s.Positions {
				if pos.Party != id {
					continue
				}
				for _, pp := range pos.Points {
					o, in := choice[pp.Point]
					if !in {
						continue
					}
					for _, st := range pp.Options {
						if st.Option == o {
							num += pp.Weight * st.Value()
							ok = ok && st.Stance != scenario.RedLine
						}
					}
					den += pp.Weight
				}
			}
			if party.Weights == scenario.WeightsAsGiven {
				den = 1
			}
			u = append(u, num/den)
		}
		for _, lk := range s.Linkages {
			if lk.Holder != "all" && !contains(parties, lk.Holder) {
				continue
			}
			a, inA := choice[lk.If.Point]
			b, inB := choice[lk.Then.Point]
			if !inA || !inB || a != lk.If.Option {
				continue
			}
			if (lk.Kind == scenario.Requires) != (b == lk.Then.Option) {
				ok = false
			}
		}
		utils = append(utils, u)
		acceptable = append(acceptable, ok)
	}
	walk(0, map[string]string{})
	return parties, utils, acceptable
}

func contains(xs []string, x string) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

func TestCompileMatchesScenarioBruteForce(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		s := genScenario(t)
		parties, utils, acceptable := scenarioBrute(s)
		p, err := Compile(s, "")
		if len(parties) == 0 {
			if err == nil {
				t.Fatalf("no party takes part, yet Compile succeeded")
			}
			return
		}
		if err != nil {
			t.Fatal(err)
		}
		if strings.Join(p.Parties, ",") != strings.Join(parties, ",") {
			t.Fatalf("parties %v, want %v", p.Parties, parties)
		}
		// The same multiset of (utilities, acceptable) over all packages.
		var got []string
		for _, pkg := range allPackages(p) {
			got = append(got, fmt.Sprintf("%.9f %v", p.Utilities(pkg), p.Acceptable(pkg)))
		}
		var want []string
		for i := range utils {
			want = append(want, fmt.Sprintf("%.9f %v", utils[i], acceptable[i]))
		}
		if fmt.Sprint(sortStrings(got)) != fmt.Sprint(sortStrings(want)) {
			t.Fatalf("packages differ:\n got %v\nwant %v", sortStrings(got), sortStrings(want))
		}
		// And the analysis agrees with the brute-force frontier.
		rep, err := AnalyzeScenario(context.Background(), s, "", Options{NoSensitivity: true})
		if err != nil {
			t.Fatal(err)
		}
		var accepted [][]float64
		for i, u := range utils {
			if acceptable[i] {
				accepted = append(accepted, u)
			}
		}
		front := testkit.Frontier(accepted)
		var gu [][]float64
		for _, o := range rep.Pareto {
			gu = append(gu, o.Utilities)
		}
		if err := testkit.SameSet(gu, front); err != nil {
			t.Fatalf("frontier: %v", err)
		}
		for _, u := range gu {
			for k := range u {
				party, _ := s.Party(p.Parties[k])
				if party.Weights == scenario.WeightsAsGiven {
					continue // as given, weights may add up to more than 1
				}
				if u[k] < -1e-12 || u[k] > 1+1e-12 || math.IsNaN(u[k]) {
					t.Fatalf("utility %v outside [0,1]", u)
				}
			}
		}
	})
}

func sortStrings(xs []string) []string {
	out := append([]string(nil), xs...)
	for i := range out {
		for j := i + 1; j < len(out); j++ {
			if out[j] < out[i] {
				out[i], out[j] = out[j], out[i]
			}
		}
	}
	return out
}

func TestCompileErrors(t *testing.T) {
	s := &scenario.Scenario{
		Parley: 1, ID: "e", Title: "e",
		Parties:   []scenario.Party{{ID: "a", Name: "A", Role: scenario.RoleParty}},
		Versions:  []scenario.Version{{ID: "v1", Title: "v1", Blocks: []scenario.Block{{ID: "b", Title: "b", Points: []scenario.Point{{ID: "p", Number: 1, Title: "P", Options: []scenario.Option{{ID: "x", Text: "x"}, {ID: "y", Text: "y"}}}}}}}},
		Positions: []scenario.Position{{Party: "a", Points: []scenario.PointPosition{{Point: "p", Weight: 1, Options: []scenario.OptionStance{{Option: "x", Stance: scenario.Support}}}}}},
	}
	for _, c := range []struct {
		version, want string
	}{
		{"", "the position of a on point p gives no stance on option y"},
		{"v9", `has no version "v9"`},
	} {
		_, err := Compile(s, c.version)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("Compile(%q): error %v, want one containing %q", c.version, err, c.want)
		}
	}
}
