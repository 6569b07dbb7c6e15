package main

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"parley/examples"
	"parley/scenario"
)

// otherVersionLabel matches "(point 15 of v1)", the label of a point the
// analysed version does not have.
var otherVersionLabel = regexp.MustCompile(`\(point (\d+) of (v\d+)\)`)

// TestCompareNamesItsOwnVersions checks each "A → B" section that
// analyze --compare A,B adds: a point the analysed version lacks is named
// by its number in A or B, never in a third version, and as parley diff A B
// names it.
func TestCompareNamesItsOwnVersions(t *testing.T) {
	s, err := scenario.Load(examples.DefaultName, examples.Default)
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, v := range s.Versions {
		ids = append(ids, v.ID)
	}
	checked := 0
	for _, at := range []string{"v3", "v4"} {
		for _, a := range ids {
			for _, b := range ids {
				if a == b {
					continue
				}
				name := fmt.Sprintf("at %s compare %s,%s", at, a, b)
				code, out, stderr := runExampleCmd(t, "analyze", "--width", "80", "--version", at, "--compare", a+","+b)
				if code != 0 {
					t.Fatalf("%s: exit %d, stderr %q", name, code, stderr)
				}
				section := unwrappedSection(out, a+" → "+b+" (point by point")
				if section == "" {
					t.Fatalf("%s: no section %s → %s in:\n%s", name, a, b, out)
				}
				code, diffOut, stderr := runExampleCmd(t, "diff", "--width", "80", a, b)
				if code != 0 {
					t.Fatalf("diff %s %s: exit %d, stderr %q", a, b, code, stderr)
				}
				diffText := unwrap(diffOut)
				for _, m := range otherVersionLabel.FindAllStringSubmatch(section, -1) {
					checked++
					n, _ := strconv.Atoi(m[1])
					of := m[2]
					if of != a && of != b {
						t.Errorf("%s: %s names a point of %s, neither of the versions compared", name, m[0], of)
						continue
					}
					pt := pointNumbered(s, of, n)
					if pt == nil {
						t.Errorf("%s: %s: %s has no point %d", name, m[0], of, n)
						continue
					}
					if v, _ := s.Version(at); pointLive(v, pt.ID) {
						t.Errorf("%s: %s names %s by another version's number, but %s has it", name, m[0], pt.ID, at)
					}
					label := oneLine(pt.Title) + " " + m[0]
					if !strings.Contains(section, label) {
						t.Errorf("%s: %s does not follow the title of %s's point %d, %q", name, m[0], of, n, pt.Title)
					}
					// parley diff A B names a point of B by its number there,
					// one only in A as "(point N of A)".
					want := label
					if of == b {
						want = fmt.Sprintf("%d. %s", n, oneLine(pt.Title))
					}
					if !strings.Contains(diffText, want) {
						t.Errorf("%s: the section says %q, but parley diff %s %s does not name the point %q", name, label, a, b, want)
					}
				}
			}
		}
	}
	if checked == 0 {
		t.Error("no compare section named a point of another version: the test checks nothing")
	}
}

// unwrappedSection is the paragraphs of out from the line that starts with
// head to the next blank line, each wrapped line joined to the one before.
func unwrappedSection(out, head string) string {
	_, rest, ok := strings.Cut(out, "\n"+head)
	if !ok {
		return ""
	}
	rest, _, _ = strings.Cut(head+rest, "\n\n")
	return unwrap(rest)
}

// unwrap joins every line of out to the one before, as one line.
func unwrap(out string) string {
	var b strings.Builder
	for _, line := range strings.Split(out, "\n") {
		b.WriteString(strings.TrimSpace(line))
		b.WriteString(" ")
	}
	return b.String()
}

func pointNumbered(s *scenario.Scenario, version string, n int) *scenario.Point {
	v, ok := s.Version(version)
	if !ok {
		return nil
	}
	for _, pt := range v.Points() {
		if pt.Number == n {
			return pt
		}
	}
	return nil
}

func pointLive(v *scenario.Version, id string) bool {
	for _, pt := range v.Points() {
		if pt.ID == id && pt.Status != scenario.StatusDropped {
			return true
		}
	}
	return false
}
