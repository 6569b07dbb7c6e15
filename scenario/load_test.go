package scenario

import (
	"bufio"
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"go.yaml.in/yaml/v3"
)

// validFiles are the fixtures that must load without error.
func validFiles(t testing.TB) []string {
	files, err := filepath.Glob("testdata/valid/*")
	if err != nil {
		t.Fatal(err)
	}
	return append(files, "testdata/example.yaml")
}

func TestLoadValid(t *testing.T) {
	for _, file := range validFiles(t) {
		t.Run(filepath.Base(file), func(t *testing.T) {
			if _, err := LoadFile(file); err != nil {
				t.Errorf("LoadFile(%q): %v", file, err)
			}
		})
	}
}

func TestLoadExample(t *testing.T) {
	s, err := LoadFile("testdata/example.yaml")
	if err != nil {
		t.Fatal(err)
	}
	third := 0.4
	want := struct {
		Parties, Versions, Points, Positions, Linkages int
		Benmoor                                        Party
		Stance                                         OptionStance
		Link                                           Linkage
	}{
		Parties: 3, Versions: 2, Points: 3, Positions: 2, Linkages: 1,
		Benmoor: Party{ID: "benmoor", Name: "Kingdom of Benmoor", Role: RoleParty, Reservation: 0.35, Weights: WeightsAsGiven, Discount: 0.95},
		Stance:  OptionStance{Option: "third_party", Stance: Reluctant, Utility: &third},
		Link: Linkage{
			ID: "watch-the-dam", Holder: "benmoor", Kind: Requires,
			If:     OptionRef{Point: "dam", Option: "national"},
			Then:   OptionRef{Point: "monitor", Option: "third_party"},
			Reason: "If Altaria alone runs the dam, someone neutral must measure the flow.",
		},
	}
	latest, _ := s.Version("")
	got := want
	got.Parties, got.Versions, got.Points = len(s.Parties), len(s.Versions), len(latest.Points())
	got.Positions, got.Linkages = len(s.Positions), len(s.Linkages)
	got.Benmoor = s.Parties[2]
	got.Stance = s.Positions[0].Points[2].Options[1]
	got.Link = s.Linkages[0]
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("example (-want +got):\n%s", diff)
	}
}

// TestLoadJSONAndYAMLAgree loads the same scenario written in both
// syntaxes, with the JSON escapes the YAML parser lacks.
func TestLoadJSONAndYAMLAgree(t *testing.T) {
	y := "parley: 1\nid: minimal\ntitle: \"Minimal / JSON \\U0001F600\"\n" +
		"parties:\n  - {id: a, name: A, role: party, reservation: 0}\n" +
		"versions:\n  - {id: v1, title: First, blocks: []}\n"
	want, err := Load("minimal.yaml", []byte(y))
	if err != nil {
		t.Fatal(err)
	}
	got, err := LoadFile("testdata/valid/minimal.json")
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("JSON and YAML differ (-yaml +json):\n%s", diff)
	}
}

// wants returns the errors a fixture expects: its "# want: " lines, or
// the lines of FILE.want for JSON fixtures, each prefixed with the file
// name as Error.Error does.
func wants(t *testing.T, file string) []string {
	src, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	prefix := "# want: "
	if strings.HasSuffix(file, ".json") {
		if src, err = os.ReadFile(file + ".want"); err != nil {
			t.Fatal(err)
		}
		prefix = ""
	}
	var want []string
	sc := bufio.NewScanner(bytes.NewReader(src))
	for sc.Scan() {
		if w, ok := strings.CutPrefix(sc.Text(), prefix); ok && w != "" {
			sep := ":"
			if w[0] < '0' || w[0] > '9' {
				sep = ": "
			}
			want = append(want, file+sep+w)
		}
	}
	if len(want) == 0 {
		t.Fatalf("%s: no expected errors", file)
	}
	return want
}

// TestLoadInvalid loads each fixture of testdata/invalid and compares
// the errors with those it expects, line and column included.
func TestLoadInvalid(t *testing.T) {
	files, err := filepath.Glob("testdata/invalid/*")
	if err != nil {
		t.Fatal(err)
	}
	for _, file := range files {
		if strings.HasSuffix(file, ".want") {
			continue
		}
		t.Run(filepath.Base(file), func(t *testing.T) {
			want := wants(t, file)
			s, err := LoadFile(file)
			if s != nil {
				t.Errorf("LoadFile(%q) returned a scenario with errors", file)
			}
			var errs Errors
			if !errors.As(err, &errs) {
				t.Fatalf("LoadFile(%q) = %v, want Errors", file, err)
			}
			var got []string
			for _, e := range errs {
				got = append(got, e.Error())
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("LoadFile(%q) errors (-want +got):\n%s", file, diff)
			}
		})
	}
}

