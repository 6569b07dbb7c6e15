package main

import (
	"fmt"
	"slices"
	"strings"

	"parley/analysis"
	"parley/scenario"
)

// text writes the version in reading order under its block headings:
// settled points folded into one line per block (unless --all), contested
// points with their options, the stances and the red lines' reasons.
func (rw *reportWriter) text() {
	if rw.v == nil {
		return
	}
	rw.opt.heading(rw.w, "The text")
	agree := make(map[string]*analysis.PointAgreement)
	for i := range rw.r.Agreement {
		agree[rw.r.Agreement[i].Point] = &rw.r.Agreement[i]
	}
	dropped, folds := 0, 0
	for bi := range rw.v.Blocks {
		b := &rw.v.Blocks[bi]
		var live []*scenario.Point
		for pi := range b.Points {
			if b.Points[pi].Status == scenario.StatusDropped {
				dropped++
				continue
			}
			live = append(live, &b.Points[pi])
		}
		if len(live) == 0 {
			continue
		}
		rw.blank()
		title := oneLine(b.Title)
		if title == "" {
			title = b.ID
		}
		rw.para("", "", sty(title, bold))
		var settled []string
		for _, pt := range live {
			pa := agree[pt.ID]
			if !rw.opt.all && folded(pt, pa) {
				settled = append(settled, fmt.Sprintf("%d.%s%s", pt.Number, nbsp, oneLine(pt.Title)))
				folds++
				continue
			}
			rw.point(pt, pa)
		}
		if len(settled) > 0 {
			rw.para("  ", "    ", sty("Settled:", dim), s(strings.Join(settled, "; ")+"."))
		}
	}
	if folds > 0 || dropped > 0 {
		rw.blank()
	}
	if folds > 0 {
		rw.para("", "", sty("Settled points (one option, no red line) are listed by title; --all shows their text and stances.", dim))
	}
	if dropped > 0 {
		rw.para("", "", s(plural(dropped, "point of this version is", "points of this version are")+" dropped and left out (parley text shows them)."))
	}
}

// folded reports whether a point is settled text that the report shows in
// one line: one option, and no red line on it.
func folded(pt *scenario.Point, pa *analysis.PointAgreement) bool {
	if len(pt.Options) != 1 {
		return false
	}
	return pa == nil || pa.Agreed
}

// point writes one point with its options.
func (rw *reportWriter) point(pt *scenario.Point, pa *analysis.PointAgreement) {
	head := []seg{sty(fmt.Sprintf("%d. %s", pt.Number, oneLine(pt.Title)), bold), s("[" + pt.ID + "]")}
	if pt.Status != "" && pt.Status != scenario.StatusOpen {
		head = append(head, s("— "+statusWords(pt.Status)))
	}
	rw.para("  ", "      ", head...)
	if pa != nil && !pa.Agreed {
		rw.para("     ", "     ", sty("No option is acceptable to all.", red))
	}
	if pt.Text != "" {
		rw.para("     ", "     ", sty(oneLine(pt.Text), dim))
	}
	proposed, hasProposal := pt.ProposedOption()
	if len(pt.Options) > 1 && !hasProposal {
		rw.para("     ", "     ", s("Open: the text proposes none of the options."))
	}
	for _, o := range pt.Options {
		var oa *analysis.OptionAgreement
		if pa != nil {
			for i := range pa.Options {
				if pa.Options[i].Option == o.ID {
					oa = &pa.Options[i]
				}
			}
		}
		label := []seg{s("•"), sty(o.ID, bold)}
		if hasProposal && o.ID == proposed && len(pt.Options) > 1 {
			label = append(label, sty("(proposed)", blue))
		}
		rw.para("     ", "       ", label...)
		if o.Text != o.ID { // imported options repeat the id
			rw.para("       ", "       ", s(oneLine(o.Text)))
		}
		if oa != nil && len(oa.Stances) > 0 {
			rw.para("       ", "       ", rw.stanceSegs(pt.ID, o.ID, oa)...)
		}
		if oa != nil {
			for _, party := range oa.BlockedBy {
				rw.redLine(party, pt.ID, o.ID)
			}
		}
	}
}

func statusWords(st scenario.Status) string {
	if st == scenario.StatusProvisional {
		return "provisionally agreed"
	}
	return string(st)
}

// stanceSegs is "us accept · ua red line · ru accept · eu no position".
func (rw *reportWriter) stanceSegs(point, option string, oa *analysis.OptionAgreement) []seg {
	var segs []seg
	for i, id := range rw.shown() {
		if i > 0 {
			segs = append(segs, s("·"))
		}
		st, ok := oa.Stances[id]
		if !ok {
			segs = append(segs, s(id), sty("no position", dim))
			continue
		}
		word := stanceWord(st)
		if os, found := rw.stanceOf(id, point, option); found && os.Inferred {
			word += " (inferred)"
		}
		segs = append(segs, s(id), sty(word, stanceStyles[st]))
	}
	return segs
}

