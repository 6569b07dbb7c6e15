package scenario

import (
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

const formatDoc = "../docs/format.md"

var yamlBlock = regexp.MustCompile("(?s)```yaml\n(.*?)```")

// TestFormatDoc keeps docs/format.md honest: its complete example is
// testdata/example.yaml, and every YAML scenario it shows loads (blocks
// marked "yaml fragment" show a part of a file and are not loaded).
func TestFormatDoc(t *testing.T) {
	doc, err := os.ReadFile(formatDoc)
	if err != nil {
		t.Fatal(err)
	}
	_, example, ok := strings.Cut(string(doc), "## A complete example")
	if !ok {
		t.Fatalf("%s has no complete example", formatDoc)
	}
	m := yamlBlock.FindStringSubmatch(example)
	if m == nil {
		t.Fatalf("%s: the complete example has no YAML block", formatDoc)
	}
	want, err := os.ReadFile("testdata/example.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(string(want), m[1]); diff != "" {
		t.Errorf("the example in %s differs from testdata/example.yaml (-file +doc):\n%s", formatDoc, diff)
	}
	blocks := yamlBlock.FindAllStringSubmatch(string(doc), -1)
	if len(blocks) < 2 {
		t.Fatalf("%s: %d YAML blocks, want the outline and the example", formatDoc, len(blocks))
	}
	for i, b := range blocks {
		if _, err := Load(formatDoc, []byte(b[1])); err != nil {
			t.Errorf("YAML block %d of %s does not load:\n%v", i+1, formatDoc, err)
		}
	}
}

// TestFormatDocStances checks the stance table against the code.
func TestFormatDocStances(t *testing.T) {
	doc, err := os.ReadFile(formatDoc)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []Stance{Support, Accept, Reluctant, Object} {
		row := regexp.MustCompile("(?m)^\\| `" + string(s) + "` \\| ([0-9.]+) \\|").FindStringSubmatch(string(doc))
		if row == nil {
			t.Errorf("%s: no row for stance %s", formatDoc, s)
			continue
		}
		if want := strconv.FormatFloat(s.DefaultUtility(), 'g', -1, 64); row[1] != want {
			t.Errorf("%s: stance %s has utility %s, the code says %s", formatDoc, s, row[1], want)
		}
	}
}

// TestFormatDocCategories checks the list of built-in categories.
func TestFormatDocCategories(t *testing.T) {
	doc, err := os.ReadFile(formatDoc)
	if err != nil {
		t.Fatal(err)
	}
	_, rest, ok := strings.Cut(strings.Join(strings.Fields(string(doc)), " "), "The built-in categories are ")
	if !ok {
		t.Fatalf("%s does not list the built-in categories", formatDoc)
	}
	list, _, _ := strings.Cut(rest, ".")
	got := regexp.MustCompile("`([a-z_]+)`").FindAllStringSubmatch(list, -1)
	var names []string
	for _, m := range got {
		names = append(names, m[1])
	}
	if diff := cmp.Diff(BuiltinCategories, names); diff != "" {
		t.Errorf("%s: built-in categories (-code +doc):\n%s", formatDoc, diff)
	}
}
