package web

import (
	"fmt"
	"math"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"parley/analysis"
	"parley/internal/access"
	"parley/internal/apperr"
	"parley/scenario"
	"parley/scenario/diff"
)

// compareShown is the smallest change the compare page shows: half of
// its last decimal, as "parley diff" rounds.
const compareShown = 0.005

// compareData is two versions compared: the text point by point, and who
// gained, by the engine's comparison of the two as written.
type compareData struct {
	Versions []scenario.Version
	From, To string
	Diff     *diff.Diff
	// Gains is who gained; nil for a reader who may not analyse, or when
	// GainsNote says why the versions cannot be compared.
	Gains     *gainsView
	GainsNote string
	// Partial: the reader sees some parties' positions only (its own and
	// those shared), so "Who gained" names only those parties.
	Partial bool
}

// gainsView is the engine's comparison of two versions as written, laid
// out for the page.
type gainsView struct {
	AsOf string
	// Open are the points open in either version, by label, as a list in
	// words; NOpen counts them.
	Open    string
	NOpen   int
	Parties []partyGain
	// Moved are the points that moved some party, the largest effect
	// first; Quiet those that changed with no visible effect.
	Moved []movedPoint
	Quiet string
}

// partyGain is one party's row of "Who gained".
type partyGain struct {
	analysis.PartyChange
	// FromCell and ToCell are its utility of each version: a number, a
	// range while points are open, "–" with no position at that date.
	FromCell, ToCell string
	// FromCrossed and ToCrossed: the version crosses the party's own red
	// line.
	FromCrossed, ToCrossed bool
}

// Shown reports whether the party's change, as printed, is large enough
// to show.
func (p partyGain) Shown() bool { return p.Change != nil && math.Abs(p.Printed()) >= compareShown }

// Printed is the party's change from one version to the other as its two
// utilities are printed: 0.33 against 0.88 is a loss of 0.55 whatever
// their further digits, so that what a reader works out from the two
// cells agrees with the change shown (and with "parley diff").
func (p partyGain) Printed() float64 {
	if p.From == nil || p.To == nil {
		if p.Change == nil {
			return 0
		}
		return *p.Change
	}
	return printed2(*p.To) - printed2(*p.From)
}

// Lost reports whether the printed change is a loss.
func (p partyGain) Lost() bool { return p.Printed() < 0 }

// Amount is the size of the printed change, without its sign.
func (p partyGain) Amount() string { return fmt.Sprintf("%.2f", math.Abs(p.Printed())) }

// RangeLo and RangeHi bound the change while points are open. When one
// version has a single utility, the bounds are the other's printed bounds
// less (or from) its printed utility, as "parley diff" gives them; when
// both are ranges, the engine's bounds.
func (p partyGain) RangeLo() float64 { lo, _ := p.changeRange(); return lo }

// RangeHi: see RangeLo.
func (p partyGain) RangeHi() float64 { _, hi := p.changeRange(); return hi }

func (p partyGain) changeRange() (lo, hi float64) {
	if p.ChangeMin == nil || p.ChangeMax == nil {
		return 0, 0
	}
	lo, hi = *p.ChangeMin, *p.ChangeMax
	switch {
	case p.From != nil:
		f := *p.From
		return printed2(f+lo) - printed2(f), printed2(f+hi) - printed2(f)
	case p.To != nil:
		t := *p.To
		return printed2(t) - printed2(t-lo), printed2(t) - printed2(t-hi)
	}
	return lo, hi
}

// printed2 is x as printed with two decimals.
func printed2(x float64) float64 {
	v, err := strconv.ParseFloat(strconv.FormatFloat(x, 'f', 2, 64), 64)
	if err != nil {
		return x
	}
	return v
}

// PositionsShown reports whether the part of the change due to the
// party's own change of position is large enough to show.
func (p partyGain) PositionsShown() bool {
	return p.Positions != nil && math.Abs(*p.Positions) >= compareShown
}

// movedPoint is a point whose change moved some party.
type movedPoint struct {
	Label, What string
	Effects     []pointEffect
}

type pointEffect struct {
	Party string
	Delta float64
}

func (u *UI) compare(q *req) error {
	sc := q.st.Scenario(q.rd)
	d := compareData{Partial: q.rd.Role != access.Mediator, Versions: sc.Versions, From: q.r.URL.Query().Get("from"), To: q.r.URL.Query().Get("to")}
	if d.From == "" && d.To == "" && len(sc.Versions) >= 2 {
		d.From, d.To = sc.Versions[len(sc.Versions)-2].ID, sc.Versions[len(sc.Versions)-1].ID
	}
	if d.From != "" && d.To != "" {
		a, ok1 := sc.Version(d.From)
		b, ok2 := sc.Version(d.To)
		if !ok1 || !ok2 {
			return apperr.E("compare", apperr.NotFound, "pick two versions you can see")
		}
		d.Diff = diff.Versions(a, b)
		if access.Can(q.rd, access.Analyze, access.Resource{}) {
			d.Gains, d.GainsNote = versionGains(sc, a, b)
		}
	}
	u.render(q.w, q, http.StatusOK, "compare", "Compare versions", d)
	return nil
}

