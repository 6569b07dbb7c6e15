package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"strings"

	"parley/analysis"
	"parley/scenario"
	"parley/scenario/diff"
)

func init() {
	register(&command{
		name:    "diff",
		summary: "compare two versions of the text point by point and word by word",
		usage: `Usage: parley diff [flags] [FILE] A B

Compares version A of the text with version B, point by point by the points'
stable ids: points added and dropped; points renumbered, moved to another
block, retitled or reworded; options added, dropped or reworded; a change of
the option the text proposes or of a point's status. Reworded texts are
compared word by word: on a terminal, deleted words are struck through in red
and inserted words underlined in green; otherwise deletions are marked
[-like this-] and insertions {+like this+}.

FILE is a parley scenario (YAML or JSON; "-" reads standard input); without
FILE, parley compares versions of its embedded default scenario. "parley
versions" lists the version ids.

Flags:
  --json        print the comparison as JSON (the contract is in
                docs/commands.md)
  --width N     lay the output out for N columns (default: the terminal's
                width, 80 when not a terminal)
  --precision N decimals of utilities in "Who gained" (default 2)

Examples:
  parley diff v1 v4                     # the 28-point plan against the
                                        # 20-point framework
  parley diff talks.yaml v1 v2
  parley diff --json v3 v4 | jq '.points[] | select(.change == "added")'
`,
		run: runDiff,
	})
}

func runDiff(ctx context.Context, e *env, args []string) error {
	fs := newFlags(commands["diff"], e)
	asJSON := fs.Bool("json", false, "")
	width := fs.Int("width", 0, "")
	precision := fs.Int("precision", 2, "")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if err := checkLayoutFlags(*width, *precision); err != nil {
		return err
	}
	if len(pos) < 2 || len(pos) > 3 {
		return usagef("expected [FILE] A B: two version ids, after an optional scenario file (see --help)")
	}
	paths, ids := pos[:len(pos)-2], pos[len(pos)-2:]
	_, _, s, err := readScenario(paths, e.stdin)
	if err != nil {
		return err
	}
	a, err := pickVersion(s, ids[0], len(paths) == 0)
	if err != nil {
		return err
	}
	b, err := pickVersion(s, ids[1], len(paths) == 0)
	if err != nil {
		return err
	}
	d := diff.Versions(a, b)
	g := versionGains(s, a.ID, b.ID)
	if *asJSON {
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(diffJSON{Scenario: s.ID, Diff: d, Gains: g.change, GainsNote: g.note})
	}
	return writeDiff(e.stdout, e.layout(*width, *precision), s, a, b, d, g)
}

// diffJSON is the output of "parley diff --json".
type diffJSON struct {
	Scenario string `json:"scenario"`
	*diff.Diff
	// Gains is who gained and who lost from A to B as written, and which
	// points moved them; null when it cannot be computed, and GainsNote
	// then says why.
	Gains     *analysis.VersionChange `json:"gains"`
	GainsNote string                  `json:"gains_note,omitempty"`
}

// gains is the scorecard change between two versions: the engine's
// comparison and each version as written, or a note saying why there is
// none.
type gains struct {
	change *analysis.VersionChange
	from   *analysis.VersionScore
	to     *analysis.VersionScore
	note   string
}

// versionGains compares versions a and b of s as written, each judged by
// the positions held at its date.
func versionGains(s *scenario.Scenario, a, b string) gains {
	if a == b {
		return gains{note: "the two versions are the same"}
	}
	tr, warnings, err := analysis.NewTrajectory(s, analysis.CompileOptions{}, [][2]string{{a, b}})
	if err != nil {
		return gains{note: err.Error()}
	}
	var g gains
	for i := range tr.Changes {
		if ch := &tr.Changes[i]; ch.From == a && ch.To == b {
			g.change = ch
		}
	}
	for i := range tr.Versions {
		switch tr.Versions[i].Version {
		case a:
			g.from = &tr.Versions[i]
		case b:
			g.to = &tr.Versions[i]
		}
	}
	if g.change == nil {
		var why []string
		for _, w := range warnings {
			if w.Version == a || w.Version == b {
				why = append(why, w.Message)
			}
		}
		g.note = "the versions cannot be scored: " + strings.Join(why, "; ")
		if len(why) == 0 {
			g.note = "the versions cannot be scored"
		}
	}
	return g
}

// diffWriter renders a comparison of two versions for a person.
type diffWriter struct {
	w    *bufio.Writer
	l    layout
	s    *scenario.Scenario
	a, b *scenario.Version
	d    *diff.Diff
	g    gains
}

func writeDiff(w io.Writer, l layout, s *scenario.Scenario, a, b *scenario.Version, d *diff.Diff, g gains) error {
	dw := &diffWriter{w: bufio.NewWriter(w), l: l, s: s, a: a, b: b, d: d, g: g}
	dw.header()
	dw.gains()
	dw.points()
	return dw.w.Flush()
}

