package main

import (
	"fmt"
	"io"
	"maps"
	"math"
	"slices"
	"strconv"
	"strings"

	"parley/analysis"
	"parley/scenario"
)

// This file renders what the analysis says about the text itself: the
// version as written, who is counted and the what-if changes, the
// packages better for everyone than the text, the concessions and the
// text over time. They follow the layout of the other sections.

// shown lists the report's parties: the counted ones, then those shown but
// not counted.
func (rw *reportWriter) shown() []string {
	return shownParties(rw.r)
}

// shownParties are the report's parties followed by those shown but not
// counted.
func shownParties(r *analysis.Report) []string {
	if r.TextAnalysis == nil {
		return r.Parties
	}
	return append(append([]string(nil), r.Parties...), r.NotCounted...)
}

// counted reports whether party id is counted in the fair packages.
func (rw *reportWriter) counted(id string) bool { return slices.Contains(rw.r.Parties, id) }

// reservationOf is the reservation value of a shown party.
func (rw *reportWriter) reservationOf(id string) float64 {
	if k := slices.Index(rw.r.Parties, id); k >= 0 {
		return rw.r.Reservation[k]
	}
	if t := rw.r.TextAnalysis; t != nil {
		if k := slices.Index(t.NotCounted, id); k >= 0 && k < len(t.NotCountedReservation) {
			return t.NotCountedReservation[k]
		}
	}
	return 0
}

// signed writes a change with its sign: "+0.12", "−0.05", "0.00".
func (l *layout) signed(v float64) string {
	t := l.num(math.Abs(v))
	if strings.Trim(t, "0.") == "" {
		return t
	}
	if v < 0 {
		return "−" + t
	}
	return "+" + t
}

// rounded is v as num prints it.
func (l *layout) rounded(v float64) float64 {
	r, err := strconv.ParseFloat(fmt.Sprintf("%.*f", l.precision, v), 64)
	if err != nil {
		return v
	}
	return r
}

// change is the change from one utility to another as the two are
// printed: 0.74 against 0.72 is +0.02 whatever their further digits, so
// that what a reader adds up agrees with what is printed.
func (l *layout) change(from, to float64) float64 {
	return l.rounded(to) - l.rounded(from)
}

// changeRange is a party's change from one version to another when points
// are open. When one of the two is a single utility, the bounds are the
// other's bounds as printed less (or from) it as printed; when both are
// ranges, the engine's bounds, which are not the difference of the ranges.
func (l *layout) changeRange(pc analysis.PartyChange) (lo, hi float64) {
	lo, hi = *pc.ChangeMin, *pc.ChangeMax
	switch {
	case pc.From != nil:
		return l.change(*pc.From, *pc.From+lo), l.change(*pc.From, *pc.From+hi)
	case pc.To != nil:
		return l.change(*pc.To-lo, *pc.To), l.change(*pc.To-hi, *pc.To)
	}
	return lo, hi
}

// optionLabel is "21. Territory: recognition_withdrawal".
func (rw *reportWriter) optionLabel(point, option string) string {
	return rw.anyPointLabel(point) + ":" + nbsp + option
}

// anyPointLabel is pointLabel for a point of any version: the analysed
// version's numbering first, then the latest version that has the point.
func (rw *reportWriter) anyPointLabel(id string) string {
	if _, ok := rw.points[id]; ok || rw.s == nil {
		return rw.pointLabel(id)
	}
	return scenarioPointLabel(rw.s, id)
}

// scenarioPointLabel is "Amnesty (point 26 of v3)" for a point of the
// latest version of s that has it, the id otherwise: its number is that of
// another version, which the label says.
func scenarioPointLabel(s *scenario.Scenario, id string) string {
	for i := len(s.Versions) - 1; i >= 0; i-- {
		for _, pt := range s.Versions[i].Points() {
			if pt.ID == id {
				return otherPointLabel(pt, s.Versions[i].ID)
			}
		}
	}
	return id
}

// changeLabel labels the points of a change from one version to another:
// a point of the analysed version by its number there, as in the rest of
// the report; any other as parley diff does, by its number in the change's
// own versions, "to" first, which the label names. The latest version
// that has the point may be neither of the two.
func (rw *reportWriter) changeLabel(ch analysis.VersionChange) func(string) string {
	return func(id string) string {
		if ref, ok := rw.points[id]; ok && ref.pt.Status != scenario.StatusDropped {
			return rw.pointLabel(id)
		}
		if rw.s == nil {
			return rw.pointLabel(id)
		}
		for _, vid := range []string{ch.To, ch.From} {
			v, ok := rw.s.Version(vid)
			if !ok {
				continue
			}
			for _, pt := range v.Points() {
				if pt.ID == id && (vid == ch.From || pt.Status != scenario.StatusDropped) {
					return otherPointLabel(pt, vid)
				}
			}
		}
		return rw.anyPointLabel(id)
	}
}

