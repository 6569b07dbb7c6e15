package simulate

import (
	"bytes"
	"regexp"
	"strings"
	"testing"
)

// noise matches a number written with more than 12 decimal places.
var noise = regexp.MustCompile(`[0-9]\.[0-9]{13,}`)

// TestReportsRoundNumbers plants floating-point noise in a report's
// utilities, welfare, time and means and checks that the CSV and the JSON
// write the numbers it hides, and nowhere more than 12 decimal places.
func TestReportsRoundNumbers(t *testing.T) {
	rep := testTournament(t, 1, 7)
	rec := &rep.Records[0]
	// Sums at run time (constants would be added exactly).
	tenth, fifth, seven := 0.1, 0.2, 0.7
	rec.Utilities[0] = 0.3874999999999997 // 0.3875 after a sum
	rec.Payoffs[0] = tenth + fifth        // 0.30000000000000004
	rec.Welfare = 1.0 / 3
	rec.Time = seven + tenth // 0.7999999999999999
	rep.ByStrategy[0].Utility.Mean = 0.3874999999999997
	var c, j bytes.Buffer
	if err := rep.WriteCSV(&c); err != nil {
		t.Fatal(err)
	}
	if err := rep.WriteJSON(&j); err != nil {
		t.Fatal(err)
	}
	row := strings.Split(c.String(), "\n")[1]
	for _, want := range []string{",0.3875,", ",0.3,", ",0.333333333333,", ",0.8,"} {
		if !strings.Contains(row, want) {
			t.Errorf("CSV row lacks %q: %s", want, row)
		}
	}
	for _, want := range []string{"0.3875", "0.333333333333", `"time": 0.8,`, `"mean": 0.3875,`} {
		if !strings.Contains(j.String(), want) {
			t.Errorf("JSON lacks %q", want)
		}
	}
	for name, out := range map[string]string{"CSV": c.String(), "JSON": j.String()} {
		if m := noise.FindAllString(out, 5); m != nil {
			t.Errorf("%s writes noise: %q", name, m)
		}
	}
}
