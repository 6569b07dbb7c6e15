package main

import (
	"bufio"
	"fmt"
	"io"
	"sort"
	"strings"
	"text/tabwriter"

	"parley/analysis"
	"parley/scenario"
)

// writeReport prints the analysis for people.
func writeReport(w io.Writer, in *input, r *analysis.Report, shown int) error {
	bw := bufio.NewWriter(w)
	p := in.Problem
	title := r.Title
	if r.Version != "" {
		title = fmt.Sprintf("%s — version %s", r.Title, r.Version)
		if in.Scenario != nil {
			if v, ok := in.Scenario.Version(r.Version); ok && v.Title != "" {
				title += fmt.Sprintf(" (%s", v.Title)
				if v.Date != "" {
					title += ", " + v.Date
				}
				title += ")"
			}
		}
	}
	fmt.Fprintf(bw, "%s\n%s\n", title, strings.Repeat("=", runeLen(title)))
	if r.Disclaimer != "" {
		fmt.Fprintf(bw, "%s\n", wrap("Note: "+oneLine(r.Disclaimer), 78, "      "))
	}
	for _, n := range in.Notes {
		fmt.Fprintf(bw, "%s\n", wrap("Note: "+n, 78, "      "))
	}

	fmt.Fprintf(bw, "\nParties\n")
	tw := tabwriter.NewWriter(bw, 0, 0, 2, ' ', 0)
	for k, id := range r.Parties {
		name, role := id, ""
		if in.Scenario != nil {
			if party, ok := in.Scenario.Party(id); ok {
				name, role = party.Name, string(party.Role)
			}
		}
		fmt.Fprintf(tw, "  %s\t%s\t%s\treservation %.3f\n", id, name, role, r.Reservation[k])
	}
	tw.Flush()
	writeCounted(bw, in.Scenario, r)
	fmt.Fprintf(bw, "\nPackages: %s in all, %s acceptable to all\n", r.Outcomes.String(), r.Acceptable.String())

	if len(r.Agreement) > 0 {
		writeAgreement(bw, r)
	}

	fmt.Fprintf(bw, "\nConflicts\n")
	if len(r.Conflicts) == 0 {
		fmt.Fprintf(bw, "  none: every point has an option that crosses no red line\n")
	}
	for _, c := range r.Conflicts {
		fmt.Fprintf(bw, "  %s: no option is acceptable to all; the red lines of %s collide\n", strings.Join(c.Points, " + "), strings.Join(c.Parties, ", "))
		for _, o := range c.Options {
			var by []string
			for _, b := range o.Blockers {
				by = append(by, constraintShort(b))
			}
			fmt.Fprintf(bw, "    %-40s blocked by %s\n", choices(c.Points, o.Choices), strings.Join(by, ", "))
		}
	}

	fmt.Fprintf(bw, "\nZone of agreement: ")
	switch {
	case r.ZoneOfAgreement:
		fmt.Fprintf(bw, "open — some package acceptable to all gives every party at least its reservation value\n")
	case r.Feasible:
		fmt.Fprintf(bw, "closed — packages acceptable to all exist, but none gives every party its reservation value\n")
	default:
		fmt.Fprintf(bw, "closed — no package is acceptable to all\n")
	}

	if !r.ZoneOfAgreement {
		fmt.Fprintf(bw, "\nRelaxations\n")
		switch {
		case r.RelaxationSize < 0:
			fmt.Fprintf(bw, "  none: even with every red line and linkage lifted, no package gives every party its reservation value\n")
		case len(r.Relaxations) == 0:
			fmt.Fprintf(bw, "  none found\n")
		default:
			fmt.Fprintf(bw, "  Lifting %d constraint(s) opens a zone of agreement; the smallest sets:\n", r.RelaxationSize)
		}
		for i, rel := range r.Relaxations {
			var lift []string
			for _, c := range rel.Lift {
				lift = append(lift, c.String())
			}
			fmt.Fprintf(bw, "  %d. lift %s; then:\n", i+1, strings.Join(lift, "; "))
			for _, s := range solutionList(rel.Solutions) {
				if s.o == nil {
					continue
				}
				fmt.Fprintf(bw, "     %-18s %s\n", s.name, utilities(r.Parties, s.o.Utilities))
				if s.name == "Nash" {
					fmt.Fprintf(bw, "     %-18s %s\n", "", packageLine(p, s.o, true))
				}
			}
		}
	}

	fmt.Fprintf(bw, "\nSolutions\n")
	for _, s := range solutionList(r.Solutions) {
		if s.o == nil {
			fmt.Fprintf(bw, "  %-18s none\n", s.name)
			continue
		}
		fmt.Fprintf(bw, "  %-18s %s\n", s.name, utilities(r.Parties, s.o.Utilities))
		fmt.Fprintf(bw, "  %-18s %s\n", "", packageLine(p, s.o, true))
	}

	writeScorecard(bw, r)
	writeConcessions(bw, r)

	fmt.Fprintf(bw, "\nPareto frontier: %d package(s)", len(r.Pareto))
	if r.Epsilon > 0 {
		fmt.Fprintf(bw, " (ε-approximate, ε = %g)", r.Epsilon)
	}
	fmt.Fprintln(bw)
	for i, o := range r.Pareto {
		if i == shown {
			fmt.Fprintf(bw, "  … %d more (--frontier N shows more, --json all)\n", len(r.Pareto)-shown)
			break
		}
		fmt.Fprintf(bw, "  %s\n", utilities(r.Parties, o.Utilities))
	}

	if s := r.Sensitivity; s != nil {
		fmt.Fprintf(bw, "\nSensitivity of the Nash package\n")
		for _, rr := range s.Reservation {
			fmt.Fprintf(bw, "  %s's reservation value %.3f may move within [%.3f, %.3f]\n", rr.Party, rr.Reservation, rr.From, rr.To)
		}
		for _, wr := range s.Weights {
			fmt.Fprintf(bw, "  %s's weight share on %s, %.3f, may move within [%.3f, %.3f]\n", wr.Party, strings.Join(wr.Points, "+"), wr.Share, wr.From, wr.To)
		}
	}
	writeTrajectory(bw, r)
	return bw.Flush()
}

