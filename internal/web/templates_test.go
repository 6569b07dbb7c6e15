package web

import (
	"html/template"
	"testing"
)

// TestWordFuncs checks the template functions that make ids readable:
// words for ids, and break opportunities that never let markup through.
func TestWordFuncs(t *testing.T) {
	human := funcs["human"].(func(any) string)
	wbr := funcs["wbr"].(func(string) template.HTML)
	for _, c := range []struct{ in, human, wbr string }{
		{"provisionally_agreed", "provisionally agreed", "provisionally_<wbr>agreed"},
		{"territory=zone_referendum", "territory=zone referendum", "territory=<wbr>zone_<wbr>referendum"},
		{"<b>_x", "<b> x", "&lt;b&gt;_<wbr>x"},
		{"", "", ""},
	} {
		if got := human(c.in); got != c.human {
			t.Errorf("human(%q): expected %q got %q", c.in, c.human, got)
		}
		if got := string(wbr(c.in)); got != c.wbr {
			t.Errorf("wbr(%q): expected %q got %q", c.in, c.wbr, got)
		}
	}
}
