package main

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// TestCLIEdges pins how parley answers a new user's first mistakes.
func TestCLIEdges(t *testing.T) {
	for _, c := range []struct {
		args       []string
		code       int
		out, error string
	}{
		{[]string{"help", "bogus"}, 2, "", `parley help: unknown command "bogus"`},
		{[]string{"help", "diff"}, 0, "Usage: parley diff", ""},
		{[]string{"analize"}, 2, "", `unknown command "analize" (did you mean "analyze"?)`},
		{[]string{"--version"}, 0, "parley ", ""},
		{[]string{"-v"}, 0, "parley ", ""},
		{[]string{"versions"}, 0, "v4  The 20-point framework — 2025-12-24, by Ukraine, follows v3, 26 points,", ""},
		{[]string{"text", "--version", "v7"}, 2, "", `the default scenario has no version "v7"`},
		{[]string{"diff", "v1"}, 2, "", "expected [FILE] A B"},
		{[]string{"diff", "v1", "v5"}, 2, "", "its versions: v1, v2, v3, v4"},
		{[]string{"analyze", "--width", "10"}, 2, "", "--width must be at least 40"},
		{[]string{"text", "--format", "pdf"}, 2, "", "--format must be text, markdown or html"},
	} {
		code, out, stderr := runExampleCmd(t, c.args...)
		if code != c.code || !strings.Contains(out, c.out) || !strings.Contains(stderr, c.error) {
			t.Errorf("%v: exit %d, stdout %.200q, stderr %q; want %d, %q and %q", c.args, code, out, stderr, c.code, c.out, c.error)
		}
		if strings.Contains(stderr, "ukraine-2025.yaml") {
			t.Errorf("%v: the error names the embedded file: %q", c.args, stderr)
		}
	}
}

// TestErrorLinesPrefixed checks that every line of an error of several
// lines says which command it comes from.
func TestErrorLinesPrefixed(t *testing.T) {
	var out, errOut strings.Builder
	e := &env{stdin: strings.NewReader("parley: 1\nid: x\n"), stdout: &out, stderr: &errOut}
	if code := run(t.Context(), e, []string{"analyze", "-"}); code != 2 {
		t.Fatalf("exit %d, want 2", code)
	}
	lines := strings.Split(strings.TrimRight(errOut.String(), "\n"), "\n")
	if len(lines) < 2 {
		t.Fatalf("want several lines, got %q", errOut.String())
	}
	for _, l := range lines {
		if !strings.HasPrefix(l, "parley analyze: ") {
			t.Errorf("line %q lacks the prefix", l)
		}
	}
}

// TestLeftOutNote checks that a party without a position is named in the
// report and the JSON rather than silently dropped.
func TestLeftOutNote(t *testing.T) {
	code, out, stderr := runExampleCmd(t, "analyze", "testdata/analyze/absent.yaml")
	if code != 0 || !strings.Contains(out, "C (c) holds no position on any point of this version, so the analysis") {
		t.Errorf("exit %d, stderr %q, report:\n%s", code, stderr, out)
	}
	code, out, _ = runExampleCmd(t, "analyze", "--json", "testdata/analyze/absent.yaml")
	if code != 0 || !strings.Contains(out, "C (c) holds no position") {
		t.Errorf("exit %d, JSON lacks the note:\n%s", code, out)
	}
}

// TestColourOnTerminal checks that colour shows only when the output may
// have it, and that the terminal's width lays the report out.
func TestColourOnTerminal(t *testing.T) {
	for _, c := range []struct {
		args  []string
		color bool
	}{
		{[]string{"analyze"}, true},
		{[]string{"analyze"}, false},
		{[]string{"diff", "v3", "v4"}, true},
		{[]string{"diff", "v3", "v4"}, false},
	} {
		var out, errOut strings.Builder
		e := &env{stdin: strings.NewReader(""), stdout: &out, stderr: &errOut, outWidth: 100, outColor: c.color}
		if code := run(t.Context(), e, c.args); code != 0 {
			t.Fatalf("%v: exit %d: %s", c.args, code, errOut.String())
		}
		if got := strings.Contains(out.String(), "\x1b["); got != c.color {
			t.Errorf("%v with colour %v: escape sequences %v", c.args, c.color, got)
		}
		if c.args[0] == "diff" && c.color == strings.Contains(out.String(), "{+") {
			t.Errorf("%v with colour %v: markers %v", c.args, c.color, !c.color)
		}
		wide := false
		for _, line := range strings.Split(out.String(), "\n") {
			n := visibleLen(line)
			if n > 100 {
				t.Errorf("%v: line of %d columns: %q", c.args, n, line)
			}
			wide = wide || n > 80
		}
		if !wide {
			t.Errorf("%v: no line wider than 80 on a terminal of 100 columns", c.args)
		}
	}
}