// otherPointLabel is "Amnesty (point 26 of v3)".
func otherPointLabel(pt *scenario.Point, version string) string {
	return fmt.Sprintf("%s (point%s%d of %s)", oneLine(pt.Title), nbsp, pt.Number, version)
}

// constraintShort is "ua's red line on 21. Territory: anchorage".
func (rw *reportWriter) constraintShort(c analysis.Constraint) string {
	if c.Kind == analysis.LinkageConstraint {
		if c.Party == scenario.HolderAll {
			return "the common linkage " + c.Linkage
		}
		return c.Party + "'s linkage " + c.Linkage
	}
	return c.Party + "'s red line on " + rw.optionLabel(c.Point, c.Option)
}

// scorecard writes the version as written, right after the answer: what
// it gives each party, the red lines it crosses, and how it compares with
// the efficient and fair packages.
func (rw *reportWriter) scorecard() {
	t := rw.r.TextAnalysis
	if rw.s == nil || t == nil {
		return
	}
	sc := t.Scorecard
	rw.blank()
	lead := sty("Version "+rw.r.Version+" as written", bold)
	if sc == nil && t.Trajectory != nil {
		// No point names a proposed option, but the text over time still
		// bounds what the settled points give each party.
		for _, vs := range t.Trajectory.Versions {
			if vs.Version == rw.r.Version && len(vs.Open) > 0 {
				sc = &analysis.Scorecard{VersionScore: vs}
			}
		}
	}
	if sc == nil {
		rw.para("", "  ", lead, s("proposes nothing: no point names a proposed option, so it has no scorecard (see “proposed” in docs/format.md)."))
		return
	}
	var counted, others []analysis.PartyScore
	for _, ps := range sc.Parties {
		if ps.Counted {
			counted = append(counted, ps)
		} else {
			others = append(others, ps)
		}
	}
	n := rw.opt.num
	if len(sc.Open) == 0 {
		segs := []seg{lead, s("gives:")}
		segs = append(segs, rw.scoreRow(counted, func(ps analysis.PartyScore) string { return n(*ps.Utility) })...)
		segs = append(segs, s("."))
		if len(others) > 0 {
			segs = append(segs, s("Not counted:"))
			segs = append(segs, rw.scoreRow(others, func(ps analysis.PartyScore) string { return n(*ps.Utility) })...)
			segs = append(segs, s("."))
		}
		rw.para("", "  ", segs...)
	} else {
		var open []string
		for _, id := range sc.Open {
			open = append(open, rw.anyPointLabel(id))
		}
		rw.para("", "  ", lead, s("leaves "+plural(len(sc.Open), "point", "points")+" open: "+list(open, "and")+"."))
		rng := func(ps analysis.PartyScore) string {
			if n(ps.Min) == n(ps.Max) {
				return n(ps.Min)
			}
			return n(ps.Min) + "–" + n(ps.Max)
		}
		segs := []seg{s("Whichever way they go, it gives:")}
		segs = append(segs, rw.scoreRow(counted, rng)...)
		if len(others) > 0 {
			segs = append(segs, s("; not counted:"))
			segs = append(segs, rw.scoreRow(others, rng)...)
		}
		segs = append(segs, s("."))
		rw.para("  ", "  ", segs...)
		acceptable, narrower := true, false
		for _, ps := range counted {
			acceptable = acceptable && ps.AcceptableMin != nil
			narrower = narrower || (ps.AcceptableMin != nil && rng(ps) != n(*ps.AcceptableMin)+"–"+n(*ps.AcceptableMax))
		}
		if !acceptable {
			if len(sc.Crossed) == 0 {
				rw.para("  ", "  ", s("No way of deciding them is acceptable to all."))
			}
		} else if narrower {
			segs := []seg{s("The ways acceptable to all give:")}
			segs = append(segs, rw.scoreRow(counted, func(ps analysis.PartyScore) string { return n(*ps.AcceptableMin) + "–" + n(*ps.AcceptableMax) })...)
			rw.para("  ", "  ", append(segs, s("."))...)
		}
	}
	rw.crossed(sc)
	if sc.ReservationMet != nil && !*sc.ReservationMet {
		var short []string
		for _, ps := range counted {
			if ps.Utility != nil && *ps.Utility < ps.Reservation-1e-9 {
				short = append(short, ps.Party)
			}
		}
		// The ids come last, after a colon, so that a party called "us"
		// does not read as a word of the sentence.
		what := "It leaves these parties below their reservation values, so they would rather have no agreement: "
		if len(short) == 1 {
			what = "It leaves one party below its reservation value, so that party would rather have no agreement: "
		}
		rw.para("  ", "  ", s(what+list(short, "and")+"."))
	}
	if sc.ParetoEfficient != nil && rw.r.Feasible {
		if *sc.ParetoEfficient {
			rw.para("  ", "  ", s("It is Pareto-efficient: no package acceptable to all is at least as good for every counted party and better for one."))
		} else {
			approx := ""
			if sc.Epsilon > 0 {
				approx = fmt.Sprintf(" (ε-approximate, ε = %g)", sc.Epsilon)
			}
			rw.para("  ", "  ", s(fmt.Sprintf("It is not Pareto-efficient: %s acceptable to all %s at least as good for every counted party and better for one%s; see “Better for everyone than the text” below.",
				plural(len(sc.DominatedBy), "efficient package", "efficient packages"), isAre(len(sc.DominatedBy), "is", "are"), approx)))
		}
	}
	rw.distances(sc)
}

