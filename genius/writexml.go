package genius

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"math"
	"strconv"

	"parley/scenario"
)

// WriteGenius turns a version of a scenario into a GENIUS domain and one
// profile per party that holds a position. Each issue weight is the
// party's largest utility on the issue and each evaluation the utility
// divided by it, so that GENIUS's division by the largest evaluation gives
// back the scenario's utilities.
func WriteGenius(s *scenario.Scenario, opt ExportOptions) (*Export, error) {
	t, err := newTable(s, opt, "GENIUS")
	if err != nil {
		return nil, err
	}
	dom, names, err := fileNames(t, "_domain", ".xml")
	if err != nil {
		return nil, err
	}
	e := &Export{Format: FormatGenius, Warnings: t.warnings}
	e.Files = append(e.Files, File{Name: dom, Data: t.domainXML()})
	for k, p := range t.parties {
		data, warn, err := t.profileXML(p, opt.Lossy)
		if err != nil {
			return nil, err
		}
		e.Warnings = append(e.Warnings, warn...)
		e.Files = append(e.Files, File{Name: names[k], Data: data})
	}
	return e, nil
}

// num formats a number so that it reads back to the same float64.
func num(x float64) string { return strconv.FormatFloat(x, 'g', -1, 64) }

func attr(s string) string {
	var b bytes.Buffer
	xml.EscapeText(&b, []byte(s))
	return b.String()
}

func (t *table) domainXML() []byte {
	var b bytes.Buffer
	b.WriteString("<negotiation_template>\n")
	fmt.Fprintf(&b, "<utility_space number_of_issues=\"%d\">\n", len(t.issues))
	fmt.Fprintf(&b, "<objective index=\"0\" etype=\"objective\" type=\"objective\" description=\"\" name=\"%s\">\n", attr(t.title))
	for i, is := range t.issues {
		fmt.Fprintf(&b, "  <issue index=\"%d\" etype=\"discrete\" type=\"discrete\" vtype=\"discrete\" name=\"%s\">\n", i+1, attr(is.name))
		for j, v := range is.values {
			fmt.Fprintf(&b, "    <item index=\"%d\" value=\"%s\" cost=\"0\" description=\"%s\"/>\n", j+1, attr(v), attr(v))
		}
		b.WriteString("  </issue>\n")
	}
	b.WriteString("</objective>\n</utility_space>\n</negotiation_template>\n")
	return b.Bytes()
}

func (t *table) profileXML(p tableParty, lossy bool) ([]byte, []string, error) {
	var warn []string
	weights := make([]float64, len(t.issues))
	evals := make([][]float64, len(t.issues))
	total := 0.0
	for i := range t.issues {
		m := 0.0
		for _, u := range p.utils[i] {
			m = math.Max(m, u)
		}
		evals[i] = make([]float64, len(p.utils[i]))
		switch {
		case m == 1:
			weights[i] = p.weights[i]
			copy(evals[i], p.utils[i])
		case m > 0:
			weights[i] = p.weights[i] * m
			for j, u := range p.utils[i] {
				evals[i][j] = u / m
			}
		}
		total += weights[i]
	}
	if total > 1+1e-9 {
		msg := fmt.Sprintf("party %s: its utility can reach %s, and GENIUS caps utilities at 1", p.id, about(total))
		if !lossy {
			return nil, nil, fmt.Errorf("%s: use --lossy to export anyway", msg)
		}
		warn = append(warn, msg)
	}
	var b bytes.Buffer
	b.WriteString("<utility_space>\n")
	fmt.Fprintf(&b, "<objective index=\"0\" etype=\"objective\" type=\"objective\" description=\"\" name=\"%s\">\n", attr(t.title))
	for i, is := range t.issues {
		fmt.Fprintf(&b, "  <issue index=\"%d\" etype=\"discrete\" type=\"discrete\" vtype=\"discrete\" name=\"%s\">\n", i+1, attr(is.name))
		for j, v := range is.values {
			fmt.Fprintf(&b, "    <item index=\"%d\" value=\"%s\" cost=\"0\" evaluation=\"%s\"/>\n", j+1, attr(v), num(evals[i][j]))
		}
		b.WriteString("  </issue>\n")
	}
	for i := range t.issues {
		fmt.Fprintf(&b, "  <weight index=\"%d\" value=\"%s\"/>\n", i+1, num(weights[i]))
	}
	b.WriteString("</objective>\n")
	fmt.Fprintf(&b, "<reservation value=\"%s\"/>\n", num(p.reservation))
	if p.discount > 0 {
		fmt.Fprintf(&b, "<discount_factor value=\"%s\"/>\n", num(p.discount))
	}
	b.WriteString("</utility_space>\n")
	return b.Bytes(), warn, nil
}