// versionGains compares versions a and b of sc as written, each with the
// positions held at its date, by the engine's comparison (the one "parley
// diff" prints), or says why it cannot.
func versionGains(sc *scenario.Scenario, a, b *scenario.Version) (*gainsView, string) {
	if a.ID == b.ID {
		return nil, "The two versions are the same."
	}
	tr, warnings, err := analysis.NewTrajectory(sc, analysis.CompileOptions{}, [][2]string{{a.ID, b.ID}})
	if err != nil {
		return nil, "The versions cannot be scored: " + err.Error()
	}
	var ch *analysis.VersionChange
	for i := range tr.Changes {
		if c := &tr.Changes[i]; c.From == a.ID && c.To == b.ID {
			ch = c
		}
	}
	if ch == nil {
		var why []string
		for _, w := range warnings {
			if w.Version == a.ID || w.Version == b.ID {
				why = append(why, w.Message)
			}
		}
		if len(why) == 0 {
			return nil, "The versions cannot be scored with the positions you can see."
		}
		return nil, "The versions cannot be scored with the positions you can see: " + strings.Join(why, "; ") + "."
	}
	score := map[string]*analysis.VersionScore{}
	for i := range tr.Versions {
		score[tr.Versions[i].Version] = &tr.Versions[i]
	}
	label := func(id string) string { return changeLabel(a, b, id) }
	g := &gainsView{AsOf: ch.AsOf}
	var open []string
	for _, id := range ch.Open {
		open = append(open, label(id))
	}
	g.Open, g.NOpen = sayList(open), len(open)
	for _, pc := range ch.Parties {
		row := partyGain{PartyChange: pc}
		row.FromCell, row.FromCrossed = scoreOf(score[a.ID], pc.Party)
		row.ToCell, row.ToCrossed = scoreOf(score[b.ID], pc.Party)
		g.Parties = append(g.Parties, row)
	}
	// The points that moved someone, the largest effect first.
	points := ch.ByEffect()
	var quiet []string
	for _, p := range points {
		if p.Effect() < compareShown {
			quiet = append(quiet, label(p.Point))
			continue
		}
		m := movedPoint{Label: label(p.Point), What: p.From + " → " + p.To}
		switch {
		case p.From == "":
			m.What = "added, " + p.To
		case p.To == "":
			m.What = "dropped (was " + p.From + ")"
		case p.From == p.To:
			m.What = p.To + ", its weight share changed"
		}
		for i, c := range p.Contributions {
			if c != nil && math.Abs(*c) >= compareShown {
				m.Effects = append(m.Effects, pointEffect{Party: ch.Parties[i].Party, Delta: *c})
			}
		}
		g.Moved = append(g.Moved, m)
	}
	g.Quiet = sayList(quiet)
	return g, ""
}

// scoreOf is a party's utility of a version as written: the number, or
// the range while points are open, and whether the version crosses the
// party's own red line; "–" when the party held no position then.
func scoreOf(vs *analysis.VersionScore, party string) (string, bool) {
	if vs == nil {
		return "–", false
	}
	for _, ps := range vs.Parties {
		if ps.Party != party {
			continue
		}
		c := fmt.Sprintf("%.2f–%.2f", ps.Min, ps.Max)
		if ps.Utility != nil {
			c = fmt.Sprintf("%.2f", *ps.Utility)
		} else if fmt.Sprintf("%.2f", ps.Min) == fmt.Sprintf("%.2f", ps.Max) {
			c = fmt.Sprintf("%.2f", ps.Min)
		}
		return c, len(ps.Crossed) > 0
	}
	return "–", false
}

// changeLabel names a point as the comparison's reader finds it: "14.
// Territory" for a point of b, "Amnesty (point 26 of v3)" for one only in
// a.
func changeLabel(a, b *scenario.Version, id string) string {
	for _, pt := range b.Points() {
		if pt.ID == id && pt.Status != scenario.StatusDropped {
			return fmt.Sprintf("%d. %s", pt.Number, pt.Title)
		}
	}
	for _, pt := range a.Points() {
		if pt.ID == id {
			return fmt.Sprintf("%s (point %d of %s)", pt.Title, pt.Number, a.ID)
		}
	}
	return id
}

// Dashed reports whether some party held no position at a version's date.
func (g *gainsView) Dashed() bool {
	return slices.ContainsFunc(g.Parties, func(p partyGain) bool { return p.FromCell == "–" || p.ToCell == "–" })
}

// Crossed reports whether a version crosses some party's own red line.
func (g *gainsView) Crossed() bool {
	return slices.ContainsFunc(g.Parties, func(p partyGain) bool { return p.FromCrossed || p.ToCrossed })
}
