package scenario

import (
	"fmt"
	"os"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

// yamlNodes counts the nodes the YAML parser builds for data.
func yamlNodes(t *testing.T, data []byte) int {
	t.Helper()
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return -1 // a file of JSON escapes the parser reads only after fixJSON
	}
	var count func(*yaml.Node) int
	count = func(n *yaml.Node) int {
		c := 1
		for _, k := range n.Content {
			c += count(k)
		}
		return c
	}
	return count(&doc) - 1
}

// TestCountNodesIsAnUpperEstimate compares countNodes with the parser on
// the test files and on generated scenarios: never below, and not far
// above for real files.
func TestCountNodesIsAnUpperEstimate(t *testing.T) {
	inputs := map[string][]byte{}
	for _, dir := range []string{"testdata/valid", "testdata"} {
		ents, _ := os.ReadDir(dir)
		for _, e := range ents {
			if strings.HasSuffix(e.Name(), ".yaml") || strings.HasSuffix(e.Name(), ".json") {
				data, err := os.ReadFile(dir + "/" + e.Name())
				if err != nil {
					t.Fatal(err)
				}
				inputs[dir+"/"+e.Name()] = data
			}
		}
	}
	for _, enc := range []string{"yaml", "json"} {
		data, err := Marshal(bigScenario(50), enc)
		if err != nil {
			t.Fatal(err)
		}
		inputs["big."+enc] = data
	}
	inputs["flow"] = []byte("a: [1, 2, {b: 3, c: [4, 5]}]\nd: 'it''s, [x'\ne: \"q\\\"]\"\n")
	inputs["block text"] = []byte("a: |\n  it's [1, 2, 3]: - x\n  - y\nb: [1,1,1,1]\n")
	for name, data := range inputs {
		est, got := countNodes(data), yamlNodes(t, data)
		if est < got {
			t.Errorf("%s: estimate %d below the %d nodes parsed", name, est, got)
		}
		if strings.HasPrefix(name, "big") && est > 3*got {
			t.Errorf("%s: estimate %d more than three times the %d nodes parsed", name, est, got)
		}
	}
}

func TestLoadRefusesTooManyNodes(t *testing.T) {
	data := "parley: 1\nid: x\ntitle: t\nversions: []\nparties: [" + strings.Repeat("1,", MaxNodes) + "1]\n"
	msgs := loadErrors(t, "f", data)
	if len(msgs) != 1 || !strings.Contains(msgs[0], "more than 4000000 values") {
		t.Errorf("errors %q, want one saying the file holds too many values", msgs)
	}
}

// FuzzCountNodes looks for documents whose nodes countNodes underestimates.
func FuzzCountNodes(f *testing.F) {
	for _, s := range []string{"a: [1, 2]\n", "- - x\n- {a: b}\n", "a: |\n  it's\nb: [1,1]\n", "k: 'x\n  y'\n"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var doc yaml.Node
		if yaml.Unmarshal(data, &doc) != nil {
			return
		}
		if got, est := yamlNodes(t, data), countNodes(data); est < got {
			t.Fatalf("countNodes(%q) = %d, parser built %d", data, est, got)
		}
	})
}

func TestDuplicateFieldsInSmallAndLargeMappings(t *testing.T) {
	for _, n := range []int{2, 15, 16, 17, 40} {
		var b strings.Builder
		b.WriteString("parley: 1\nid: x\ntitle: t\nversions: []\nparties:\n  - id: a\n")
		for i := range n {
			fmt.Fprintf(&b, "    f%d: 1\n", i)
		}
		b.WriteString("    f1: 2\n    id: b\n")
		_, err := Load("d.yaml", []byte(b.String()))
		want := []string{
			fmt.Sprintf(`d.yaml:%d:5: parties[0].f1: field "f1" given twice (first on line 8)`, n+7),
			fmt.Sprintf(`d.yaml:%d:5: parties[0].id: field "id" given twice (first on line 6)`, n+8),
		}
		if err == nil || !strings.Contains(err.Error(), want[0]) || !strings.Contains(err.Error(), want[1]) {
			t.Errorf("%d fields: %v, want %q", n, err, want)
		}
	}
}
