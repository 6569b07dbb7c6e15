package main

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

const (
	holidayDomain = "../../examples/research/holiday"
	flightsDomain = "../../examples/research/flights"
)

// TestImportSeveral checks that import takes several domains in one run,
// writing one scenario per domain into the folder -o names.
func TestImportSeveral(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "out")
	code, out, stderr := runParley(t, "import", "genius", holidayDomain, "testdata/simulate/fruit", "-o", dir)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	want := []string{filepath.Join(dir, "holiday_domain.yaml"), filepath.Join(dir, "fruit_domain.yaml")}
	if got := strings.Fields(out); !slices.Equal(got, want) {
		t.Errorf("printed %q, want %q", got, want)
	}
	for _, f := range want {
		if code, _, stderr := runParley(t, "validate", f); code != 0 {
			t.Errorf("%s: exit %d: %s", f, code, stderr)
		}
	}
	if code, _, stderr := runParley(t, "import", "genius", holidayDomain, "testdata/simulate/fruit"); code != 2 || !strings.Contains(stderr, "give -o DIR") {
		t.Errorf("several domains without -o: exit %d, stderr %q", code, stderr)
	}
}

// TestRoundTripNames checks that export → import → export writes the same
// file names: an imported domain keeps its name.
func TestRoundTripNames(t *testing.T) {
	for _, format := range []string{"genius", "geniusweb"} {
		src := holidayDomain
		if format == "geniusweb" {
			src = flightsDomain
		}
		tmp := t.TempDir()
		var listings []string
		scen := filepath.Join(tmp, "s0.yaml")
		if code, _, stderr := runParley(t, "import", format, src, "-o", scen); code != 0 {
			t.Fatalf("%s import: exit %d: %s", format, code, stderr)
		}
		for i := 1; i <= 3; i++ {
			dir := filepath.Join(tmp, "e"+strings.Repeat("x", i))
			if code, _, stderr := runParley(t, "export", format, scen, "-o", dir); code != 0 {
				t.Fatalf("%s export %d: exit %d: %s", format, i, code, stderr)
			}
			ents, err := os.ReadDir(dir)
			if err != nil {
				t.Fatal(err)
			}
			var names []string
			for _, e := range ents {
				names = append(names, e.Name())
			}
			listings = append(listings, strings.Join(names, " "))
			scen = filepath.Join(tmp, "s"+strings.Repeat("x", i)+".yaml")
			if code, _, stderr := runParley(t, "import", format, dir, "-o", scen); code != 0 {
				t.Fatalf("%s import %d: exit %d: %s", format, i, code, stderr)
			}
		}
		if listings[0] != listings[1] || listings[1] != listings[2] {
			t.Errorf("%s: file names change from export to export: %q", format, listings)
		}
	}
}
