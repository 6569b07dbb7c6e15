package examples

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"parley/scenario"
)

// The tests in this file check the default scenario's invariants as a
// fact-checked file: every stance is sourced and every inference marked, red
// lines rest on reports of red lines, dates run forward, each position covers
// the options of the versions analysed while it is held, and the package each
// version proposes favours whom the reporting says it favoured. They compute
// everything from the file itself and share no code with package analysis.

// heldOn returns the position each party holds on date (YYYY-MM-DD): of its
// positions, the one with the latest as_of not after date, an undated one
// counting as the earliest. An empty date means each party's latest
// position. The result follows the order of the parties.
func heldOn(s *scenario.Scenario, date string) []*scenario.Position {
	var out []*scenario.Position
	for _, party := range s.Parties {
		var best *scenario.Position
		for i := range s.Positions {
			q := &s.Positions[i]
			if q.Party != party.ID {
				continue
			}
			if date != "" && q.AsOf != "" && q.AsOf > date {
				continue
			}
			if best == nil || q.AsOf > best.AsOf {
				best = q
			}
		}
		if best != nil {
			out = append(out, best)
		}
	}
	return out
}

// eachStance calls f for every stance of every position.
func eachStance(s *scenario.Scenario, f func(q *scenario.Position, pp *scenario.PointPosition, os *scenario.OptionStance)) {
	for qi := range s.Positions {
		q := &s.Positions[qi]
		for pi := range q.Points {
			pp := &q.Points[pi]
			for oi := range pp.Options {
				f(q, pp, &pp.Options[oi])
			}
		}
	}
}

func stanceName(q *scenario.Position, pp *scenario.PointPosition, os *scenario.OptionStance) string {
	asOf := q.AsOf
	if asOf == "" {
		asOf = "start"
	}
	return fmt.Sprintf("%s (as of %s) on %s=%s", q.Party, asOf, pp.Point, os.Option)
}

// TestDefaultSourcing checks that every stance rests on a report and says so
// honestly: at least one source with an outlet and a date; a red line only
// where a report names a red line or a condition, with the reason naming the
// outlet; an inference marked as one, its reason saying from what; the E3
// text cited only for the E3's own stances (for the others it shows where an
// option came from, not what they think of it); a date known only roughly
// marked approximate.
func TestDefaultSourcing(t *testing.T) {
	s := decodeDefault(t)
	redLines := map[string]int{}
	eachStance(s, func(q *scenario.Position, pp *scenario.PointPosition, os *scenario.OptionStance) {
		name := stanceName(q, pp, os)
		if len(os.Sources) == 0 {
			t.Errorf("%s: no source", name)
		}
		var outlets []string
		for _, src := range os.Sources {
			if strings.TrimSpace(src.Outlet) == "" || !dateRE.MatchString(src.Date) {
				t.Errorf("%s: bad source %+v", name, src)
			}
			outlets = append(outlets, src.Outlet)
			if src.Outlet == "Reuters" && q.Party != "e3" {
				t.Errorf("%s cites the E3 text (Reuters); it reports the E3's views, not this party's", name)
			}
			if src.Outlet == "Bloomberg" && !src.Approximate {
				t.Errorf("%s: Bloomberg's date is only known roughly and must be marked approximate", name)
			}
		}
		if os.Stance == scenario.RedLine {
			redLines[q.Party]++
			named := slices.ContainsFunc(outlets, func(o string) bool { return strings.Contains(os.Reason, o) })
			if !named {
				t.Errorf("%s: a red line whose reason %q names none of its sources %v", name, os.Reason, outlets)
			}
		}
		says := strings.HasPrefix(os.Reason, "Inferred")
		if os.Inferred != says {
			t.Errorf("%s: inferred is %v but the reason %q %s", name, os.Inferred, os.Reason,
				map[bool]string{true: "starts with \"Inferred\"", false: "does not start with \"Inferred\""}[says])
		}
		if os.Inferred && len(strings.TrimSpace(strings.TrimPrefix(os.Reason, "Inferred"))) < 10 {
			t.Errorf("%s: an inferred stance must say from what: %q", name, os.Reason)
		}
	})
	// The reporting names red lines or conditions of Ukraine (no withdrawal
	// from the part of Donetsk it holds) and of Russia (international
	// recognition; renouncing NATO); of no one else.
	for party := range redLines {
		if party != "ua" && party != "ru" {
			t.Errorf("%s holds %d red lines; the reporting names red lines of Ukraine and Russia only", party, redLines[party])
		}
	}
	for _, e := range s.Timeline {
		for _, src := range e.Sources {
			if src.Outlet == "Bloomberg" && !src.Approximate {
				t.Errorf("event %s: Bloomberg's date must be marked approximate", e.ID)
			}
		}
	}
}

