package chart

import (
	"fmt"
	"math"
	"sort"
	"strings"
)

// XY is a point in data coordinates.
type XY struct{ X, Y float64 }

// MarkKind says what a marked package is; it decides the marker's shape.
type MarkKind int

// Kinds of marks.
const (
	// Solution is a fair package: Nash, Kalai–Smorodinsky, maximin,
	// utilitarian.
	Solution MarkKind = iota
	// Version is a version of the text as written.
	Version
	// Agreement is the outcome of a simulated negotiation.
	Agreement
)

var shapes = map[MarkKind]string{Solution: "circle", Version: "diamond", Agreement: "square"}

// Mark is a labelled package.
type Mark struct {
	At    XY
	Label string
	Kind  MarkKind
}

// Plane is the utility plane of two parties: every package acceptable to
// both is a point (x = the first party's utility, y = the second's).
type Plane struct {
	Title string
	// Note is a line under the title, such as what is approximate.
	Note           string
	XLabel, YLabel string
	// Frontier are the Pareto-efficient packages.
	Frontier []XY
	// Reservation is the utility of no agreement of each party, if known.
	Reservation *XY
	Marks       []Mark
}

// SVG draws the plane.
func (p *Plane) SVG() []byte {
	const size = 400.0
	f := &frame{left: 70, top: 80, width: size, height: size, xmin: 0, xmax: 1, ymin: 0, ymax: 1}
	c := newCanvas(f.left+size+250, f.top+size+60, p.Title, p.desc())
	c.header(p.Title, p.Note)
	if r := p.Reservation; r != nil {
		// The packages better than no agreement for both lie up and right.
		x, y := f.x(r.X), f.y(r.Y)
		c.rect(x, f.top, f.left+f.width-x, y-f.top, "#d5ecdc", "none")
	}
	c.axes(f, p.XLabel, p.YLabel, []float64{0, 0.2, 0.4, 0.6, 0.8, 1}, func(v float64) string { return fmt.Sprintf("%.1f", v) })
	var legend []legendEntry
	if r := p.Reservation; r != nil {
		x, y := f.x(r.X), f.y(r.Y)
		c.line(x, y, x, f.top, "#b00020", 1.2, "5 4")
		c.line(x, y, f.left+f.width, y, "#b00020", 1.2, "5 4")
		c.marker("cross", x, y, 6, "#b00020", "#b00020", fmt.Sprintf("no agreement (%.2f, %.2f)", r.X, r.Y))
		legend = append(legend, legendEntry{label: "no agreement", colour: "#b00020", shape: "cross"},
			legendEntry{label: "better than no agreement for both", colour: "#d5ecdc", swatch: true})
	}
	if len(p.Frontier) > 0 {
		pts := append([]XY(nil), p.Frontier...)
		sort.Slice(pts, func(i, j int) bool { return pts[i].X < pts[j].X || (pts[i].X == pts[j].X && pts[i].Y > pts[j].Y) })
		var line [][2]float64
		for _, q := range pts {
			line = append(line, [2]float64{f.x(q.X), f.y(q.Y)})
		}
		c.polyline(line, "#555", 1.5, "")
		for _, q := range pts {
			c.circle(f.x(q.X), f.y(q.Y), 2.5, "#555", "#555", fmt.Sprintf("(%.2f, %.2f)", q.X, q.Y))
		}
		legend = append(legend, legendEntry{label: fmt.Sprintf("Pareto frontier (%d)", len(pts)), colour: "#555", line: true, shape: "circle"})
	}
	// Versions first, then the solutions as rings around them, so that a
	// version that is also a fair package shows as both.
	for _, kind := range []MarkKind{Version, Agreement, Solution} {
		for i, m := range p.Marks {
			if m.Kind != kind {
				continue
			}
			col := colour(i)
			shape := shapes[m.Kind]
			if kind == Solution {
				shape = "ring"
			}
			x, y := f.x(m.At.X), f.y(m.At.Y)
			c.marker(shape, x, y, 6, col, "#222", fmt.Sprintf("%s (%.2f, %.2f)", m.Label, m.At.X, m.At.Y))
		}
	}
	for i, m := range p.Marks {
		shape := shapes[m.Kind]
		if m.Kind == Solution {
			shape = "ring"
		}
		legend = append(legend, legendEntry{label: m.Label, colour: colour(i), shape: shape})
	}
	c.legend(f.left+size+30, f.top+10, legend)
	return c.bytes()
}

