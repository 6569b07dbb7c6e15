package main

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"parley/analysis"
	"parley/scenario"
)

// This file renders what the analysis says about the text itself: who is
// counted, the what-if changes, the version as written, concessions and
// the text over time.

// shownParties are the report's parties followed by those shown but not
// counted.
func shownParties(r *analysis.Report) []string {
	if r.TextAnalysis == nil {
		return r.Parties
	}
	return append(append([]string(nil), r.Parties...), r.NotCounted...)
}

// writeCounted says who is counted in the fair packages, the date of the
// positions, the what-if changes applied and the warnings.
func writeCounted(w io.Writer, s *scenario.Scenario, r *analysis.Report) {
	t := r.TextAnalysis
	if t == nil {
		return
	}
	fmt.Fprintf(w, "\nWho is counted\n")
	para(w, "    ", "  Counted in the fair packages: "+strings.Join(r.Parties, ", "))
	if len(t.NotCounted) > 0 {
		var names []string
		for _, id := range t.NotCounted {
			role := ""
			if p, ok := s.Party(id); ok {
				role = " (" + string(p.Role) + ")"
			}
			names = append(names, id+role)
		}
		para(w, "    ", "  Shown, not counted: "+strings.Join(names, ", ")+"; their stances and utilities are shown, but the frontier, the fair packages, the relaxations and the sensitivity leave them out (--count changes who is counted)")
	}
	when := "each party's latest position"
	if t.AsOf != "" {
		when = "positions held on " + t.AsOf
	}
	fmt.Fprintf(w, "  Judged with %s\n", when)
	if len(t.Changes) > 0 {
		fmt.Fprintf(w, "\nWhat if (changes applied for this analysis only)\n")
		for _, c := range t.Changes {
			para(w, "    ", "  - "+c.String())
		}
	}
	if len(t.Warnings) > 0 {
		fmt.Fprintf(w, "\nWarnings\n")
		for _, wa := range t.Warnings {
			para(w, "    ", "  - "+wa.Message)
		}
	}
}

