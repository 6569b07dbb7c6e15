package main

import (
	"fmt"
	"io"
	"math/big"
	"strings"
	"unicode/utf8"
)

// defaultWidth is the width of text output that does not go to a terminal.
const defaultWidth = 80

// minWidth is the narrowest width parley lays text out for.
const minWidth = 40

// layout says how human output is laid out: its width in columns, the
// decimals of numbers, and whether it may use colour.
type layout struct {
	width     int
	precision int
	color     bool
}

// styles of text; they only show when colour is on.
const (
	plain = ""
	bold  = "1"
	dim   = "2"
	red   = "1;31"
	green = "32"
	amber = "33"
	blue  = "36"
	ins   = "32;4" // inserted words
	del   = "31;9" // deleted words
)

// seg is a run of text in one style. A segment is a word apart from the
// one before unless it starts with punctuation or join is set.
type seg struct {
	text  string
	style string
	join  bool
}

// s returns a plain segment.
func s(text string) seg { return seg{text: text} }

// sty returns a segment in a style.
func sty(text, style string) seg { return seg{text: text, style: style} }

// paint wraps text in the ANSI codes of style when colour is on.
func (l *layout) paint(text, style string) string {
	if !l.color || style == plain || text == "" {
		return text
	}
	return "\x1b[" + style + "m" + text + "\x1b[0m"
}

// num formats a utility or similar number with the layout's decimals.
// num writes v with the layout's precision; a negative number takes the
// minus sign "−" used throughout the human output, and one that rounds to
// zero takes no sign.
func (l *layout) num(v float64) string {
	t := fmt.Sprintf("%.*f", l.precision, v)
	if rest, ok := strings.CutPrefix(t, "-"); ok {
		if strings.Trim(rest, "0.") == "" {
			return rest
		}
		return "−" + rest
	}
	return t
}

// para writes segs as one paragraph wrapped to the layout's width: the
// first line starts with first, the others with rest. Words longer than a
// line are broken. No line ends with a space. Words joined by nbsp stay on
// one line, and are written with a plain space between them, so that the
// output reads and greps as ordinary text.
func (l *layout) para(w io.Writer, first, rest string, segs ...seg) {
	for _, line := range l.wrapSegs(first, rest, segs) {
		fmt.Fprintln(w, strings.ReplaceAll(line, nbsp, " "))
	}
}

type word struct {
	text  string
	style string
	glue  bool // no space before it
}

// wrapSegs lays segs out in lines no wider than the layout's width.
func (l *layout) wrapSegs(first, rest string, segs []seg) []string {
	width := max(l.width, minWidth)
	var words []word
	for _, sg := range segs {
		text := sanitize(sg.text)
		fields := strings.FieldsFunc(text, isBreak)
		for i, f := range fields {
			// Segments are words apart, unless one starts with punctuation.
			glue := i == 0 && len(words) > 0 && (sg.join || strings.ContainsRune(",.;:)", rune(text[0])))
			words = append(words, word{f, sg.style, glue})
		}
	}
	var (
		lines []string
		cur   strings.Builder
		n     int // visible runes on the current line
		empty = true
	)
	prefix := first
	start := func() {
		cur.Reset()
		cur.WriteString(prefix)
		n = visibleLen(prefix)
		empty = true
		prefix = rest
	}
	flush := func() {
		lines = append(lines, strings.TrimRight(cur.String(), " "))
	}
	start()
	for _, wd := range words {
		text := wd.text
		for text != "" {
			need := utf8.RuneCountInString(text)
			sep := 0
			if !empty && !wd.glue {
				sep = 1
			}
			if n+sep+need <= width {
				if sep == 1 {
					cur.WriteByte(' ')
				}
				cur.WriteString(l.paint(text, wd.style))
				n += sep + need
				empty = false
				break
			}
			room := width - n - sep
			if !empty && need <= width-visibleLen(rest) {
				flush()
				start()
				wd.glue = false
				continue
			}
			if room < 1 {
				flush()
				start()
				wd.glue = false
				continue
			}
			// The word is longer than a line: break it.
			r := []rune(text)
			if sep == 1 {
				cur.WriteByte(' ')
			}
			cur.WriteString(l.paint(string(r[:room]), wd.style))
			n += sep + room
			text = string(r[room:])
			flush()
			start()
			wd.glue = false
		}
	}
	if !empty || len(lines) == 0 {
		flush()
	}
	return lines
}

