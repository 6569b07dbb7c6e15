package genius

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"pgregory.net/rapid"
)

// elementDiff returns the first difference between two element trees.
func elementDiff(got, want *element) string {
	if got.name != want.name || got.line != want.line || got.col != want.col || got.path() != want.path() {
		return fmt.Sprintf("%s at %d:%d, want %s at %d:%d", got.path(), got.line, got.col, want.path(), want.line, want.col)
	}
	if d := cmp.Diff(want.attrs, got.attrs, cmpopts.EquateEmpty()); d != "" {
		return fmt.Sprintf("%s: attributes (-want +got):\n%s", got.path(), d)
	}
	if len(got.children) != len(want.children) {
		return fmt.Sprintf("%s: %d children, want %d", got.path(), len(got.children), len(want.children))
	}
	for i := range got.children {
		if d := elementDiff(got.children[i], want.children[i]); d != "" {
			return d
		}
	}
	return ""
}

// checkXML checks the fast XML reader against encoding/xml on data.
func checkXML(t *testing.T, data []byte) bool {
	got, ok := readXML(data)
	if !ok {
		return false
	}
	want, err := parseXMLStd("f.xml", data)
	if err != nil {
		t.Fatalf("readXML(%q) succeeded; encoding/xml: %v", data, err)
	}
	if d := elementDiff(got, want); d != "" {
		t.Fatalf("readXML(%q): %s", data, d)
	}
	return true
}

// xmlDoc generates an XML document of the kind GENIUS writes, with odd
// spacing, comments, non-ASCII text and both quotes.
func xmlDoc(t *rapid.T) string {
	space := rapid.SampledFrom([]string{"", " ", "\n", "\r\n", "\t", "\n  "})
	word := rapid.SampledFrom([]string{"", "a", "pear", "é", "価 x", "😀", "0.5", ">", "'", `"`, "-", "a\tb", "x\ny"})
	name := rapid.SampledFrom([]string{"issue", "item", "weight", "objective", "a_b", "x.y-z", "Issue2"})
	var elem func(depth int) string
	elem = func(depth int) string {
		n := name.Draw(t, "name")
		var b strings.Builder
		b.WriteString("<" + n)
		for i := range rapid.IntRange(0, 3).Draw(t, "attrs") {
			v := word.Draw(t, "value")
			q := `"`
			if strings.Contains(v, `"`) {
				q = "'"
			} else if strings.Contains(v, "'") {
				q = `"`
			}
			fmt.Fprintf(&b, "%s%s%s=%s%s%s%s", rapid.SampledFrom([]string{" ", "\n", "  "}).Draw(t, "sep"), []string{"index", "name", "value"}[i], space.Draw(t, "s"), space.Draw(t, "s"), q, v, q)
		}
		b.WriteString(space.Draw(t, "s"))
		kids := 0
		if depth > 0 {
			kids = rapid.IntRange(0, 3).Draw(t, "kids")
		}
		if kids == 0 && rapid.Bool().Draw(t, "empty") {
			b.WriteString("/>")
			return b.String()
		}
		b.WriteString(">")
		for range kids {
			b.WriteString(space.Draw(t, "s"))
			if rapid.IntRange(0, 5).Draw(t, "comment") == 0 {
				b.WriteString("<!-- " + word.Draw(t, "c") + " -->")
			}
			if rapid.IntRange(0, 5).Draw(t, "text") == 0 {
				b.WriteString(strings.NewReplacer(">", "", "'", "").Replace(word.Draw(t, "text")))
			}
			b.WriteString(elem(depth - 1))
		}
		b.WriteString(space.Draw(t, "s") + "</" + n + space.Draw(t, "s") + ">")
		return b.String()
	}
	decl := rapid.SampledFrom([]string{"", `<?xml version="1.0" encoding="UTF-8"?>` + "\n", `<?xml version='1.0'?>`, `<?xml version="1.0" encoding="utf-8" standalone="no" ?>` + "\r\n"}).Draw(t, "decl")
	return decl + elem(3) + space.Draw(t, "end")
}

func TestReadXMLAgreesWithEncodingXML(t *testing.T) {
	rapid.Check(t, func(rt *rapid.T) {
		doc := xmlDoc(rt)
		if !checkXML(t, []byte(doc)) {
			t.Fatalf("readXML refused %q", doc)
		}
	})
	for _, doc := range []string{
		"<a></b>", "<a>", "<a/><b/>", `<a b="1"c="2"/>`, "<a>&amp;</a>", `<a b="&lt;"/>`, "<x:a/>", `<a xmlns="u"/>`,
		"<!DOCTYPE a><a/>", "<a><![CDATA[x]]></a>", "<!-- a -- b --><a/>", "<?xml version=\"1.1\"?><a/>",
		`<?xml version="1.0" encoding="ISO-8859-1"?><a/>`, "\uFEFF<a/>", "<a>\x01</a>", "<é/>", "<a b=c/>", "<a b/>",
	} {
		checkXML(t, []byte(doc))
	}
}

func TestReadXMLOfTheTestDomains(t *testing.T) {
	files, _ := filepath.Glob("testdata/*/*.xml")
	files = append(files, writeRandomDomain(t, t.TempDir(), []int{3, 5}, 2, 1)...)
	shared, _ := filepath.Glob(filepath.Join(sharedData, "*", "*", "*.xml"))
	files = append(files, shared...)
	read := 0
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if checkXML(t, data) {
			read++
		}
	}
	if read*2 < len(files) {
		t.Errorf("the fast reader read %d of %d test domains", read, len(files))
	}
}

// FuzzReadXML checks the fast XML reader against encoding/xml on any
// input.
func FuzzReadXML(f *testing.F) {
	addSeeds(f, ".xml")
	f.Add([]byte(`<?xml version="1.0"?><a b='1'><!-- c --><d e="f"/>text</a>`))
	f.Fuzz(func(t *testing.T, data []byte) {
		checkXML(t, data)
	})
}