// redLine writes a party's red line on an option: its reason and first
// source.
func (rw *reportWriter) redLine(party, point, option string) {
	segs := []seg{sty("Red line of "+party+":", red)}
	os, ok := rw.stanceOf(party, point, option)
	segs = append(segs, s(rw.reasonProse(os, ok)))
	rw.para("       ", "         ", segs...)
}

// reasonProse is a stance's reason and first source in one sentence.
func (rw *reportWriter) reasonProse(os scenario.OptionStance, ok bool) string {
	if !ok || (os.Reason == "" && len(os.Sources) == 0) {
		return "no reason given."
	}
	var b strings.Builder
	if os.Reason != "" {
		b.WriteString(strings.TrimRight(oneLine(os.Reason), "."))
		b.WriteString(".")
	}
	if os.Inferred && !strings.Contains(strings.ToLower(os.Reason), "inferred") {
		b.WriteString(" (Inferred.)")
	}
	if len(os.Sources) > 0 {
		more := ""
		if n := len(os.Sources) - 1; n > 0 {
			more = fmt.Sprintf(" and %d more", n)
		}
		fmt.Fprintf(&b, " Source: %s%s.", sourceProse(os.Sources[0]), more)
	}
	return strings.TrimSpace(b.String())
}

// conflicts writes, per conflict, one entry per blocked option: whose red
// line blocks it and why; and the linkages that block combinations.
func (rw *reportWriter) conflicts() {
	if len(rw.r.Conflicts) == 0 {
		rw.blank()
		rw.para("", "", sty("Conflicts:", bold), s("none; every point has an option that crosses no red line."))
		return
	}
	rw.opt.heading(rw.w, "Conflicts")
	for _, c := range rw.r.Conflicts {
		rw.blank()
		rw.para("", "  ", s(rw.conflictPoints(c)+": every option is blocked."))
		redLines := make(map[[2]string][]string) // point, option → parties
		var keys [][2]string
		linkages := make(map[string]analysis.Constraint)
		var linkIDs []string
		for _, bo := range c.Options {
			for _, b := range bo.Blockers {
				if b.Kind == analysis.LinkageConstraint {
					if _, ok := linkages[b.Linkage]; !ok {
						linkIDs = append(linkIDs, b.Linkage)
					}
					linkages[b.Linkage] = b
					continue
				}
				k := [2]string{b.Point, b.Option}
				if _, ok := redLines[k]; !ok {
					keys = append(keys, k)
				}
				if !slices.Contains(redLines[k], b.Party) {
					redLines[k] = append(redLines[k], b.Party)
				}
			}
		}
		rw.sortByText(keys)
		for _, k := range keys {
			segs := []seg{s(rw.pointLabel(k[0]) + ":"), sty(k[1], bold), s("—")}
			for i, party := range redLines[k] {
				os, ok := rw.stanceOf(party, k[0], k[1])
				sep := ";"
				if i == len(redLines[k])-1 {
					sep = "."
				}
				segs = append(segs, sty("red line of "+party+":", red), s(strings.TrimRight(rw.reasonProse(os, ok), ".")+sep))
			}
			rw.para("  ", "      ", segs...)
		}
		for _, id := range linkIDs {
			rw.para("  ", "      ", s(rw.linkageProse(linkages[id])))
		}
	}
}

// sortByText orders (point, option) pairs as the text does.
func (rw *reportWriter) sortByText(keys [][2]string) {
	order := make(map[string]int)
	if rw.v != nil {
		n := 0
		for _, pt := range rw.v.Points() {
			for _, o := range pt.Options {
				order[pt.ID+"\x00"+o.ID] = n
				n++
			}
		}
	}
	slices.SortStableFunc(keys, func(a, b [2]string) int {
		return order[a[0]+"\x00"+a[1]] - order[b[0]+"\x00"+b[1]]
	})
}

// linkageProse says what a linkage asks and why.
func (rw *reportWriter) linkageProse(c analysis.Constraint) string {
	holder := c.Party + "'s linkage " + c.Linkage
	if c.Party == scenario.HolderAll {
		holder = "The linkage " + c.Linkage + " (held by all)"
	}
	if rw.s == nil {
		return holder + " blocks some combinations."
	}
	for _, lk := range rw.s.Linkages {
		if lk.ID != c.Linkage {
			continue
		}
		verb := "requires"
		if lk.Kind == scenario.Excludes {
			verb = "excludes"
		}
		out := fmt.Sprintf("%s: %s in %s %s %s in %s", holder, lk.If.Option, rw.pointLabel(lk.If.Point), verb, lk.Then.Option, rw.pointLabel(lk.Then.Point))
		if lk.Reason != "" {
			out += " — " + strings.TrimRight(oneLine(lk.Reason), ".")
		}
		return out + "."
	}
	return holder + " blocks some combinations."
}
