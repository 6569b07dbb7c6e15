package scenario

import (
	"bytes"
	"path/filepath"
	"testing"
)

// TestEncodeYAMLInChunks checks that writing long lists in chunks gives
// the text of one run of the encoder, with chunks of every small size.
func TestEncodeYAMLInChunks(t *testing.T) {
	var scenarios []*Scenario
	files, _ := filepath.Glob("testdata/valid/*")
	more, _ := filepath.Glob("../examples/*.yaml")
	for _, f := range append(files, more...) {
		if s, err := LoadFile(f); err == nil {
			scenarios = append(scenarios, s)
		}
	}
	scenarios = append(scenarios, bigScenario(1), bigScenario(9))
	defer func(n int) { chunkItems = n }(chunkItems)
	for _, s := range scenarios {
		chunkItems = 1 << 30
		want, err := Marshal(s, "yaml")
		if err != nil {
			t.Fatal(err)
		}
		for _, n := range []int{1, 2, 3, 7} {
			chunkItems = n
			got, err := Marshal(s, "yaml")
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, want) {
				t.Fatalf("%s in chunks of %d:\n%s\nwant:\n%s", s.ID, n, got, want)
			}
		}
	}
	if len(scenarios) < 4 {
		t.Errorf("only %d scenarios", len(scenarios))
	}
}