// TestDefaultChronology checks the dates: versions oldest first and after
// their parents, positions of one party on distinct dates, and the timeline
// oldest first, its events naming parties and versions that exist.
func TestDefaultChronology(t *testing.T) {
	s := decodeDefault(t)
	dates := map[string]string{}
	for i, v := range s.Versions {
		if !dateRE.MatchString(v.Date) {
			t.Errorf("version %s: date %q", v.ID, v.Date)
		}
		if i > 0 && v.Date < s.Versions[i-1].Date {
			t.Errorf("version %s (%s) is listed after %s (%s): versions must be oldest first", v.ID, v.Date, s.Versions[i-1].ID, s.Versions[i-1].Date)
		}
		if v.Parent != "" && dates[v.Parent] > v.Date {
			t.Errorf("version %s (%s) is older than its parent %s (%s)", v.ID, v.Date, v.Parent, dates[v.Parent])
		}
		dates[v.ID] = v.Date
	}
	parties := map[string]bool{}
	for _, p := range s.Parties {
		parties[p.ID] = true
	}
	for i, e := range s.Timeline {
		if !dateRE.MatchString(e.Date) || (e.End != "" && (!dateRE.MatchString(e.End) || e.End < e.Date)) {
			t.Errorf("event %s: date %q, end %q", e.ID, e.Date, e.End)
		}
		if i > 0 && e.Date < s.Timeline[i-1].Date {
			t.Errorf("event %s (%s) is listed after %s (%s): the timeline must be oldest first", e.ID, e.Date, s.Timeline[i-1].ID, s.Timeline[i-1].Date)
		}
		if _, ok := dates[e.Version]; e.Version != "" && !ok {
			t.Errorf("event %s: no version %s", e.ID, e.Version)
		}
		for _, p := range e.Parties {
			if !parties[p] {
				t.Errorf("event %s: no party %s", e.ID, p)
			}
		}
	}
	if len(s.Timeline) == 0 {
		t.Errorf("no timeline")
	}
}

// TestDefaultCoverage checks that every position gives a stance on every
// option its points have in any version, so that any version can be analysed
// with the positions held on any date, and that every party holds a position
// on every version's date.
func TestDefaultCoverage(t *testing.T) {
	s := decodeDefault(t)
	options := map[string][]string{} // point → its options in any version
	for i := range s.Versions {
		for _, pt := range s.Versions[i].Points() {
			for _, o := range pt.Options {
				if !slices.Contains(options[pt.ID], o.ID) {
					options[pt.ID] = append(options[pt.ID], o.ID)
				}
			}
		}
	}
	for _, q := range s.Positions {
		for _, pp := range q.Points {
			for _, o := range options[pp.Point] {
				if !slices.ContainsFunc(pp.Options, func(os scenario.OptionStance) bool { return os.Option == o }) {
					t.Errorf("position of %s as of %q: no stance on %s=%s", q.Party, q.AsOf, pp.Point, o)
				}
			}
		}
	}
	for _, v := range s.Versions {
		if held := heldOn(s, v.Date); len(held) != len(s.Parties) {
			t.Errorf("version %s: only %d of %d parties hold a position on %s", v.ID, len(held), len(s.Parties), v.Date)
		}
	}
}

// proposal is a version's package as written, scored for one party.
type proposal struct {
	utility float64  // weighted mean of the stance utilities, over the proposed points the party has a view on
	crosses []string // the party's red lines and linkages that the package crosses
}

// acceptable reports whether the package crosses none of the party's red
// lines or linkages.
func (p proposal) acceptable() bool { return len(p.crosses) == 0 }

func (p proposal) String() string {
	if !p.acceptable() {
		return fmt.Sprintf("%.3f, crosses %s", p.utility, strings.Join(p.crosses, ", "))
	}
	return fmt.Sprintf("%.3f", p.utility)
}

// stanceUtility is the utility of a stance as docs/format.md states it.
var stanceUtility = map[scenario.Stance]float64{
	scenario.Support: 1, scenario.Accept: 0.75, scenario.Reluctant: 0.5, scenario.Object: 0.25, scenario.RedLine: 0,
}

// proposed returns the package a version's text proposes: for every point
// not dropped, its proposed option, or its only option; points with several
// options and none proposed are open and left out.
func proposed(v *scenario.Version) map[string]string {
	pkg := map[string]string{}
	for _, b := range v.Blocks {
		for _, pt := range b.Points {
			switch {
			case pt.Status == scenario.StatusDropped:
			case pt.Proposed != "":
				pkg[pt.ID] = pt.Proposed
			case len(pt.Options) == 1:
				pkg[pt.ID] = pt.Options[0].ID
			}
		}
	}
	return pkg
}

