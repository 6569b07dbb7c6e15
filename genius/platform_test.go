package genius

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// These tests pin down the platforms' own rules, as their public sources
// define them: GENIUS's AdditiveUtilitySpace, NonlinearUtilitySpace and
// UtilityFunction, and GeniusWeb's LinearAdditiveUtilitySpace,
// NumberValueSetUtilities and Domain.isFitting.

// writeFiles writes name→content files into a new temporary folder.
func writeFiles(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, data := range files {
		writeFile(t, filepath.Join(dir, name), data)
	}
	return dir
}

// gridDomain returns the fixture domain of two integer issues, x in 0..2
// and y in 0..3.
func gridDomain(t *testing.T) string {
	t.Helper()
	data, err := os.ReadFile("testdata/nonlinear/grid_domain.xml")
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

// packageUtility returns the single party's utility of every package of a
// loaded domain, keyed by the package's choices joined by commas.
func packageUtility(d *Domain) map[string]float64 {
	m := map[string]float64{}
	for k, u := range packageUtilities(d.Problem) {
		m[strings.ReplaceAll(k, "\x00", ",")] = u[0]
	}
	return m
}

func TestNonlinearAggregation(t *testing.T) {
	tests := []struct {
		name string
		ufun string
		want func(x, y int) float64 // before the division by maxutility 10
	}{{
		// GENIUS multiplies a function by its weight only where an outer
		// function aggregates it: the root's weight is never used.
		name: "the root function's weight is not used",
		ufun: `<ufun aggregation="sum" weight="2"><hyperRectangle utility="4"><INCLUDES index="1" min="1" max="2"/></hyperRectangle></ufun>`,
		want: func(x, y int) float64 { return b2f(x >= 1) * 4 },
	}, {
		name: "an inner function's weight multiplies its value",
		ufun: `<ufun aggregation="MAX" weight="3">
			<ufun aggregation="sum" weight="0.5"><hyperRectangle utility="6"><INCLUDES index="1" min="1" max="2"/></hyperRectangle></ufun>
			<hyperRectangle utility="2"/>
		</ufun>`,
		want: func(x, y int) float64 { return max(b2f(x >= 1)*6*0.5, 2) },
	}, {
		name: "min over an exclusive and an inclusive rectangle, with a rectangle weight",
		ufun: `<ufun aggregation="min">
			<hyperRectangle utility="5" weight="0.4"><EXCLUDES index="2" min="2" max="3"/></hyperRectangle>
			<hyperRectangle utility="3"><INCLUDES index="1" min="0" max="1"/></hyperRectangle>
		</ufun>`,
		want: func(x, y int) float64 { return min(b2f(y < 2)*5*0.4, b2f(x <= 1)*3) },
	}, {
		name: "an exclusive rectangle counts when the package is outside any bound",
		ufun: `<ufun aggregation="sum"><hyperRectangle utility="7"><EXCLUDES index="1" min="1" max="2"/><EXCLUDES index="2" min="0" max="2"/></hyperRectangle></ufun>`,
		want: func(x, y int) float64 { return b2f(x < 1 || y > 2) * 7 },
	}, {
		name: "the utility is capped at 1",
		ufun: `<ufun aggregation="sum"><hyperRectangle utility="15"><INCLUDES index="2" min="3" max="3"/></hyperRectangle><hyperRectangle utility="2"/></ufun>`,
		want: func(x, y int) float64 { return min(b2f(y == 3)*15+2, 10) },
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := writeFiles(t, map[string]string{
				"grid_domain.xml": gridDomain(t),
				"p.xml": `<utility_space type="nonlinear"><objective index="0" name="root">
					<utility maxutility="10">` + tt.ufun + `</utility></objective></utility_space>`,
			})
			d, err := Load([]string{dir}, Options{})
			if err != nil {
				t.Fatal(err)
			}
			want := map[string]float64{}
			for x := 0; x <= 2; x++ {
				for y := 0; y <= 3; y++ {
					want[itoa(x)+","+itoa(y)] = tt.want(x, y) / 10
				}
			}
			if diff := cmp.Diff(want, packageUtility(d), approx); diff != "" {
				t.Errorf("utilities (-want +got):\n%s", diff)
			}
		})
	}
}

