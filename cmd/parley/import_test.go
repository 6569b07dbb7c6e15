package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"parley/round"
)

// noisyDomain is a GENIUS domain whose utilities, evaluations divided by
// the largest, carry floating-point noise: 0.3/0.75 is 0.39999999999999997.
var noisyDomain = map[string]string{
	"noisy_domain.xml": `<negotiation_template>
<utility_space number_of_issues="2">
<objective index="0" etype="objective" type="objective" description="" name="root">
  <issue index="1" etype="discrete" type="discrete" vtype="discrete" name="Colour">
    <item index="1" value="red"/><item index="2" value="green"/><item index="3" value="blue"/>
  </issue>
  <issue index="2" etype="discrete" type="discrete" vtype="discrete" name="Size">
    <item index="1" value="S"/><item index="2" value="L"/>
  </issue>
</objective>
</utility_space>
</negotiation_template>
`,
	"a.xml": noisyProfile("0.3"),
	"b.xml": noisyProfile("0.9"),
}

func noisyProfile(red string) string {
	return `<utility_space>
<objective index="0" etype="objective" type="objective" description="" name="root">
  <issue index="1" etype="discrete" type="discrete" vtype="discrete" name="Colour">
    <item index="1" value="red" evaluation="` + red + `"/>
    <item index="2" value="green" evaluation="0.75"/>
    <item index="3" value="blue" evaluation="0.1"/>
  </issue>
  <issue index="2" etype="discrete" type="discrete" vtype="discrete" name="Size">
    <item index="1" value="S" evaluation="1"/>
    <item index="2" value="L" evaluation="7"/>
  </issue>
  <weight index="1" value="0.6"/>
  <weight index="2" value="0.4"/>
</objective>
<reservation value="0.2"/>
</utility_space>
`
}

// TestImportWritesRoundedUtilities checks that import writes utilities by
// round's rule (0.4, not 0.39999999999999997), and that the scenario it
// writes still gives the analysis of the domain it came from.
func TestImportWritesRoundedUtilities(t *testing.T) {
	dir := t.TempDir()
	for name, text := range noisyDomain {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, d := range []string{dir, "../../examples/research/energy"} {
		yamlFile := filepath.Join(t.TempDir(), "s.yaml")
		if code, _, stderr := runParley(t, "import", "genius", d, "-o", yamlFile); code != 0 {
			t.Fatalf("import %s: exit %d, stderr %q", d, code, stderr)
		}
		data, err := os.ReadFile(yamlFile)
		if err != nil {
			t.Fatal(err)
		}
		utilities := regexp.MustCompile(`utility: ([-0-9.e+]+)`).FindAllStringSubmatch(string(data), -1)
		if len(utilities) == 0 {
			t.Fatalf("import %s: no utilities in\n%s", d, data)
		}
		for _, m := range utilities {
			x, err := strconv.ParseFloat(m[1], 64)
			if err != nil {
				t.Fatalf("import %s: utility %q: %v", d, m[1], err)
			}
			if want := round.Format(x); m[1] != want {
				t.Errorf("import %s: utility written %s, want %s", d, m[1], want)
			}
		}
		if d == dir && (!strings.Contains(string(data), "utility: 0.4}") || strings.Contains(string(data), "0.39999")) {
			t.Errorf("import %s: 0.3/0.75 not written as 0.4:\n%s", d, data)
		}
		sameResults(t, analyzeJSON(t, d), analyzeJSON(t, yamlFile))
	}
}
