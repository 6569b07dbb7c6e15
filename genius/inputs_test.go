package genius

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"parley/scenario"
)

// copyInto writes the files of a test domain into dir, each changed by f.
func copyInto(t *testing.T, dir string, files []string, f func(name string, data []byte) []byte) []string {
	t.Helper()
	var paths []string
	for _, src := range files {
		data, err := os.ReadFile(src)
		if err != nil {
			t.Fatal(err)
		}
		p := filepath.Join(dir, filepath.Base(src))
		writeFile(t, p, string(f(p, data)))
		paths = append(paths, p)
	}
	return paths
}

func TestLoadGeniusWebWithByteOrderMark(t *testing.T) {
	files := []string{"testdata/trip/trip.json", "testdata/trip/alice.json", "testdata/trip/bob.json"}
	paths := copyInto(t, t.TempDir(), files, func(_ string, data []byte) []byte {
		return append([]byte("\uFEFF"), data...)
	})
	if _, err := Load(paths, Options{}); err != nil {
		t.Fatalf("Load with a byte order mark: %v", err)
	}
}

func TestLoadXMLEncodings(t *testing.T) {
	files := []string{"testdata/small/small_domain.xml", "testdata/small/a.xml", "testdata/small/b.xml"}
	for _, enc := range []string{"ISO-8859-1", "windows-1252", "latin1", "US-ASCII"} {
		// "green" becomes "grün", written in the declared encoding.
		paths := copyInto(t, t.TempDir(), files, func(_ string, data []byte) []byte {
			text := `<?xml version="1.0" encoding="` + enc + `"?>` + "\n" + string(data)
			if enc != "US-ASCII" {
				text = strings.ReplaceAll(text, `"green"`, "\"gr\xfcn\"")
			}
			return []byte(text)
		})
		d, err := Load(paths, Options{})
		if err != nil {
			t.Errorf("%s: %v", enc, err)
			continue
		}
		if enc != "US-ASCII" && d.Scenario.Versions[0].Blocks[0].Points[0].Options[1].Text != "grün" {
			t.Errorf("%s: options %v, want grün second", enc, d.Scenario.Versions[0].Blocks[0].Points[0].Options)
		}
	}
	paths := copyInto(t, t.TempDir(), files, func(_ string, data []byte) []byte {
		return append([]byte(`<?xml version="1.0" encoding="KOI8-R"?>`+"\n"), data...)
	})
	_, err := Load(paths, Options{})
	if err == nil || !strings.Contains(err.Error(), `encoding "KOI8-R" is not supported: parley reads UTF-8, US-ASCII, ISO-8859-1`) {
		t.Errorf("KOI8-R: %v, want an error naming the encodings read", err)
	}
}

func TestLoadSizeLimit(t *testing.T) {
	dir := t.TempDir()
	big := filepath.Join(dir, "big_domain.xml")
	f, err := os.Create(big)
	if err != nil {
		t.Fatal(err)
	}
	f.WriteString("<negotiation_template><!-- ")
	f.Write(bytes.Repeat([]byte("x"), scenario.MaxFileSize))
	f.WriteString(" --></negotiation_template>")
	f.Close()
	_, err = Load([]string{big, "testdata/small/a.xml"}, Options{})
	var tl *scenario.TooLargeError
	if !errors.As(err, &tl) {
		t.Errorf("Load of a file over the limit = %v, want a TooLargeError", err)
	}
}

func TestIsResearchFile(t *testing.T) {
	for _, tt := range []struct {
		data string
		want bool
	}{
		{`{"issuesValues": {}, "name": "d"}`, true},
		{"\uFEFF" + `{"name": "d", "issuesValues": {"a": {"values": ["x"]}}}`, true},
		{`{"LinearAdditiveUtilitySpace": {}}`, true},
		{`{"SumOfGroupsUtilitySpace": {}}`, true},
		{`{"parley": 1, "issuesValues": {}}`, false},
		{`{"id": "x", "title": "a scenario without its parley key", "parties": []}`, false},
		{`[1, 2]`, false},
		{`{"issuesValues": `, false},
	} {
		if got := IsResearchFile("f.json", []byte(tt.data)); got != tt.want {
			t.Errorf("IsResearchFile(%s) = %v, want %v", tt.data, got, tt.want)
		}
	}
}

// FuzzIsGeniusWebJSON checks the quick look at the top-level keys against
// the full parse: what it calls GeniusWeb is an object with a domain's or
// a profile's key and no "parley" key.
func FuzzIsGeniusWebJSON(f *testing.F) {
	for _, s := range []string{`{"issuesValues": {}}`, `{"parley": 1}`, `{"a": [1, {"b": 2}], "LinearAdditiveUtilitySpace": {}}`, `[]`, "\uFEFF{}"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		got := isGeniusWebJSON(data)
		n, err := parseJSON("f.json", data)
		if err != nil || !got {
			return
		}
		if n.kind != jObject || n.get("parley") != nil {
			t.Fatalf("isGeniusWebJSON(%q) = true for %v", data, n.kind)
		}
		found := n.get("issuesValues") != nil
		for _, k := range n.keys {
			found = found || strings.HasSuffix(k, "Space")
		}
		if !found {
			t.Fatalf("isGeniusWebJSON(%q) = true without a GeniusWeb key", data)
		}
	})
}

func TestParseRefusesTooManyValues(t *testing.T) {
	defer func(n int) { maxValues = n }(maxValues)
	maxValues = 1000
	json := "[" + strings.Repeat("1,", maxValues) + "1]"
	if _, err := parseJSON("f.json", []byte(json)); err == nil || !strings.Contains(err.Error(), "more than 1000 values") {
		t.Errorf("parseJSON of %d values: %v", maxValues+1, err)
	}
	xml := "<a>" + strings.Repeat("<b/>", maxValues) + "</a>"
	if _, err := parseXML("f.xml", []byte(xml)); err == nil || !strings.Contains(err.Error(), "more than 1000 elements") {
		t.Errorf("parseXML of %d elements: %v", maxValues+1, err)
	}
}