// score scores the package pkg for the position q: the weighted mean of the
// utilities of its stances on the options of pkg (an explicit utility
// overriding the stance's), and the red lines and linkages of q's party that
// pkg crosses. A linkage counts when both its points are in pkg.
func score(s *scenario.Scenario, q *scenario.Position, pkg map[string]string) proposal {
	var p proposal
	var sum, total float64
	for _, pp := range q.Points {
		opt, ok := pkg[pp.Point]
		if !ok {
			continue
		}
		for _, os := range pp.Options {
			if os.Option != opt {
				continue
			}
			u := stanceUtility[os.Stance]
			if os.Utility != nil {
				u = *os.Utility
			}
			sum += pp.Weight * u
			total += pp.Weight
			if os.Stance == scenario.RedLine {
				p.crosses = append(p.crosses, pp.Point+"="+opt)
			}
		}
	}
	if total > 0 {
		p.utility = sum / total
	}
	for _, l := range s.Linkages {
		if l.Holder != q.Party {
			continue
		}
		if broken(l, pkg) {
			p.crosses = append(p.crosses, "linkage "+l.ID)
		}
	}
	return p
}

// broken reports whether pkg, holding both points of l, breaks it.
func broken(l scenario.Linkage, pkg map[string]string) bool {
	a, ok1 := pkg[l.If.Point]
	b, ok2 := pkg[l.Then.Point]
	if !ok1 || !ok2 || a != l.If.Option {
		return false
	}
	return (l.Kind == scenario.Requires) != (b == l.Then.Option)
}

// TestDefaultScorecards scores the package each version proposes as written,
// for each party by the position it held on the version's date, and checks
// it against what the reporting says about whom each draft favoured: the
// 28-point plan (v1) Russia, the E3 text (v2) and the 20-point framework (v4)
// Ukraine and the E3.
//
// "Best for" a party means first in this order: a proposal that crosses none
// of the party's red lines or linkages ranks above one that crosses any; among
// those alike, the higher utility ranks first. The utility of a proposal is
// the weighted mean of the party's stance utilities on the proposed options,
// over the proposed points it has a view on; points a version leaves open
// (several options, none proposed) are not scored. So v1 must rank first for
// Russia, and v2 and v4 must take the first two places, in either order, for
// Ukraine and for the E3.
//
// A proposal must also not contradict itself: it may break no linkage held
// by all.
func TestDefaultScorecards(t *testing.T) {
	s := decodeDefault(t)
	cards := map[string]map[string]proposal{} // party → version → proposal
	for i := range s.Versions {
		v := &s.Versions[i]
		pkg := proposed(v)
		for _, l := range s.Linkages {
			if l.Holder == scenario.HolderAll && broken(l, pkg) {
				t.Errorf("version %s proposes a package that breaks linkage %s, which holds for all", v.ID, l.ID)
			}
		}
		var row []string
		for _, q := range heldOn(s, v.Date) {
			if cards[q.Party] == nil {
				cards[q.Party] = map[string]proposal{}
			}
			p := score(s, q, pkg)
			cards[q.Party][v.ID] = p
			row = append(row, fmt.Sprintf("%s %s", q.Party, p))
		}
		t.Logf("%s proposes: %s", v.ID, strings.Join(row, "; "))
	}
	rank := func(party string) []string {
		var ids []string
		for id := range cards[party] {
			ids = append(ids, id)
		}
		slices.SortFunc(ids, func(a, b string) int {
			pa, pb := cards[party][a], cards[party][b]
			if pa.acceptable() != pb.acceptable() {
				if pa.acceptable() {
					return -1
				}
				return 1
			}
			switch {
			case pa.utility > pb.utility:
				return -1
			case pa.utility < pb.utility:
				return 1
			}
			return strings.Compare(a, b)
		})
		return ids
	}
	if r := rank("ru"); len(r) == 0 || r[0] != "v1" {
		t.Errorf("Russia ranks the proposals %v; the 28-point plan (v1) should come first", r)
	}
	for _, party := range []string{"ua", "e3"} {
		r := rank(party)
		if len(r) < 2 || !slices.Equal(slices.Sorted(slices.Values(r[:2])), []string{"v2", "v4"}) {
			t.Errorf("%s ranks the proposals %v; the E3 text (v2) and the 20-point framework (v4) should come first", party, r)
		}
	}
	if !cards["ua"]["v1"].acceptable() {
		t.Logf("as expected, v1 crosses Ukraine's red lines: %v", cards["ua"]["v1"].crosses)
	} else {
		t.Errorf("v1 should cross Ukraine's red line on withdrawing from Donetsk")
	}
}
