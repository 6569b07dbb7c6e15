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
