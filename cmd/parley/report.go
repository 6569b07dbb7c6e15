package main

import (
	"bufio"
	"fmt"
	"io"
	"strings"

	"parley/analysis"
	"parley/scenario"
)

// reportOptions tune the human report of "parley analyze".
type reportOptions struct {
	layout
	// all shows settled points in full instead of one line per block.
	all bool
	// frontier is the number of frontier packages listed.
	frontier int
	// maxRelaxations is the bound the analysis ran with, to say when the
	// list of relaxations may be cut short.
	maxRelaxations int
	// sensitivityNotes say which part of the sensitivity analysis is left
	// out, and why.
	sensitivityNotes []string
}

// reportWriter renders one analysis for a person. Its sections, in order,
// are listed by sections; each writes nothing or a whole section.
type reportWriter struct {
	w   *bufio.Writer
	opt reportOptions
	in  *input
	r   *analysis.Report
	s   *scenario.Scenario // nil for research domains
	v   *scenario.Version  // nil for research domains
	// points of the version by id, with their block.
	points map[string]pointRef
	// views are the positions the version is judged by, by party.
	views map[string]*scenario.Position
}

type pointRef struct {
	pt    *scenario.Point
	block *scenario.Block
}

// writeReport prints the analysis for people.
func writeReport(w io.Writer, in *input, r *analysis.Report, opt reportOptions) error {
	rw := &reportWriter{w: bufio.NewWriter(w), opt: opt, in: in, r: r, s: in.Scenario}
	if rw.s != nil {
		rw.v, _ = rw.s.Version(r.Version)
	}
	rw.index()
	for _, section := range rw.sections() {
		section()
	}
	return rw.w.Flush()
}

// sections is the order of the report: the answer first, then the text,
// the conflicts and the packages, then the detail.
func (rw *reportWriter) sections() []func() {
	return []func(){
		rw.header,
		rw.whatIfBanner, // hypothetical changes, before any answer
		rw.answer,
		rw.scorecard, // the version as written, per party
		rw.whatIf,    // who is counted, the positions' date, what-if changes
		rw.notes,
		rw.parties,
		rw.text,
		rw.conflicts,
		rw.packages,
		rw.improvements, // packages every party prefers to the version as written
		rw.concessions,  // what each party gives up between versions
		rw.trajectory,   // the versions so far, per party
		rw.frontier,
		rw.sensitivity,
	}
}

func (rw *reportWriter) index() {
	rw.points = make(map[string]pointRef)
	rw.views = make(map[string]*scenario.Position)
	if rw.v == nil {
		return
	}
	for i := range rw.v.Blocks {
		b := &rw.v.Blocks[i]
		for j := range b.Points {
			rw.points[b.Points[j].ID] = pointRef{&b.Points[j], b}
		}
	}
	for _, pos := range rw.s.PositionsAt(rw.v.Date) {
		rw.views[pos.Party] = pos
	}
}

func (rw *reportWriter) para(first, rest string, segs ...seg) {
	rw.opt.para(rw.w, first, rest, segs...)
}

func (rw *reportWriter) blank() { fmt.Fprintln(rw.w) }

// header names the scenario and the version.
func (rw *reportWriter) header() {
	sub := ""
	if rw.v != nil {
		sub = "Version " + rw.v.ID
		if rw.v.Title != "" {
			sub += ": " + rw.v.Title
		}
		if rw.v.Date != "" {
			sub += ", " + rw.v.Date
		}
		if rw.v.Author != "" {
			sub += ", drafted by " + rw.partyName(rw.v.Author)
		}
	}
	rw.opt.titleBlock(rw.w, rw.r.Title, sub)
	if n := rw.in.ViewNote; n != "" {
		// Whose view this is comes before anything computed from it.
		rw.blank()
		rw.para("", "", sty(n, amber))
	}
}

func (rw *reportWriter) width() int { return max(rw.opt.width, minWidth) }

