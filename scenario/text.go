package scenario

import (
	"fmt"
	"unicode/utf8"
)

// maxQuoted is how many bytes of the input an error message repeats: a
// megabyte-long token is cut, not echoed.
const maxQuoted = 100

// Clip shortens s, taken from an input file, for an error message: at
// most about 100 bytes of it, cut at a character, with its full length.
func Clip(s string) string {
	if len(s) <= maxQuoted {
		return s
	}
	cut := maxQuoted - 3
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + fmt.Sprintf("... (%d bytes)", len(s))
}

// ClipArgs clips, in place, the strings among the arguments of an error
// message, and returns them.
func ClipArgs(args []any) []any {
	for i, a := range args {
		if s, ok := a.(string); ok {
			args[i] = Clip(s)
		}
	}
	return args
}

// isControl reports whether r is a control character that a scenario's
// text may not hold: any C0 or C1 control other than tab and newline, and
// DEL. Such characters can drive a terminal (clear the screen, retitle the
// window, fake output) when a report is printed.
func isControl(r rune) bool {
	switch {
	case r == '\t' || r == '\n':
		return false
	case r < 0x20 || r == 0x7f:
		return true
	case r >= 0x80 && r <= 0x9f:
		return true
	}
	return false
}

// checkText returns the position of the first byte of data that may not be
// in a scenario file, with what it is: invalid UTF-8, NUL or another
// control character. Line and column count from 1, the column in
// characters.
func checkText(data []byte) (line, col int, what string) {
	line, col = 1, 1
	for i := 0; i < len(data); {
		r, size := utf8.DecodeRune(data[i:])
		switch {
		case r == utf8.RuneError && size <= 1:
			return line, col, fmt.Sprintf("invalid UTF-8 (byte 0x%02X): save the file as UTF-8", data[i])
		case r == 0:
			return line, col, "a NUL byte: a scenario file is text"
		case r == '\n':
			line, col = line+1, 0
		case r == '\r' || r == '\uFEFF' && i == 0:
		case isControl(r):
			return line, col, fmt.Sprintf("control character U+%04X: not allowed in a scenario file", r)
		}
		col++
		i += size
	}
	return 0, 0, ""
}