type namedSolution struct {
	name string
	o    *analysis.Outcome
}

func solutionList(s *analysis.Solutions) []namedSolution {
	return []namedSolution{
		{"Nash", s.Nash},
		{"Kalai-Smorodinsky", s.KalaiSmorodinsky},
		{"maximin", s.Maximin},
		{"utilitarian", s.Utilitarian},
	}
}

func writeAgreement(w io.Writer, r *analysis.Report) {
	fmt.Fprintf(w, "\nAgreement map (%s)\n", strings.Join(stanceLegend(), ", "))
	tw := tabwriter.NewWriter(w, 0, 0, 1, ' ', 0)
	fmt.Fprintf(tw, "  \t")
	for _, id := range shownParties(r) {
		fmt.Fprintf(tw, "\t%s", id)
	}
	fmt.Fprintf(tw, "\t\n")
	for _, pa := range r.Agreement {
		if len(pa.Options) == 1 {
			o := pa.Options[0]
			fmt.Fprintf(tw, "  %2d. %s\t(settled)", pa.Number, clip(pa.Title, 40))
			for _, id := range shownParties(r) {
				fmt.Fprintf(tw, "\t%s", stanceMark(o.Stances, id))
			}
			fmt.Fprintf(tw, "\t%s\n", blockedNote(o))
			continue
		}
		mark := ""
		if !pa.Agreed {
			mark = "  ← no option acceptable to all"
		}
		fmt.Fprintf(tw, "  %2d. %s\t", pa.Number, clip(pa.Title, 40))
		for range shownParties(r) {
			fmt.Fprintf(tw, "\t")
		}
		fmt.Fprintf(tw, "\t%s\n", mark)
		for _, o := range pa.Options {
			fmt.Fprintf(tw, "      %s\t%s", o.Option, clip(o.Text, 34))
			for _, id := range shownParties(r) {
				fmt.Fprintf(tw, "\t%s", stanceMark(o.Stances, id))
			}
			fmt.Fprintf(tw, "\t%s\n", blockedNote(o))
		}
	}
	tw.Flush()
}

var stanceMarks = map[scenario.Stance]string{
	scenario.Support:   "++",
	scenario.Accept:    "+",
	scenario.Reluctant: "~",
	scenario.Object:    "-",
	scenario.RedLine:   "RED",
}

func stanceLegend() []string {
	return []string{"++ support", "+ accept", "~ reluctant", "- object", "RED red line", ". no position"}
}

func stanceMark(st map[string]scenario.Stance, id string) string {
	s, ok := st[id]
	if !ok {
		return "."
	}
	return stanceMarks[s]
}

func blockedNote(o analysis.OptionAgreement) string {
	if len(o.BlockedBy) == 0 {
		return ""
	}
	return "blocked by " + strings.Join(o.BlockedBy, ", ")
}

func constraintShort(c analysis.Constraint) string {
	if c.Kind == analysis.LinkageConstraint {
		return "linkage " + c.Linkage + " (" + c.Party + ")"
	}
	return c.Party
}

func choices(points []string, m map[string]string) string {
	var parts []string
	for _, pt := range points {
		parts = append(parts, pt+"="+m[pt])
	}
	return strings.Join(parts, ", ")
}

// packageLine lists the package's choices on the contested points only
// (all points when contestedOnly is false).
func packageLine(p *analysis.Problem, o *analysis.Outcome, contestedOnly bool) string {
	var parts []string
	ch := o.Choices()
	for _, is := range p.Issues {
		if contestedOnly && len(is.Options) < 2 {
			continue
		}
		for _, pt := range is.Points {
			parts = append(parts, pt+"="+ch[pt])
		}
	}
	sort.Strings(parts)
	return strings.Join(parts, "  ")
}

func utilities(parties []string, u []float64) string {
	var parts []string
	for k, id := range parties {
		parts = append(parts, fmt.Sprintf("%s %.3f", id, u[k]))
	}
	return strings.Join(parts, "  ")
}

func clip(s string, n int) string {
	s = oneLine(s)
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

// wrap breaks s into lines of at most width runes at spaces, indenting
// every line but the first.
func wrap(s string, width int, indent string) string {
	var b strings.Builder
	line := 0
	for i, w := range strings.Fields(s) {
		n := runeLen(w)
		if i > 0 && line+1+n > width {
			b.WriteString("\n" + indent)
			line = runeLen(indent)
		} else if i > 0 {
			b.WriteByte(' ')
			line++
		}
		b.WriteString(w)
		line += n
	}
	return b.String()
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

func runeLen(s string) int { return len([]rune(s)) }
