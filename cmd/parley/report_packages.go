package main

import (
	"fmt"
	"maps"
	"strings"
	"unicode"
	"unicode/utf8"

	"parley/analysis"
)

// solutionGroup is one package found by one or more solution concepts.
type solutionGroup struct {
	names []string
	o     *analysis.Outcome
}

// groupSolutions lists the distinct packages of s, each with the names of
// the solutions that chose it, in the order Nash, Kalai–Smorodinsky,
// maximin, utilitarian.
func groupSolutions(s *analysis.Solutions) []solutionGroup {
	if s == nil {
		return nil
	}
	var out []solutionGroup
	for _, ns := range []struct {
		name string
		o    *analysis.Outcome
	}{
		{"Nash", s.Nash},
		{"Kalai–Smorodinsky", s.KalaiSmorodinsky},
		{"maximin", s.Maximin},
		{"utilitarian", s.Utilitarian},
	} {
		if ns.o == nil {
			continue
		}
		found := false
		for i := range out {
			if maps.Equal(out[i].o.Choices(), ns.o.Choices()) {
				out[i].names = append(out[i].names, ns.name)
				found = true
				break
			}
		}
		if !found {
			out = append(out, solutionGroup{[]string{ns.name}, ns.o})
		}
	}
	return out
}

// packages spells out every package the analysis found: the fair
// packages of the text, and those of each relaxation.
func (rw *reportWriter) packages() {
	r := rw.r
	groups := groupSolutions(r.Solutions)
	if len(groups) == 0 && len(r.Relaxations) == 0 {
		rw.blank()
		why := "no package is acceptable to all"
		if r.Feasible {
			why = "no package acceptable to all gives every party its " + rw.disagreementWords()
		}
		rw.para("", "", sty("Fair packages:", bold), s("none, since "+why+"."))
		return
	}
	rw.opt.heading(rw.w, "Packages")
	intro := "Each package lists the points with a choice, in the order of the text, and the start of the option's wording (in full under “The text”); the settled points are as written."
	if rw.v == nil {
		intro = "Each package lists the issues with a choice; the others have one option."
	}
	rw.para("", "", sty(intro, dim))
	if len(groups) > 0 {
		rw.blank()
		title := "The fair packages of the text"
		if rw.v == nil {
			title = "The fair packages"
		}
		rw.para("", "", sty(title, bold))
		rw.solutionGroups(groups)
	} else if r.Feasible {
		rw.blank()
		rw.para("", "", s("The text has no fair package: none acceptable to all gives every party its "+rw.disagreementWords()+"."))
	}
	for i, rel := range r.Relaxations {
		var lifts []string
		for _, c := range rel.Lift {
			lifts = append(lifts, rw.constraintProse(c))
		}
		rw.blank()
		rw.para("", "   ", sty(fmt.Sprintf("%d. Lifting %s", i+1, list(lifts, "and")), bold))
		g := groupSolutions(rel.Solutions)
		if len(g) == 0 {
			rw.para("   ", "   ", s("opens a zone, but no fair package was found in it."))
			continue
		}
		rw.solutionGroups(g)
	}
	switch r.RelaxationsCut {
	case analysis.CutAtMax:
		rw.blank()
		rw.para("", "", s(fmt.Sprintf("More sets of this size exist: only the first %s are shown; --max-relaxations N looks for more.", plural(len(r.Relaxations), "relaxation", "relaxations"))))
	case analysis.CutByBudget:
		rw.blank()
		rw.para("", "", s("The search stopped at its work budget: other sets of this size may exist."))
	}
	if r.Epsilon > 0 {
		rw.blank()
		rw.para("", "", s(fmt.Sprintf("The packages come from an ε-approximate frontier (ε = %g): each may be up to ε below the exact one for some party.", r.Epsilon)))
	}
}

// solutionGroups writes each distinct package in full, the first one
// choice by choice and the others by how they differ from it.
func (rw *reportWriter) solutionGroups(groups []solutionGroup) {
	first := groups[0]
	for i, g := range groups {
		name := strings.Join(g.names, " = ")
		if len(rw.r.Parties) == 1 {
			// With one party counted, every solution is its best package.
			name = "The best package for " + rw.r.Parties[0]
		}
		rw.para("   ", "       ", append([]seg{sty(name+":", bold)}, rw.utilityRow(g.o.Utilities)...)...)
		if i == 0 {
			rw.choices(g.o.Choices(), nil)
			continue
		}
		rw.para("     ", "     ", s("as "+first.names[0]+" except:"))
		rw.choices(g.o.Choices(), first.o.Choices())
	}
}

