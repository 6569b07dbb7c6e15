package main

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"
)

// escape is what safeWriter makes of s, written at once.
func escape(s string) string {
	out, _ := appendSafe(nil, []byte(s), false, false)
	return string(out)
}

func TestEscape(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"plain text, with ümlauts\tand\nlines", "plain text, with ümlauts\tand\nlines"},
		{"\x1b]0;owned\a\x1b[2Jfake", `\u001b]0;owned\u0007\u001b[2Jfake`},
		{"cr\rdel\x7f", `cr\u000ddel\u007f`},
		{"c1 \u009b31m", `c1 \u009b31m`},
		{"bad \xff utf-8", `bad \xff utf-8`},
	} {
		if got := escape(tt.in); got != tt.want {
			t.Errorf("escape(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// TestSafeWriterSplitRunes writes text one byte at a time: a UTF-8
// sequence split between writes must come out whole, and escapes the same
// as in one write.
func TestSafeWriterSplitRunes(t *testing.T) {
	in := "grün \u009b \x1b[2J ✓ \xff end"
	var b strings.Builder
	w := &safeWriter{w: &b}
	for i := 0; i < len(in); i++ {
		if _, err := w.Write([]byte{in[i]}); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.flush(); err != nil {
		t.Fatal(err)
	}
	if got, want := b.String(), escape(in); got != want {
		t.Errorf("byte by byte: %q, want %q", got, want)
	}
	if !utf8.ValidString(b.String()) {
		t.Errorf("output %q is not UTF-8", b.String())
	}
}

type failingWriter struct{}

func (failingWriter) Write([]byte) (int, error) { return 0, errors.New("no space left on device") }

// TestWriteErrorsAreReported: version, help and validate once exited 0
// when standard output was /dev/full.
func TestWriteErrorsAreReported(t *testing.T) {
	for _, args := range [][]string{{"version"}, {"help"}, {"help", "analyze"}, {"validate", okFile}, {"example"}} {
		var errOut strings.Builder
		e := &env{stdin: strings.NewReader(""), stdout: failingWriter{}, stderr: &errOut}
		if code := run(context.Background(), e, args); code != 1 {
			t.Errorf("%v: exit status %d, want 1", args, code)
		}
		if !strings.Contains(errOut.String(), "no space left on device") {
			t.Errorf("%v: stderr %q, want the write error", args, errOut.String())
		}
	}
}

func TestControlCharactersEscapedInReports(t *testing.T) {
	dir := t.TempDir()
	dom := `{"name": "d", "issuesValues": {"\u001b]0;owned\u0007\u001b[2J": {"values": ["a\u009bb", "c"]}}}`
	for i, u := range []string{`0, "c": 1`, `1, "c": 0`} {
		prof := `{"LinearAdditiveUtilitySpace": {"name": "p", "domain": ` + dom + `, "issueWeights": {"\u001b]0;owned\u0007\u001b[2J": 1},
			"issueUtilities": {"\u001b]0;owned\u0007\u001b[2J": {"discreteutils": {"valueUtilities": {"a\u009bb": ` + u + `}}}}}}`
		if err := os.WriteFile(filepath.Join(dir, "p"+string(rune('1'+i))+".json"), []byte(prof), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, args := range [][]string{{"analyze", dir}, {"analyze", "--json", dir}} {
		code, stdout, stderr := runParley(t, args...)
		if code != 0 {
			t.Fatalf("%v: exit status %d: %s", args, code, stderr)
		}
		if strings.ContainsAny(stdout+stderr, "\x1b\a\u009b") {
			t.Errorf("%v: a control character reached the output:\n%q", args, stdout)
		}
		// The report shows the name with its control characters replaced
		// (U+FFFD) or escaped (\u001b); either way the name is there.
		if !strings.Contains(stdout, `\u001b]0;owned`) && !strings.Contains(stdout, "\uFFFD]0;owned") {
			t.Errorf("%v: output does not show the name, made safe:\n%s", args, stdout)
		}
	}
}

func TestImportRefusesWhatValidateRefuses(t *testing.T) {
	fruit := "testdata/simulate/fruit"
	grocer, err := os.ReadFile(filepath.Join(fruit, "fruit_grocer.xml"))
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct{ name, old, new, want string }{
		{"reservation 2", `<reservation value="0.1"/>`, `<reservation value="2"/>`, "reservation: must be at most 1"},
		{"reservation -1", `<reservation value="0.1"/>`, `<reservation value="-1"/>`, "reservation: must be at least 0"},
		{"weight 0", `<weight index="3" value="0.2"/>`, `<weight index="3" value="0"/>`, "weight: must be greater than 0"},
	} {
		dir := t.TempDir()
		for _, f := range []string{"fruit_domain.xml", "fruit_shopper.xml"} {
			data, _ := os.ReadFile(filepath.Join(fruit, f))
			os.WriteFile(filepath.Join(dir, f), data, 0o644)
		}
		if !strings.Contains(string(grocer), tt.old) {
			t.Fatalf("%s: %q not in the grocer's profile", tt.name, tt.old)
		}
		os.WriteFile(filepath.Join(dir, "fruit_grocer.xml"), []byte(strings.Replace(string(grocer), tt.old, tt.new, 1)), 0o644)
		out := filepath.Join(t.TempDir(), "fruit.yaml")
		code, _, stderr := runParley(t, "import", "genius", dir, "-o", out)
		if code != 2 || !strings.Contains(stderr, tt.want) {
			t.Errorf("%s: exit status %d, stderr %q; want 2 and %q", tt.name, code, stderr, tt.want)
		}
		if _, err := os.Stat(out); err == nil {
			t.Errorf("%s: %s was written", tt.name, out)
		}
	}
}

func TestAtomicWriteKeepsOldFileOnFailure(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "out.yaml")
	os.WriteFile(path, []byte("old\n"), 0o644)
	f, err := createAtomic(path)
	if err != nil {
		t.Fatal(err)
	}
	f.Write([]byte("half a fi"))
	f.Abort()
	if data, _ := os.ReadFile(path); string(data) != "old\n" {
		t.Errorf("after Abort the file holds %q", data)
	}
	if err := writeFileAtomic(path, []byte("new\n")); err != nil {
		t.Fatal(err)
	}
	if data, _ := os.ReadFile(path); string(data) != "new\n" {
		t.Errorf("after writeFileAtomic the file holds %q", data)
	}
	ents, _ := os.ReadDir(dir)
	if len(ents) != 1 {
		t.Errorf("files left in the folder: %v", ents)
	}
	if err := writeFileAtomic(filepath.Join(dir, "missing", "x.yaml"), []byte("x")); err == nil {
		t.Error("writing into a missing folder succeeded")
	}
}

func TestExportReadsStandardInput(t *testing.T) {
	_, scen, _ := runParley(t, "example")
	dir := t.TempDir()
	var out, errOut strings.Builder
	e := &env{stdin: strings.NewReader(scen), stdout: &out, stderr: &errOut}
	if code := run(context.Background(), e, []string{"export", "geniusweb", "-", "--lossy", "-o", dir}); code != 0 {
		t.Fatalf("exit status %d: %s", code, errOut.String())
	}
	if code, _, stderr := runParley(t, "analyze", dir); code != 0 {
		t.Errorf("analyze of the export: exit status %d: %s", code, stderr)
	}
}

func TestInterruptedExitStatus(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	var out, errOut strings.Builder
	e := &env{stdin: strings.NewReader(""), stdout: &out, stderr: &errOut}
	if code := run(ctx, e, []string{"validate", okFile}); code != exitInterrupted {
		t.Errorf("exit status %d, want %d: %s", code, exitInterrupted, errOut.String())
	}
}

func TestLimits(t *testing.T) {
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"analyze", "--real-steps", "2000000000", "testdata/simulate/fruit"}, "--real-steps must be at most 1000000"},
		{[]string{"simulate", "--reps", "10000000", "testdata/simulate/trade.yaml"}, "at most 1000000 in one run"},
	} {
		code, _, stderr := runParley(t, tt.args...)
		if code != 2 || !strings.Contains(stderr, tt.want) {
			t.Errorf("%v: exit status %d, stderr %q; want 2 and %q", tt.args, code, stderr, tt.want)
		}
	}
}

func TestJSONScenarioWithoutParleyKey(t *testing.T) {
	path := filepath.Join(t.TempDir(), "s.json")
	os.WriteFile(path, []byte(`{"id": "x", "title": "t", "parties": [], "versions": []}`), 0o644)
	for _, cmd := range []string{"validate", "analyze"} {
		code, _, stderr := runParley(t, cmd, path)
		if code != 2 || !strings.Contains(stderr, `missing field "parley"`) {
			t.Errorf("%s: exit status %d, stderr %q; want 2 and the missing field", cmd, code, stderr)
		}
	}
}
