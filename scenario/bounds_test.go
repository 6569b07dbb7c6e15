package scenario

import (
	"errors"
	"regexp"
	"strings"
	"testing"

	"pgregory.net/rapid"
)

// loadErrors loads data and returns the messages of its errors.
func loadErrors(t *testing.T, name, data string) []string {
	t.Helper()
	_, err := Load(name, []byte(data))
	var errs Errors
	if !errors.As(err, &errs) {
		t.Fatalf("Load = %v, want Errors", err)
	}
	var msgs []string
	for _, e := range errs {
		msgs = append(msgs, e.Error())
	}
	return msgs
}

// TestLoadStopsAfterMaxErrors makes sure a file with a huge number of
// mistakes yields at most MaxErrors of them and says so, rather than
// building every one (which once took gigabytes and minutes).
func TestLoadStopsAfterMaxErrors(t *testing.T) {
	const n = 200_000
	head := "parley: 1\nid: x\ntitle: t\n"
	var unknown strings.Builder
	unknown.WriteString(head + "versions: []\nparties:\n  - id: a\n    name: A\n    role: party\n    reservation: 0\n")
	for i := range n {
		unknown.WriteString("    f")
		unknown.WriteString(strings.Repeat("x", i%7))
		unknown.WriteString(string(rune('a' + i%26)))
		unknown.WriteString(strings.Repeat("z", i/26%50))
		unknown.WriteString(": 1\n")
	}
	for name, data := range map[string]string{
		"many wrong elements": head + "versions: []\nparties: [" + strings.Repeat("1,", n) + "1]\n",
		"nested wrong elements": head + "parties: [{id: a, name: A, role: party, reservation: 0}]\n" +
			"versions: [{id: v, title: t, blocks: [{id: b, title: t, points: [" + strings.Repeat("{},", n/10) + "{}]}]}]\n",
		"many unknown fields": unknown.String(),
	} {
		msgs := loadErrors(t, "f", data)
		if len(msgs) > MaxErrors+1 {
			t.Errorf("%s: %d errors, want at most %d", name, len(msgs), MaxErrors+1)
		}
		if last := msgs[len(msgs)-1]; !strings.Contains(last, "too many errors") {
			t.Errorf("%s: last error %q, want a note that some were left out", name, last)
		}
	}
}

func TestLoadRefusesNonDecimalNumbers(t *testing.T) {
	head := "parley: 1\nid: x\ntitle: t\nversions: []\nparties: [{id: a, name: A, role: party, reservation: "
	for _, num := range []string{"0x1", "0o1", "0_3", "010", "0b1", "1_000", "+0x1"} {
		for _, doc := range []string{head + num + "}]\n", `{"parley": 1, "id": "x", "title": "t", "versions": [], "parties": [{"id": "a", "name": "A", "role": "party", "reservation": ` + num + `}]}`} {
			msgs := loadErrors(t, "f", doc)
			if len(msgs) != 1 || !strings.Contains(msgs[0], "not a plain decimal number") {
				t.Errorf("reservation %s: errors %q, want one saying it is not a plain decimal", num, msgs)
			}
		}
	}
	for _, num := range []string{"0", "1", "0.5", ".5", "1e-1", "0.", "+0.5", "5E-1"} {
		if _, err := Load("f", []byte(head+num+"}]\n")); err != nil && strings.Contains(err.Error(), "plain decimal") {
			t.Errorf("reservation %s refused: %v", num, err)
		}
	}
}

