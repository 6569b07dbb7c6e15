// Package chart draws parley's charts as standalone SVG: the utility plane
// of two parties with the Pareto frontier, parallel coordinates for more
// parties, and line charts over versions or time. It is pure — data in, SVG
// out, no I/O, no scripts, no external assets — so that the command line
// and the web UI draw the same pictures.
package chart

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"math"
	"strings"
)

// Palette is the colour of each series, in order: the Okabe–Ito colours,
// which stay apart for readers with colour-vision deficiencies.
var Palette = []string{"#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000", "#F0E442"}

// colour returns the i-th colour of the palette, cycling.
func colour(i int) string { return Palette[((i%len(Palette))+len(Palette))%len(Palette)] }

// canvas writes one SVG document.
type canvas struct {
	b             bytes.Buffer
	width, height float64
}

func newCanvas(width, height float64, title, desc string) *canvas {
	c := &canvas{width: width, height: height}
	fmt.Fprintf(&c.b, `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %s %s" width="%s" height="%s" role="img" aria-labelledby="chart-title chart-desc" font-family="Helvetica, Arial, sans-serif" font-size="12">`+"\n",
		num(width), num(height), num(width), num(height))
	fmt.Fprintf(&c.b, "<title id=\"chart-title\">%s</title>\n<desc id=\"chart-desc\">%s</desc>\n", esc(title), esc(desc))
	fmt.Fprintf(&c.b, `<rect x="0" y="0" width="%s" height="%s" fill="#ffffff"/>`+"\n", num(width), num(height))
	return c
}

// bytes closes the document and returns it.
func (c *canvas) bytes() []byte {
	c.b.WriteString("</svg>\n")
	return c.b.Bytes()
}

func (c *canvas) line(x1, y1, x2, y2 float64, stroke string, width float64, dash string) {
	d := ""
	if dash != "" {
		d = ` stroke-dasharray="` + dash + `"`
	}
	fmt.Fprintf(&c.b, `<line x1="%s" y1="%s" x2="%s" y2="%s" stroke="%s" stroke-width="%s"%s/>`+"\n",
		num(x1), num(y1), num(x2), num(y2), stroke, num(width), d)
}

func (c *canvas) polyline(pts [][2]float64, stroke string, width float64, dash string) {
	if len(pts) < 2 {
		return
	}
	var b strings.Builder
	for i, p := range pts {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(num(p[0]) + "," + num(p[1]))
	}
	d := ""
	if dash != "" {
		d = ` stroke-dasharray="` + dash + `"`
	}
	fmt.Fprintf(&c.b, `<polyline points="%s" fill="none" stroke="%s" stroke-width="%s" stroke-linejoin="round"%s/>`+"\n", b.String(), stroke, num(width), d)
}

func (c *canvas) circle(x, y, r float64, fill, stroke string, label string) {
	fmt.Fprintf(&c.b, `<circle cx="%s" cy="%s" r="%s" fill="%s" stroke="%s" stroke-width="1.5">`, num(x), num(y), num(r), fill, stroke)
	if label != "" {
		fmt.Fprintf(&c.b, "<title>%s</title>", esc(label))
	}
	c.b.WriteString("</circle>\n")
}

// marker draws a shape centred on (x, y): "circle", "ring" (a hollow
// circle, in the fill colour), "square", "diamond", "triangle" or "cross".
func (c *canvas) marker(shape string, x, y, r float64, fill, stroke, label string) {
	var pts [][2]float64
	switch shape {
	case "square":
		pts = [][2]float64{{x - r, y - r}, {x + r, y - r}, {x + r, y + r}, {x - r, y + r}}
	case "diamond":
		r *= 1.3
		pts = [][2]float64{{x, y - r}, {x + r, y}, {x, y + r}, {x - r, y}}
	case "triangle":
		r *= 1.25
		pts = [][2]float64{{x, y - r}, {x + r, y + r*0.8}, {x - r, y + r*0.8}}
	case "ring":
		fmt.Fprintf(&c.b, `<circle cx="%s" cy="%s" r="%s" fill="none" stroke="%s" stroke-width="3">`, num(x), num(y), num(r*1.4), fill)
		if label != "" {
			fmt.Fprintf(&c.b, "<title>%s</title>", esc(label))
		}
		c.b.WriteString("</circle>\n")
		return
	case "cross":
		fmt.Fprintf(&c.b, `<path d="M%s %sL%s %sM%s %sL%s %s" stroke="%s" stroke-width="2.5" fill="none">`,
			num(x-r), num(y-r), num(x+r), num(y+r), num(x-r), num(y+r), num(x+r), num(y-r), stroke)
		if label != "" {
			fmt.Fprintf(&c.b, "<title>%s</title>", esc(label))
		}
		c.b.WriteString("</path>\n")
		return
	default:
		c.circle(x, y, r, fill, stroke, label)
		return
	}
	var b strings.Builder
	for i, p := range pts {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(num(p[0]) + "," + num(p[1]))
	}
	fmt.Fprintf(&c.b, `<polygon points="%s" fill="%s" stroke="%s" stroke-width="1.5">`, b.String(), fill, stroke)
	if label != "" {
		fmt.Fprintf(&c.b, "<title>%s</title>", esc(label))
	}
	c.b.WriteString("</polygon>\n")
}

