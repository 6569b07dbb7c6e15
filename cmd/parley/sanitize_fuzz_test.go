package main

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzSanitize checks that whatever the input, the output holds no control
// character but newline and tab, is valid UTF-8, keeps every printable
// character, and is the same written whole or in pieces.
func FuzzSanitize(f *testing.F) {
	for _, s := range []string{"plain", "\x1b[2J", "gr\xc3\xbcn \xc2\x9b", "\xff\xfe", "a\r\nb\t"} {
		f.Add(s, 3)
	}
	f.Fuzz(func(t *testing.T, s string, cut int) {
		got := sanitize(s)
		if !utf8.ValidString(got) {
			t.Fatalf("sanitize(%q) = %q: not UTF-8", s, got)
		}
		for _, r := range got {
			if r != '\n' && r != '\t' && (r < 0x20 || r == 0x7f || r >= 0x80 && r <= 0x9f) {
				t.Fatalf("sanitize(%q) = %q: holds %U", s, got, r)
			}
		}
		for _, r := range s {
			if r >= 0xa0 && r != utf8.RuneError && !strings.ContainsRune(got, r) {
				t.Fatalf("sanitize(%q) = %q: lost %U", s, got, r)
			}
		}
		if cut < 0 {
			cut = -cut
		}
		var b strings.Builder
		w := &safeWriter{w: &b}
		for rest := s; len(rest) > 0; {
			n := min(len(rest), cut%7+1)
			w.Write([]byte(rest[:n]))
			rest = rest[n:]
		}
		w.flush()
		if b.String() != got {
			t.Fatalf("in pieces of %d: %q, whole: %q", cut%7+1, b.String(), got)
		}
	})
}