func (p *Plane) desc() string {
	d := fmt.Sprintf("Utility plane: %s across, %s up; %d packages on the Pareto frontier", p.XLabel, p.YLabel, len(p.Frontier))
	for _, m := range p.Marks {
		d += fmt.Sprintf("; %s at (%.2f, %.2f)", m.Label, m.At.X, m.At.Y)
	}
	if r := p.Reservation; r != nil {
		d += fmt.Sprintf("; no agreement at (%.2f, %.2f)", r.X, r.Y)
	}
	return d + "."
}

// header writes the title and note at the top of the canvas.
func (c *canvas) header(title, note string) {
	c.text(20, 26, clip(title, 90), "start", 16, "#111", ` font-weight="bold"`)
	// Three lines fit above the plot area; a longer note is clipped.
	lines := wrapLabel(note, 100)
	if len(lines) > 3 {
		lines = []string{lines[0], lines[1], clip(strings.Join(lines[2:], " "), 100)}
	}
	for i, l := range lines {
		c.text(20, 46+float64(i)*14, l, "start", 11, "#555", "")
	}
}

// Line is one package drawn across the axes of a Parallel chart.
type Line struct {
	Values []float64
	Label  string
	Kind   MarkKind
}

// Parallel draws packages for more than two parties: one vertical axis
// per party, from utility 0 at the bottom to 1 at the top, and each
// package a line across them.
type Parallel struct {
	Title, Note string
	Axes        []string
	// Reservation is each party's utility of no agreement, or nil.
	Reservation []float64
	// Frontier are the Pareto-efficient packages, drawn faint.
	Frontier [][]float64
	// Lines are the marked packages, drawn in colour.
	Lines []Line
}

// SVG draws the chart.
func (p *Parallel) SVG() []byte {
	n := len(p.Axes)
	gap := 130.0
	width := math.Max(float64(max(n-1, 1))*gap, 260)
	f := &frame{left: 70, top: 86, width: width, height: 360, xmin: 0, xmax: float64(max(n-1, 1)), ymin: 0, ymax: 1}
	c := newCanvas(f.left+width+250, f.top+f.height+70, p.Title, p.desc())
	c.header(p.Title, p.Note)
	for i := 0; i <= 5; i++ {
		v := float64(i) / 5
		c.line(f.left, f.y(v), f.left+f.width, f.y(v), "#eeeeee", 1, "")
		c.text(f.left-10, f.y(v)+4, fmt.Sprintf("%.1f", v), "end", 11, "#444", "")
	}
	for k, name := range p.Axes {
		x := f.x(float64(k))
		c.line(x, f.top, x, f.top+f.height, "#666", 1.5, "")
		c.text(x, f.top+f.height+20, clip(name, 18), "middle", 12, "#222", ` font-weight="bold"`)
	}
	path := func(vals []float64) [][2]float64 {
		var pts [][2]float64
		for k := 0; k < n && k < len(vals); k++ {
			pts = append(pts, [2]float64{f.x(float64(k)), f.y(vals[k])})
		}
		return pts
	}
	var legend []legendEntry
	for _, vals := range p.Frontier {
		c.polyline(path(vals), "#bbbbbb", 1, "")
	}
	if len(p.Frontier) > 0 {
		legend = append(legend, legendEntry{label: fmt.Sprintf("Pareto frontier (%d)", len(p.Frontier)), colour: "#bbbbbb", line: true})
	}
	if len(p.Reservation) > 0 {
		for k := 0; k < n && k < len(p.Reservation); k++ {
			x, y := f.x(float64(k)), f.y(p.Reservation[k])
			c.line(x-12, y, x+12, y, "#b00020", 3, "")
		}
		legend = append(legend, legendEntry{label: "no agreement", colour: "#b00020", line: true})
	}
	for i, l := range p.Lines {
		col := colour(i)
		dash := ""
		if l.Kind == Version {
			dash = "7 4"
		}
		pts := path(l.Values)
		c.polyline(pts, col, 2.5, dash)
		for k, q := range pts {
			c.marker(shapes[l.Kind], q[0], q[1], 4, col, col, fmt.Sprintf("%s: %s %.2f", l.Label, p.Axes[k], l.Values[k]))
		}
		legend = append(legend, legendEntry{label: l.Label, colour: col, line: true, shape: shapes[l.Kind], dash: dash})
	}
	c.legend(f.left+width+40, f.top+10, legend)
	return c.bytes()
}