// isBreak is where a line may break: ASCII white space, so that a
// no-break space holds "24. Prisoners" together.
func isBreak(r rune) bool {
	return r == ' ' || r == '\t' || r == '\n' || r == '\r' || r == '\v' || r == '\f'
}

// nbsp joins words that should stay on one line.
const nbsp = "\u00a0"

// heading writes a section heading underlined to its length.
func (l *layout) heading(w io.Writer, title string) {
	lines := l.wrapSegs("", "", []seg{sty(title, bold)})
	fmt.Fprintln(w)
	for _, ln := range lines {
		fmt.Fprintln(w, ln)
	}
	n := 0
	for _, ln := range lines {
		n = max(n, visibleLen(ln))
	}
	fmt.Fprintln(w, strings.Repeat("─", min(n, max(l.width, minWidth))))
}

// titleBlock writes a document's title in bold and its subtitle, each
// wrapped to the width, over a double rule as wide as their longest line.
func (l *layout) titleBlock(w io.Writer, title, sub string) {
	lines := l.wrapSegs("", "", []seg{sty(title, bold)})
	if sub != "" {
		lines = append(lines, l.wrapSegs("", "", []seg{s(sub)})...)
	}
	n := 1
	for _, ln := range lines {
		fmt.Fprintln(w, strings.ReplaceAll(ln, nbsp, " "))
		n = max(n, visibleLen(ln))
	}
	fmt.Fprintln(w, strings.Repeat("═", min(n, max(l.width, minWidth))))
}

// visibleLen is the number of runes of s outside ANSI escape sequences.
func visibleLen(s string) int {
	n := 0
	for i := 0; i < len(s); {
		if s[i] == 0x1b {
			j := strings.IndexByte(s[i:], 'm')
			if j < 0 {
				break
			}
			i += j + 1
			continue
		}
		_, size := utf8.DecodeRuneInString(s[i:])
		i += size
		n++
	}
	return n
}

// plural returns "1 point", "2 points", "0 points".
func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return groupDigits(big.NewInt(int64(n))) + " " + many
}

// pluralBig is plural for a count of packages, grouped in thousands.
func pluralBig(n *big.Int, one, many string) string {
	if n != nil && n.IsInt64() && n.Int64() == 1 {
		return "1 " + one
	}
	return groupDigits(n) + " " + many
}

// groupDigits writes n with thin groups of three digits: 10,368.
func groupDigits(n *big.Int) string {
	if n == nil {
		return "0"
	}
	d := n.String()
	if len(d) <= 3 {
		return d
	}
	var b strings.Builder
	for i, c := range d {
		if i > 0 && (len(d)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return b.String()
}

// nameWithID is a name followed by its id in brackets: "Ukraine (ua)", or
// "E3 (United Kingdom, France, Germany; e3)" when the name ends in a
// bracket of its own.
func nameWithID(name, id string) string {
	name = oneLine(name)
	if strings.HasSuffix(name, ")") {
		return strings.TrimSuffix(name, ")") + "; " + id + ")"
	}
	return name + " (" + id + ")"
}

// list joins words as in prose: "a", "a and b", "a, b and c".
func list(words []string, and string) string {
	switch len(words) {
	case 0:
		return ""
	case 1:
		return words[0]
	}
	return strings.Join(words[:len(words)-1], ", ") + " " + and + " " + words[len(words)-1]
}

// clipTo shortens s to at most n runes, marking the cut with "…".
func clipTo(s string, n int) string {
	s = oneLine(s)
	r := []rune(s)
	if len(r) <= n || n < 1 {
		return s
	}
	return string(r[:n-1]) + "…"
}

func oneLine(s string) string { return strings.Join(strings.Fields(sanitize(s)), " ") }

func runeLen(s string) int { return utf8.RuneCountInString(s) }
