package genius

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// copyFixture copies a testdata folder into a temporary one.
func copyFixture(t *testing.T, name string) string {
	t.Helper()
	dir := t.TempDir()
	ents, err := os.ReadDir(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range ents {
		data, err := os.ReadFile(filepath.Join("testdata", name, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		writeFile(t, filepath.Join(dir, e.Name()), string(data))
	}
	return dir
}

func TestBadInput(t *testing.T) {
	tests := []struct {
		name     string
		fixture  string
		file     string
		old, new string // replaced once in file; new replaces the whole file when old is empty
		want     []string
	}{
		{"malformed domain XML", "small", "small_domain.xml", "</objective>", "",
			[]string{"small_domain.xml:", "malformed XML"}},
		{"malformed profile XML", "small", "a.xml", `value="0.6"/>`, `value="0.6">`,
			[]string{"a.xml:", "malformed XML"}},
		{"profile issue without a type on an integer issue", "numeric", "p1.xml", `etype="integer" type="integer" vtype="integer" name="Units"`, `etype="integer" vtype="integer" name="Units"`,
			[]string{"p1.xml:", `(issue "Units")`, `issue "Units" is discrete (no type attribute, which GENIUS reads as discrete) here and integer in the domain`}},
		{"duplicate value", "small", "small_domain.xml", `value="blue"`, `value="red"`,
			[]string{"small_domain.xml:", "/item[3]", `value "red" appears twice`}},
		{"profile issue not in the domain", "small", "a.xml", `name="Size"`, `name="Weight"`,
			[]string{"a.xml:", `/utility_space/objective[1]/issue[2] (issue "Weight")`, "profile does not match its domain"}},
		{"profile value not in the domain", "small", "b.xml", `value="blue"`, `value="purple"`,
			[]string{"b.xml:", `/item[3] (item "purple")`, `has no value "purple"`}},
		{"evaluation attribute missing", "small", "a.xml", `value="green" evaluation="4"`, `value="green"`,
			[]string{"a.xml:", `/utility_space/objective[1]/issue[1]/item[2] (item "green")`, `"green" has no evaluation`}},
		{"item missing", "small", "a.xml", `<item index="3" value="blue" evaluation="0"/>`, ``,
			[]string{"a.xml:", `/utility_space/objective[1]/issue[1] (issue "Colour")`, `missing evaluation of value "blue"`}},
		{"evaluation not a number", "small", "b.xml", `evaluation="5"`, `evaluation="high"`,
			[]string{"b.xml:", `(item "green")`, `evaluation="high": not a number`}},
		{"negative evaluation", "small", "b.xml", `evaluation="5"`, `evaluation="-5"`,
			[]string{"b.xml:", `(item "green")`, "negative evaluation"}},
		{"weight for a missing issue", "small", "a.xml", `<weight index="2" value="0.4"/>`, `<weight index="2" value="0.4"/><weight index="7" value="0.1"/>`,
			[]string{"a.xml:", "/utility_space/objective[1]/weight[3]", "weight for issue index 7, which the domain does not have"}},
		{"weight missing", "small", "a.xml", `<weight index="2" value="0.4"/>`, ``,
			[]string{"a.xml:", `/utility_space/objective[1] (objective "root")`, `no weight for issue "Size"`}},
		{"issue missing from the profile", "numeric", "p1.xml", `<issue index="2" etype="integer" type="integer" vtype="integer" name="Units" lowerbound="1" upperbound="5">
    <evaluator ftype="linear" slope="0.25" offset="0"/>
  </issue>`, ``,
			[]string{"p1.xml:", "profile does not match its domain", `no evaluation of issue "Units"`}},
		{"integer issue type differs", "numeric", "p2.xml", `type="integer" vtype="integer" name="Units"`, `type="real" vtype="integer" name="Units"`,
			[]string{"p2.xml:", `issue "Units" is real here and integer in the domain`}},
		{"weight missing", "numeric", "p1.xml", `<weight index="2" value="0.3"/>`, ``,
			[]string{"p1.xml:", `no weight for issue "Units"`}},
		{"unsupported real evaluator", "numeric", "p2.xml", `ftype="linear" parameter0="-0.2"`, `ftype="faratin" parameter0="-0.2"`,
			[]string{"p2.xml:", "/evaluator[1]", `unsupported evaluator ftype "faratin"`}},
		{"bound on a missing issue", "nonlinear", "nl.xml", `<EXCLUDES index="2"`, `<EXCLUDES index="5"`,
			[]string{"nl.xml:", "/hyperRectangle[2]/EXCLUDES[1]", "bound on issue index 5"}},
		{"unknown aggregation", "nonlinear", "nl.xml", `aggregation="sum"`, `aggregation="product"`,
			[]string{"nl.xml:", "/ufun[1]", `unsupported aggregation "product"`}},
		{"nonlinear function without aggregation", "nonlinear", "nl.xml", `weight="1" aggregation="sum"`, `weight="1"`,
			[]string{"nl.xml:", "/utility[1]/ufun[1]", `missing attribute "aggregation"`}},
		{"empty max function", "nonlinear", "nl.xml", `utility="1"/>`, `utility="1"/><ufun aggregation="max"/>`,
			[]string{"nl.xml:", "/ufun[1]/ufun[1]", "aggregation max and nothing to aggregate", "-2147483647"}},
		{"bound that is not an integer", "nonlinear", "nl.xml", `<INCLUDES index="1" min="1"`, `<INCLUDES index="1" min="0.5"`,
			[]string{"nl.xml:", "/hyperRectangle[1]/INCLUDES[1]", `min="0.5" is not an integer`}},
		{"rectangle with both bound kinds", "nonlinear", "nl.xml", `<EXCLUDES index="2" min="2" max="3"/>`, `<EXCLUDES index="2" min="2" max="3"/><INCLUDES index="1" min="0" max="0"/>`,
			[]string{"nl.xml:", "/hyperRectangle[2]", "both INCLUDES and EXCLUDES"}},
		{"constraint profile", "nonlinear", "nl.xml", `<utility_space type="nonlinear">`, `<utility_space type="constraint">`,
			[]string{"nl.xml:1:", "/utility_space", `unsupported profile type "constraint"`}},
		{"unknown profile type", "nonlinear", "nl.xml", `<utility_space type="nonlinear">`, `<utility_space type="fuzzy">`,
			[]string{"nl.xml:1:", "/utility_space", `unknown profile type "fuzzy"`}},
		{"utility not in the first element", "nonlinear", "nl.xml", `<utility_space type="nonlinear">`, `<utility_space type="nonlinear"><discount_factor value="1"/>`,
			[]string{"nl.xml:1:", "/utility_space", "where GENIUS looks for it"}},
		{"real evaluator without ftype", "numeric", "p2.xml", `ftype="linear" parameter0="-0.2"`, `parameter0="-0.2"`,
			[]string{"p2.xml:", "/issue[1]/evaluator[1]", `missing attribute "ftype"`}},
		{"malformed JSON", "trip", "bob.json", `"reservationBid": null`, `"reservationBid": nul`,
			[]string{"bob.json:", "malformed JSON"}},
		{"unknown GeniusWeb value set", "trip", "trip.json", `"nights": {"range"`, `"nights": {"ranges"`,
			[]string{"trip.json:5:", `$.issuesValues.nights`, "unknown value set"}},
		{"value utility missing", "trip", "alice.json", `"cheap": 0.2, `, ``,
			[]string{"alice.json:", `$.LinearAdditiveUtilitySpace.issueUtilities.hotel.discreteutils.valueUtilities`, `missing evaluation of value "cheap"`}},
		{"utility outside [0,1]", "trip", "bob.json", `"fancy": 0.4`, `"fancy": 1.4`,
			[]string{"bob.json:", `$.LinearAdditiveUtilitySpace.issueUtilities.hotel.discreteutils.valueUtilities.fancy`, "outside [0,1]"}},
		{"GeniusWeb weight for a missing issue", "trip", "bob.json", `"nights": 0.4}`, `"nights": 0.4, "spa resort": 0.1}`,
			[]string{"bob.json:", `$.LinearAdditiveUtilitySpace.issueWeights["spa resort"]`, `weight for issue "spa resort"`}},
		{"GeniusWeb issue utility missing", "trip", "alice.json", `"nights": {"numberutils": {"lowValue": 1, "lowUtility": 0, "highValue": 3, "highUtility": 1}}`, `"spa": {"numberutils": {}}`,
			[]string{"alice.json:", `$.LinearAdditiveUtilitySpace.issueUtilities.spa`, `the domain has no issue "spa"`}},
		{"embedded domain differs", "trip", "bob.json", `"values": ["cheap", "fancy"]`, `"values": ["cheap", "luxury"]`,
			[]string{"bob.json:", `$.LinearAdditiveUtilitySpace.domain.issuesValues`, "profile does not match its domain"}},
		{"reservation bid outside the domain", "trip", "alice.json", `"hotel": "cheap", "nights": 2`, `"hotel": "tent", "nights": 2`,
			[]string{"alice.json:", `$.LinearAdditiveUtilitySpace.reservationBid.issuevalues.hotel`, `no value "tent"`}},
		{"GeniusWeb weights that do not add up to 1", "trip", "bob.json", `"nights": 0.4}`, `"nights": 0.5}`,
			[]string{"bob.json:", "$.LinearAdditiveUtilitySpace.issueWeights", "the weights add up to 1.1, and GeniusWeb requires exactly 1"}},
		{"GeniusWeb weights that add up to 1 only as floats", "trip", "bob.json", `"nights": 0.4}`, `"nights": 0.4000000000000000001}`,
			[]string{"bob.json:", "$.LinearAdditiveUtilitySpace.issueWeights", "the weights add up to 1.0000000000000000001"}},
		{"GeniusWeb utility above 1 by less than a float shows", "trip", "bob.json", `"fancy": 0.4`, `"fancy": 1.00000000000000001`,
			[]string{"bob.json:", "valueUtilities.fancy", "outside [0,1]"}},
		{"number utilities from below the range", "trip", "alice.json", `"lowValue": 1,`, `"lowValue": 0,`,
			[]string{"alice.json:", "$.LinearAdditiveUtilitySpace.issueUtilities.nights.numberutils.lowValue", `lowValue 0 is not the low 1 of issue "nights"`}},
		{"number utilities beyond the range", "trip", "alice.json", `"highValue": 3,`, `"highValue": 4,`,
			[]string{"alice.json:", "numberutils.highValue", `highValue 4 is not the high 3 of issue "nights"`}},
		{"reservation bid between two steps", "trip", "alice.json", `"hotel": "cheap", "nights": 2`, `"hotel": "cheap", "nights": 2.5`,
			[]string{"alice.json:", "$.LinearAdditiveUtilitySpace.reservationBid.issuevalues.nights", `2.5 is not a value of issue "nights" (from 1 to 3 in steps of 1)`}},
		{"reservation bid with a string for a number", "trip", "alice.json", `"hotel": "cheap", "nights": 2`, `"hotel": "cheap", "nights": "2"`,
			[]string{"alice.json:", "reservationBid.issuevalues.nights", `expected a number for number issue "nights"`}},
		{"reservation bid with a number for a discrete issue", "trip", "alice.json", `"hotel": "cheap", "nights": 2`, `"hotel": 1, "nights": 2`,
			[]string{"alice.json:", "reservationBid.issuevalues.hotel", `expected a string for discrete issue "hotel"`}},
		{"range step that is not a decimal", "trip", "trip.json", `"step": 1`, `"step": "0x1p-2"`,
			[]string{"trip.json:", "$.issuesValues.nights.range.step", "not a decimal number"}},
		{"unsupported profile type", "trip", "bob.json", "", `{"SumOfGroupsUtilitySpace": {}}`,
			[]string{"bob.json:", "$.SumOfGroupsUtilitySpace", `unsupported GeniusWeb profile type "SumOfGroupsUtilitySpace"`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := copyFixture(t, tt.fixture)
			path := filepath.Join(dir, tt.file)
			data, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			s := string(data)
			if tt.old == "" {
				s = tt.new
			} else {
				if !strings.Contains(s, tt.old) {
					t.Fatalf("%s does not contain %q", tt.file, tt.old)
				}
				s = strings.Replace(s, tt.old, tt.new, 1)
			}
			writeFile(t, path, s)
			_, err = Load([]string{dir}, Options{})
			if err == nil {
				t.Fatalf("no error")
			}
			var ge *Error
			if !errors.As(err, &ge) {
				t.Errorf("error %v is a %T, not a *genius.Error", err, err)
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not contain %q", err, w)
				}
			}
		})
	}
}

func TestLoadErrors(t *testing.T) {
	tests := []struct {
		name  string
		paths []string
		want  string
	}{
		{"no paths", nil, "no domain or profile files"},
		{"missing file", []string{"testdata/none.xml"}, "none.xml"},
		{"folder and files", []string{"testdata/small", "testdata/small/a.xml"}, "give either one folder"},
		{"mixed formats", []string{"testdata/small/small_domain.xml", "testdata/trip/alice.json"}, "cannot be mixed"},
		{"two domains", []string{"testdata/small/small_domain.xml", "testdata/numeric/numeric_domain.xml", "testdata/small/a.xml"}, "are both domains"},
		{"no profiles", []string{"testdata/small/small_domain.xml"}, "no GENIUS profiles"},
		{"no domain", []string{"testdata/small/a.xml"}, "no GENIUS domain"},
		{"profile of another domain", []string{"testdata/numeric/numeric_domain.xml", "testdata/small/a.xml"}, "profile does not match its domain"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Load(tt.paths, Options{})
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err = %v, want one containing %q", err, tt.want)
			}
		})
	}
}
