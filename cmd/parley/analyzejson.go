package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"math"
	"sort"
	"unicode/utf8"

	"parley/analysis"
	"parley/round"
)

// analyzeDoc is the document "parley analyze --json" prints: the report,
// how many frontier packages --frontier left out, and the notes.
type analyzeDoc struct {
	*analysis.Report
	// ParetoLeftOut is how many packages of the frontier "pareto" leaves
	// out because of --frontier N (0 when it lists them all).
	ParetoLeftOut int `json:"pareto_left_out"`
	// SensitivityNotes say which part of the sensitivity analysis is left
	// out, and why.
	SensitivityNotes []string `json:"sensitivity_notes"`
	Notes            []string `json:"notes"`
}

// writeAnalysisJSON writes doc as indented JSON, listing at most limit
// packages of the frontier (all when limit < 0). The frontier, which can
// hold a hundred thousand packages, is written directly rather than
// through encoding/json, in the same form encoding/json would give it.
// Every fractional number is rounded by package round's rule (0.64, not
// 0.6399999999999999); integers, such as counts, are written as they are.
// prob, when not nil, is the problem the report's packages choose options
// of, which spares building a map per package.
func writeAnalysisJSON(w io.Writer, doc analyzeDoc, limit int, prob *analysis.Problem) error {
	pareto := doc.Report.Pareto
	if limit >= 0 && len(pareto) > limit {
		doc.ParetoLeftOut = len(pareto) - limit
		pareto = pareto[:limit]
	}
	rep := *doc.Report
	res := *rep.Result
	res.Pareto = nil
	rep.Result = &res
	doc.Report = &rep
	raw, err := json.MarshalIndent(doc, "", "  ")
	if err != nil {
		return err
	}
	head := round.AppendJSON(make([]byte, 0, len(raw)), raw)
	const slot = "\n  \"pareto\": null"
	i := bytes.Index(head, []byte(slot))
	if i < 0 {
		return errors.New("internal error: no frontier in the analysis JSON")
	}
	bw := bufio.NewWriterSize(w, 1<<16)
	bw.Write(head[:i])
	bw.WriteString("\n  \"pareto\": ")
	writePareto(bw, pareto, prob)
	bw.Write(head[i+len(slot):])
	bw.WriteByte('\n')
	return bw.Flush()
}

// writePareto writes outcomes as encoding/json indents them at depth 1.
func writePareto(w *bufio.Writer, outcomes []analysis.Outcome, prob *analysis.Problem) {
	if len(outcomes) == 0 {
		w.WriteString("[]")
		return
	}
	quoted := map[string][]byte{}
	quote := func(s string) []byte {
		if q, ok := quoted[s]; ok {
			return q
		}
		q := appendJSONString(nil, s)
		quoted[s] = q
		return q
	}
	table := newChoiceTable(prob, outcomes, quote)
	var keys []string
	buf := make([]byte, 0, 256)
	w.WriteString("[")
	for n, o := range outcomes {
		if n > 0 {
			w.WriteByte(',')
		}
		w.WriteString("\n    {\n      \"package\": ")
		switch {
		case table != nil:
			w.WriteString("{")
			for j, c := range table.points {
				if j > 0 {
					w.WriteByte(',')
				}
				w.WriteString("\n        ")
				w.Write(c.point)
				w.WriteString(": ")
				w.Write(c.options[o.Package[c.issue]])
			}
			w.WriteString("\n      }")
		default:
			choices := o.Choices()
			if len(keys) != len(choices) {
				keys = keys[:0]
				for k := range choices {
					keys = append(keys, k)
				}
				sort.Strings(keys)
			}
			if len(choices) == 0 {
				if choices == nil {
					w.WriteString("null")
				} else {
					w.WriteString("{}")
				}
				break
			}
			w.WriteString("{")
			for j, k := range keys {
				if j > 0 {
					w.WriteByte(',')
				}
				w.WriteString("\n        ")
				w.Write(quote(k))
				w.WriteString(": ")
				w.Write(quote(choices[k]))
			}
			w.WriteString("\n      }")
		}
		w.WriteString(",\n      \"utilities\": ")
		if o.Utilities == nil {
			w.WriteString("null")
		} else if len(o.Utilities) == 0 {
			w.WriteString("[]")
		} else {
			w.WriteString("[")
			for j, u := range o.Utilities {
				if j > 0 {
					w.WriteByte(',')
				}
				w.WriteString("\n        ")
				buf = appendJSONFloat(buf[:0], u)
				w.Write(buf)
			}
			w.WriteString("\n      ]")
		}
		w.WriteString("\n    }")
	}
	w.WriteString("\n  ]")
}

// choiceTable holds, for every point in id order, its quoted id and the
// quoted option id each option of its issue gives it.
type choiceTable struct {
	points []pointChoice
}

type pointChoice struct {
	point   []byte
	issue   int
	options [][]byte
}

// newChoiceTable returns the table of prob, or nil when prob is nil or
// when the outcomes are not packages of prob (their own choices, checked
// on the first and last, differ).
func newChoiceTable(prob *analysis.Problem, outcomes []analysis.Outcome, quote func(string) []byte) *choiceTable {
	if prob == nil {
		return nil
	}
	t := &choiceTable{}
	for i, is := range prob.Issues {
		for j, pt := range is.Points {
			c := pointChoice{point: quote(pt), issue: i}
			for _, o := range is.Options {
				c.options = append(c.options, quote(o.Choices[j]))
			}
			t.points = append(t.points, c)
		}
	}
	sort.Slice(t.points, func(a, b int) bool { return string(t.points[a].point) < string(t.points[b].point) })
	for _, o := range []analysis.Outcome{outcomes[0], outcomes[len(outcomes)-1]} {
		want := o.Choices()
		if len(o.Package) != len(prob.Issues) || len(want) != len(t.points) {
			return nil
		}
		for _, c := range t.points {
			if o.Package[c.issue] < 0 || o.Package[c.issue] >= len(c.options) {
				return nil
			}
		}
		got := prob.Choices(o.Package)
		for k, v := range want {
			if got[k] != v {
				return nil
			}
		}
	}
	return t
}

// appendJSONFloat formats f rounded by package round's rule, as
// encoding/json formats the rounded number: the shortest decimal that
// reads back as it, in exponent form only for very small or very large
// magnitudes.
func appendJSONFloat(b []byte, f float64) []byte {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		// encoding/json refuses these; the engine never produces them.
		return append(b, "null"...)
	}
	return round.Append(b, f)
}

// appendJSONString quotes s as encoding/json does, HTML characters
// escaped; strings that need no escaping, the usual case, are copied.
func appendJSONString(b []byte, s string) []byte {
	plain := utf8.ValidString(s)
	for i := 0; plain && i < len(s); i++ {
		c := s[i]
		if c < 0x20 || c == '"' || c == '\\' || c == '<' || c == '>' || c == '&' || c >= 0x80 {
			plain = false
		}
	}
	if plain {
		b = append(b, '"')
		b = append(b, s...)
		return append(b, '"')
	}
	q, _ := json.Marshal(s)
	return append(b, q...)
}