func TestWrapSegs(t *testing.T) {
	l := layout{width: 40}
	got := l.wrapSegs("- ", "  ", []seg{s("a"), sty("very-long-word-that-does-not-fit-on-one-line-at-all", bold), s(", then"), s("more words here to wrap")})
	for _, line := range got {
		if visibleLen(line) > 40 || strings.TrimRight(line, " ") != line {
			t.Errorf("line %q", line)
		}
	}
	if joined := strings.Join(got, "\n"); !strings.Contains(joined, "all, then") {
		t.Errorf("punctuation not glued to the word before:\n%s", joined)
	}
}

func TestPrecision(t *testing.T) {
	_, out, _ := runExampleCmd(t, "analyze", "--precision", "3", "testdata/analyze/small.yaml")
	if !strings.Contains(out, "a 0.875 · b 0.625") {
		t.Errorf("--precision 3: no three decimals:\n%s", out)
	}
	_, out, _ = runExampleCmd(t, "analyze", "testdata/analyze/small.yaml")
	if !strings.Contains(out, "a 0.88 · b 0.62") {
		t.Errorf("default: no two decimals:\n%s", out)
	}
}

// TestHelpFitsEightyColumns checks that the top usage and every command's
// --help fit in 80 columns, the width of a terminal or a pipe by default.
func TestHelpFitsEightyColumns(t *testing.T) {
	runs := [][]string{{"help"}, {}}
	for name := range commands {
		runs = append(runs, []string{name, "--help"})
	}
	for _, args := range runs {
		_, out, stderr := runExampleCmd(t, args...)
		for i, line := range strings.Split(out+stderr, "\n") {
			if n := utf8.RuneCountInString(line); n > 80 {
				t.Errorf("parley %v: line %d is %d columns: %q", args, i+1, n, line)
			}
		}
		if out+stderr == "" {
			t.Errorf("parley %v printed nothing", args)
		}
	}
}

// TestHelpFlagsAligned checks that in every command's --help the flag
// descriptions, and the lines that continue them, start in one column, and
// that no help text has two blank lines in a row.
func TestHelpFlagsAligned(t *testing.T) {
	for name, c := range commands {
		help := c.help()
		if strings.Contains(help, "\n\n\n") {
			t.Errorf("parley %s --help: two blank lines in a row", name)
		}
		in := false
		col := -1 // the column of the descriptions
		for _, line := range strings.Split(help, "\n") {
			switch {
			case line == "Flags:":
				in = true
				continue
			case !in:
				continue
			case strings.TrimSpace(line) == "":
				in = false
				continue
			}
			indent := func(s string) int {
				return utf8.RuneCountInString(s) - utf8.RuneCountInString(strings.TrimLeft(s, " "))
			}
			var at int
			if strings.HasPrefix(line, "  -") {
				// "  --flag ARG   description": the description follows
				// the first run of two spaces after the flag.
				i := strings.Index(line[2:], "  ")
				if i < 0 {
					continue // a flag alone on its line
				}
				at = 2 + utf8.RuneCountInString(line[2:2+i]) + indent(line[2+i:])
			} else {
				// A continued description; deeper for a nested line, such
				// as the rest of a JSON example.
				if at = indent(line); col >= 0 && at >= col+2 {
					continue
				}
			}
			if col < 0 {
				col = at
			}
			if at != col {
				t.Errorf("parley %s --help: %q starts its description in column %d, the others in %d", name, line, at+1, col+1)
			}
		}
	}
}