// TestLoadBadInput covers input that fixture files cannot hold well.
func TestLoadBadInput(t *testing.T) {
	tests := []struct {
		name string
		data string
		want []string
	}{
		{"empty", "", []string{"f: the file is empty: want a scenario in YAML or JSON"}},
		{"comments only", "# nothing\n", []string{"f: the file is empty: want a scenario in YAML or JSON"}},
		{"empty document", "---\n", []string{"f:2:1: the document is empty: want a scenario in YAML or JSON"}},
		{"scalar", "hello", []string{"f:1:1: expected a mapping, got a string \"hello\""}},
		{"unterminated", "parley: 1\ntitle: \"abc\n", []string{"f:2: syntax error: found unexpected end of stream"}},
		{"tab indent", "parley: 1\nparties:\n\t- id: a\n", []string{"f:3: syntax error: found character that cannot start any token"}},
		{"invalid utf-8", "parley: 1\nid: \xff\n", []string{"f:2:5: invalid UTF-8 (byte 0xFF): save the file as UTF-8"}},
		{"nul", "parley: 1\nid: a\x00\n", []string{"f:2:6: a NUL byte: a scenario file is text"}},
		{"too large", strings.Repeat(" ", MaxFileSize+1), []string{"f: file is larger than 16 MiB"}},
		{"alias bomb", "a: &a [x, x]\nb: &b [*a, *a]\nc: [*b, *b]\n", []string{
			"f:1:4: a: anchors and aliases (&name, *name) are not allowed in scenario files",
			"f:2:4: b: anchors and aliases (&name, *name) are not allowed in scenario files",
			"f:3:5: c[0]: anchors and aliases (&name, *name) are not allowed in scenario files",
			"f:3:9: c[1]: anchors and aliases (&name, *name) are not allowed in scenario files",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Load("f", []byte(tt.data))
			var errs Errors
			if !errors.As(err, &errs) {
				t.Fatalf("Load(%q) = %v, want Errors", tt.data, err)
			}
			var got []string
			for _, e := range errs {
				got = append(got, e.Error())
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Load(%.40q) errors (-want +got):\n%s", tt.data, diff)
			}
		})
	}
}

func TestLoadFileMissing(t *testing.T) {
	_, err := LoadFile("testdata/no-such-file.yaml")
	if !errors.Is(err, os.ErrNotExist) {
		t.Errorf("LoadFile of a missing file = %v, want os.ErrNotExist", err)
	}
	var errs Errors
	if errors.As(err, &errs) {
		t.Errorf("LoadFile of a missing file returned Errors, which mean bad input")
	}
}

func TestFixJSONColumns(t *testing.T) {
	tests := []struct {
		in, out string
		shifts  columnShifts
	}{
		{`{"a": "x"}`, `{"a": "x"}`, nil},
		{"a: '\\/'", "a: '\\/'", nil},
		{`{"a": "\/", "b": 1}`, `{"a": "/", "b": 1}`, columnShifts{1: {{8, 1}}}},
		{`{"a": '\/', "b": "\\/"}`, `{"a": '\/', "b": "\\/"}`, nil},
		{"{\"é\": \"\\ud83d\\ude00\"}", "{\"é\": \"\\U0001F600\"}", columnShifts{1: {{8, 2}}}},
		{"{\"a\": \"\\ud83d\"}", "{\"a\": \"\\ud83d\"}", nil},
		{"[\n \"\\/\\/\"]", "[\n \"//\"]", columnShifts{2: {{3, 1}, {4, 1}}}},
	}
	for _, tt := range tests {
		out, shifts := fixJSON([]byte(tt.in))
		if string(out) != tt.out {
			t.Errorf("fixJSON(%q) = %q, want %q", tt.in, out, tt.out)
		}
		if diff := cmp.Diff(tt.shifts, shifts, cmp.AllowUnexported(columnShift{})); diff != "" {
			t.Errorf("fixJSON(%q) shifts (-want +got):\n%s", tt.in, diff)
		}
	}
}

func BenchmarkLoad(b *testing.B) {
	data, err := os.ReadFile("testdata/example.yaml")
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if _, err := Load("example.yaml", data); err != nil {
			b.Fatal(err)
		}
	}
}

// TestLoadDeepNesting makes sure deeply nested input is refused quickly
// rather than exhausting the stack.
func TestLoadDeepNesting(t *testing.T) {
	for _, depth := range []int{5000, 20000} {
		data := "parley: 1\ntitle: " + strings.Repeat("[", depth) + strings.Repeat("]", depth) + "\n"
		_, err := Load("deep.yaml", []byte(data))
		var errs Errors
		if !errors.As(err, &errs) {
			t.Errorf("depth %d: Load = %v, want Errors", depth, err)
		}
	}
}

// TestDecodeError covers the errors of the last decoding step, which the
// schema leaves no input to reach.
func TestDecodeError(t *testing.T) {
	l := &loader{file: "f"}
	l.decodeError(&yaml.TypeError{Errors: []string{"line 3: cannot unmarshal !!str `x` into int", "odd"}})
	l.decodeError(errors.New("other"))
	want := []string{"f:3: cannot unmarshal !!str `x` into int", "f: odd", "f: other"}
	var got []string
	for _, e := range l.errs {
		got = append(got, e.Error())
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("decode errors (-want +got):\n%s", diff)
	}
}
