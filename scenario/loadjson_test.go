package scenario

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// checkLoadJSON checks that the fast JSON path reads data as the general
// path does, and records no error of its own.
func checkLoadJSON(t *testing.T, data []byte) (fast bool) {
	l := &loader{file: "f.json"}
	got, ok := l.loadJSON(data)
	if len(l.errs) > 0 || l.truncated {
		t.Fatalf("loadJSON(%q) recorded errors: %v", data, l.errs)
	}
	if !ok {
		return false
	}
	g := &loader{file: "f.json"}
	want := g.loadNodes(data)
	if len(g.errs) > 0 {
		t.Fatalf("loadJSON(%q) accepted a scenario the general path refuses: %v", data, g.errs)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Fatalf("loadJSON(%q) differs from the general path (-want +got):\n%s", data, diff)
	}
	return true
}

// jsonFixtures are the valid scenarios of the tests and examples, written
// as JSON.
func jsonFixtures(t testing.TB) [][]byte {
	var out [][]byte
	files, _ := filepath.Glob("testdata/valid/*")
	more, _ := filepath.Glob("../examples/*.yaml")
	for _, f := range append(files, more...) {
		s, err := LoadFile(f)
		if err != nil {
			continue
		}
		data, err := Marshal(s, "json")
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, data)
		if strings.HasSuffix(f, ".json") {
			raw, _ := os.ReadFile(f)
			out = append(out, raw)
		}
	}
	for _, points := range []int{1, 3} {
		data, err := Marshal(bigScenario(points), "json")
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, data)
	}
	return out
}

func TestLoadJSONAgreesWithGeneralPath(t *testing.T) {
	for _, data := range jsonFixtures(t) {
		if !checkLoadJSON(t, data) {
			t.Errorf("the fast path refused a valid scenario:\n%s", data)
		}
		// Spellings the general path reads its own way, and errors: the
		// fast path must agree or step aside.
		for _, edit := range [][2]string{
			{`"parley": 1`, `"parley": 1.0`}, {`"parley": 1`, `"parley": 1e0`}, {`"parley": 1`, `"parley": "1"`},
			{`"reservation": 0`, `"reservation": 0x1`}, {`"reservation": 0`, `"reservation": 1e400`},
			{`"weight": 1`, `"weight": 1.000`}, {`"title": "`, `"title": "\u001b`}, {`"title": "`, `"title": "\/\ud83d\ude00`},
			{`"id": "`, `"id": "x`}, {`"role": "party"`, `"role": "Party"`}, {`{`, `{"parley": 1, `}, {`"text": "`, `"text": null, "x": "`},
		} {
			checkLoadJSON(t, []byte(strings.Replace(string(data), edit[0], edit[1], 1)))
		}
	}
}

// FuzzLoadJSON checks the fast JSON path against the general one.
func FuzzLoadJSON(f *testing.F) {
	for _, data := range jsonFixtures(f) {
		f.Add(data)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		checkLoadJSON(t, data)
	})
}
