package main

import (
	"strings"
	"testing"

	"pgregory.net/rapid"
)

// TestWrapAnyText lays random text out at random widths: no line may be
// wider than the width or end in a space, and no word may be lost.
func TestWrapAnyText(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		width := rapid.IntRange(minWidth, 130).Draw(t, "width")
		l := layout{width: width, color: rapid.Bool().Draw(t, "color")}
		var segs []seg
		for i := 0; i < rapid.IntRange(0, 8).Draw(t, "segs"); i++ {
			words := rapid.SliceOfN(rapid.StringMatching(`[a-zé–,.;:()\[\]]{0,70}`), 0, 12).Draw(t, "words")
			segs = append(segs, seg{text: strings.Join(words, " "), style: rapid.SampledFrom([]string{plain, bold, red}).Draw(t, "style"), join: rapid.Bool().Draw(t, "join")})
		}
		first := rapid.SampledFrom([]string{"", "  ", "Note: "}).Draw(t, "first")
		rest := rapid.SampledFrom([]string{"", "    ", "      "}).Draw(t, "rest")
		lines := l.wrapSegs(first, rest, segs)
		var got, want strings.Builder
		for _, line := range lines {
			if n := visibleLen(line); n > width {
				t.Fatalf("line of %d columns at width %d: %q", n, width, line)
			}
			if strings.TrimRight(line, " ") != line {
				t.Fatalf("line ends in a space: %q", line)
			}
			got.WriteString(stripANSI(line))
		}
		for _, sg := range segs {
			want.WriteString(sg.text)
		}
		squash := func(s string) string {
			s = strings.ReplaceAll(s, "Note:", "") // the only capital letter
			return strings.Join(strings.Fields(s), "")
		}
		if g, w := squash(got.String()), squash(want.String()); g != w {
			t.Fatalf("words changed:\n got %q\nwant %q", g, w)
		}
	})
}

func stripANSI(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == 0x1b {
			for i < len(s) && s[i] != 'm' {
				i++
			}
			continue
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

func TestReportWording(t *testing.T) {
	l := layout{precision: 2}
	for v, want := range map[float64]string{-0.33: "−0.33", 0.33: "0.33", -0.001: "0.00", 0: "0.00"} {
		if got := l.num(v); got != want {
			t.Errorf("num(%v) = %q, want %q", v, got, want)
		}
	}
	for n, want := range map[int]string{1: "1 package", 999: "999 packages", 2560: "2,560 packages", 1234567: "1,234,567 packages"} {
		if got := plural(n, "package", "packages"); got != want {
			t.Errorf("plural(%d) = %q, want %q", n, got, want)
		}
	}
	if got := nameWithID("E3 (United Kingdom, France, Germany)", "e3"); got != "E3 (United Kingdom, France, Germany; e3)" {
		t.Errorf("nameWithID = %q", got)
	}
	if got := nameWithID("Ukraine", "ua"); got != "Ukraine (ua)" {
		t.Errorf("nameWithID = %q", got)
	}
}