func (p *Parallel) desc() string {
	d := fmt.Sprintf("Parallel coordinates: one axis per party (%d), utility from 0 at the bottom to 1 at the top", len(p.Axes))
	for _, l := range p.Lines {
		d += "; " + l.Label
	}
	return d + "."
}

// Series is one named line of a Lines chart. A point whose Y is NaN
// leaves a gap.
type Series struct {
	Name   string
	Points []XY
	// Dash draws the line dashed ("" for solid); Dots marks each point.
	Dash string
	Dots bool
	// Colour is an index into the palette.
	Colour int
	// Ranges are values known only between two bounds, drawn as vertical
	// bars with caps (a version of the text with points still open).
	Ranges []Range
}

// Range is a value known to lie between Low and High, at X.
type Range struct {
	X, Low, High float64
}

// Lines is a line chart: utilities over versions (Categories set: x is
// the index of a category) or over time (x from XMin to XMax).
type Lines struct {
	Title, Note    string
	XLabel, YLabel string
	Categories     []string
	XMin, XMax     float64
	Series         []Series
	Marks          []Mark
}

// SVG draws the chart.
func (l *Lines) SVG() []byte {
	f := &frame{left: 70, top: 86, width: 520, height: 340, xmin: l.XMin, xmax: l.XMax, ymin: 0, ymax: 1}
	var ticks []float64
	label := func(v float64) string { return fmt.Sprintf("%.1f", v) }
	if len(l.Categories) > 0 {
		f.xmin, f.xmax = -0.3, float64(len(l.Categories)-1)+0.3
		for i := range l.Categories {
			ticks = append(ticks, float64(i))
		}
		label = func(v float64) string {
			i := int(math.Round(v))
			if i < 0 || i >= len(l.Categories) {
				return ""
			}
			return clip(l.Categories[i], 14)
		}
	} else {
		for i := 0; i <= 5; i++ {
			ticks = append(ticks, l.XMin+(l.XMax-l.XMin)*float64(i)/5)
		}
	}
	c := newCanvas(f.left+f.width+240, f.top+f.height+70, l.Title, l.desc())
	c.header(l.Title, l.Note)
	c.axes(f, l.XLabel, l.YLabel, ticks, label)
	var legend []legendEntry
	for _, s := range l.Series {
		col := colour(s.Colour)
		var run [][2]float64
		flush := func() {
			c.polyline(run, col, 2.2, s.Dash)
			run = nil
		}
		for _, q := range s.Points {
			if math.IsNaN(q.Y) {
				flush()
				continue
			}
			run = append(run, [2]float64{f.x(q.X), f.y(q.Y)})
		}
		flush()
		for _, r := range s.Ranges {
			x, lo, hi := f.x(r.X), f.y(r.Low), f.y(r.High)
			c.line(x, lo, x, hi, col, 3, "")
			c.line(x-5, lo, x+5, lo, col, 2, "")
			c.line(x-5, hi, x+5, hi, col, 2, "")
			c.circle(x, (lo+hi)/2, 0.01, col, col, fmt.Sprintf("%s: %.2f to %.2f", s.Name, r.Low, r.High))
		}
		if s.Dots {
			for _, q := range s.Points {
				if !math.IsNaN(q.Y) {
					c.circle(f.x(q.X), f.y(q.Y), 3.5, col, col, fmt.Sprintf("%s: %.2f", s.Name, q.Y))
				}
			}
		}
		e := legendEntry{label: s.Name, colour: col, line: true, dash: s.Dash}
		if s.Dots {
			e.shape = "circle"
		}
		legend = append(legend, e)
	}
	for i, m := range l.Marks {
		// The agreement is marked once per party, in the party's colour.
		col := colour(len(l.Series) + i)
		if m.Kind == Agreement {
			col = colour(i)
		}
		c.marker(shapes[m.Kind], f.x(m.At.X), f.y(m.At.Y), 6, col, "#222", m.Label)
		legend = append(legend, legendEntry{label: m.Label, colour: col, shape: shapes[m.Kind]})
	}
	c.legend(f.left+f.width+30, f.top+10, legend)
	return c.bytes()
}

func (l *Lines) desc() string {
	d := fmt.Sprintf("Line chart: %s across, %s up", l.XLabel, l.YLabel)
	for _, s := range l.Series {
		d += "; " + s.Name
	}
	return d + "."
}
