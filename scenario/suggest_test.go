package scenario

import "testing"

func TestDidYouMean(t *testing.T) {
	versions := []string{"v1", "v2", "v3", "v4"}
	parties := []string{"us", "ua", "ru", "e3"}
	for _, c := range []struct {
		name string
		ids  []string
		want string
	}{
		// Another number is another id, not a typo.
		{"v9", versions, ""},
		{"v0", []string{"v1"}, ""},
		{"v10", versions, ""},
		{"V4", versions, ` (did you mean "v4"?)`},
		{"v4", versions, ""},
		{"anchorag", []string{"recognition_withdrawal", "anchorage", "line_of_contact"}, ` (did you mean "anchorage"?)`},
		{"anch", []string{"recognition_withdrawal", "anchorage", "line_of_contact"}, ""},
		// Two equally close are both named; more say nothing.
		{"ur", parties, ` (did you mean "ua" or "us"?)`},
		{"uk", parties, ` (did you mean "ua" or "us"?)`},
		{"xx", parties, ""},
		{"e4", parties, ""},
		{"analize", []string{"analyze", "simulate", "import"}, ` (did you mean "analyze"?)`},
		{"point_1", []string{"point_2", "point_3"}, ""},
		{"pont_1", []string{"point_1", "point_2"}, ` (did you mean "point_1"?)`},
	} {
		if got := DidYouMean(c.name, c.ids); got != c.want {
			t.Errorf("DidYouMean(%q, %q) = %q, want %q", c.name, c.ids, got, c.want)
		}
	}
}