// writeScorecard prints the analysed version as written.
func writeScorecard(w io.Writer, r *analysis.Report) {
	if r.TextAnalysis == nil {
		return
	}
	sc := r.Scorecard
	fmt.Fprintf(w, "\nVersion %s as written\n", r.Version)
	if sc == nil {
		para(w, "  ", "  The version proposes nothing: no point names a proposed option (see \"proposed\" in docs/format.md), so it has no scorecard.")
		return
	}
	if len(sc.Open) > 0 {
		para(w, "  ", fmt.Sprintf("  %d point(s) still open: %s. Each party's range over what remains:", len(sc.Open), strings.Join(sc.Open, ", ")))
		tw := tabwriter.NewWriter(&trimWriter{w: w}, 0, 0, 2, ' ', 0)
		fmt.Fprintf(tw, "  party\tmin\tmax\tif acceptable to all\tcrosses\n")
		for _, ps := range sc.Parties {
			acc := "none acceptable"
			if ps.AcceptableMin != nil {
				acc = fmt.Sprintf("%.3f–%.3f", *ps.AcceptableMin, *ps.AcceptableMax)
			}
			fmt.Fprintf(tw, "  %s\t%.3f\t%.3f\t%s\t%s\n", partyMark(ps.Party, ps.Counted), ps.Min, ps.Max, acc, crossedShort(ps.Crossed))
		}
		tw.Flush()
		notCountedNote(w, sc.Parties)
		return
	}
	tw := tabwriter.NewWriter(&trimWriter{w: w}, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "  party\tutility\treservation\tcrosses\n")
	for _, ps := range sc.Parties {
		fmt.Fprintf(tw, "  %s\t%.3f\t%.3f\t%s\n", partyMark(ps.Party, ps.Counted), *ps.Utility, ps.Reservation, crossedShort(ps.Crossed))
	}
	tw.Flush()
	notCountedNote(w, sc.Parties)
	if *sc.AcceptableToAll {
		fmt.Fprintf(w, "  Acceptable to all: yes\n")
	} else {
		var by []string
		for _, c := range sc.Crossed {
			by = append(by, c.String())
		}
		para(w, "    ", "  Acceptable to all: no — it crosses "+strings.Join(by, "; "))
	}
	if *sc.ReservationMet {
		fmt.Fprintf(w, "  Every counted party gets at least its reservation value: yes\n")
	} else {
		var short []string
		for _, ps := range sc.Parties {
			if ps.Counted && *ps.Utility < ps.Reservation-1e-9 {
				short = append(short, ps.Party)
			}
		}
		fmt.Fprintf(w, "  Every counted party gets at least its reservation value: no (%s)\n", strings.Join(short, ", "))
	}
	if *sc.ParetoEfficient {
		para(w, "    ", "  Pareto-efficient: yes — no package acceptable to all is at least as good for every counted party and better for one")
	} else {
		approx := ""
		if sc.Epsilon > 0 {
			approx = fmt.Sprintf(" (ε-approximate, ε = %g)", sc.Epsilon)
		}
		para(w, "    ", fmt.Sprintf("  Pareto-efficient: no — %d Pareto-optimal package(s) acceptable to all are at least as good for every counted party%s (parley improve --from %s lists them):", len(sc.DominatedBy), approx, r.Version))
		for i, d := range sc.DominatedBy {
			if i == 3 {
				fmt.Fprintf(w, "    … %d more (--json has all)\n", len(sc.DominatedBy)-3)
				break
			}
			fmt.Fprintf(w, "    %s\n", utilities(r.Parties, d.Utilities))
		}
	}
	for _, d := range []struct {
		name string
		d    *analysis.Distance
	}{{"Nash", sc.Nash}, {"Kalai-Smorodinsky", sc.KalaiSmorodinsky}} {
		if d.d == nil {
			continue
		}
		var gaps []string
		for k, g := range d.d.Gaps {
			gaps = append(gaps, fmt.Sprintf("%s %+.3f", r.Parties[k], g))
		}
		line := fmt.Sprintf("  %s package: %.3f away (%s); differs on %d point(s)", d.name, d.d.Distance, strings.Join(gaps, ", "), len(d.d.Points))
		if len(d.d.Points) > 0 {
			line += ": " + strings.Join(d.d.Points, ", ")
		}
		para(w, "    ", line)
	}
}

func partyMark(id string, counted bool) string {
	if counted {
		return id
	}
	return id + "†"
}

func notCountedNote(w io.Writer, ps []analysis.PartyScore) {
	for _, p := range ps {
		if !p.Counted {
			fmt.Fprintf(w, "  († shown, not counted)\n")
			return
		}
	}
}

func crossedShort(cs []analysis.Constraint) string {
	var parts []string
	for _, c := range cs {
		if c.Kind == analysis.LinkageConstraint {
			parts = append(parts, "linkage "+c.Linkage)
		} else {
			parts = append(parts, "red line "+c.Point+"="+c.Option)
		}
	}
	return strings.Join(parts, ", ")
}

// writeConcessions prints what each party gives up in the packages
// proposed: the version as written, the solutions and the first
// relaxations' Nash packages.
func writeConcessions(w io.Writer, r *analysis.Report) {
	if r.TextAnalysis == nil || len(r.Concessions) == 0 {
		return
	}
	fmt.Fprintf(w, "\nConcessions (what each party gives up against its best option on every point)\n")
	shownRelax, moreRelax := 0, 0
	for _, c := range r.Concessions {
		name, ok := concessionName(r, c.Of)
		if !ok {
			continue
		}
		if strings.HasPrefix(c.Of, "relaxations[") {
			if !strings.HasSuffix(c.Of, ".nash") {
				continue
			}
			if shownRelax == 3 {
				moreRelax++
				continue
			}
			shownRelax++
		}
		fmt.Fprintf(w, "  %s\n", name)
		writePartyConcessions(w, c.Parties)
	}
	if moreRelax > 0 {
		fmt.Fprintf(w, "  … and the Nash packages of %d more relaxation(s) (--json has every package)\n", moreRelax)
	}
}

