package analysis

import (
	"context"
	"fmt"
	"math"
	"sort"
	"strings"
	"testing"

	"parley/scenario"

	"pgregory.net/rapid"
)

// The oracle of this file evaluates scenarios straight from the model, by
// enumerating every package: it shares no helper with the engine (not even
// scenario.PositionsAt or the engine's dominance tests).

const otol = 1e-9

var textDates = []string{"", "2025-01-10", "2025-02-10", "2025-03-10"}

// genTextScenario draws a small scenario with several versions proposing
// packages (some points open), dated positions, mediators and observers,
// parties that do or do not bargain, red lines and linkages.
func genTextScenario(t *rapid.T) *scenario.Scenario {
	stances := []scenario.Stance{scenario.Support, scenario.Accept, scenario.Reluctant, scenario.Object, scenario.RedLine}
	s := &scenario.Scenario{Parley: 1, ID: "gen", Title: "generated"}
	nParties := rapid.IntRange(1, 4).Draw(t, "parties")
	for k := range nParties {
		role := rapid.SampledFrom([]scenario.Role{scenario.RoleParty, scenario.RoleParty, scenario.RoleMediator, scenario.RoleObserver}).Draw(t, "role")
		p := scenario.Party{ID: fmt.Sprintf("p%d", k), Name: "P", Role: role, Reservation: float64(rapid.IntRange(0, 6).Draw(t, "rv")) / 10}
		switch rapid.IntRange(0, 4).Draw(t, "bargains") {
		case 0:
			b := true
			p.Bargains = &b
		case 1:
			b := false
			p.Bargains = &b
		}
		if rapid.IntRange(0, 3).Draw(t, "asGiven") == 0 {
			p.Weights = scenario.WeightsAsGiven
		}
		s.Parties = append(s.Parties, p)
	}
	nPoints := rapid.IntRange(1, 4).Draw(t, "points")
	var base []scenario.Point
	for i := range nPoints {
		pt := scenario.Point{ID: fmt.Sprintf("pt%d", i), Number: i + 1, Title: "T"}
		for o := range rapid.IntRange(1, 3).Draw(t, "options") {
			pt.Options = append(pt.Options, scenario.Option{ID: fmt.Sprintf("o%d", o), Text: "x"})
		}
		base = append(base, pt)
	}
	nVersions := rapid.IntRange(1, 3).Draw(t, "versions")
	for vi := range nVersions {
		v := scenario.Version{ID: fmt.Sprintf("v%d", vi), Title: "V", Date: rapid.SampledFrom(textDates).Draw(t, "vdate"), Blocks: []scenario.Block{{ID: "b", Title: "b"}}}
		for _, pt := range base {
			pt.Options = append([]scenario.Option(nil), pt.Options...)
			if rapid.IntRange(0, 6).Draw(t, "dropped") == 0 {
				pt.Status = scenario.StatusDropped
			}
			if len(pt.Options) > 1 && rapid.IntRange(0, 3).Draw(t, "open") > 0 {
				pt.Proposed = pt.Options[rapid.IntRange(0, len(pt.Options)-1).Draw(t, "proposed")].ID
			}
			v.Blocks[0].Points = append(v.Blocks[0].Points, pt)
		}
		s.Versions = append(s.Versions, v)
	}
	for _, party := range s.Parties {
		used := map[string]bool{}
		for range rapid.IntRange(0, 2).Draw(t, "positions") {
			d := rapid.SampledFrom(textDates).Draw(t, "asOf")
			if used[d] {
				continue
			}
			used[d] = true
			pos := scenario.Position{Party: party.ID, AsOf: d}
			for _, pt := range base {
				if rapid.IntRange(0, 3).Draw(t, "skip") == 0 {
					continue
				}
				pp := scenario.PointPosition{Point: pt.ID, Weight: float64(rapid.IntRange(1, 4).Draw(t, "weight"))}
				for _, o := range pt.Options {
					os := scenario.OptionStance{Option: o.ID, Stance: rapid.SampledFrom(stances).Draw(t, "stance")}
					if rapid.IntRange(0, 4).Draw(t, "explicit") == 0 {
						u := float64(rapid.IntRange(0, 4).Draw(t, "u")) / 4
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
	}
	if nPoints >= 2 {
		holders := []string{"all"}
		for _, p := range s.Parties {
			holders = append(holders, p.ID)
		}
		for l := range rapid.IntRange(0, 2).Draw(t, "linkages") {
			a := rapid.IntRange(0, nPoints-1).Draw(t, "a")
			b := rapid.IntRange(0, nPoints-1).Draw(t, "b")
			if a == b {
				continue
			}
			pa, pb := base[a], base[b]
			s.Linkages = append(s.Linkages, scenario.Linkage{
				ID: fmt.Sprintf("l%d", l), Holder: rapid.SampledFrom(holders).Draw(t, "holder"),
				Kind: rapid.SampledFrom([]scenario.LinkageKind{scenario.Requires, scenario.Excludes}).Draw(t, "kind"),
				If:   scenario.OptionRef{Point: pa.ID, Option: pa.Options[rapid.IntRange(0, len(pa.Options)-1).Draw(t, "io")].ID},
				Then: scenario.OptionRef{Point: pb.ID, Option: pb.Options[rapid.IntRange(0, len(pb.Options)-1).Draw(t, "to")].ID},
			})
		}
	}
	return s
}

// world is the oracle's view of one version with the positions of one
// date.
type world struct {
	s       *scenario.Scenario
	points  []scenario.Point
	parties []string // every party with a position on a point of the version
	counted []bool
	held    map[string]*scenario.Position
	lifted  map[[3]string]bool // red lines lifted by a what-if change
}

func newWorld(s *scenario.Scenario, v *scenario.Version, date string) *world {
	w := &world{s: s, held: map[string]*scenario.Position{}}
	for _, b := range v.Blocks {
		for _, pt := range b.Points {
			if pt.Status != scenario.StatusDropped {
				w.points = append(w.points, pt)
			}
		}
	}
	for _, party := range s.Parties {
		var best *scenario.Position
		for i := range s.Positions {
			q := &s.Positions[i]
			if q.Party != party.ID || (date != "" && q.AsOf != "" && q.AsOf > date) {
				continue
			}
			if best == nil || q.AsOf > best.AsOf {
				best = q
			}
		}
		if best == nil {
			continue
		}
		covers := false
		for _, pp := range best.Points {
			for _, pt := range w.points {
				covers = covers || pp.Point == pt.ID
			}
		}
		if !covers {
			continue
		}
		w.held[party.ID] = best
		w.parties = append(w.parties, party.ID)
		bargains := party.Role == scenario.RoleParty
		if party.Bargains != nil {
			bargains = *party.Bargains
		}
		w.counted = append(w.counted, bargains)
	}
	return w
}

// weight returns party id's normalised coefficient of point pt (0 without
// a position on it).
func (w *world) weight(id, pt string) float64 {
	q := w.held[id]
	total, mine := 0.0, 0.0
	found := false
	for _, pp := range q.Points {
		for _, p := range w.points {
			if p.ID == pp.Point {
				total += pp.Weight
				if p.ID == pt {
					mine, found = pp.Weight, true
				}
			}
		}
	}
	if !found {
		return 0
	}
	party, _ := w.s.Party(id)
	if party.Weights == scenario.WeightsAsGiven {
		return mine
	}
	return mine / total
}

func (w *world) stance(id, pt, opt string) (scenario.OptionStance, bool) {
	for _, pp := range w.held[id].Points {
		if pp.Point != pt {
			continue
		}
		for _, os := range pp.Options {
			if os.Option == opt {
				return os, true
			}
		}
	}
	return scenario.OptionStance{}, false
}

// value is what option opt of point pt is worth to party id, weighted.
func (w *world) value(id, pt, opt string) float64 {
	os, ok := w.stance(id, pt, opt)
	if !ok {
		return 0
	}
	u := os.Stance.DefaultUtility()
	if os.Utility != nil {
		u = *os.Utility
	}
	return w.weight(id, pt) * u
}

func (w *world) utilities(pkg map[string]string) []float64 {
	u := make([]float64, len(w.parties))
	for k, id := range w.parties {
		for _, pt := range w.points {
			u[k] += w.value(id, pt.ID, pkg[pt.ID])
		}
	}
	return u
}

func (w *world) isCounted(id string) bool {
	for k, p := range w.parties {
		if p == id {
			return w.counted[k]
		}
	}
	return false
}

// acceptable: no counted party's red line crossed, no linkage of a counted
// party or of all broken.
func (w *world) acceptable(pkg map[string]string) bool {
	for _, c := range w.crossed(pkg) {
		if c.Party == "all" || w.isCounted(c.Party) {
			return false
		}
	}
	return true
}

// crossed lists the red lines of every party shown, and the linkages of
// those parties or of all, that pkg crosses; a point missing from pkg
// crosses nothing.
func (w *world) crossed(pkg map[string]string) []Constraint {
	var out []Constraint
	for _, id := range w.parties {
		for _, pt := range w.points {
			o, ok := pkg[pt.ID]
			if !ok {
				continue
			}
			if os, ok := w.stance(id, pt.ID, o); ok && os.Stance == scenario.RedLine && !w.lifted[[3]string{id, pt.ID, o}] {
				out = append(out, Constraint{Kind: RedLineConstraint, Party: id, Point: pt.ID, Option: o})
			}
		}
	}
	for _, lk := range w.s.Linkages {
		if lk.Holder != "all" && w.held[lk.Holder] == nil {
			continue
		}
		a, okA := pkg[lk.If.Point]
		b, okB := pkg[lk.Then.Point]
		if !okA || !okB || !w.has(lk.If.Point) || !w.has(lk.Then.Point) {
			continue
		}
		if a == lk.If.Option && (b == lk.Then.Option) == (lk.Kind == scenario.Excludes) {
			out = append(out, Constraint{Kind: LinkageConstraint, Party: lk.Holder, Point: lk.If.Point, Option: lk.If.Option, Linkage: lk.ID})
		}
	}
	return out
}

func (w *world) has(pt string) bool {
	for _, p := range w.points {
		if p.ID == pt {
			return true
		}
	}
	return false
}

// packages enumerates every package, completing fixed.
func (w *world) packages(fixed map[string]string) []map[string]string {
	out := []map[string]string{{}}
	for _, pt := range w.points {
		var next []map[string]string
		for _, pre := range out {
			for _, o := range pt.Options {
				if f, ok := fixed[pt.ID]; ok && f != o.ID {
					continue
				}
				m := map[string]string{}
				for k, v := range pre {
					m[k] = v
				}
				m[pt.ID] = o.ID
				next = append(next, m)
			}
		}
		out = next
	}
	return out
}

func (w *world) countedOf(u []float64) []float64 {
	out := []float64{}
	for k, x := range u {
		if w.counted[k] {
			out = append(out, x)
		}
	}
	return out
}

func weaklyAbove(a, b []float64) bool {
	for k := range a {
		if a[k] < b[k]-otol {
			return false
		}
	}
	return true
}

func strictlyAbove(a, b []float64) bool {
	if !weaklyAbove(a, b) {
		return false
	}
	for k := range a {
		if a[k] > b[k]+otol {
			return true
		}
	}
	return false
}

// improvingFrontier is the set of distinct counted-utility vectors of
// acceptable packages that weakly dominate b, are not b, and that no other
// such package dominates.
func (w *world) improvingFrontier(b []float64) [][]float64 {
	var us [][]float64
	for _, pkg := range w.packages(nil) {
		if !w.acceptable(pkg) {
			continue
		}
		u := w.countedOf(w.utilities(pkg))
		if strictlyAbove(u, b) {
			us = append(us, u)
		}
	}
	var out [][]float64
	for i, a := range us {
		keep := true
		for j, c := range us {
			if strictlyAbove(c, a) || (j < i && weaklyAbove(c, a) && weaklyAbove(a, c)) {
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

func vectorKeys(vs [][]float64) string {
	var ks []string
	for _, v := range vs {
		var parts []string
		for _, x := range v {
			parts = append(parts, fmt.Sprintf("%.6f", x+0))
		}
		ks = append(ks, strings.Join(parts, " "))
	}
	sort.Strings(ks)
	return strings.Join(ks, "\n")
}

func approx(a, b float64) bool { return math.Abs(a-b) <= 1e-7 }

func TestScorecardMatchesBruteForce(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		s := genTextScenario(t)
		v := &s.Versions[rapid.IntRange(0, len(s.Versions)-1).Draw(t, "version")]
		// Sometimes another date, and who is counted overridden.
		var opt CompileOptions
		date := v.Date
		if rapid.Bool().Draw(t, "otherDate") {
			opt.AsOf = rapid.SampledFrom(textDates[1:]).Draw(t, "asOfFlag")
			date = opt.AsOf
		}
		w := newWorld(s, v, date)
		if rapid.Bool().Draw(t, "override") {
			opt.Count = []string{}
			for _, p := range s.Parties {
				if rapid.Bool().Draw(t, "count") {
					opt.Count = append(opt.Count, p.ID)
				}
			}
			for k, id := range w.parties {
				w.counted[k] = contains(opt.Count, id)
			}
			for _, id := range opt.Count {
				if w.held[id] == nil {
					if _, err := CompileVersion(s, v.ID, opt); err == nil {
						t.Fatalf("%s is counted without a position, yet CompileVersion succeeded", id)
					}
					return
				}
			}
		}
		c, err := CompileVersion(s, v.ID, opt)
		anyCounted := false
		for _, b := range w.counted {
			anyCounted = anyCounted || b
		}
		if !anyCounted {
			if err == nil {
				t.Fatalf("no counted party, yet CompileVersion succeeded")
			}
			return
		}
		if err != nil {
			if strings.Contains(err.Error(), "gives no stance") || strings.Contains(err.Error(), "add up to") {
				return // the generator's positions may miss an option
			}
			t.Fatal(err)
		}
		if strings.Join(c.All.Parties, ",") != strings.Join(w.parties, ",") {
			t.Fatalf("parties %v, want %v", c.All.Parties, w.parties)
		}
		sc, err := NewScorecard(context.Background(), c, nil)
		if err != nil {
			t.Fatal(err)
		}
		fixed := map[string]string{}
		var open []string
		for _, pt := range w.points {
			switch {
			case pt.Proposed != "":
				fixed[pt.ID] = pt.Proposed
			case len(pt.Options) == 1:
				fixed[pt.ID] = pt.Options[0].ID
			default:
				open = append(open, pt.ID)
			}
		}
		if strings.Join(sc.Open, ",") != strings.Join(open, ",") {
			t.Fatalf("open %v, want %v", sc.Open, open)
		}
		// Crossed constraints.
		var got, want []string
		for _, con := range sc.Crossed {
			got = append(got, fmt.Sprint(con))
		}
		for _, con := range w.crossed(fixed) {
			want = append(want, fmt.Sprint(con))
		}
		sort.Strings(got)
		sort.Strings(want)
		if strings.Join(got, ";") != strings.Join(want, ";") {
			t.Fatalf("crossed %v, want %v", got, want)
		}
		// Ranges over the completions.
		comps := w.packages(fixed)
		for k := range w.parties {
			lo, hi := math.Inf(1), math.Inf(-1)
			alo, ahi := math.Inf(1), math.Inf(-1)
			for _, pkg := range comps {
				u := w.utilities(pkg)[k]
				lo, hi = math.Min(lo, u), math.Max(hi, u)
				if w.acceptable(pkg) {
					alo, ahi = math.Min(alo, u), math.Max(ahi, u)
				}
			}
			ps := sc.Parties[k]
			if !approx(ps.Min, lo) || !approx(ps.Max, hi) {
				t.Fatalf("%s: range [%v, %v], want [%v, %v]", ps.Party, ps.Min, ps.Max, lo, hi)
			}
			if math.IsInf(alo, 1) != (ps.AcceptableMin == nil) {
				t.Fatalf("%s: acceptable range %v, want none: %v", ps.Party, ps.AcceptableMin, math.IsInf(alo, 1))
			}
			if ps.AcceptableMin != nil && (!approx(*ps.AcceptableMin, alo) || !approx(*ps.AcceptableMax, ahi)) {
				t.Fatalf("%s: acceptable range [%v, %v], want [%v, %v]", ps.Party, *ps.AcceptableMin, *ps.AcceptableMax, alo, ahi)
			}
			if ps.Counted != w.counted[k] {
				t.Fatalf("%s: counted %v, want %v", ps.Party, ps.Counted, w.counted[k])
			}
		}
		if len(open) > 0 {
			if sc.Package != nil || sc.ParetoEfficient != nil {
				t.Fatalf("open points, yet a package as written")
			}
			return
		}
		u := w.utilities(fixed)
		b := w.countedOf(u)
		for k, ps := range sc.Parties {
			if ps.Utility == nil || !approx(*ps.Utility, u[k]) {
				t.Fatalf("%s: utility %v, want %v", ps.Party, ps.Utility, u[k])
			}
		}
		if *sc.AcceptableToAll != w.acceptable(fixed) {
			t.Fatalf("acceptable %v, want %v", *sc.AcceptableToAll, w.acceptable(fixed))
		}
		met := true
		for k, id := range w.parties {
			party, _ := s.Party(id)
			if w.counted[k] && u[k] < party.Reservation-otol {
				met = false
			}
		}
		if *sc.ReservationMet != met {
			t.Fatalf("reservation met %v, want %v", *sc.ReservationMet, met)
		}
		front := w.improvingFrontier(b)
		if *sc.ParetoEfficient != (len(front) == 0) {
			t.Fatalf("Pareto-efficient %v, but %d packages dominate it", *sc.ParetoEfficient, len(front))
		}
		var gotFront [][]float64
		for _, d := range sc.DominatedBy {
			gotFront = append(gotFront, d.Utilities)
		}
		if sc.Epsilon == 0 && vectorKeys(gotFront) != vectorKeys(front) {
			t.Fatalf("dominated by\n%s\nwant\n%s", vectorKeys(gotFront), vectorKeys(front))
		}
	})
}

func TestImprovementsMatchBruteForce(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		s := genTextScenario(t)
		v := &s.Versions[len(s.Versions)-1]
		w := newWorld(s, v, v.Date)
		// Sometimes a red line lifted, a what-if change.
		var opt CompileOptions
		var red [][3]string
		for _, id := range w.parties {
			for _, pt := range w.points {
				for _, o := range pt.Options {
					if os, ok := w.stance(id, pt.ID, o.ID); ok && os.Stance == scenario.RedLine {
						red = append(red, [3]string{id, pt.ID, o.ID})
					}
				}
			}
		}
		if len(red) > 0 && rapid.Bool().Draw(t, "lift") {
			l := red[rapid.IntRange(0, len(red)-1).Draw(t, "lifted")]
			opt.Changes = []Change{{Kind: LiftChange, Party: l[0], Point: l[1], Option: l[2]}}
			w.lifted = map[[3]string]bool{l: true}
		}
		c, err := CompileVersion(s, v.ID, opt)
		if err != nil {
			t.Skip(err)
		}
		all := w.packages(nil)
		base := all[rapid.IntRange(0, len(all)-1).Draw(t, "baseline")]
		pkg, _, err := c.Package(base, false)
		if err != nil {
			t.Fatal(err)
		}
		imp, err := Improve(context.Background(), c, pkg)
		if err != nil {
			t.Fatal(err)
		}
		ub := w.utilities(base)
		b := w.countedOf(ub)
		if vectorKeys([][]float64{imp.Baseline.Utilities}) != vectorKeys([][]float64{b}) {
			t.Fatalf("baseline %v, want %v", imp.Baseline.Utilities, b)
		}
		if imp.BaselineAcceptable != w.acceptable(base) {
			t.Fatalf("baseline acceptable %v, want %v", imp.BaselineAcceptable, w.acceptable(base))
		}
		front := w.improvingFrontier(b)
		if imp.Possible != (len(front) > 0) {
			t.Fatalf("possible %v, frontier %v", imp.Possible, front)
		}
		var got [][]float64
		for _, o := range imp.Pareto {
			got = append(got, o.Utilities)
		}
		if imp.Epsilon == 0 && vectorKeys(got) != vectorKeys(front) {
			t.Fatalf("improving frontier\n%s\nwant\n%s", vectorKeys(got), vectorKeys(front))
		}
		if !imp.Possible {
			if imp.Maximin != nil || imp.Nash != nil {
				t.Fatalf("no improvement, yet maximin %v nash %v", imp.Maximin, imp.Nash)
			}
			return
		}
		// The oracle's maximin and Nash over every improving package.
		bestMin, bestNash := math.Inf(-1), math.Inf(-1)
		active := make([]bool, len(b))
		var improving [][]float64
		for _, pkg := range all {
			if !w.acceptable(pkg) {
				continue
			}
			u := w.countedOf(w.utilities(pkg))
			if !weaklyAbove(u, b) {
				continue
			}
			improving = append(improving, u)
			for k := range u {
				if u[k] > b[k]+otol {
					active[k] = true
				}
			}
		}
		for _, u := range improving {
			m := math.Inf(1)
			for k := range u {
				m = math.Min(m, u[k]-b[k])
			}
			bestMin = math.Max(bestMin, m)
			prod, ok := 0.0, true
			for k := range u {
				if !active[k] {
					continue
				}
				if u[k]-b[k] <= otol {
					ok = false
					break
				}
				prod += math.Log(u[k] - b[k])
			}
			if ok {
				bestNash = math.Max(bestNash, prod)
			}
		}
		if imp.Maximin == nil {
			t.Fatalf("no maximin improvement")
		}
		m := math.Inf(1)
		for k, x := range imp.Maximin.Utilities {
			m = math.Min(m, x-b[k])
		}
		if !approx(m, bestMin) {
			t.Fatalf("maximin smallest gain %v, want %v", m, bestMin)
		}
		if (imp.Nash == nil) != math.IsInf(bestNash, -1) {
			t.Fatalf("Nash %v, want product %v", imp.Nash, bestNash)
		}
		if imp.Nash != nil {
			prod := 0.0
			for k, x := range imp.Nash.Utilities {
				if active[k] {
					prod += math.Log(x - b[k])
				}
			}
			if math.Abs(prod-bestNash) > 1e-6 {
				t.Fatalf("Nash log product %v, want %v", prod, bestNash)
			}
		}
	})
}

func TestConcessionsMatchBruteForce(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		s := genTextScenario(t)
		v := &s.Versions[0]
		c, err := CompileVersion(s, v.ID, CompileOptions{})
		if err != nil {
			t.Skip(err)
		}
		w := newWorld(s, v, v.Date)
		all := w.packages(nil)
		choice := all[rapid.IntRange(0, len(all)-1).Draw(t, "package")]
		pkg, _, err := c.Package(choice, false)
		if err != nil {
			t.Fatal(err)
		}
		got := c.Concede("test", pkg)
		for k, id := range w.parties {
			pc := got.Parties[k]
			if pc.Party != id {
				t.Fatalf("party %s, want %s", pc.Party, id)
			}
			want := map[string]float64{}
			total := 0.0
			for _, pt := range w.points {
				best := math.Inf(-1)
				for _, o := range pt.Options {
					best = math.Max(best, w.value(id, pt.ID, o.ID))
				}
				cost := best - w.value(id, pt.ID, choice[pt.ID])
				total += cost
				if cost > otol {
					want[pt.ID] = cost
				}
			}
			if !approx(pc.Cost, total) {
				t.Fatalf("%s: cost %v, want %v", id, pc.Cost, total)
			}
			if len(pc.Points) != len(want) {
				t.Fatalf("%s: concedes %+v, want %v", id, pc.Points, want)
			}
			for _, p := range pc.Points {
				if !approx(p.Cost, want[p.Point]) || p.Option != choice[p.Point] {
					t.Fatalf("%s: concedes %+v, want cost %v", id, p, want[p.Point])
				}
				if approx(w.value(id, p.Point, p.Best), w.value(id, p.Point, p.Option)) {
					t.Fatalf("%s: best option %s is no better than %s", id, p.Best, p.Option)
				}
			}
		}
	})
}

func TestTrajectoryContributionsMatchBruteForce(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		s := genTextScenario(t)
		tr, _, err := NewTrajectory(s, CompileOptions{}, nil)
		if err != nil {
			t.Fatal(err)
		}
		for _, ch := range tr.Changes {
			va, _ := s.Version(ch.From)
			vb, _ := s.Version(ch.To)
			wa := newWorld(s, va, va.Date)
			wb := newWorld(s, vb, vb.Date)
			wab := newWorld(s, va, vb.Date)
			pa, pb := proposalOf(wa), proposalOf(wb)
			for i, pc := range ch.Parties {
				id := pc.Party
				ua, okA := written(wa, id, pa)
				ub, okB := written(wb, id, pb)
				uab, okAB := written(wab, id, pa)
				if okA != (pc.From != nil) || okB != (pc.To != nil) {
					t.Fatalf("%s→%s %s: from %v to %v, want defined %v %v", ch.From, ch.To, id, pc.From, pc.To, okA, okB)
				}
				if okA && !approx(*pc.From, ua) || okB && !approx(*pc.To, ub) {
					t.Fatalf("%s→%s %s: %v→%v, want %v→%v", ch.From, ch.To, id, *pc.From, *pc.To, ua, ub)
				}
				if okA && okB && okAB {
					if !approx(*pc.Change, ub-ua) || !approx(*pc.Positions, uab-ua) {
						t.Fatalf("%s→%s %s: change %v positions %v, want %v %v", ch.From, ch.To, id, *pc.Change, *pc.Positions, ub-ua, uab-ua)
					}
					if pc.Text == nil || !approx(*pc.Text, ub-uab) {
						t.Fatalf("%s→%s %s: text %v, want %v", ch.From, ch.To, id, pc.Text, ub-uab)
					}
				}
				// The range of the change over the open points.
				if len(ch.Open) > 0 && wa.held[id] != nil && wb.held[id] != nil {
					lo, hi := math.Inf(1), math.Inf(-1)
					aMin, aMax := math.Inf(1), math.Inf(-1)
					for _, pkg := range wa.packages(pa) {
						u, _ := written(wa, id, pkg)
						aMin, aMax = math.Min(aMin, u), math.Max(aMax, u)
					}
					for _, pkg := range wb.packages(pb) {
						u, _ := written(wb, id, pkg)
						lo, hi = math.Min(lo, u-aMax), math.Max(hi, u-aMin)
					}
					if pc.ChangeMin == nil || !approx(*pc.ChangeMin, lo) || !approx(*pc.ChangeMax, hi) {
						t.Fatalf("%s→%s %s: change range %v %v, want [%v, %v]", ch.From, ch.To, id, pc.ChangeMin, pc.ChangeMax, lo, hi)
					}
				} else if pc.ChangeMin != nil {
					t.Fatalf("%s→%s %s: a change range without open points", ch.From, ch.To, id)
				}
				// Per point, with the positions of To's date.
				if _, ok := wb.held[id]; !ok {
					continue
				}
				if _, ok := wab.held[id]; !ok {
					continue
				}
				got := map[string]float64{}
				for _, p := range ch.Points {
					if p.Contributions[i] != nil {
						got[p.Point] = *p.Contributions[i]
					}
				}
				for _, pt := range unionPoints(wb, wab) {
					if contains(ch.Open, pt) {
						if _, ok := got[pt]; ok {
							t.Fatalf("open point %s has a contribution", pt)
						}
						continue
					}
					want := valueIn(wb, id, pt, pb) - valueIn(wab, id, pt, pa)
					if !approx(got[pt], want) {
						t.Fatalf("%s→%s %s: point %s contributes %v, want %v", ch.From, ch.To, id, pt, got[pt], want)
					}
				}
			}
		}
	})
}

func proposalOf(w *world) map[string]string {
	m := map[string]string{}
	for _, pt := range w.points {
		switch {
		case pt.Proposed != "":
			m[pt.ID] = pt.Proposed
		case len(pt.Options) == 1:
			m[pt.ID] = pt.Options[0].ID
		}
	}
	return m
}

func written(w *world, id string, pkg map[string]string) (float64, bool) {
	if _, ok := w.held[id]; !ok || len(pkg) < len(w.points) {
		return 0, false
	}
	u := 0.0
	for _, pt := range w.points {
		u += w.value(id, pt.ID, pkg[pt.ID])
	}
	return u, true
}

func valueIn(w *world, id, pt string, pkg map[string]string) float64 {
	if !w.has(pt) {
		return 0
	}
	return w.value(id, pt, pkg[pt])
}

func unionPoints(a, b *world) []string {
	var out []string
	seen := map[string]bool{}
	for _, w := range []*world{a, b} {
		for _, pt := range w.points {
			if !seen[pt.ID] {
				seen[pt.ID] = true
				out = append(out, pt.ID)
			}
		}
	}
	return out
}
