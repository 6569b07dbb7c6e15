package web

import (
	"fmt"
	"sort"

	"parley/internal/negotiation"
	"parley/scenario"
)

// packageLine is one point of a package as a reader reads it: the point's
// number and title, the option taken, and whether the text as written
// takes it too.
type packageLine struct {
	Point, Label, Option string
	AsWritten            bool
}

// packageLines lays out pkg over version vid of sc: its points in the
// order of the text, each by its numbered title, then any point the
// version does not have, by id.
func packageLines(sc *scenario.Scenario, vid string, pkg map[string]string) []packageLine {
	var out []packageLine
	done := map[string]bool{}
	if v, ok := sc.Version(vid); ok {
		proposed, _ := v.Proposal()
		for _, pt := range v.Points() {
			o, ok := pkg[pt.ID]
			if !ok {
				continue
			}
			done[pt.ID] = true
			out = append(out, packageLine{Point: pt.ID, Label: fmt.Sprintf("%d. %s", pt.Number, pt.Title), Option: o, AsWritten: proposed[pt.ID] == o})
		}
	}
	var rest []string
	for id := range pkg {
		if !done[id] {
			rest = append(rest, id)
		}
	}
	sort.Strings(rest)
	for _, id := range rest {
		out = append(out, packageLine{Point: id, Label: id, Option: pkg[id]})
	}
	return out
}

// voteOverlap is a vote with its revealed overlap laid out for reading.
type voteOverlap struct {
	negotiation.VoteView
	// Overlaps are the overlap's packages, each in the order of the text.
	Overlaps []overlapPackage
}

// overlapPackage is one package of an overlap, point by point, with how
// many of its options the text as written takes too.
type overlapPackage struct {
	Lines     []packageLine
	AsWritten int
}

// overlaps lays out the revealed overlap of every vote.
func overlaps(sc *scenario.Scenario, vs []negotiation.VoteView) []voteOverlap {
	out := make([]voteOverlap, 0, len(vs))
	for _, vv := range vs {
		out = append(out, voteOverlap{VoteView: vv, Overlaps: overlapPackages(sc, vv)})
	}
	return out
}

// overlapPackages lays out the packages of vote vv's revealed overlap.
func overlapPackages(sc *scenario.Scenario, vv negotiation.VoteView) []overlapPackage {
	var out []overlapPackage
	for _, pkg := range vv.Overlap {
		op := overlapPackage{Lines: packageLines(sc, vv.Version, pkg)}
		for _, l := range op.Lines {
			if l.AsWritten {
				op.AsWritten++
			}
		}
		out = append(out, op)
	}
	return out
}
