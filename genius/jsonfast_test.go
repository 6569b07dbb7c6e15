package genius

import (
	"fmt"
	"strconv"
	"strings"
	"testing"

	"pgregory.net/rapid"
)

// sameTree reports the first difference between two trees, or "".
func sameTree(a, b *jnode, at string) string {
	switch {
	case a == nil || b == nil:
		if a != b {
			return at + ": one tree is nil"
		}
		return ""
	case a.kind != b.kind || a.str != b.str || a.num != b.num || a.b != b.b:
		return fmt.Sprintf("%s: value %v %q %q %v, want %v %q %q %v", at, a.kind, a.str, a.num, a.b, b.kind, b.str, b.num, b.b)
	case a.line != b.line || a.col != b.col:
		return fmt.Sprintf("%s: at %d:%d, want %d:%d", at, a.line, a.col, b.line, b.col)
	case a.key != b.key || a.index != b.index:
		return fmt.Sprintf("%s: key %q index %d, want %q %d", at, a.key, a.index, b.key, b.index)
	case len(a.keys) != len(b.keys) || len(a.vals) != len(b.vals):
		return fmt.Sprintf("%s: %d keys and %d values, want %d and %d", at, len(a.keys), len(a.vals), len(b.keys), len(b.vals))
	}
	for i := range a.keys {
		if a.keys[i] != b.keys[i] {
			return fmt.Sprintf("%s: key %d is %q, want %q", at, i, a.keys[i], b.keys[i])
		}
	}
	for i := range a.vals {
		if d := sameTree(a.vals[i], b.vals[i], fmt.Sprintf("%s/%d", at, i)); d != "" {
			return d
		}
	}
	return ""
}

// countTree counts the values of a tree, as the parser counts them.
func countTree(n *jnode) int {
	c := 1
	for _, v := range n.vals {
		c += countTree(v)
	}
	return c
}

// checkJSON checks the fast reader and the value count against
// encoding/json's reading of data.
func checkJSON(t *testing.T, data []byte) {
	want, wantErr := parseJSONStd("f.json", data)
	got, ok := readJSON(data)
	if ok {
		if wantErr != nil {
			t.Fatalf("readJSON(%q) succeeded; encoding/json: %v", data, wantErr)
		}
		if d := sameTree(got, want, "$"); d != "" {
			t.Fatalf("readJSON(%q): %s", data, d)
		}
	}
	if wantErr != nil {
		return
	}
	n := countTree(want)
	if _, _, ok := valuesWithin(data, n); !ok {
		t.Fatalf("valuesWithin(%q, %d) = false for %d values", data, n, n)
	}
	if _, _, ok := valuesWithin(data, n-1); ok {
		t.Fatalf("valuesWithin(%q, %d) = true for %d values", data, n-1, n)
	}
}

// jsonText generates JSON text of every kind of value, with odd spacing,
// escapes and non-ASCII text.
func jsonText(depth int) *rapid.Generator[string] {
	space := rapid.SampledFrom([]string{"", " ", "\n", "\r\n", "\t", "  \n  "})
	str := rapid.Custom(func(t *rapid.T) string {
		s := rapid.SampledFrom([]string{"", "a", "é", "価", "😀", `\"`, `\\`, `\/`, `\n`, `\u00e9`, `\ud83d\ude00`, "x y", "issue"}).Draw(t, "piece")
		return `"` + s + rapid.SampledFrom([]string{"", "b", "ü"}).Draw(t, "tail") + `"`
	})
	scalar := rapid.OneOf(str,
		rapid.SampledFrom([]string{"0", "-1", "0.5", "1e3", "12345678901234567890", "0.1000", "-0.0E-2", "true", "false", "null"}))
	if depth == 0 {
		return scalar
	}
	inner := jsonText(depth - 1)
	return rapid.Custom(func(t *rapid.T) string {
		sp := func() string { return space.Draw(t, "space") }
		switch rapid.IntRange(0, 2).Draw(t, "kind") {
		case 0:
			return scalar.Draw(t, "scalar")
		case 1:
			n := rapid.IntRange(0, 4).Draw(t, "len")
			parts := make([]string, n)
			for i := range parts {
				parts[i] = sp() + inner.Draw(t, "elem") + sp()
			}
			return "[" + sp() + strings.Join(parts, ",") + "]"
		default:
			n := rapid.IntRange(0, 4).Draw(t, "len")
			parts := make([]string, n)
			for i := range parts {
				parts[i] = sp() + strconv.Quote(fmt.Sprintf("k%d", i)) + sp() + ":" + sp() + inner.Draw(t, "val") + sp()
			}
			return "{" + sp() + strings.Join(parts, ",") + "}"
		}
	})
}

func TestReadJSONAgreesWithEncodingJSON(t *testing.T) {
	rapid.Check(t, func(rt *rapid.T) {
		data := []byte(jsonText(3).Draw(rt, "json"))
		checkJSON(t, data)
		if _, ok := readJSON(data); !ok {
			t.Fatalf("readJSON(%q) refused valid JSON", data)
		}
	})
	for _, data := range []string{`{"a": 1, "a": 2}`, "[1, 2,]", `"\ud800"`, "\"\xff\"", "[1] 2", "[", `{"a" 1}`, "01", "[1]\n\n"} {
		checkJSON(t, []byte(data))
	}
}

func TestValuesWithinPlace(t *testing.T) {
	line, col, ok := valuesWithin([]byte("[1,\n  2, [3]]"), 2)
	if ok || line != 2 || col != 3 {
		t.Errorf("valuesWithin = %d:%d %v, want 2:3 false", line, col, ok)
	}
}

// FuzzReadJSON checks the fast JSON reader and the value count against
// encoding/json on any input.
func FuzzReadJSON(f *testing.F) {
	addSeeds(f, ".json")
	f.Add([]byte(`{"a": [1, "b", null, true, {"c": -0.5e3}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		checkJSON(t, data)
	})
}