func writePartyConcessions(w io.Writer, ps []analysis.PartyConcessions) {
	for _, pc := range ps {
		mark := partyMark(pc.Party, pc.Counted)
		if len(pc.Points) == 0 {
			fmt.Fprintf(w, "    %s concedes nothing\n", mark)
			continue
		}
		var parts []string
		for _, p := range pc.Points {
			s := fmt.Sprintf("%s (−%.3f)", p.Point, p.Cost)
			if p.RedLine {
				s = fmt.Sprintf("%s (−%.3f, its red line)", p.Point, p.Cost)
			}
			parts = append(parts, s)
		}
		para(w, "      ", fmt.Sprintf("    %s gives up %.3f: %s", mark, pc.Cost, strings.Join(parts, ", ")))
	}
}

var solutionNames = map[string]string{
	"nash": "Nash", "kalai_smorodinsky": "Kalai-Smorodinsky", "maximin": "maximin", "utilitarian": "utilitarian",
}

// concessionName names the package of a concessions entry for people.
func concessionName(r *analysis.Report, of string) (string, bool) {
	switch {
	case of == "scorecard":
		return "Version " + r.Version + " as written", true
	case strings.HasPrefix(of, "solutions."):
		return solutionNames[strings.TrimPrefix(of, "solutions.")] + " package", true
	case strings.HasPrefix(of, "relaxations["):
		var i int
		var key string
		if _, err := fmt.Sscanf(of, "relaxations[%d].solutions.%s", &i, &key); err == nil {
			return fmt.Sprintf("Relaxation %d, %s package", i+1, solutionNames[key]), true
		}
	case strings.HasPrefix(of, "improvements."):
		return solutionNames[strings.TrimPrefix(of, "improvements.")] + " improvement", true
	}
	return "", false
}

// writeTrajectory prints the text over time: every version as written and
// who gained and lost from one to the next.
func writeTrajectory(w io.Writer, r *analysis.Report) {
	if r.TextAnalysis == nil || r.Trajectory == nil || len(r.Trajectory.Versions) == 0 {
		return
	}
	tr := r.Trajectory
	fmt.Fprintf(w, "\nThe text over time\n")
	para(w, "  ", "  Each version as written, with the positions held at its date: the utility, or the range over the open points; ! crosses the party's own red line; † shown, not counted.")
	counted := make(map[string]bool)
	for _, id := range r.Parties {
		counted[id] = true
	}
	tw := tabwriter.NewWriter(&trimWriter{w: w}, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "  version\tdate\topen")
	for _, id := range tr.Parties {
		fmt.Fprintf(tw, "\t%s", partyMark(id, counted[id]))
	}
	fmt.Fprintf(tw, "\n")
	for _, vs := range tr.Versions {
		date := vs.Date
		if date == "" {
			date = "-"
		}
		fmt.Fprintf(tw, "  %s\t%s\t%d", vs.Version, date, len(vs.Open))
		for _, id := range tr.Parties {
			cell := "."
			for _, ps := range vs.Parties {
				if ps.Party != id {
					continue
				}
				if ps.Utility != nil {
					cell = fmt.Sprintf("%.3f", *ps.Utility)
				} else {
					cell = fmt.Sprintf("%.2f–%.2f", ps.Min, ps.Max)
				}
				if len(ps.Crossed) > 0 {
					cell += "!"
				}
			}
			fmt.Fprintf(tw, "\t%s", cell)
		}
		fmt.Fprintf(tw, "\n")
	}
	tw.Flush()
	fmt.Fprintf(w, "  (. no position at that date)\n")
	for _, ch := range tr.Changes {
		writeChange(w, ch)
	}
}