func (c *canvas) rect(x, y, w, h float64, fill, stroke string) {
	fmt.Fprintf(&c.b, `<rect x="%s" y="%s" width="%s" height="%s" fill="%s" stroke="%s"/>`+"\n", num(x), num(y), num(w), num(h), fill, stroke)
}

// text writes a label; anchor is start, middle or end.
func (c *canvas) text(x, y float64, s, anchor string, size float64, fill string, extra string) {
	fmt.Fprintf(&c.b, `<text x="%s" y="%s" text-anchor="%s" font-size="%s" fill="%s"%s>%s</text>`+"\n",
		num(x), num(y), anchor, num(size), fill, extra, esc(s))
}

// num writes a coordinate with at most two decimals.
func num(v float64) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		v = 0
	}
	s := fmt.Sprintf("%.2f", v)
	s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	if s == "-0" || s == "" {
		s = "0"
	}
	return s
}

// esc escapes text for XML, and drops the characters XML cannot hold.
func esc(s string) string {
	s = strings.Map(func(r rune) rune {
		if r == '\t' || r == '\n' || r == '\r' {
			return ' '
		}
		if r < 0x20 || r == 0xFFFE || r == 0xFFFF || (r >= 0xD800 && r <= 0xDFFF) {
			return -1
		}
		return r
	}, s)
	var b bytes.Buffer
	_ = xml.EscapeText(&b, []byte(s))
	return b.String()
}

// clamp keeps v within [lo, hi].
func clamp(v, lo, hi float64) float64 { return math.Max(lo, math.Min(hi, v)) }

// clip shortens a label to n runes.
func clip(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

// frame is the plotting area inside the margins of a canvas, mapping data
// coordinates to the page.
type frame struct {
	left, top, width, height float64
	xmin, xmax, ymin, ymax   float64
}

func (f *frame) x(v float64) float64 {
	if f.xmax == f.xmin {
		return f.left + f.width/2
	}
	return f.left + f.width*(clamp(v, f.xmin, f.xmax)-f.xmin)/(f.xmax-f.xmin)
}

func (f *frame) y(v float64) float64 {
	if f.ymax == f.ymin {
		return f.top + f.height/2
	}
	return f.top + f.height*(1-(clamp(v, f.ymin, f.ymax)-f.ymin)/(f.ymax-f.ymin))
}

// axes draws the grid, the ticks and the axis titles of a frame with
// numeric axes.
func (c *canvas) axes(f *frame, xlabel, ylabel string, xticks []float64, xfmt func(float64) string) {
	for i := 0; i <= 5; i++ {
		v := f.ymin + (f.ymax-f.ymin)*float64(i)/5
		y := f.y(v)
		c.line(f.left, y, f.left+f.width, y, "#e3e3e3", 1, "")
		c.text(f.left-6, y+4, fmt.Sprintf("%.1f", v), "end", 11, "#444", "")
	}
	for _, v := range xticks {
		x := f.x(v)
		c.line(x, f.top, x, f.top+f.height, "#e3e3e3", 1, "")
		c.text(x, f.top+f.height+16, xfmt(v), "middle", 11, "#444", "")
	}
	c.rect(f.left, f.top, f.width, f.height, "none", "#888")
	c.text(f.left+f.width/2, f.top+f.height+36, xlabel, "middle", 12, "#222", "")
	c.text(f.left-38, f.top+f.height/2, ylabel, "middle", 12, "#222",
		fmt.Sprintf(` transform="rotate(-90 %s %s)"`, num(f.left-38), num(f.top+f.height/2)))
}

// legendEntry is one line of a legend.
type legendEntry struct {
	label, colour, shape string
	line                 bool
	dash                 string
	// swatch draws a filled square, for an area.
	swatch bool
}

// legendWidth is the number of characters of a legend line.
const legendWidth = 30

// legend draws entries in a column from (x, y); long labels wrap.
func (c *canvas) legend(x, y float64, entries []legendEntry) {
	yy := y
	for _, e := range entries {
		if e.swatch {
			c.rect(x+2, yy-6, 14, 12, e.colour, "none")
		}
		if e.line {
			c.line(x, yy, x+18, yy, e.colour, 2.5, e.dash)
		}
		if e.shape != "" {
			c.marker(e.shape, x+9, yy, 4.5, e.colour, e.colour, "")
		}
		lines := wrapLabel(e.label, legendWidth)
		if len(lines) > 4 {
			lines = append(lines[:3], clip(strings.Join(lines[3:], " "), legendWidth))
		}
		for _, l := range lines {
			c.text(x+24, yy+4, l, "start", 11, "#222", "")
			yy += 14
		}
		yy += 5
	}
}

// wrapLabel breaks a label into lines of at most n runes at spaces.
func wrapLabel(s string, n int) []string {
	var lines []string
	cur := ""
	for _, w := range strings.Fields(s) {
		w = clip(w, n)
		switch {
		case cur == "":
			cur = w
		case len([]rune(cur))+1+len([]rune(w)) <= n:
			cur += " " + w
		default:
			lines = append(lines, cur)
			cur = w
		}
	}
	if cur != "" || len(lines) == 0 {
		lines = append(lines, cur)
	}
	return lines
}
