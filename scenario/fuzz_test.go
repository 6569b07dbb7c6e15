package scenario

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// FuzzLoad checks that Load never panics, that it fails only with Errors,
// and that whatever it accepts survives Marshal and Load in both formats.
func FuzzLoad(f *testing.F) {
	var seeds []string
	for _, pattern := range []string{"testdata/*.yaml", "testdata/valid/*", "testdata/invalid/*"} {
		files, err := filepath.Glob(pattern)
		if err != nil {
			f.Fatal(err)
		}
		seeds = append(seeds, files...)
	}
	for _, file := range seeds {
		data, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := Load("fuzz", data)
		if err != nil {
			var errs Errors
			if !errors.As(err, &errs) || len(errs) == 0 {
				t.Fatalf("Load failed without Errors: %v", err)
			}
			for _, e := range errs {
				if e.Msg == "" {
					t.Fatalf("Load returned an error without a message: %+v", e)
				}
			}
			return
		}
		for _, format := range []string{"yaml", "json"} {
			out, err := Marshal(s, format)
			if err != nil {
				t.Fatalf("Marshal(%s) of a loaded scenario: %v", format, err)
			}
			back, err := Load("marshalled", out)
			if err != nil {
				t.Fatalf("Load(Marshal(%s)): %v\n%s", format, err, out)
			}
			if diff := cmp.Diff(s, back, cmpopts.EquateEmpty()); diff != "" {
				t.Fatalf("Load(Marshal(%s)) (-loaded +reloaded):\n%s\n%s", format, diff, out)
			}
		}
	})
}
