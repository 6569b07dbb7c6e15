package scenario

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
	"pgregory.net/rapid"
)

// yamlTree is the tree the YAML parser makes of data, with the columns of
// the original text: what the loader read before jsonNodes.
func yamlTree(data []byte) (*yaml.Node, error) {
	fixed, shifts := fixJSON(data)
	var doc yaml.Node
	if err := yaml.Unmarshal(fixed, &doc); err != nil {
		return nil, err
	}
	if len(doc.Content) == 0 {
		return nil, fmt.Errorf("no document")
	}
	shifts.apply(&doc)
	return doc.Content[0], nil
}

// nodeDiff returns the first difference between two trees, or "".
func nodeDiff(got, want *yaml.Node, at string) string {
	if got.Kind != want.Kind || got.Tag != want.Tag || got.Style != want.Style || got.Value != want.Value {
		return fmt.Sprintf("%s: kind %v tag %q style %v value %q, want %v %q %v %q", at, got.Kind, got.Tag, got.Style, got.Value, want.Kind, want.Tag, want.Style, want.Value)
	}
	if got.Line != want.Line || got.Column != want.Column {
		return fmt.Sprintf("%s (%q): at %d:%d, want %d:%d", at, got.Value, got.Line, got.Column, want.Line, want.Column)
	}
	if len(got.Content) != len(want.Content) {
		return fmt.Sprintf("%s: %d children, want %d", at, len(got.Content), len(want.Content))
	}
	for i := range got.Content {
		if d := nodeDiff(got.Content[i], want.Content[i], fmt.Sprintf("%s/%d", at, i)); d != "" {
			return d
		}
	}
	return ""
}

// checkJSONNodes checks jsonNodes against the YAML parser on data.
func checkJSONNodes(t *testing.T, data []byte) {
	got, ok := jsonNodes(data)
	if !ok {
		return
	}
	want, err := yamlTree(data)
	if err != nil {
		return // valid JSON that YAML refuses: parley now reads it
	}
	if d := nodeDiff(got, want, "$"); d != "" {
		t.Fatalf("jsonNodes(%q): %s", data, d)
	}
}

// jsonDoc generates a JSON object or list with every kind of value, odd
// spacing, escapes and non-ASCII text.
func jsonDoc(t *rapid.T, depth int, top bool) string {
	space := func() string {
		return rapid.SampledFrom([]string{"", " ", "\n", "\r\n", "  \n    ", "\n\n"}).Draw(t, "space")
	}
	str := func() string {
		s := rapid.SampledFrom([]string{"", "a", "é", "価", "😀", `\"`, `\\`, `\/`, `\n`, `\t`, `\u00e9`, `\ud83d\ude00`, "x y", "#", "- x", ": ", "*a", "&b", "!t", "'"}).Draw(t, "piece")
		return `"` + s + rapid.SampledFrom([]string{"", "b", "ü", `\/x`}).Draw(t, "tail") + `"`
	}
	kind := rapid.IntRange(0, 2).Draw(t, "kind")
	if depth == 0 && !top || kind == 0 && !top {
		if rapid.Bool().Draw(t, "string") {
			return str()
		}
		return rapid.SampledFrom([]string{"0", "-1", "0.5", "1e3", "1E+2", "-0", "12345678901234567890", "1e400", "0.1000", "true", "false", "null"}).Draw(t, "scalar")
	}
	n := rapid.IntRange(0, 4).Draw(t, "len")
	parts := make([]string, n)
	for i := range parts {
		if kind == 1 {
			parts[i] = space() + jsonDoc(t, depth-1, false) + space()
		} else {
			parts[i] = space() + strconv.Quote(fmt.Sprintf("k%d", i)) + space() + ":" + space() + jsonDoc(t, depth-1, false) + space()
		}
	}
	if kind == 1 {
		return "[" + space() + strings.Join(parts, ",") + "]"
	}
	return "{" + space() + strings.Join(parts, ",") + "}"
}

func TestJSONNodesAgreeWithYAML(t *testing.T) {
	rapid.Check(t, func(rt *rapid.T) {
		doc := rapid.SampledFrom([]string{"", "\uFEFF", "\n "}).Draw(rt, "lead") + jsonDoc(rt, 3, true) + rapid.SampledFrom([]string{"", "\n", " \r\n"}).Draw(rt, "end")
		if _, ok := jsonNodes([]byte(doc)); !ok {
			t.Fatalf("jsonNodes(%q) refused valid JSON", doc)
		}
		checkJSONNodes(t, []byte(doc))
	})
	for _, doc := range []string{`{"a": "\ud800"}`, "{\"a\": \"\u2028\"}", `{"a": 1} {}`, `{"a": 1,}`, `"a"`, `{"a": 1, "a": 2}`} {
		checkJSONNodes(t, []byte(doc))
	}
}

func TestJSONNodesOfTheTestScenarios(t *testing.T) {
	for _, points := range []int{1, 7} {
		data, err := Marshal(bigScenario(points), "json")
		if err != nil {
			t.Fatal(err)
		}
		if _, ok := jsonNodes(data); !ok {
			t.Fatalf("jsonNodes refused a scenario of %d points", points)
		}
		checkJSONNodes(t, data)
		checkJSONNodes(t, bytes.ReplaceAll(data, []byte("\n"), []byte("\r\n")))
	}
}

// FuzzJSONNodes checks jsonNodes against the YAML parser on any input.
func FuzzJSONNodes(f *testing.F) {
	f.Add([]byte(`{"parley": 1, "id": "x", "parties": [{"id": "a", "reservation": 0.5e1}], "t": "\u00e9\/"}`))
	f.Add([]byte("\uFEFF[1, 2.5, true, null, \"\\ud83d\\ude00\"]\r\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		checkJSONNodes(t, data)
	})
}