// choices writes one line per contested point of the package in text
// order, leaving out the points where it agrees with base.
func (rw *reportWriter) choices(ch, base map[string]string) {
	for _, id := range rw.contested() {
		opt, ok := ch[id]
		if !ok || (base != nil && base[id] == opt) {
			continue
		}
		rw.choice(id, opt)
	}
}

// choice writes one option of a package: "label: option — its text".
func (rw *reportWriter) choice(id, opt string) {
	label := rw.pointLabel(id) + ":"
	text := ""
	if ref, ok := rw.points[id]; ok {
		for _, o := range ref.pt.Options {
			if o.ID == opt && o.Text != o.ID { // imported options repeat the id
				text = "— " + oneLine(o.Text)
			}
		}
	}
	room := rw.width() - 5 - runeLen(label) - 1 - runeLen(opt) - 1
	if room < 12 || text == "" {
		rw.para("     ", "       ", s(label), sty(opt, bold))
		return
	}
	rw.para("     ", "       ", s(label), sty(opt, bold), sty(clipTo(text, room), dim))
}

// contested lists the ids of the points with a choice, in text order.
func (rw *reportWriter) contested() []string {
	var out []string
	if rw.v != nil {
		for _, pt := range rw.v.Points() {
			if pt.Status != "dropped" && len(pt.Options) > 1 {
				out = append(out, pt.ID)
			}
		}
		return out
	}
	for _, is := range rw.in.Problem.Issues {
		if len(is.Options) > 1 {
			out = append(out, is.Points...)
		}
	}
	return out
}

// frontier lists the first packages of the Pareto frontier by their
// utilities.
func (rw *reportWriter) frontier() {
	r := rw.r
	if len(r.Pareto) == 0 {
		rw.blank()
		why := "no package is acceptable to all"
		if r.Feasible {
			why = "the analysis found none"
		}
		rw.para("", "", sty("Pareto frontier:", bold), s("empty, since "+why+"."))
		return
	}
	title := "Pareto frontier: " + plural(len(r.Pareto), "package", "packages")
	rw.opt.heading(rw.w, title)
	if r.Epsilon > 0 {
		rw.para("", "", s(fmt.Sprintf("ε-approximate (ε = %g): every efficient package is within ε of one listed, for every party.", r.Epsilon)))
	}
	for i, o := range r.Pareto {
		if i == rw.opt.frontier {
			rw.para("  ", "  ", s(fmt.Sprintf("… and %d more (--frontier N lists more, --json all).", len(r.Pareto)-i)))
			break
		}
		rw.para("  ", "      ", rw.utilityRow(o.Utilities)...)
	}
}

// sensitivity says how far reservation values and weights may move before
// the Nash package changes.
func (rw *reportWriter) sensitivity() {
	sn := rw.r.Sensitivity
	notes := rw.opt.sensitivityNotes
	if sn == nil && len(notes) == 0 {
		return
	}
	rw.opt.heading(rw.w, "Sensitivity of the Nash package")
	n := rw.opt.num
	if sn != nil {
		for _, rr := range sn.Reservation {
			what, v := "reservation value", rr.Reservation
			if rr.Disagreement != rr.Reservation {
				what, v = "disagreement value", rr.Disagreement
			}
			rw.para("  ", "    ", s(fmt.Sprintf("%s's %s %s may move within [%s, %s].", rr.Party, what, n(v), n(rr.From), n(rr.To))))
		}
		for _, wr := range sn.Weights {
			var pts []string
			for _, p := range wr.Points {
				pts = append(pts, rw.pointLabel(p))
			}
			rw.para("  ", "    ", s(fmt.Sprintf("%s's weight share on %s, %s, may move within [%s, %s].", wr.Party, list(pts, "and"), n(wr.Share), n(wr.From), n(wr.To))))
		}
		if sn.WeightsTruncated {
			rw.para("  ", "    ", s(fmt.Sprintf("The weights were checked until the budget of %d evaluations ran out; the rest are not shown.", analysis.MaxWeightEvaluations)))
		}
	}
	for _, note := range notes {
		rw.para("  ", "    ", s(sentence(note)))
	}
}

// sentence makes a note into a sentence: a capital first letter and a
// full stop.
func sentence(note string) string {
	if note == "" {
		return note
	}
	r, size := utf8.DecodeRuneInString(note)
	note = string(unicode.ToUpper(r)) + note[size:]
	if !strings.HasSuffix(note, ".") {
		note += "."
	}
	return note
}
