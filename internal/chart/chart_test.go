package chart

import (
	"bytes"
	"encoding/xml"
	"io"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"pgregory.net/rapid"
)

// tb is what parse needs of a test: testing.TB and *rapid.T both have it.
type tb interface {
	Helper()
	Fatalf(format string, args ...any)
	Errorf(format string, args ...any)
}

// parsed is what the tests read of an SVG document.
type parsed struct {
	width, height float64
	count         map[string]int // elements by name
	texts         []string
}

// parse reads an SVG document, failing the test when it is not well-formed
// XML or when a coordinate lies outside the view box.
func parse(t tb, svg []byte) *parsed {
	t.Helper()
	p := &parsed{count: map[string]int{}}
	dec := xml.NewDecoder(bytes.NewReader(svg))
	inText := false
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("not well-formed XML: %v\n%s", err, svg)
		}
		switch el := tok.(type) {
		case xml.StartElement:
			p.count[el.Name.Local]++
			inText = el.Name.Local == "text"
			if el.Name.Local == "svg" {
				for _, a := range el.Attr {
					if a.Name.Local == "viewBox" {
						f := strings.Fields(a.Value)
						if len(f) != 4 || f[0] != "0" || f[1] != "0" {
							t.Fatalf("viewBox %q", a.Value)
						}
						p.width, _ = strconv.ParseFloat(f[2], 64)
						p.height, _ = strconv.ParseFloat(f[3], 64)
					}
				}
				continue
			}
			for _, a := range el.Attr {
				p.checkAttr(t, el.Name.Local, a)
			}
		case xml.CharData:
			if inText {
				p.texts = append(p.texts, string(el))
			}
		case xml.EndElement:
			inText = false
		}
	}
	if p.count["svg"] != 1 || p.width <= 0 || p.height <= 0 {
		t.Fatalf("no svg root with a view box: %v", p.count)
	}
	return p
}

func (p *parsed) checkAttr(t tb, el string, a xml.Attr) {
	t.Helper()
	inX := func(v float64) bool { return v >= 0 && v <= p.width }
	inY := func(v float64) bool { return v >= 0 && v <= p.height }
	number := func() float64 {
		v, err := strconv.ParseFloat(a.Value, 64)
		if err != nil || math.IsNaN(v) {
			t.Fatalf("<%s %s=%q>: not a number", el, a.Name.Local, a.Value)
		}
		return v
	}
	switch a.Name.Local {
	case "x", "x1", "x2", "cx":
		if v := number(); !inX(v) {
			t.Errorf("<%s %s=%v> outside the view box of width %v", el, a.Name.Local, v, p.width)
		}
	case "y", "y1", "y2", "cy":
		if v := number(); !inY(v) {
			t.Errorf("<%s %s=%v> outside the view box of height %v", el, a.Name.Local, v, p.height)
		}
	case "points":
		for _, pair := range strings.Fields(a.Value) {
			xs, ys, ok := strings.Cut(pair, ",")
			x, err1 := strconv.ParseFloat(xs, 64)
			y, err2 := strconv.ParseFloat(ys, 64)
			if !ok || err1 != nil || err2 != nil || !inX(x) || !inY(y) {
				t.Errorf("<%s points> has %q, outside the view box %vx%v", el, pair, p.width, p.height)
			}
		}
	}
}

func samplePlane() *Plane {
	return &Plane{
		Title: "Frontier of ua and ru", Note: "Illustrative numbers",
		XLabel: "ua's utility", YLabel: "ru's utility",
		Frontier:    []XY{{0.9, 0.3}, {0.8, 0.5}, {0.6, 0.7}, {0.4, 0.8}},
		Reservation: &XY{0.4, 0.5},
		Marks: []Mark{
			{XY{0.6, 0.7}, "Nash = Kalai–Smorodinsky", Solution},
			{XY{0.3, 0.45}, "v1 as written", Version},
		},
	}
}

func sampleParallel() *Parallel {
	return &Parallel{
		Title: "Packages of four parties", Axes: []string{"us", "ua", "ru", "eu"},
		Reservation: []float64{0.3, 0.4, 0.5, 0.35},
		Frontier:    [][]float64{{0.8, 0.7, 0.6, 0.7}, {0.9, 0.6, 0.55, 0.6}},
		Lines:       []Line{{[]float64{0.81, 0.74, 0.62, 0.7}, "Nash", Solution}, {[]float64{0.5, 0.2, 0.9, 0.1}, "v1", Version}},
	}
}

func sampleLines() *Lines {
	return &Lines{
		Title: "Each party's utility of the versions as written", XLabel: "version", YLabel: "utility",
		Categories: []string{"v1", "v2", "v3", "v4"},
		Series: []Series{
			{Name: "ua", Points: []XY{{0, 0.2}, {1, 0.7}, {2, math.NaN()}, {3, 0.6}}, Dots: true},
			{Name: "ru", Points: []XY{{0, 0.9}, {1, 0.3}, {2, 0.5}, {3, 0.5}}, Dots: true, Colour: 1},
			{Name: "ru: no agreement", Points: []XY{{0, 0.5}, {3, 0.5}}, Dash: "5 4", Colour: 1},
		},
	}
}