func (dw *diffWriter) para(first, rest string, segs ...seg) { dw.l.para(dw.w, first, rest, segs...) }

func versionLabel(v *scenario.Version) string {
	out := v.ID
	if v.Title != "" || v.Date != "" {
		var parts []string
		if v.Title != "" {
			parts = append(parts, oneLine(v.Title))
		}
		if v.Date != "" {
			parts = append(parts, v.Date)
		}
		out += " (" + strings.Join(parts, ", ") + ")"
	}
	return out
}

func (dw *diffWriter) header() {
	dw.l.titleBlock(dw.w, oneLine(dw.s.Title), "From "+versionLabel(dw.a)+" to "+versionLabel(dw.b))
	fmt.Fprintln(dw.w)
	c := dw.d.Counts
	if c.Added+c.Dropped+c.Changed == 0 {
		dw.para("", "", s(fmt.Sprintf("No change: the %s read the same.", plural(dw.d.Unchanged, "point", "points"))))
		return
	}
	dw.para("", "", s(fmt.Sprintf("%s added, %s dropped, %s changed, %s unchanged.",
		plural(c.Added, "point", "points"), fmt.Sprint(c.Dropped), fmt.Sprint(c.Changed), fmt.Sprint(dw.d.Unchanged))))
	if !dw.l.color {
		dw.para("", "", sty("Deleted words are marked [-so-], inserted words {+so+}.", dim))
	}
}

// gains writes who gained and who lost between the versions as written:
// each party's utility of both, the change, and the points that moved
// them.
func (dw *diffWriter) gains() {
	if dw.a.ID == dw.b.ID {
		return
	}
	dw.l.heading(dw.w, "Who gained")
	ch := dw.g.change
	if ch == nil {
		dw.para("", "", s(sentence(dw.g.note)))
		return
	}
	when := "each party's latest position"
	if ch.AsOf != "" {
		when = "the positions held on " + ch.AsOf
	}
	intro := "Each version as written, judged by the positions held at its date (! where it crosses the party's own red line); the points compared with " + when + "."
	if len(ch.Open) > 0 {
		var open []string
		for _, p := range ch.Open {
			open = append(open, dw.label(p))
		}
		intro += " " + list(open, "and") + " " + isAre(len(open), "is", "are") + " open in either version: the utilities are ranges, and those points are left out below."
	}
	dw.para("", "", sty(intro, dim))
	fmt.Fprintln(dw.w)
	idw, fw, tw := 0, 0, 0
	for _, pc := range ch.Parties {
		idw = max(idw, runeLen(pc.Party))
		fw = max(fw, runeLen(scoreCell(&dw.l, dw.g.from, pc.Party)))
		tw = max(tw, runeLen(scoreCell(&dw.l, dw.g.to, pc.Party)))
	}
	nb := func(text string, n int) string { return text + strings.Repeat(nbsp, max(0, n-runeLen(text))) }
	for _, pc := range ch.Parties {
		from, to := scoreCell(&dw.l, dw.g.from, pc.Party), scoreCell(&dw.l, dw.g.to, pc.Party)
		segs := []seg{s(nb(pc.Party, idw) + nbsp + nbsp + nb(from, fw) + nbsp + "→" + nbsp + nb(to, tw))}
		switch {
		case pc.Change != nil && pc.Verdict != "unchanged":
			st := green
			if pc.Verdict == "lost" {
				st = red
			}
			segs = append(segs, sty(pc.Verdict+nbsp+dw.l.num(math.Abs(dw.l.change(*pc.From, *pc.To))), st))
			if pc.Positions != nil && math.Abs(*pc.Positions) >= 0.5*math.Pow10(-dw.l.precision) {
				segs = append(segs, s("("+dw.l.signed(*pc.Positions)+" from its own change of position)"))
			}
		case pc.Change != nil:
			segs = append(segs, s("unchanged"))
		case pc.ChangeMin != nil:
			lo, hi := dw.l.changeRange(pc)
			r := dw.l.signed(lo) + nbsp + "to" + nbsp + dw.l.signed(hi)
			segs = append(segs, s("a change of "+r))
		default:
			segs = append(segs, sty("no position at one of the dates", dim))
		}
		if !pc.Counted {
			segs = append(segs, sty("(not counted)", dim))
		}
		dw.para("  ", "    ", segs...)
	}
	moved := false
	for _, p := range ch.Points {
		for _, c := range p.Contributions {
			moved = moved || (c != nil && math.Abs(*c) >= 0.5*math.Pow10(-dw.l.precision))
		}
	}
	fmt.Fprintln(dw.w)
	if moved {
		dw.para("", "", s("The points that moved them, the largest effect first:"))
	} else if len(ch.Points) == 0 {
		dw.para("", "", s("No point compared moved anyone."))
	}
	writeChangePoints(dw.w, &dw.l, *ch, dw.label, 0)
}