// answer says first whether there is a zone of agreement, what blocks it
// and what would open it.
func (rw *reportWriter) answer() {
	r := rw.r
	rw.blank()
	switch {
	case r.ZoneOfAgreement:
		rw.para("", "", sty("A zone of agreement is open:", green+";1"),
			s(acceptableOf(r)+", and some give every party at least its "+rw.disagreementWords()+"."))
		if n := r.Solutions.Nash; n != nil && len(r.Parties) == 1 {
			rw.para("", "", s("The best package for "+r.Parties[0]+" gives it "+rw.opt.num(n.Utilities[0])+"."))
		} else if n != nil {
			var cells []seg
			for k, id := range r.Parties {
				cells = append(cells, s(id+nbsp+rw.opt.num(n.Utilities[k])))
			}
			rw.para("", "  ", append(append([]seg{s("The Nash package gives:")}, dotted(cells)...), s("."))...)
		}
		return
	case r.Feasible:
		rw.para("", "", sty("No zone of agreement:", red),
			s(acceptableOf(r)+", but none gives every party its "+rw.disagreementWords()+"."))
	default:
		rw.para("", "", sty("No zone of agreement:", red),
			s(fmt.Sprintf("none of the %s is acceptable to all parties.", pluralBig(r.Outcomes.Int, "package", "packages"))))
	}
	for _, c := range r.Conflicts {
		whose := "the red lines of " + list(c.Parties, "and")
		if len(c.Parties) == 1 {
			whose = c.Parties[0] + "'s red lines"
		}
		rw.para("", "  ", s("Red lines collide on "+rw.conflictPoints(c)+": "+whose+" leave no option acceptable to all."))
	}
	switch {
	case r.RelaxationSize < 0:
		rw.para("", "", s("Nothing would open a zone: even with every red line and linkage lifted, no package gives every party its "+rw.disagreementWords()+"."))
	case len(r.Relaxations) == 0:
		rw.para("", "", s("No relaxation was found that opens a zone."))
	default:
		var alts []string
		for _, rel := range r.Relaxations {
			var lifts []string
			for _, c := range rel.Lift {
				lifts = append(lifts, rw.constraintProse(c))
			}
			alts = append(alts, list(lifts, "and"))
		}
		what := "constraint"
		allRedLines := true
		for _, rel := range r.Relaxations {
			for _, c := range rel.Lift {
				allRedLines = allRedLines && c.Kind == analysis.RedLineConstraint
			}
		}
		if allRedLines {
			what = "red line"
		}
		what = "Lifting " + plural(r.RelaxationSize, what, what+"s") + " would open a zone: "
		if r.RelaxationSize == 1 {
			what = strings.Replace(what, "1 ", "one ", 1)
		}
		more := ""
		if len(alts) > 3 {
			more = ", or one of " + plural(len(alts)-3, "more set", "more sets") + " listed below"
			if len(alts) == 4 {
				more = ", or one more set listed below"
			}
			alts = alts[:3]
		}
		rw.para("", "  ", s(what+list(alts, "or")+more+"."))
	}
}

// acceptableOf is "4 of the 6 packages are acceptable to all".
func acceptableOf(r *analysis.Report) string {
	verb := "are"
	if a := r.Acceptable.Int; a != nil && a.IsInt64() && a.Int64() == 1 {
		verb = "is"
	}
	return fmt.Sprintf("%s of the %s %s acceptable to all", groupDigits(r.Acceptable.Int), pluralBig(r.Outcomes.Int, "package", "packages"), verb)
}

func (rw *reportWriter) disagreementWords() string {
	for k := range rw.r.Disagreement {
		if rw.r.Disagreement[k] != rw.r.Reservation[k] {
			return "disagreement value"
		}
	}
	return "reservation value"
}

// notes repeat the scenario's disclaimer and say what the reading changed
// and who is left out.
func (rw *reportWriter) notes() {
	var notes []string
	if rw.r.Disclaimer != "" {
		notes = append(notes, oneLine(rw.r.Disclaimer))
	}
	notes = append(notes, rw.in.Notes...)
	if len(notes) == 0 {
		return
	}
	rw.blank()
	for _, n := range notes {
		rw.para("Note: ", "      ", s(n))
	}
}

// parties lists who is at the table.
func (rw *reportWriter) parties() {
	rw.opt.heading(rw.w, "Parties")
	// The third column, "role, reservation V", of each party; the names
	// are clipped only to what the widest of them leaves.
	rests := make(map[string]string)
	for _, id := range rw.shown() {
		role := "party" // a research profile is a party
		if rw.s != nil {
			role = ""
			if p, ok := rw.s.Party(id); ok {
				role = string(p.Role)
			}
		}
		rest := fmt.Sprintf("reservation %s", rw.opt.num(rw.reservationOf(id)))
		if !rw.counted(id) {
			rest = "not counted, " + rest
		}
		if role != "" {
			rest = role + ", " + rest
		}
		rests[id] = rest
	}
	idw, namew, restw := 0, 0, 0
	for _, id := range rw.shown() {
		idw = max(idw, runeLen(id))
		if name := rw.partyName(id); name != id {
			namew = max(namew, runeLen(name))
		}
		restw = max(restw, runeLen(rests[id]))
	}
	if namew > 0 {
		namew = max(min(namew, rw.width()-6-idw-restw), 10)
	}
	for _, id := range rw.shown() {
		name, rest := rw.partyName(id), rests[id]
		shown := clipTo(name, namew)
		if name == id {
			shown = ""
		}
		cells := fmt.Sprintf("  %-*s", idw, id)
		if namew > 0 {
			cells += fmt.Sprintf("  %-*s", namew, shown)
		}
		if runeLen(cells)+2+runeLen(rest) > rw.width() {
			rw.para("  ", "      ", s(id+" "+name+" — "+rest))
			continue
		}
		fmt.Fprintln(rw.w, strings.TrimRight(cells+"  "+rest, " "))
	}
}

