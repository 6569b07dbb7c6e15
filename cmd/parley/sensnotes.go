package main

import (
	"fmt"

	"parley/analysis"
)

// sensitivityNotes says which part of the sensitivity analysis of res is
// left out, and why. skipped is --no-sensitivity.
func sensitivityNotes(p *analysis.Problem, res *analysis.Result, skipped bool) []string {
	switch {
	case skipped:
		return []string{"sensitivity left out: --no-sensitivity"}
	case res.Solutions == nil || res.Solutions.Nash == nil:
		why := "no package acceptable to all gives every party more than its disagreement value"
		if !res.Feasible {
			why = "no package is acceptable to all"
		}
		return []string{fmt.Sprintf("sensitivity left out: there is no Nash package (%s), so nothing whose robustness to measure", why)}
	}
	var notes []string
	if res.Epsilon > 0 {
		notes = append(notes, fmt.Sprintf("reservation ranges left out: the frontier is approximated within ε = %g, and exact bounds need the exact frontier", res.Epsilon))
	}
	weighted, choice := 0, 0
	for _, is := range p.Issues {
		if len(is.Options) < 2 {
			continue
		}
		choice++
		if len(is.Weights) == len(p.Parties) {
			weighted++
		}
	}
	switch {
	case choice == 0:
		notes = append(notes, "weight ranges left out: no point has a choice left")
	case weighted == 0 && len(p.Issues) == 1 && len(p.Issues[0].Points) > 1:
		notes = append(notes, "weight ranges left out: the utilities are given package by package (a nonlinear profile, or one GENIUS caps at 1), so there are no point weights to vary")
	case weighted == 0:
		notes = append(notes, "weight ranges left out: the problem gives no weights per point")
	case weighted < choice:
		notes = append(notes, fmt.Sprintf("weight ranges left out for %d of %d points with a choice: they have no weights", choice-weighted, choice))
	}
	if s := res.Sensitivity; s != nil && s.WeightsTruncated {
		notes = append(notes, fmt.Sprintf("weight ranges incomplete: the budget of %d checks (%d partial packages) ran out; the ranges found are listed", analysis.MaxWeightEvaluations, analysis.MaxWeightWork))
	}
	return notes
}