// label is "14. Territory" for a point of B, "Amnesty (point 26 of v3)"
// for one only in A.
func (dw *diffWriter) label(id string) string {
	for _, pt := range dw.b.Points() {
		if pt.ID == id && pt.Status != scenario.StatusDropped {
			return fmt.Sprintf("%d.%s%s", pt.Number, nbsp, oneLine(pt.Title))
		}
	}
	for _, pt := range dw.a.Points() {
		if pt.ID == id {
			return otherPointLabel(pt, dw.a.ID)
		}
	}
	return id
}

func (dw *diffWriter) blockTitle(v *scenario.Version, id string) string {
	for _, b := range v.Blocks {
		if b.ID == id {
			if t := oneLine(b.Title); t != "" {
				return t
			}
		}
	}
	return id
}

func (dw *diffWriter) points() {
	block := ""
	droppedHeading := false
	for _, pc := range dw.d.Points {
		if pc.Change == diff.Dropped {
			if !droppedHeading {
				dw.l.heading(dw.w, "Dropped since "+dw.a.ID)
				droppedHeading = true
			}
		} else if pc.Block != block {
			block = pc.Block
			dw.l.heading(dw.w, dw.blockTitle(dw.b, block))
		}
		dw.point(pc)
	}
}

var changeStyles = map[string]string{diff.Added: green, diff.Dropped: red, diff.Changed: amber}

func (dw *diffWriter) point(pc diff.PointChange) {
	fmt.Fprintln(dw.w)
	dw.para("", "    ", sty(fmt.Sprintf("%d. %s", pc.Number, oneLine(pc.Title)), bold), s("["+pc.Point+"]"), s("—"), sty(pc.Change, changeStyles[pc.Change]))
	const in = "    "
	if pc.Change != diff.Changed {
		if pc.Status != nil {
			dw.para(in, in+"  ", s("Status: "+statusWords(pc.Status.From)+" → "+statusWords(pc.Status.To)+"."))
		}
		for _, o := range pc.Text {
			dw.para(in, in+"  ", sty(o.ID+":", bold), s(oneLine(o.Text)))
		}
		return
	}
	if r := pc.Renumbered; r != nil {
		dw.para(in, in+"  ", s(fmt.Sprintf("Renumbered: %d → %d.", r.From, r.To)))
	}
	if m := pc.Moved; m != nil {
		dw.para(in, in+"  ", s("Moved from “"+dw.blockTitle(dw.a, m.From)+"” to “"+dw.blockTitle(dw.b, m.To)+"”."))
	}
	if t := pc.Retitled; t != nil {
		dw.para(in, in+"  ", append([]seg{s("Retitled:")}, dw.words(t.Words)...)...)
	}
	if st := pc.Status; st != nil {
		dw.para(in, in+"  ", s("Status: "+statusWords(st.From)+" → "+statusWords(st.To)+"."))
	}
	if p := pc.Proposed; p != nil {
		dw.para(in, in+"  ", s("Proposed option: "+orNone(p.From)+" → "+orNone(p.To)+"."))
	}
	if t := pc.Reworded; t != nil {
		dw.para(in, in+"  ", append([]seg{s("Text:")}, dw.words(t.Words)...)...)
	}
	for _, o := range pc.Options {
		switch o.Change {
		case diff.OptionAdded:
			dw.para(in, in+"  ", s("Option"), sty(o.Option, bold), sty("added:", green), s(oneLine(o.Text)))
		case diff.OptionDropped:
			dw.para(in, in+"  ", s("Option"), sty(o.Option, bold), sty("dropped:", red), s(oneLine(o.Text)))
		case diff.OptionReworded:
			dw.para(in, in+"  ", append([]seg{s("Option"), sty(o.Option, bold), sty("reworded:", amber)}, dw.words(o.Reworded.Words)...)...)
		}
	}
}

func orNone(id string) string {
	if id == "" {
		return "none (open)"
	}
	return id
}

// words renders a word-by-word comparison: in colour on a terminal, with
// [-…-] and {+…+} markers otherwise.
func (dw *diffWriter) words(spans []diff.Span) []seg {
	var segs []seg
	prevSpace := true
	for _, sp := range spans {
		body := strings.TrimSpace(sp.Text)
		if body == "" {
			prevSpace = true
			continue
		}
		lead := strings.HasPrefix(sp.Text, " ")
		sg := seg{text: body, join: !lead && !prevSpace}
		switch sp.Op {
		case diff.Insert:
			sg.style = ins
			if !dw.l.color {
				sg.text = "{+" + body + "+}"
			}
		case diff.Delete:
			sg.style = del
			if !dw.l.color {
				sg.text = "[-" + body + "-]"
			}
		}
		segs = append(segs, sg)
		prevSpace = strings.HasSuffix(sp.Text, " ")
	}
	return segs
}
