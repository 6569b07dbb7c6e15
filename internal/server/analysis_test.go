package server

import (
	"encoding/json"
	"regexp"
	"strings"
	"testing"
)

// TestAnalysisNumbersRounded checks that the analysis route, and an
// analysis job, which shares its encoder, write fractional numbers with
// package round's rule: at most 12 decimals, no floating-point noise such
// as 0.6399999999999999, while the counts stay integers.
func TestAnalysisNumbersRounded(t *testing.T) {
	f := newFixture(t)
	code, body, _ := f.do(t, "M", "GET", "/api/negotiations/"+nid+"/analysis?version=v2", "", "")
	if code != 200 {
		t.Fatalf("analysis: status %d: %s", code, body)
	}
	if noisy := regexp.MustCompile(`[:\[,\s]-?0\.[0-9]{13,}`).FindAllString(body, 5); len(noisy) > 0 {
		t.Errorf("analysis: numbers of more than 12 decimals: %q", noisy)
	}
	var a struct {
		Analysis struct {
			Outcomes json.Number `json:"outcomes"`
		} `json:"analysis"`
	}
	d := json.NewDecoder(strings.NewReader(body))
	d.UseNumber()
	if err := d.Decode(&a); err != nil {
		t.Fatal(err)
	}
	if strings.ContainsAny(a.Analysis.Outcomes.String(), ".e") || !regexp.MustCompile(`"utilities":\[0\.[0-9]+,`).MatchString(body) {
		t.Errorf("analysis: outcomes %s, or no utilities: %.2000s", a.Analysis.Outcomes, body)
	}
}