// partyName returns the party's name, or its id when unknown.
func (rw *reportWriter) partyName(id string) string {
	if rw.s != nil {
		if p, ok := rw.s.Party(id); ok && p.Name != "" {
			return oneLine(p.Name)
		}
	}
	return id
}

// pointLabel is "14. Territory" for a scenario point, the id otherwise.
func (rw *reportWriter) pointLabel(id string) string {
	if ref, ok := rw.points[id]; ok {
		return fmt.Sprintf("%d.%s%s", ref.pt.Number, nbsp, oneLine(ref.pt.Title))
	}
	return id
}

// conflictPoints names the points of a conflict: those the red lines are
// on, then the others a linkage joins to them: "14. Territory (joined by a
// linkage to 20. Ceasefire)".
func (rw *reportWriter) conflictPoints(c analysis.Conflict) string {
	onRedLine := make(map[string]bool)
	for _, o := range c.Options {
		for _, b := range o.Blockers {
			if b.Kind != analysis.LinkageConstraint {
				onRedLine[b.Point] = true
			}
		}
	}
	var red, joined []string
	for _, id := range c.Points {
		if onRedLine[id] {
			red = append(red, rw.pointLabel(id))
		} else {
			joined = append(joined, rw.pointLabel(id))
		}
	}
	if len(red) == 0 || len(joined) == 0 {
		return rw.pointList(c.Points)
	}
	return list(red, "and") + " (joined by a linkage to " + list(joined, "and") + ")"
}

// pointList names points in prose: "14. Territory and 20. Ceasefire".
func (rw *reportWriter) pointList(ids []string) string {
	var names []string
	for _, id := range ids {
		names = append(names, rw.pointLabel(id))
	}
	if len(ids) > 1 {
		return list(names, "and") + " (decided together: a linkage joins them)"
	}
	return list(names, "and")
}

// constraintProse is "ru's red line on line_of_contact (14. Territory)".
func (rw *reportWriter) constraintProse(c analysis.Constraint) string {
	if c.Kind == analysis.LinkageConstraint {
		holder := c.Party + "'s"
		if c.Party == scenario.HolderAll {
			holder = "the common"
		}
		return holder + " linkage " + c.Linkage
	}
	return fmt.Sprintf("%s's red line on %s (%s)", c.Party, c.Option, rw.pointLabel(c.Point))
}

// utilityRow is "us 0.81  ua 0.74  ru 0.62  eu 0.70".
func (rw *reportWriter) utilityRow(u []float64) []seg {
	var segs []seg
	for k, id := range rw.r.Parties {
		st := plain
		if u[k] < rw.r.Disagreement[k] {
			st = amber
		}
		if k > 0 {
			segs = append(segs, s("·"))
		}
		segs = append(segs, sty(id+nbsp+rw.opt.num(u[k]), st))
	}
	return segs
}

// reasonOf returns the party's stance on an option as the version is
// judged: its reason, and whether it was found.
func (rw *reportWriter) stanceOf(party, point, option string) (scenario.OptionStance, bool) {
	pos := rw.views[party]
	if pos == nil {
		return scenario.OptionStance{}, false
	}
	for _, pp := range pos.Points {
		if pp.Point != point {
			continue
		}
		for _, os := range pp.Options {
			if os.Option == option {
				return os, true
			}
		}
	}
	return scenario.OptionStance{}, false
}

// sourceProse is "Reuters, 2025-11-24" or "AP, around 2025-12-29".
func sourceProse(src scenario.Source) string {
	d := src.Date
	if src.Approximate {
		d = "around " + d
	}
	return oneLine(src.Outlet) + ", " + d
}

// stanceWords and stanceStyles render a stance.
var stanceStyles = map[scenario.Stance]string{
	scenario.Support:   green,
	scenario.Accept:    green,
	scenario.Reluctant: amber,
	scenario.Object:    amber,
	scenario.RedLine:   red,
}

func stanceWord(st scenario.Stance) string {
	if st == scenario.RedLine {
		return "red line"
	}
	return string(st)
}
