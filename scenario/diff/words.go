package diff

import (
	"strings"
	"unicode"

	"github.com/sergi/go-diff/diffmatchpatch"
)

// The kinds of Span.Op.
const (
	Equal  = "equal"
	Insert = "insert"
	Delete = "delete"
)

// Span is a run of words kept, inserted or deleted. The Equal and Delete
// spans in order spell the old text, the Equal and Insert spans the new
// one, both with their spacing normalised to single spaces.
type Span struct {
	Op   string `json:"op"`
	Text string `json:"text"`
}

// normalise trims a text, collapses its runs of white space to one space
// and replaces each byte that is not UTF-8 with U+FFFD.
func normalise(s string) string { return strings.Join(strings.Fields(string([]rune(s))), " ") }

// tokens splits a text into words (runs of letters, digits and joining
// marks such as apostrophes within a word), single spaces and single
// punctuation characters, so that a change of one word or one comma is
// marked as such.
func tokens(s string) []string {
	s = normalise(s)
	var out []string
	rs := []rune(s)
	for i := 0; i < len(rs); {
		j := i + 1
		if isWordRune(rs[i]) {
			for j < len(rs) && (isWordRune(rs[j]) || (isJoiner(rs[j]) && j+1 < len(rs) && isWordRune(rs[j+1]))) {
				j++
			}
		}
		out = append(out, string(rs[i:j]))
		i = j
	}
	return out
}

func isWordRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r)
}

// isJoiner is a character that stays inside a word when a letter follows:
// Ukraine's, 50-50, 1.5, 100,000.
func isJoiner(r rune) bool { return r == '\'' || r == '’' || r == '-' || r == '.' || r == ',' }

// tokenRune maps the i-th distinct token to a rune of a private use area,
// so that the token sequences can be diffed as strings of runes.
func tokenRune(i int) (rune, bool) {
	const bmp = 0xF8FF - 0xE000 + 1
	switch {
	case i < bmp:
		return rune(0xE000 + i), true
	case i < bmp+0xFFFD-0x0000:
		return rune(0xF0000 + i - bmp), true
	}
	return 0, false
}

// Words compares two texts word by word.
func Words(a, b string) []Span {
	ta, tb := tokens(a), tokens(b)
	ids := make(map[string]rune)
	var names []string
	encode := func(ts []string) ([]rune, bool) {
		rs := make([]rune, len(ts))
		for i, t := range ts {
			r, ok := ids[t]
			if !ok {
				if r, ok = tokenRune(len(names)); !ok {
					return nil, false
				}
				ids[t] = r
				names = append(names, t)
			}
			rs[i] = r
		}
		return rs, true
	}
	ra, oka := encode(ta)
	rb, okb := encode(tb)
	if !oka || !okb {
		return whole(a, b)
	}
	dmp := diffmatchpatch.New()
	dmp.DiffTimeout = 0
	diffs := dmp.DiffMainRunes(ra, rb, false)
	diffs = dmp.DiffCleanupSemantic(diffs)
	var out []Span
	for _, d := range diffs {
		var text strings.Builder
		for _, r := range d.Text {
			text.WriteString(names[decode(r)])
		}
		op := Equal
		switch d.Type {
		case diffmatchpatch.DiffInsert:
			op = Insert
		case diffmatchpatch.DiffDelete:
			op = Delete
		}
		if text.Len() == 0 {
			continue
		}
		if n := len(out); n > 0 && out[n-1].Op == op {
			out[n-1].Text += text.String()
			continue
		}
		out = append(out, Span{op, text.String()})
	}
	return out
}

func decode(r rune) int {
	if r >= 0xF0000 {
		return int(r-0xF0000) + (0xF8FF - 0xE000 + 1)
	}
	return int(r - 0xE000)
}

// whole is the change of a text too varied to diff word by word: all of
// it deleted, all of the other inserted.
func whole(a, b string) []Span {
	var out []Span
	if a = normalise(a); a != "" {
		out = append(out, Span{Delete, a})
	}
	if b = normalise(b); b != "" {
		out = append(out, Span{Insert, b})
	}
	return out
}
