package main

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// flat joins the words of a laid-out output into one line, so that a test
// can look for a sentence wherever the layout broke it.
func flat(s string) string {
	return strings.Join(strings.Fields(strings.ReplaceAll(s, nbsp, " ")), " ")
}

// TestConcessionsMeasure: the concessions say what they are measured
// against, the options of the version, so that "nobody gives up anything"
// does not read as every party having its way in a version that crosses a
// red line.
func TestConcessionsMeasure(t *testing.T) {
	code, out, stderr := runExampleCmd(t, "analyze", "--version", "v1", "--width", "80")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	text := flat(out)
	for _, want := range []string{
		"crosses ua's red line",
		"against the best option this version offers it on each point (not its best over all versions)",
		"each party has the best of the options this version offers",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("the report of v1 does not say %q", want)
		}
	}
	if strings.Contains(text, "has its best option on every point") {
		t.Errorf("the report of v1 says every party has its best option on every point")
	}
}

// TestEightyColumns: at 80 columns a number stays with its word, the double
// rule under a title is as wide as the title's longest line, a party's
// name is not clipped when its line fits, and a party id such as "us" is
// not set where it reads as an English word.
func TestEightyColumns(t *testing.T) {
	_, out, _ := runExampleCmd(t, "versions", "--width", "80")
	for _, line := range strings.Split(out, "\n") {
		if f := strings.Fields(line); len(f) > 0 && (f[0] == "open" || f[0] == "open," || f[0] == "points" || f[0] == "points,") {
			t.Errorf("versions: a count is broken from its word at %q", line)
		}
	}
	for _, args := range [][]string{
		{"analyze", "--version", "v1"},
		{"analyze", "--version", "v2"},
		{"improve", "--from", "v2"},
		{"diff", "v1", "v2"},
		{"text", "--version", "v2"},
	} {
		code, out, stderr := runExampleCmd(t, append(args, "--width", "80")...)
		if code != 0 {
			t.Fatalf("%v: exit %d: %s", args, code, stderr)
		}
		lines := strings.Split(out, "\n")
		widest := 0
		for i, line := range lines {
			if strings.HasPrefix(line, "═") {
				if n := utf8.RuneCountInString(line); n != widest {
					t.Errorf("%v: the rule is %d wide, the title's longest line %d", args, n, widest)
				}
				break
			}
			if i > 3 {
				t.Fatalf("%v: no double rule under the title", args)
			}
			widest = max(widest, utf8.RuneCountInString(line))
		}
		if strings.Contains(out, "gives us") || strings.Contains(out, "give us") {
			t.Errorf("%v: a party id reads as a word: %q", args, "gives us")
		}
	}
	_, out, _ = runExampleCmd(t, "analyze", "--width", "80")
	if !strings.Contains(out, "  e3  E3 (United Kingdom, France, Germany)  party, reservation 0.35\n") {
		t.Errorf("the parties' table clips a name that fits:\n%s", out)
	}
}

// TestUsageErrorsSayWhat: a lifted option the point lacks is named as
// such, not as a missing red line, and the errors of unknown ids fit in
// 80 columns, every line prefixed.
func TestUsageErrorsSayWhat(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"analyze", "--lift", "ru:territory=nope"}, `--lift: point territory has no option "nope" parley analyze: its options in version v4: recognition_withdrawal,`},
		{[]string{"analyze", "--lift", "ru:territory=anchorag"}, `--lift: point territory has no option "anchorag" parley analyze: (did you mean "anchorage"?) parley analyze: its options`},
		{[]string{"improve", "--from", "v2", "--lift", "alt:water=f99", versionsFile}, `point water has no option "f99"`},
		{[]string{"analyze", "--version", "v9"}, `the default scenario has no version "v9" parley analyze: its versions: v1, v2, v3, v4`},
	} {
		code, _, stderr := runExampleCmd(t, c.args...)
		if code != 2 || !strings.Contains(flat(stderr), c.want) {
			t.Errorf("%v: exit %d, stderr %q; want exit 2 and %q", c.args, code, stderr, c.want)
		}
		for _, line := range strings.Split(strings.TrimRight(stderr, "\n"), "\n") {
			if utf8.RuneCountInString(line) > 80 || !strings.HasPrefix(line, "parley "+c.args[0]+": ") {
				t.Errorf("%v: error line %q is wider than 80 columns or lacks the prefix", c.args, line)
			}
		}
	}
}
