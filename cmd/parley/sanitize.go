package main

import (
	"fmt"
	"io"
	"unicode/utf8"
)

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
func appendSafe(dst, s []byte, more bool) ([]byte, []byte) {
	for len(s) > 0 {
		c := s[0]
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

// sanitize returns s with control characters escaped, for a line of
// human output.
func sanitize(s string) string {
	out, _ := appendSafe(nil, []byte(s), false)
	return string(out)
}

// safeWriter escapes control characters in everything written through it
// and remembers the first write error, so that a full disk or a closed
// pipe on standard output is reported even by commands that print
// without checking.
type safeWriter struct {
	w       io.Writer
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
	s.buf, s.pending = appendSafe(s.buf[:0], in, true)
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
		out, _ := appendSafe(nil, s.pending, false)
		s.pending = nil
		if _, err := s.w.Write(out); err != nil {
			s.err = err
		}
	}
	return s.err
}