func b2f(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

// TestLinearProfileWithUtilityElement checks that the type attribute, not
// the presence of a <utility> element, makes a profile nonlinear, as in
// GENIUS.
func TestLinearProfileWithUtilityElement(t *testing.T) {
	lin, err := os.ReadFile("testdata/nonlinear/lin.xml")
	if err != nil {
		t.Fatal(err)
	}
	withUtility := strings.Replace(string(lin), "</objective>", `<utility maxutility="1"><ufun aggregation="sum"><hyperRectangle utility="1"/></ufun></utility></objective>`, 1)
	plain, err := Load([]string{writeFiles(t, map[string]string{"d.xml": gridDomain(t), "p.xml": string(lin)})}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	d, err := Load([]string{writeFiles(t, map[string]string{"d.xml": gridDomain(t), "p.xml": withUtility})}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(packageUtility(plain), packageUtility(d), approx); diff != "" {
		t.Errorf("utilities (-linear +with a utility element):\n%s", diff)
	}
	if len(d.Nonlinear) != 0 {
		t.Errorf("nonlinear = %v, want none", d.Nonlinear)
	}
}

// TestCap checks GENIUS's cap at 1: AdditiveUtilitySpace.getUtility returns
// 1 for a weighted sum above 1, so a profile whose weights add up to more
// than 1 is not additive and every package is evaluated.
func TestCap(t *testing.T) {
	dom, err := os.ReadFile("testdata/small/small_domain.xml")
	if err != nil {
		t.Fatal(err)
	}
	// Colour: red 2, green 4, blue 0 (of 4); Size: S 1, L 3 (of 3).
	prof := `<utility_space><objective index="0" name="root">
		<issue index="1" type="discrete" name="Colour"><item value="red" evaluation="2"/><item value="green" evaluation="4"/><item value="blue" evaluation="0"/></issue>
		<issue index="2" type="discrete" name="Size"><item value="S" evaluation="1"/><item value="L" evaluation="3"/></issue>
		<weight index="1" value="0.8"/><weight index="2" value="0.6"/>
	</objective><reservation value="0.5"/></utility_space>`
	d, err := Load([]string{writeFiles(t, map[string]string{"small_domain.xml": string(dom), "over.xml": prof})}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	colour := map[string]float64{"red": 0.5, "green": 1, "blue": 0}
	size := map[string]float64{"S": 1.0 / 3, "L": 1}
	want := map[string]float64{}
	for c, uc := range colour {
		for s, us := range size {
			want[c+","+s] = min(0.8*uc+0.6*us, 1)
		}
	}
	if diff := cmp.Diff(want, packageUtility(d), approx); diff != "" {
		t.Errorf("utilities (-want +got):\n%s", diff)
	}
	if len(d.Problem.Issues) != 1 {
		t.Errorf("%d issues, want the packages as one", len(d.Problem.Issues))
	}
	if len(d.Notes) != 1 || !strings.Contains(d.Notes[0], "GENIUS caps utilities at 1") {
		t.Errorf("notes = %q, want one about the cap", d.Notes)
	}
	if d.Scenario == nil || !strings.Contains(d.Scenario.Disclaimer, "GENIUS caps its utility at 1") {
		t.Errorf("the scenario does not say that it drops the cap")
	}
}

// gwProfile is a GeniusWeb profile of one number issue n that embeds its
// domain.
func gwProfile(rng, utils, weight, bid string) string {
	return `{"LinearAdditiveUtilitySpace": {
		"name": "p",
		"issueUtilities": {"n": {"numberutils": ` + utils + `}},
		"issueWeights": {"n": ` + weight + `},
		"domain": {"name": "d", "issuesValues": {"n": {"range": ` + rng + `}}},
		"reservationBid": ` + bid + `}}`
}

func TestGeniusWebNumbers(t *testing.T) {
	tests := []struct {
		name        string
		profile     string
		values      []string
		utilities   []float64
		reservation float64
	}{{
		// NumberValueSetUtilities interpolates exactly and rounds half up
		// to 8 decimals.
		name:      "number utilities are rounded to 8 decimals",
		profile:   gwProfile(`{"low": 0, "high": 3, "step": 1}`, `{"lowValue": 0, "lowUtility": 0, "highValue": 3, "highUtility": 1}`, "1", "null"),
		values:    []string{"0", "1", "2", "3"},
		utilities: []float64{0, 0.33333333, 0.66666667, 1},
	}, {
		// A range's values are low, low+step, ... up to high, exactly.
		name:      "a range ends at the last step below high",
		profile:   gwProfile(`{"low": 0, "high": 2.9999999999, "step": 1}`, `{"lowValue": 0, "lowUtility": 1, "highValue": 2.9999999999, "highUtility": 0}`, "1", "null"),
		values:    []string{"0", "1", "2"},
		utilities: []float64{1, 0.66666667, 0.33333333},
	}, {
		// Decimal steps: 0.1+0.1+0.1 is 0.3, and the bid's 0.3 is a value.
		name:        "a reservation bid on a decimal step",
		profile:     gwProfile(`{"low": 0.1, "high": 0.3, "step": 0.1}`, `{"lowValue": 0.1, "lowUtility": 0.2, "highValue": 0.3, "highUtility": 0.6}`, "1.0", `{"issuevalues": {"n": 0.3}}`),
		values:      []string{"0.1", "0.2", "0.3"},
		utilities:   []float64{0.2, 0.4, 0.6},
		reservation: 0.6,
	}, {
		name:        "issues a reservation bid leaves out are worth 0",
		profile:     gwProfile(`{"low": 1, "high": 2, "step": 1}`, `{"lowValue": 1, "lowUtility": 0.5, "highValue": 2, "highUtility": 1}`, "1", `{"issuevalues": {}}`),
		values:      []string{"1", "2"},
		utilities:   []float64{0.5, 1},
		reservation: 0,
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := writeFiles(t, map[string]string{"p.json": tt.profile})
			d, err := Load([]string{filepath.Join(dir, "p.json")}, Options{})
			if err != nil {
				t.Fatal(err)
			}
			var values []string
			var utilities []float64
			for _, o := range d.Problem.Issues[0].Options {
				values = append(values, o.Choices[0])
				utilities = append(utilities, o.Utility[0])
			}
			if diff := cmp.Diff(tt.values, values); diff != "" {
				t.Errorf("values (-want +got):\n%s", diff)
			}
			// Exact: the rounding to 8 decimals is the platform's.
			if diff := cmp.Diff(tt.utilities, utilities, cmpopts.EquateApprox(0, 1e-15)); diff != "" {
				t.Errorf("utilities (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff([]float64{tt.reservation}, d.Problem.Reservation, approx); diff != "" {
				t.Errorf("reservation (-want +got):\n%s", diff)
			}
		})
	}
}