func TestPlane(t *testing.T) {
	p := parse(t, samplePlane().SVG())
	if p.count["title"] < 1 || p.count["desc"] != 1 {
		t.Errorf("no accessible title and description: %v", p.count)
	}
	if p.count["polyline"] != 1 {
		t.Errorf("want the frontier as one polyline, got %d", p.count["polyline"])
	}
	if p.count["polygon"] < 2 || p.count["path"] < 1 {
		t.Errorf("want markers for the version and the reservation point: %v", p.count)
	}
	joined := strings.Join(p.texts, "|")
	for _, want := range []string{"Nash = Kalai–Smorodinsky", "v1 as written", "ua's utility", "no agreement"} {
		if !strings.Contains(joined, want) {
			t.Errorf("no label %q in %q", want, joined)
		}
	}
}

func TestParallel(t *testing.T) {
	p := parse(t, sampleParallel().SVG())
	if p.count["polyline"] != 4 {
		t.Errorf("want 4 polylines (2 frontier, 2 marked), got %d", p.count["polyline"])
	}
	joined := strings.Join(p.texts, "|")
	for _, want := range []string{"us", "eu", "Nash", "v1"} {
		if !strings.Contains(joined, want) {
			t.Errorf("no label %q in %q", want, joined)
		}
	}
}

func TestLinesGaps(t *testing.T) {
	p := parse(t, sampleLines().SVG())
	// ua's series has a gap at v3: two runs, one of them a single point
	// (not drawn as a line); ru's one run; the reservation line one.
	if p.count["polyline"] != 3 {
		t.Errorf("want 3 polylines, got %d", p.count["polyline"])
	}
	if p.count["circle"] < 7 {
		t.Errorf("want a dot per known point, got %d circles", p.count["circle"])
	}
}

// TestChartsOfAnyData draws random data, hostile labels and numbers out of
// range included: the SVG must stay well-formed and inside its view box.
func TestChartsOfAnyData(t *testing.T) {
	val := rapid.OneOf(rapid.Float64Range(-2, 3), rapid.SampledFrom([]float64{math.NaN(), math.Inf(1), math.Inf(-1), 0, 1}))
	label := rapid.OneOf(rapid.String(), rapid.SampledFrom([]string{"<script>", "a & b", "\x00\x1b[31m", "]]>", "\"'"}))
	rapid.Check(t, func(t *rapid.T) {
		n := rapid.IntRange(0, 30).Draw(t, "n")
		var pts []XY
		for i := 0; i < n; i++ {
			pts = append(pts, XY{val.Draw(t, "x"), val.Draw(t, "y")})
		}
		pl := &Plane{Title: label.Draw(t, "title"), XLabel: label.Draw(t, "xl"), YLabel: label.Draw(t, "yl"), Frontier: pts,
			Marks: []Mark{{XY{val.Draw(t, "mx"), val.Draw(t, "my")}, label.Draw(t, "ml"), MarkKind(rapid.IntRange(0, 2).Draw(t, "kind"))}}}
		if rapid.Bool().Draw(t, "reservation") {
			pl.Reservation = &XY{val.Draw(t, "rx"), val.Draw(t, "ry")}
		}
		parse(t, pl.SVG())
		k := rapid.IntRange(1, 6).Draw(t, "parties")
		par := &Parallel{Title: label.Draw(t, "ptitle")}
		for i := 0; i < k; i++ {
			par.Axes = append(par.Axes, label.Draw(t, "axis"))
		}
		vals := make([]float64, k)
		for i := range vals {
			vals[i] = val.Draw(t, "v")
		}
		par.Lines = []Line{{vals, label.Draw(t, "line"), Version}}
		par.Reservation = vals
		parse(t, par.SVG())
		ln := &Lines{Title: label.Draw(t, "ltitle"), XMin: 0, XMax: 1, Series: []Series{{Name: label.Draw(t, "s"), Points: pts, Dots: true}}}
		if rapid.Bool().Draw(t, "categories") {
			ln.Categories = []string{label.Draw(t, "c1"), label.Draw(t, "c2")}
		}
		parse(t, ln.SVG())
	})
}

// TestRender draws every chart with a real SVG renderer, librsvg's
// rsvg-convert, and checks that it makes a PNG of the chart's size.
func TestRender(t *testing.T) {
	bin, err := exec.LookPath("rsvg-convert")
	if err != nil {
		t.Skip("rsvg-convert not found (Debian: apt-get install librsvg2-bin); the charts are not rendered")
	}
	dir := t.TempDir()
	for name, svg := range map[string][]byte{
		"plane":    samplePlane().SVG(),
		"parallel": sampleParallel().SVG(),
		"lines":    sampleLines().SVG(),
	} {
		in := filepath.Join(dir, name+".svg")
		out := filepath.Join(dir, name+".png")
		if err := os.WriteFile(in, svg, 0o644); err != nil {
			t.Fatal(err)
		}
		cmd := exec.Command(bin, "--format", "png", "--output", out, in)
		msg, err := cmd.CombinedOutput()
		if err != nil {
			t.Errorf("%s: rsvg-convert: %v\n%s", name, err, msg)
			continue
		}
		png, err := os.ReadFile(out)
		if err != nil || !bytes.HasPrefix(png, []byte("\x89PNG\r\n\x1a\n")) || len(png) < 2000 {
			t.Errorf("%s: no PNG drawn (%d bytes, %v)", name, len(png), err)
			continue
		}
		p := parse(t, svg)
		w := int(png[16])<<24 | int(png[17])<<16 | int(png[18])<<8 | int(png[19])
		if w != int(math.Round(p.width)) {
			t.Errorf("%s: PNG width %d, want %v", name, w, p.width)
		}
		if len(msg) > 0 {
			t.Errorf("%s: rsvg-convert warned: %s", name, msg)
		}
	}
}
