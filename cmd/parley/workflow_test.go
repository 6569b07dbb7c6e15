package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
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

// TestSimulateInterrupted checks that an interrupted simulation writes the
// negotiations it finished to --out and says so.
func TestSimulateInterrupted(t *testing.T) {
	out := filepath.Join(t.TempDir(), "results.csv")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var stdout, stderr bytes.Buffer
	e := &env{stdin: strings.NewReader(""), stdout: &stdout, stderr: &stderr}
	go func() {
		time.Sleep(time.Second)
		cancel()
	}()
	code := run(ctx, e, []string{"simulate", holidayDomain, "--reps", "2000", "--rounds", "1000", "--workers", "2", "--out", out})
	if code != 1 {
		t.Fatalf("exit %d, want 1; stderr %q", code, stderr.String())
	}
	var done, planned int
	if _, err := fmt.Sscanf(stderr.String(), "parley simulate: interrupted after %d of %d negotiations", &done, &planned); err != nil {
		t.Fatalf("stderr %q: %v", stderr.String(), err)
	}
	if !strings.Contains(stderr.String(), "the finished ones are in "+out) {
		t.Errorf("stderr %q does not name %s", stderr.String(), out)
	}
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	if rows := strings.Count(string(data), "\n") - 1; rows != done || done >= planned {
		t.Errorf("%d rows in %s, %d finished of %d", rows, out, done, planned)
	}
	if done > 0 && !strings.Contains(stdout.String(), fmt.Sprintf("interrupted: %d of %d negotiations finished", done, planned)) {
		t.Errorf("summary does not say it is partial:\n%s", stdout.String())
	}
}

// TestSimulateOutChecked checks that --out is checked before the run.
func TestSimulateOutChecked(t *testing.T) {
	for _, out := range []string{t.TempDir(), filepath.Join(t.TempDir(), "missing", "r.csv")} {
		code, _, stderr := runParley(t, "simulate", holidayDomain, "--out", out)
		if code != 2 || !strings.Contains(stderr, "--out") {
			t.Errorf("--out %s: exit %d, stderr %q", out, code, stderr)
		}
	}
}