func isAre(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// constraintsProse is "ru's red lines on line_of_contact (21. Territory)
// and consensus (7. NATO membership) and the common linkage l1", one
// phrase per party.
func (rw *reportWriter) constraintsProse(cs []analysis.Constraint) string {
	var order []string
	by := make(map[string][]string)
	var links []string
	for _, c := range cs {
		if c.Kind == analysis.LinkageConstraint {
			links = append(links, rw.constraintShort(c))
			continue
		}
		if _, ok := by[c.Party]; !ok {
			order = append(order, c.Party)
		}
		by[c.Party] = append(by[c.Party], c.Option+" ("+rw.anyPointLabel(c.Point)+")")
	}
	var parts []string
	for _, p := range order {
		parts = append(parts, p+"'s "+isAre(len(by[p]), "red line", "red lines")+" on "+list(by[p], "and"))
	}
	return list(append(parts, links...), "and")
}

// scoreRow is "us 0.81 · ua 0.74", values below a counted party's
// reservation in amber.
func (rw *reportWriter) scoreRow(ps []analysis.PartyScore, cell func(analysis.PartyScore) string) []seg {
	var segs []seg
	for _, p := range ps {
		st := plain
		if p.Counted && p.Max < p.Reservation-1e-9 {
			st = amber
		}
		segs = append(segs, sty(p.Party+nbsp+cell(p), st))
	}
	return dotted(segs)
}

// crossed says which red lines and linkages the version crosses, and
// whether that makes it unacceptable.
func (rw *reportWriter) crossed(sc *analysis.Scorecard) {
	if len(sc.Crossed) == 0 {
		if sc.AcceptableToAll != nil && *sc.AcceptableToAll {
			rw.para("  ", "  ", s("It crosses no red line: it is acceptable to all."))
		} else if len(sc.Open) > 0 {
			rw.para("  ", "  ", s("What it proposes crosses no red line."))
		}
		return
	}
	var blocking, shownOnly []analysis.Constraint
	for _, c := range sc.Crossed {
		if c.Party == scenario.HolderAll || rw.counted(c.Party) {
			blocking = append(blocking, c)
		} else {
			shownOnly = append(shownOnly, c)
		}
	}
	pre := "It crosses "
	if len(sc.Open) > 0 {
		pre = "Whatever the open points become, it crosses "
	}
	if len(blocking) > 0 {
		rw.para("  ", "  ", s(pre+rw.constraintsProse(blocking)+", so it is not acceptable to all."))
		pre = "It also crosses "
	}
	if len(shownOnly) > 0 {
		rw.para("  ", "  ", s(pre+rw.constraintsProse(shownOnly)+", which blocks nothing: "+isAre(len(shownOnly), "that party is", "those parties are")+" not counted."))
	}
}

// distances says how far the version is from the Nash and
// Kalai–Smorodinsky packages, once when they coincide.
func (rw *reportWriter) distances(sc *analysis.Scorecard) {
	type named struct {
		name string
		d    *analysis.Distance
	}
	var ds []named
	for _, d := range []named{{"Nash", sc.Nash}, {"Kalai–Smorodinsky", sc.KalaiSmorodinsky}} {
		if d.d == nil {
			continue
		}
		if len(ds) == 1 && slices.Equal(ds[0].d.Points, d.d.Points) && slices.Equal(ds[0].d.Gaps, d.d.Gaps) {
			ds[0].name += " and " + d.name
			continue
		}
		ds = append(ds, d)
	}
	for _, d := range ds {
		name, verb := "The "+d.name+" package", " differs"
		if strings.Contains(d.name, " and ") {
			name, verb = "The "+d.name+" packages (the same)", " differ"
		}
		if len(d.d.Points) == 0 {
			rw.para("  ", "  ", s(name+strings.TrimSuffix(strings.Replace(verb, "differ", "are", 1), "s")+" the text as written."))
			continue
		}
		var pts []string
		for _, p := range d.d.Points {
			pts = append(pts, rw.anyPointLabel(p))
		}
		var cells []seg
		for k, id := range rw.r.Parties {
			cells = append(cells, s(id+nbsp+rw.opt.signed(d.d.Gaps[k])))
		}
		segs := append([]seg{s(name + verb + " on " + list(pts, "and") + "; against the text " + map[string]string{" differs": "it gives:", " differ": "they give:"}[verb])}, dotted(cells)...)
		rw.para("  ", "  ", append(segs, s("."))...)
	}
}

// whatIf says who is counted, whose views are shown only, the date of the
// positions and the what-if changes applied, near the top.
func (rw *reportWriter) whatIf() {
	t := rw.r.TextAnalysis
	if rw.s == nil || t == nil {
		return
	}
	rw.blank()
	var counted []string
	for _, id := range rw.r.Parties {
		if p, ok := rw.s.Party(id); ok && p.Role != scenario.RoleParty {
			counted = append(counted, id+" (the "+string(p.Role)+", counted as it bargains)")
			continue
		}
		counted = append(counted, id)
	}
	segs := []seg{sty("Counted", bold), s("in the fair packages: " + list(counted, "and") + ".")}
	if len(t.NotCounted) > 0 {
		var names []string
		for _, id := range t.NotCounted {
			role := "no role"
			if p, ok := rw.s.Party(id); ok {
				role = "the " + string(p.Role)
			}
			names = append(names, id+" ("+role+")")
		}
		segs = append(segs, s("Shown but not counted: "+list(names, "and")+"; "+isAre(len(names), "its", "their")+" stances and utilities are shown, and --count changes who is counted."))
	}
	when := "Judged by each party's latest position."
	if t.AsOf != "" {
		when = "Judged by the positions held on " + t.AsOf + "."
	}
	segs = append(segs, s(when))
	rw.para("", "  ", segs...)
	for _, wa := range t.Warnings {
		rw.para("", "  ", sty("Warning:", amber), s(sentence(wa.Message)))
	}
}

// whatIfBanner states the what-if changes applied before anything else,
// so that no one reads a hypothetical answer as the real one.
func (rw *reportWriter) whatIfBanner() {
	t := rw.r.TextAnalysis
	if rw.s == nil || t == nil || len(t.Changes) == 0 {
		return
	}
	rw.blank()
	rw.para("", "  ", sty("What if:", amber), s("this analysis is hypothetical; it applies these changes, which are not in the file:"))
	for _, c := range t.Changes {
		rw.para("  - ", "    ", s(rw.changeProse(c)+"."))
	}
}

// changeProse says what a what-if change does, in the report's words.
func (rw *reportWriter) changeProse(c analysis.Change) string {
	g := func(p *float64) string {
		if p == nil {
			return "?"
		}
		return fmt.Sprintf("%g", *p)
	}
	switch c.Kind {
	case analysis.LiftChange:
		return fmt.Sprintf("%s's red line on %s is lifted (the option is worth %s to %s)", c.Party, rw.optionLabel(c.Point, c.Option), g(c.To), c.Party)
	case analysis.ReservationChange:
		return fmt.Sprintf("%s's reservation value is %s instead of %s", c.Party, g(c.To), g(c.From))
	case analysis.WeightChange:
		return fmt.Sprintf("%s's weight on %s is %s instead of %s", c.Party, rw.anyPointLabel(c.Point), g(c.To), g(c.From))
	case analysis.CountChange:
		return "counted in the fair packages: " + list(c.Parties, "and")
	}
	return c.String()
}

// improvements writes the efficient packages that every counted party
// likes at least as much as the version as written, spelled out against
// its proposal.
func (rw *reportWriter) improvements() {
	t := rw.r.TextAnalysis
	if rw.s == nil || t == nil || t.Scorecard == nil || len(t.Scorecard.DominatedBy) == 0 {
		return
	}
	sc := t.Scorecard
	rw.opt.heading(rw.w, "Better for everyone than the text")
	rw.para("", "", sty("Efficient packages acceptable to all that every counted party likes at least as much as version "+rw.r.Version+" as written, each with what it changes in the text.", dim))
	for i, d := range sc.DominatedBy {
		if i == 3 {
			rw.blank()
			rw.para("", "", s(fmt.Sprintf("… and %d more: parley improve --from %s lists them, --json has all.", len(sc.DominatedBy)-3, rw.r.Version)))
			break
		}
		rw.blank()
		var cells []seg
		for k, id := range rw.r.Parties {
			cell := id + nbsp + rw.opt.num(d.Utilities[k])
			if w := rw.writtenUtility(id); w != nil {
				cell += nbsp + "(" + rw.opt.signed(d.Utilities[k]-*w) + ")"
			}
			cells = append(cells, s(cell))
		}
		rw.para("   ", "       ", append([]seg{sty(fmt.Sprintf("%d.", i+1), bold)}, dotted(cells)...)...)
		rw.choices(d.Package, sc.Proposed)
	}
}

// writtenUtility is a party's utility of the version as written, nil
// while points are open.
func (rw *reportWriter) writtenUtility(id string) *float64 {
	if t := rw.r.TextAnalysis; t != nil && t.Scorecard != nil {
		for _, ps := range t.Scorecard.Parties {
			if ps.Party == id {
				return ps.Utility
			}
		}
	}
	return nil
}

// concessions writes what each party gives up against its best option on
// every point, in each package the report proposes: the version as
// written, the fair packages and the relaxations' Nash packages.
func (rw *reportWriter) concessions() {
	t := rw.r.TextAnalysis
	if rw.s == nil || t == nil || len(t.Concessions) == 0 {
		return
	}
	rw.opt.heading(rw.w, "Concessions")
	rw.para("", "", sty("What each party gives up against the best option this version offers it on each point (not its best over all versions), largest first, rounded so that the parts add up to the total.", dim))
	writeConcessionList(rw.w, &rw.opt.layout, t.Concessions, rw.concessionName, rw.anyPointLabel, 3)
}

// concessionName names the package of a concessions entry for people.
func (rw *reportWriter) concessionName(of string) (string, bool) {
	return concessionName(rw.r.Version, of)
}

var solutionNames = map[string]string{
	"nash": "Nash", "kalai_smorodinsky": "Kalai–Smorodinsky", "maximin": "maximin", "utilitarian": "utilitarian",
}

// concessionName names the package of a concessions entry: "Version v2
// as written", "The Nash package", "Lifting 2: the Nash package".
func concessionName(version, of string) (string, bool) {
	switch {
	case of == "scorecard":
		return "Version " + version + " as written", true
	case of == "baseline":
		return "The baseline", true
	case strings.HasPrefix(of, "solutions."):
		return "The " + solutionNames[strings.TrimPrefix(of, "solutions.")] + " package", true
	case strings.HasPrefix(of, "relaxations["):
		var i int
		var key string
		if _, err := fmt.Sscanf(of, "relaxations[%d].solutions.%s", &i, &key); err == nil {
			return fmt.Sprintf("Lifting %d: the %s package", i+1, solutionNames[key]), true
		}
	case strings.HasPrefix(of, "improvements."):
		return "The " + solutionNames[strings.TrimPrefix(of, "improvements.")] + " improvement", true
	}
	return "", false
}

// writeConcessionList writes each package's concessions: packages that
// coincide once, relaxations by their Nash package only and at most
// maxRelax of them; one sentence when nobody concedes anything.
func writeConcessionList(w io.Writer, l *layout, cs []analysis.Concessions, name func(string) (string, bool), label func(string) string, maxRelax int) {
	type entry struct {
		names []string
		c     analysis.Concessions
	}
	var entries []*entry
	shownRelax, moreRelax := 0, 0
	for _, c := range cs {
		nm, ok := name(c.Of)
		if !ok {
			continue
		}
		if strings.HasPrefix(c.Of, "relaxations[") {
			if !strings.HasSuffix(c.Of, ".nash") {
				continue
			}
			if shownRelax == maxRelax {
				moreRelax++
				continue
			}
			shownRelax++
		}
		merged := false
		for _, e := range entries {
			relax := strings.HasPrefix(c.Of, "relaxations[") && strings.HasPrefix(e.c.Of, "relaxations[")
			if (maps.Equal(e.c.Package, c.Package) && !relax) || (relax && sameCosts(e.c, c)) {
				e.names = append(e.names, nm)
				merged = true
				break
			}
		}
		if !merged {
			entries = append(entries, &entry{[]string{nm}, c})
		}
	}
	for _, e := range entries {
		fmt.Fprintln(w)
		title := e.names[0]
		if strings.HasPrefix(e.c.Of, "relaxations[") && len(e.names) > 1 {
			// Relaxations whose Nash packages cost every party the same on
			// the same points, though the option lifted differs.
			var nums []string
			for _, nm := range e.names {
				nums = append(nums, strings.TrimPrefix(strings.TrimSuffix(nm, ": the Nash package"), "Lifting "))
			}
			title = "Lifting " + list(nums, "or") + ": the Nash package (the same costs)"
		} else if len(e.names) > 1 {
			// "The Nash = Kalai–Smorodinsky package".
			var kinds []string
			suffix := ""
			for _, nm := range e.names {
				i := strings.LastIndexByte(nm, ' ')
				if !strings.HasPrefix(nm, "The ") || i <= len("The ") {
					kinds = nil
					break
				}
				kinds = append(kinds, nm[len("The "):i])
				suffix = nm[i:]
			}
			if kinds != nil {
				title = "The " + strings.Join(kinds, " = ") + suffix
			} else {
				title = strings.Join(e.names, " = ")
			}
		}
		nobody := true
		for _, pc := range e.c.Parties {
			nobody = nobody && len(pc.Points) == 0
		}
		if nobody {
			l.para(w, "", "  ", sty(title+":", bold), s("nobody gives up anything: on every point, each party has the best of the options this version offers (what they are worth to it is in the utilities above)."))
			continue
		}
		l.para(w, "", "  ", sty(title, bold))
		for _, pc := range e.c.Parties {
			who := pc.Party
			if !pc.Counted {
				who += " (not counted)"
			}
			if len(pc.Points) == 0 {
				l.para(w, "  ", "      ", s(who+" gives up nothing."))
				continue
			}
			// The first three points, then the rest in one sum; rounded so
			// that what is printed adds up to the total printed.
			named := pc.Points[:min(3, len(pc.Points))]
			costs := make([]float64, 0, len(named)+1)
			for _, p := range named {
				costs = append(costs, p.Cost)
			}
			if len(pc.Points) > len(named) {
				rest := 0.0
				for _, q := range pc.Points[len(named):] {
					rest += q.Cost
				}
				costs = append(costs, rest)
			}
			total, shown := analysis.RoundParts(pc.Cost, costs, l.precision)
			var parts []string
			for i, p := range named {
				part := label(p.Point) + " (" + l.signed(-shown[i])
				if p.RedLine {
					part += ", its red line"
				}
				parts = append(parts, part+")")
			}
			if len(shown) > len(named) {
				parts = append(parts, fmt.Sprintf("%d more (%s)", len(pc.Points)-len(named), l.signed(-shown[len(named)])))
			}
			l.para(w, "  ", "      ", s(fmt.Sprintf("%s gives up %s: %s.", who, l.num(total), list(parts, "and"))))
		}
	}
	if moreRelax > 0 {
		fmt.Fprintln(w)
		l.para(w, "", "", s(fmt.Sprintf("The Nash packages of %s are left out here; --json has every package.", plural(moreRelax, "more relaxation", "more relaxations"))))
	}
}

// sameCosts reports whether two packages cost every party the same on the
// same points.
func sameCosts(a, b analysis.Concessions) bool {
	if len(a.Parties) != len(b.Parties) {
		return false
	}
	for i := range a.Parties {
		pa, pb := a.Parties[i], b.Parties[i]
		if pa.Party != pb.Party || len(pa.Points) != len(pb.Points) {
			return false
		}
		for j := range pa.Points {
			if pa.Points[j].Point != pb.Points[j].Point || math.Abs(pa.Points[j].Cost-pb.Points[j].Cost) > 1e-9 || pa.Points[j].RedLine != pb.Points[j].RedLine {
				return false
			}
		}
	}
	return true
}

// trajectory writes the text over time: every version as written, and
// who gained and who lost in the change that led to this version and in
// the pairs asked for with --compare.
func (rw *reportWriter) trajectory() {
	t := rw.r.TextAnalysis
	if rw.s == nil || t == nil || t.Trajectory == nil || len(t.Trajectory.Versions) == 0 {
		return
	}
	tr := t.Trajectory
	rw.opt.heading(rw.w, "The text over time")
	judged := "judged by the positions held at its date"
	if d := tr.Versions[0].AsOf; d != "" {
		same := true
		for _, vs := range tr.Versions {
			same = same && vs.AsOf == d
		}
		if same && len(tr.Versions) > 1 {
			judged = "all judged by the positions held on " + d
		}
	}
	rw.para("", "", sty("Each version as written, "+judged+"; a range where points are open; ! where it crosses the party's own red line.", dim))
	rw.blank()
	rw.versionTable(tr)
	consecutive := len(tr.Versions) - 1
	var shown []analysis.VersionChange
	for i, ch := range tr.Changes {
		if i >= consecutive || ch.To == rw.r.Version {
			shown = append(shown, ch)
		}
	}
	for _, ch := range shown {
		rw.blank()
		writeVersionChange(rw.w, &rw.opt.layout, ch, rw.changeLabel(ch), 5)
	}
	if len(tr.Changes) > len(shown) {
		rw.blank()
		rw.para("", "", sty("parley diff A B shows who gained between any two versions; --compare A,B adds them here.", dim))
	}
}

// versionTable writes one row per version and one column per party; when
// that is wider than the page, one paragraph per version.
func (rw *reportWriter) versionTable(tr *analysis.Trajectory) {
	cells := make([][]string, len(tr.Versions))
	labels := make([]string, len(tr.Versions))
	for i, vs := range tr.Versions {
		labels[i] = vs.Version
		if vs.Date != "" {
			labels[i] += "  " + vs.Date
		}
		for _, id := range tr.Parties {
			cells[i] = append(cells[i], rw.versionCell(vs, id))
		}
	}
	heads := make([]string, len(tr.Parties))
	for j, id := range tr.Parties {
		heads[j] = id
		if !rw.counted(id) {
			heads[j] += "*"
		}
	}
	lw := 0
	for _, l := range labels {
		lw = max(lw, runeLen(l))
	}
	cw := make([]int, len(heads))
	total := 2 + lw
	for j := range heads {
		cw[j] = runeLen(heads[j])
		for i := range cells {
			cw[j] = max(cw[j], runeLen(cells[i][j]))
		}
		total += 2 + cw[j]
	}
	notCounted := ""
	for _, h := range heads {
		if strings.HasSuffix(h, "*") {
			notCounted = "* not counted in this version's fair packages. "
		}
	}
	if total+len(" ◂") <= rw.width() {
		line := "  " + pad("", lw)
		for j, h := range heads {
			line += "  " + pad(h, cw[j])
		}
		fmt.Fprintln(rw.w, strings.TrimRight(line, " "))
		for i := range labels {
			line := "  " + pad(labels[i], lw)
			for j := range heads {
				line += "  " + pad(cells[i][j], cw[j])
			}
			line = strings.TrimRight(line, " ")
			if tr.Versions[i].Version == rw.r.Version {
				line += " ◂"
			}
			fmt.Fprintln(rw.w, line)
		}
	} else {
		for i, vs := range tr.Versions {
			var row []seg
			for j := range tr.Parties {
				row = append(row, s(heads[j]+nbsp+cells[i][j]))
			}
			segs := append([]seg{sty(labels[i]+":", bold)}, dotted(row)...)
			if vs.Version == rw.r.Version {
				segs = append(segs, s("◂"))
			}
			rw.para("  ", "      ", segs...)
		}
	}
	legend := notCounted + "◂ this version."
	for i := range cells {
		if slices.Contains(cells[i], "–") {
			legend = notCounted + "◂ this version; “–” no position at that date."
			break
		}
	}
	rw.para("", "", sty(legend, dim))
}

// dotted separates cells by "·", kept at the end of a line when the row
// wraps.
func dotted(cells []seg) []seg {
	out := slices.Clone(cells)
	for i := 0; i < len(out)-1; i++ {
		out[i].text += nbsp + "·"
	}
	return out
}

func pad(s string, n int) string { return s + strings.Repeat(" ", max(0, n-runeLen(s))) }

// versionCell is a party's utility of a version as written: "0.26!",
// "0.38–0.70", or "–" without a position.
func (rw *reportWriter) versionCell(vs analysis.VersionScore, id string) string {
	return scoreCell(&rw.opt.layout, &vs, id)
}

// scoreCell is a party's utility of a version as written: "0.26!",
// "0.38–0.70", or "–" without a position.
func scoreCell(l *layout, vs *analysis.VersionScore, id string) string {
	if vs == nil {
		return "–"
	}
	for _, ps := range vs.Parties {
		if ps.Party != id {
			continue
		}
		c := l.num(ps.Min) + "–" + l.num(ps.Max)
		if l.num(ps.Min) == l.num(ps.Max) {
			c = l.num(ps.Min)
		}
		if ps.Utility != nil {
			c = l.num(*ps.Utility)
		}
		if len(ps.Crossed) > 0 {
			c += "!"
		}
		return c
	}
	return "–"
}

// writeVersionChange writes who gained and who lost from one version to
// another and the points that moved them, the largest first, at most
// maxPoints of them (all when maxPoints is 0).
func writeVersionChange(w io.Writer, l *layout, ch analysis.VersionChange, label func(string) string, maxPoints int) {
	when := "each party's latest positions"
	if ch.AsOf != "" {
		when = "the positions of " + ch.AsOf
	}
	l.para(w, "", "  ", sty(ch.From+" → "+ch.To, bold), sty("(point by point with "+when+")", dim))
	var gained, lost, same, unknown []string
	open := len(ch.Open) > 0
	for _, pc := range ch.Parties {
		who := pc.Party
		if !pc.Counted {
			who += " (not counted)"
		}
		switch {
		case pc.Change == nil && pc.ChangeMin != nil:
			lo, hi := l.changeRange(pc)
			r := l.signed(lo) + nbsp + "to" + nbsp + l.signed(hi)
			if l.signed(lo) == l.signed(hi) {
				r = l.signed(lo)
			}
			unknown = append(unknown, who+nbsp+r)
		case pc.Change == nil:
			unknown = append(unknown, who+" (no position then)")
		case pc.Verdict == "gained" || pc.Verdict == "lost":
			part := who + nbsp + l.num(math.Abs(l.change(*pc.From, *pc.To)))
			if pc.Positions != nil && math.Abs(*pc.Positions) >= 0.5*math.Pow10(-l.precision) {
				part += " (" + l.signed(*pc.Positions) + " from its own change of position)"
			}
			if pc.Verdict == "gained" {
				gained = append(gained, part)
			} else {
				lost = append(lost, part)
			}
		default:
			same = append(same, who)
		}
	}
	var sentences []string
	if len(gained) > 0 {
		sentences = append(sentences, "Gained: "+list(gained, "and")+".")
	}
	if len(lost) > 0 {
		sentences = append(sentences, "Lost: "+list(lost, "and")+".")
	}
	if len(same) > 0 {
		sentences = append(sentences, "Unchanged: "+list(same, "and")+".")
	}
	if len(unknown) > 0 {
		if open {
			var pts []string
			for _, p := range ch.Open {
				pts = append(pts, label(p))
			}
			sentences = append(sentences, "With "+list(pts, "and")+" open in either version, each party's change lies within: "+strings.Join(unknown, nbsp+"· ")+".")
		} else {
			sentences = append(sentences, "Unknown: "+list(unknown, "and")+".")
		}
	}
	l.para(w, "  ", "  ", s(strings.Join(sentences, " ")))
	writeChangePoints(w, l, ch, label, maxPoints)
}

// writeChangePoints writes the points that moved someone from one version
// to another, the largest effect first, at most maxPoints of them (all
// when maxPoints is 0), and those that moved nobody in one line.
func writeChangePoints(w io.Writer, l *layout, ch analysis.VersionChange, label func(string) string, maxPoints int) {
	// The points that moved someone, largest effect first.
	points := ch.ByEffect()
	var quiet []string
	shownN := 0
	var rest []analysis.PointChange
	for _, p := range points {
		if p.Effect() < 0.5*math.Pow10(-l.precision) {
			quiet = append(quiet, label(p.Point))
			continue
		}
		if maxPoints > 0 && shownN == maxPoints {
			rest = append(rest, p)
			continue
		}
		shownN++
		from, to := p.From, p.To
		what := from + " → " + to
		switch {
		case from == "":
			what = "added, " + to
		case to == "":
			what = "dropped (was " + from + ")"
		case from == to:
			what = to + ", its weight share changed"
		}
		var cells []seg
		for i, c := range p.Contributions {
			if c == nil || math.Abs(*c) < 0.5*math.Pow10(-l.precision) {
				continue
			}
			cells = append(cells, s(ch.Parties[i].Party+nbsp+l.signed(*c)))
		}
		l.para(w, "    ", "      ", append([]seg{s(label(p.Point) + ":"), sty(what, dim), s("—")}, dotted(cells)...)...)
	}
	if len(rest) > 0 {
		m := rest[0].Effect()
		l.para(w, "    ", "      ", s(fmt.Sprintf("… and %s, each moving no party more than %s (--json has all).", plural(len(rest), "more point", "more points"), l.num(m))))
	}
	if len(quiet) > 0 {
		l.para(w, "    ", "      ", sty("Changed with no visible effect on anyone: "+list(quiet, "and")+".", dim))
	}
}
