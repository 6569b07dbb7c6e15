package main

import (
	"fmt"
	"io"
	"strings"
	"unicode/utf8"
)

// sanitize makes text from a scenario safe to print on a terminal: control
// characters other than newline and tab are written escaped, as \u001b, so
// that a file cannot move the cursor, change colours or clear the screen of
// whoever reads its report, and the reader still sees what the file holds.
func sanitize(s string) string {
	clean := utf8.ValidString(s)
	for _, r := range s {
		if !clean || isControl(r) {
			clean = false
			break
		}
	}
	if clean {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size <= 1:
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case isControl(r):
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	return b.String()
}

func isControl(r rune) bool {
	if r == '\n' || r == '\t' {
		return false
	}
	return r < 0x20 || (r >= 0x7f && r < 0xa0) || r == '\u2028' || r == '\u2029' ||
		(r >= '\u202a' && r <= '\u202e') || (r >= '\u2066' && r <= '\u2069')
}

// Text from input files (names, titles, reasons, values of GENIUS
// domains) reaches the terminal in reports and messages. A control
// character in it could clear the screen, retitle the window or move the
// cursor to fake output, so every byte parley writes to standard output
// and, but for its own progress line, to standard error goes through
// appendSafe: control characters other than newline and tab are written
// as \u001b, bytes that are not UTF-8 as \xff. JSON output stays valid, as
// JSON holds control characters only inside strings, where \u001b means
// the same.

// appendSafe appends s to dst with control characters escaped. It returns
// the bytes at the end of s that may begin a UTF-8 sequence completed by
// what follows (only when more is true).
//
// With sgr set, the colour sequences parley writes itself (ESC [ digits
// and semicolons m) pass through: they change colours, never move the
// cursor, clear the screen or retitle the window. Text from files has its
// control characters replaced before it is coloured (sanitize).
func appendSafe(dst, s []byte, more, sgr bool) ([]byte, []byte) {
	for len(s) > 0 {
		c := s[0]
		if c == 0x1b && sgr {
			if n := sgrLen(s); n > 0 {
				dst = append(dst, s[:n]...)
				s = s[n:]
				continue
			}
			if more && len(s) < 16 && isSGRPrefix(s) {
				return dst, s
			}
		}
		if c < utf8.RuneSelf {
			if c < 0x20 && c != '\n' && c != '\t' || c == 0x7f {
				dst = fmt.Appendf(dst, `\u%04x`, c)
			} else {
				dst = append(dst, c)
			}
			s = s[1:]
			continue
		}
		r, size := utf8.DecodeRune(s)
		if r == utf8.RuneError && size <= 1 {
			if more && !utf8.FullRune(s) {
				return dst, s
			}
			dst = fmt.Appendf(dst, `\x%02x`, c)
			s = s[1:]
			continue
		}
		if r >= 0x80 && r <= 0x9f {
			dst = fmt.Appendf(dst, `\u%04x`, r)
		} else {
			dst = append(dst, s[:size]...)
		}
		s = s[size:]
	}
	return dst, nil
}

// safeWriter escapes control characters in everything written through it
// and remembers the first write error, so that a full disk or a closed
// pipe on standard output is reported even by commands that print
// without checking.
type safeWriter struct {
	w io.Writer
	// sgr lets parley's own colour sequences through (a terminal with
	// colour on).
	sgr     bool
	pending []byte // the start of a UTF-8 sequence split between writes
	buf     []byte
	err     error
}

func (s *safeWriter) Write(p []byte) (int, error) {
	if s.err != nil {
		return 0, s.err
	}
	in := p
	if len(s.pending) > 0 {
		in = append(s.pending, p...)
	}
	s.buf, s.pending = appendSafe(s.buf[:0], in, true, s.sgr)
	s.pending = append([]byte(nil), s.pending...)
	if _, err := s.w.Write(s.buf); err != nil {
		s.err = err
		return 0, err
	}
	return len(p), nil
}

// flush writes what is left of a UTF-8 sequence cut short, and returns the
// first error of any write.
func (s *safeWriter) flush() error {
	if len(s.pending) > 0 && s.err == nil {
		out, _ := appendSafe(nil, s.pending, false, s.sgr)
		s.pending = nil
		if _, err := s.w.Write(out); err != nil {
			s.err = err
		}
	}
	return s.err
}

// sgrLen returns the length of the colour sequence (ESC [ digits and
// semicolons m) at the start of s, or 0.
func sgrLen(s []byte) int {
	if len(s) < 3 || s[0] != 0x1b || s[1] != '[' {
		return 0
	}
	for i := 2; i < len(s) && i < 16; i++ {
		switch c := s[i]; {
		case c == 'm':
			return i + 1
		case c >= '0' && c <= '9' || c == ';':
		default:
			return 0
		}
	}
	return 0
}

// isSGRPrefix reports whether s, cut short, may be the start of a colour
// sequence.
func isSGRPrefix(s []byte) bool {
	if len(s) >= 2 && s[1] != '[' {
		return false
	}
	for _, c := range s[min(len(s), 2):] {
		if !(c >= '0' && c <= '9' || c == ';') {
			return false
		}
	}
	return true
}