func writeChange(w io.Writer, ch analysis.VersionChange) {
	when := "each party's latest positions"
	if ch.AsOf != "" {
		when = "the positions of " + ch.AsOf
	}
	fmt.Fprintf(w, "\n  %s → %s (the texts compared with %s)\n", ch.From, ch.To, when)
	var verdicts []string
	for _, pc := range ch.Parties {
		mark := partyMark(pc.Party, pc.Counted)
		switch {
		case pc.Change == nil && pc.ChangeMin != nil:
			verdicts = append(verdicts, fmt.Sprintf("%s %+.3f to %+.3f", mark, *pc.ChangeMin, *pc.ChangeMax))
		case pc.Change == nil && len(ch.Open) > 0:
			verdicts = append(verdicts, mark+" unknown (points open)")
		case pc.Change == nil:
			verdicts = append(verdicts, mark+" unknown (no position then)")
		case pc.Verdict == "unchanged":
			verdicts = append(verdicts, mark+" unchanged")
		default:
			s := fmt.Sprintf("%s %s %+.3f", mark, pc.Verdict, *pc.Change)
			if pc.Positions != nil && (*pc.Positions > 1e-9 || *pc.Positions < -1e-9) {
				s += fmt.Sprintf(" (its positions moved %+.3f)", *pc.Positions)
			}
			verdicts = append(verdicts, s)
		}
	}
	if len(ch.Open) > 0 {
		para(w, "    ", "    With points open, each party's change lies between: "+strings.Join(verdicts, "; "))
	} else {
		para(w, "    ", "    "+strings.Join(verdicts, "; "))
	}
	if len(ch.Open) > 0 {
		para(w, "      ", fmt.Sprintf("    Open in either version, left out: %s", strings.Join(ch.Open, ", ")))
	}
	var quiet []string
	for _, p := range ch.Points {
		from, to := p.From, p.To
		if from == "" {
			from = "(absent)"
		}
		if to == "" {
			to = "(absent)"
		}
		var parts []string
		for i, c := range p.Contributions {
			if c == nil || (*c < 1e-9 && *c > -1e-9) {
				continue
			}
			parts = append(parts, fmt.Sprintf("%s %+.3f", partyMark(ch.Parties[i].Party, ch.Parties[i].Counted), *c))
		}
		if len(parts) == 0 {
			quiet = append(quiet, p.Point)
			continue
		}
		line := fmt.Sprintf("    %s: %s → %s", p.Point, from, to)
		if from == to {
			line = fmt.Sprintf("    %s: %s (weights renormalised)", p.Point, to)
		}
		para(w, "      ", line+"; "+strings.Join(parts, ", "))
	}
	if len(quiet) > 0 {
		para(w, "      ", fmt.Sprintf("    Changed, with no effect on anyone's utility: %s", strings.Join(quiet, ", ")))
	}
}

// para prints text wrapped at 78 columns: the first line keeps the text's
// leading spaces, the others are indented by rest.
func para(w io.Writer, rest, text string) {
	line := text[:len(text)-len(strings.TrimLeft(text, " "))]
	n := runeLen(line)
	for i, word := range strings.Fields(text) {
		l := runeLen(word)
		if i > 0 && n+1+l > 78 {
			fmt.Fprintln(w, line)
			line, n = rest+word, runeLen(rest)+l
			continue
		}
		if i > 0 {
			line += " "
			n++
		}
		line += word
		n += l
	}
	fmt.Fprintln(w, line)
}

// utilities lists each party's utility, as "a 0.500  b 0.750".
func utilities(parties []string, u []float64) string {
	var parts []string
	for k, id := range parties {
		parts = append(parts, fmt.Sprintf("%s %.3f", id, u[k]))
	}
	return strings.Join(parts, "  ")
}

// trimWriter drops the spaces a tabwriter leaves at the ends of lines. It
// holds back a run of spaces until it knows whether the line goes on.
type trimWriter struct {
	w      io.Writer
	spaces int
}

func (t *trimWriter) Write(p []byte) (int, error) {
	out := make([]byte, 0, len(p))
	for _, c := range p {
		switch c {
		case ' ':
			t.spaces++
			continue
		case '\n':
			t.spaces = 0
		default:
			for ; t.spaces > 0; t.spaces-- {
				out = append(out, ' ')
			}
		}
		out = append(out, c)
	}
	if _, err := t.w.Write(out); err != nil {
		return 0, err
	}
	return len(p), nil
}
