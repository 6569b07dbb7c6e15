package main

import (
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
)

var update = flag.Bool("update", false, "rewrite the golden files of testdata/golden")

// TestGolden pins the human report and the JSON contract on the default
// scenario and on the small fixture: any change to what parley prints shows
// up here, and "go test ./cmd/parley -run Golden -update" records it once
// reviewed.
func TestGolden(t *testing.T) {
	for _, c := range []struct {
		name string
		args []string
	}{
		{"default-v4.txt", []string{"analyze"}},
		{"default-v1.txt", []string{"analyze", "--version", "v1"}},
		{"default-v1.json", []string{"analyze", "--json", "--version", "v1"}},
		{"small.txt", []string{"analyze", "testdata/analyze/small.yaml"}},
		{"small.json", []string{"analyze", "--json", "testdata/analyze/small.yaml"}},
		// Versions that propose packages, dated positions, a mediator and an
		// observer shown but not counted: scorecards, the text over time,
		// concessions, improvements and what-if changes.
		{"versions-v2.txt", []string{"analyze", "--version", "v2", "--compare", "v1,v3", "testdata/analyze/versions.yaml"}},
		{"versions-v2.json", []string{"analyze", "--json", "--version", "v2", "--compare", "v1,v3", "testdata/analyze/versions.yaml"}},
		{"versions-whatif.txt", []string{"analyze", "--version", "v1", "--as-of", "2024-05-15", "--count", "alt,ben,med", "--lift", "alt:water=f70", "--reservation", "alt=0.5", "--weight", "ben:fish=1", "testdata/analyze/versions.yaml"}},
		{"versions-whatif.json", []string{"analyze", "--json", "--version", "v1", "--as-of", "2024-05-15", "--count", "alt,ben,med", "--lift", "alt:water=f70", "--reservation", "alt=0.5", "--weight", "ben:fish=1", "testdata/analyze/versions.yaml"}},
		{"improve-v2.txt", []string{"improve", "--from", "v2", "testdata/analyze/versions.yaml"}},
		{"improve-v2.json", []string{"improve", "--json", "--from", "v2", "testdata/analyze/versions.yaml"}},
		{"improve-default.txt", []string{"improve", "--version", "v4", "--from", "v4", "--package", "territory=free_economic_zone,elections=within_100_days,sequencing=ceasefire_first,army_size=cap_800k,nato=silent,foreign_troops=reassurance_force,us_guarantee=article5,sanctions_g8=staged_no_g8,frozen_assets=reconstruction,zaporizhzhia_npp=us_ukraine", "--lift", "ru:territory=free_economic_zone", "--lift", "ru:foreign_troops=reassurance_force", "--lift", "ru:nato=silent"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			code, out, stderr := runExampleCmd(t, c.args...)
			if code != 0 {
				t.Fatalf("%v: exit %d, stderr %q", c.args, code, stderr)
			}
			path := filepath.Join("testdata", "golden", c.name)
			if *update {
				if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(path, []byte(out), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run with -update to create it)", err)
			}
			if diff := cmp.Diff(string(want), out); diff != "" {
				t.Errorf("%v (-want +got):\n%s", c.args, diff)
			}
		})
	}
}