func TestLoadMessages(t *testing.T) {
	head := "parley: 1\nid: x\ntitle: t\nversions: []\n"
	party := "parties: [{id: a, name: A, role: party, reservation: %s}]\n"
	for _, tt := range []struct{ name, data, want string }{
		{"1e400", head + strings.Replace(party, "%s", "1e400", 1), "f:5:54: parties[0].reservation: the number 1e400 is out of range"},
		{"escape in text", head + strings.Replace(party, "%s", "0", 1) + "description: \"\\e]0;owned\\a\"\n", "f:6:14: description: control character U+001B in text"},
		{"raw escape", head + strings.Replace(party, "%s", "0", 1) + "description: a\x1b[2Jb\n", "f:6:15: control character U+001B"},
		{"nul", head + "description: a\x00\n", "f:5:15: a NUL byte"},
		{"invalid utf-8", head + "title2: \xc3\x28\n", "f:5:9: invalid UTF-8 (byte 0xC3)"},
	} {
		msgs := loadErrors(t, "f", tt.data)
		found := false
		for _, m := range msgs {
			found = found || strings.HasPrefix(m, tt.want)
		}
		if !found {
			t.Errorf("%s: errors %q, want one starting with %q", tt.name, msgs, tt.want)
		}
	}
}

// TestLoadClipsEchoedInput makes sure a megabyte-long token is not
// repeated whole in an error message.
func TestLoadClipsEchoedInput(t *testing.T) {
	long := strings.Repeat("7", 1<<20)
	for _, doc := range []string{
		"parley: 1\nid: x\ntitle: t\nversions: []\nparties: [{id: a, name: A, role: party, reservation: " + long + "}]\n",
		"parley: 1\nid: x\ntitle: t\nversions: []\nparties: [{id: a, name: A, role: " + long + ", reservation: 0}]\n",
		"parley: 1\nid: x\ntitle: t\nversions: []\nparties: [{id: a, name: A, role: party, reservation: 0, " + long + ": 1}]\n",
	} {
		for _, m := range loadErrors(t, "f", doc) {
			if len(m) > 400 {
				t.Errorf("message of %d bytes: %.120s...", len(m), m)
			}
		}
	}
}

func TestReadAllLimit(t *testing.T) {
	_, err := ReadAll("<stdin>", strings.NewReader(strings.Repeat(" ", MaxFileSize+10)))
	var tl *TooLargeError
	if !errors.As(err, &tl) {
		t.Fatalf("ReadAll of %d bytes = %v, want a TooLargeError", MaxFileSize+10, err)
	}
	data, err := ReadAll("<stdin>", strings.NewReader(strings.Repeat(" ", MaxFileSize)))
	if err != nil || len(data) != MaxFileSize {
		t.Errorf("ReadAll of exactly MaxFileSize = %d bytes, %v", len(data), err)
	}
}

// TestLoadRefusesHugeWeights: a weight of 1e308 once passed and made every
// utility 0 (or +Inf), as the weights' sum overflowed.
func TestLoadRefusesHugeWeights(t *testing.T) {
	doc := `parley: 1
id: x
title: t
parties: [{id: a, name: A, role: party, reservation: 0, weights: as_given}]
versions: [{id: v, title: t, blocks: [{id: b, title: t, points: [{id: p, number: 1, title: p, options: [{id: o, text: o}]}]}]}]
positions: [{party: a, points: [{point: p, weight: 1e308, options: [{option: o, stance: accept}]}]}]
`
	msgs := loadErrors(t, "f", doc)
	if len(msgs) != 1 || !strings.Contains(msgs[0], "must be at most 1000000") {
		t.Errorf("errors %q, want one saying the weight is at most 1000000", msgs)
	}
}

func TestIsPlainNumberAgreesWithRegexp(t *testing.T) {
	plain := regexp.MustCompile(`^[-+]?(0|[1-9][0-9]*)(\.[0-9]*)?([eE][-+]?[0-9]+)?$|^[-+]?\.[0-9]+([eE][-+]?[0-9]+)?$`)
	piece := rapid.SampledFrom([]string{"", "+", "-", "0", "1", "9", "00", ".", "e", "E", "x", "_", " ", "12"})
	rapid.Check(t, func(rt *rapid.T) {
		s := strings.Join(rapid.SliceOfN(piece, 0, 7).Draw(rt, "pieces"), "")
		if got, want := isPlainNumber(s), plain.MatchString(s); got != want {
			t.Fatalf("isPlainNumber(%q) = %v, want %v", s, got, want)
		}
	})
}
