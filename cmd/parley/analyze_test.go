package main

import (
	"encoding/json"
	"math"
	"os"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// reportJSON is the part of the --json contract the tests read.
type reportJSON struct {
	Parties         []string                `json:"parties"`
	Outcomes        json.RawMessage         `json:"outcomes"`
	Acceptable      json.RawMessage         `json:"acceptable"`
	Feasible        bool                    `json:"feasible"`
	ZoneOfAgreement bool                    `json:"zone_of_agreement"`
	Epsilon         *float64                `json:"epsilon"`
	Pareto          []outcomeJSON           `json:"pareto"`
	Solutions       map[string]*outcomeJSON `json:"solutions"`
	Conflicts       []struct {
		Points  []string `json:"points"`
		Parties []string `json:"parties"`
	} `json:"conflicts"`
	Relaxations []struct {
		Lift []struct {
			Kind, Party, Point, Option string
		} `json:"lift"`
		Solutions map[string]*outcomeJSON `json:"solutions"`
	} `json:"relaxations"`
	RelaxationSize int `json:"relaxation_size"`
	Sensitivity    *struct {
		Reservation []struct {
			Party string  `json:"party"`
			From  float64 `json:"from"`
			To    float64 `json:"to"`
		} `json:"reservation"`
	} `json:"sensitivity"`
	Agreement []struct {
		Point   string `json:"point"`
		Agreed  bool   `json:"agreed"`
		Options []struct {
			Option  string            `json:"option"`
			Stances map[string]string `json:"stances"`
		} `json:"options"`
	} `json:"agreement"`
}

type outcomeJSON struct {
	Package   map[string]string `json:"package"`
	Utilities []float64         `json:"utilities"`
}

func analyzeOutput(t *testing.T, args ...string) reportJSON {
	t.Helper()
	code, out, stderr := runExampleCmd(t, append([]string{"analyze", "--json"}, args...)...)
	if code != 0 {
		t.Fatalf("parley analyze --json %v: exit %d, stderr %q", args, code, stderr)
	}
	var got reportJSON
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("parley analyze --json %v: %v", args, err)
	}
	return got
}

// TestAnalyzeSmall checks every number of a scenario worked out by hand:
// a's utilities of the packages acceptable to all (p2=o3 is a's red line)
// are (1+1)/2, (1+0.75)/2, (0.25+1)/2, (0.25+0.75)/2 and b's (0.25+0.5)/2,
// (0.25+1)/2, (1+0.5)/2, (1+1)/2; with reservation values 0.2 the Nash
// products are 0.14, 0.286875, 0.23375 and 0.24.
func TestAnalyzeSmall(t *testing.T) {
	got := analyzeOutput(t, "testdata/analyze/small.yaml")
	if diff := cmp.Diff([]string{"a", "b"}, got.Parties); diff != "" {
		t.Errorf("parties (-want +got):\n%s", diff)
	}
	if string(got.Outcomes) != "6" || string(got.Acceptable) != "4" {
		t.Errorf("outcomes %s acceptable %s, want 6 and 4", got.Outcomes, got.Acceptable)
	}
	if !got.Feasible || !got.ZoneOfAgreement || len(got.Conflicts) != 0 || len(got.Relaxations) != 0 || got.Epsilon != nil {
		t.Errorf("feasible %v zone %v conflicts %v relaxations %v epsilon %v", got.Feasible, got.ZoneOfAgreement, got.Conflicts, got.Relaxations, got.Epsilon)
	}
	approx := cmpopts.EquateApprox(0, 1e-12)
	wantPareto := []outcomeJSON{
		{map[string]string{"p1": "o1", "p2": "o1"}, []float64{1, 0.375}},
		{map[string]string{"p1": "o1", "p2": "o2"}, []float64{0.875, 0.625}},
		{map[string]string{"p1": "o2", "p2": "o1"}, []float64{0.625, 0.75}},
		{map[string]string{"p1": "o2", "p2": "o2"}, []float64{0.5, 1}},
	}
	if diff := cmp.Diff(wantPareto, got.Pareto, approx); diff != "" {
		t.Errorf("pareto (-want +got):\n%s", diff)
	}
	// Nash is the largest product; maximin's tie (smallest gain 0.425)
	// and utilitarian's tie (sum 1.5) go to the larger sum, then the
	// frontier's order; Kalai–Smorodinsky's ideal is (1, 1).
	best := &outcomeJSON{map[string]string{"p1": "o1", "p2": "o2"}, []float64{0.875, 0.625}}
	want := map[string]*outcomeJSON{"nash": best, "kalai_smorodinsky": best, "maximin": best, "utilitarian": best}
	if diff := cmp.Diff(want, got.Solutions, approx); diff != "" {
		t.Errorf("solutions (-want +got):\n%s", diff)
	}
	// a's reservation value t: (1, 0.375) overtakes the Nash package when
	// 0.175*(1-t) > 0.425*(0.875-t), for t > 0.7875; (0.5, 1) when
	// 0.8*(0.5-t) > 0.425*(0.875-t), for t < 0.075.
	if got.Sensitivity == nil || len(got.Sensitivity.Reservation) != 2 {
		t.Fatalf("sensitivity %+v", got.Sensitivity)
	}
	if r := got.Sensitivity.Reservation[0]; r.Party != "a" || math.Abs(r.From-0.075) > 1e-9 || math.Abs(r.To-0.7875) > 1e-9 {
		t.Errorf("a's reservation range %+v, want [0.075, 0.7875]", r)
	}
}

// TestAnalyzeDefault checks what the reporting shows on the default
// scenario: the territorial red lines collide, and lifting one red line
// opens a zone of agreement.
func TestAnalyzeDefault(t *testing.T) {
	for _, version := range []string{"v2", "v4"} {
		got := analyzeOutput(t, "--version", version)
		if diff := cmp.Diff([]string{"us", "ua", "ru", "e3"}, got.Parties); diff != "" {
			t.Errorf("%s: parties (-want +got):\n%s", version, diff)
		}
		if got.Feasible || got.ZoneOfAgreement {
			t.Errorf("%s: feasible %v, zone %v; the red lines on territory should collide", version, got.Feasible, got.ZoneOfAgreement)
		}
		territory := false
		for _, c := range got.Conflicts {
			for _, p := range c.Points {
				territory = territory || p == "territory"
			}
		}
		if !territory {
			t.Errorf("%s: conflicts %+v do not name territory", version, got.Conflicts)
		}
		if got.RelaxationSize != 1 || len(got.Relaxations) == 0 {
			t.Fatalf("%s: relaxation size %d, %d relaxations; want single red lines", version, got.RelaxationSize, len(got.Relaxations))
		}
		for _, r := range got.Relaxations {
			if len(r.Lift) != 1 || r.Lift[0].Point != "territory" {
				t.Errorf("%s: relaxation lifts %+v, want one territorial red line", version, r.Lift)
			}
			for _, name := range []string{"nash", "kalai_smorodinsky", "maximin", "utilitarian"} {
				if r.Solutions[name] == nil {
					t.Errorf("%s: relaxation %+v has no %s package", version, r.Lift, name)
				}
			}
		}
		for _, s := range got.Solutions {
			if s != nil {
				t.Errorf("%s: a solution without a zone of agreement: %+v", version, s)
			}
		}
	}
}

func TestAnalyzeReport(t *testing.T) {
	code, out, stderr := runExampleCmd(t, "analyze")
	if code != 0 {
		t.Fatalf("exit %d, stderr %q", code, stderr)
	}
	for _, want := range []string{"No zone of agreement", "Conflicts", "[territory]", "Red line of ru:", "Lifting ru's red line", "Nash", "Illustrative"} {
		if !strings.Contains(out, want) {
			t.Errorf("report lacks %q", want)
		}
	}
	code, out, _ = runExampleCmd(t, "analyze", "testdata/analyze/small.yaml")
	if code != 0 || !strings.Contains(out, "Nash = Kalai–Smorodinsky = maximin = utilitarian: a 0.88 · b 0.62") {
		t.Errorf("exit %d, report:\n%s", code, out)
	}
}

func TestAnalyzeStdin(t *testing.T) {
	var outBuf, errBuf strings.Builder
	data, err := os.ReadFile("testdata/analyze/small.yaml")
	if err != nil {
		t.Fatal(err)
	}
	e := &env{stdin: strings.NewReader(string(data)), stdout: &outBuf, stderr: &errBuf}
	if code := run(t.Context(), e, []string{"analyze", "--json", "-"}); code != 0 {
		t.Fatalf("exit %d: %s", code, errBuf.String())
	}
	if !strings.Contains(outBuf.String(), `"zone_of_agreement": true`) {
		t.Errorf("output %s", outBuf.String())
	}
}

func TestAnalyzeBadUsage(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"analyze", "--nope"}, "unknown flag --nope"},
		{[]string{"analyze", "--jsn"}, "unknown flag --jsn (did you mean --json?)"},
		{[]string{"analyze", "--epsilon", "-1"}, "--epsilon"},
		{[]string{"analyze", "--version", "v9"}, "the default scenario has no version \"v9\"\nparley analyze: its versions: v1, v2, v3, v4"},
		{[]string{"analyze", "--version", "V4"}, "the default scenario has no version \"V4\" (did you mean \"v4\"?)\nparley analyze: its versions: v1, v2, v3, v4"},
		{[]string{"analyze", "--compare", "v1,v9"}, "--compare: the default scenario has no version \"v9\"\nparley analyze: its versions: v1, v2, v3, v4"},
		{[]string{"analyze", "testdata/analyze/missing.yaml"}, "missing.yaml"},
		{[]string{"analyze", "testdata/analyze/small.yaml", "testdata/simulate/fruit/fruit_domain.xml"}, "one scenario"},
		{[]string{"analyze", "testdata/analyze/nostance.yaml"}, "nostance.yaml:22:9: positions[0].points[0]: the position of a on point p1 gives no stance on option o2"},
	} {
		code, _, stderr := runExampleCmd(t, c.args...)
		if code != 2 || !strings.Contains(stderr, c.want) {
			t.Errorf("%v: exit %d, stderr %q; want 2 and %q", c.args, code, stderr, c.want)
		}
	}
}

func TestVersion(t *testing.T) {
	code, out, _ := runExampleCmd(t, "version")
	if code != 0 || !strings.HasPrefix(out, "parley ") {
		t.Errorf("exit %d, output %q", code, out)
	}
	if code, _, _ := runExampleCmd(t, "version", "extra"); code != 2 {
		t.Errorf("version with an argument: exit %d, want 2", code)
	}
}

// TestAnalyzeSeveral checks that several domains are analysed in one run,
// with one JSON object per line.
func TestAnalyzeSeveral(t *testing.T) {
	code, out, stderr := runExampleCmd(t, "analyze", "--json", "testdata/analyze/small.yaml", "../../examples/research/holiday", "../../examples/research/flights")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	if len(lines) != 3 {
		t.Fatalf("%d lines, want 3:\n%s", len(lines), out)
	}
	for i, want := range []string{"small", "holiday_domain", "flights"} {
		var doc struct {
			Scenario string `json:"scenario"`
		}
		if err := json.Unmarshal([]byte(lines[i]), &doc); err != nil {
			t.Fatalf("line %d: %v", i+1, err)
		}
		if doc.Scenario != want {
			t.Errorf("line %d: scenario %q, want %q", i+1, doc.Scenario, want)
		}
	}
	code, out, _ = runExampleCmd(t, "analyze", "../../examples/research/holiday", "../../examples/research/flights")
	if code != 0 || !strings.Contains(out, "holiday_domain\n") || !strings.Contains(out, "flights\n") {
		t.Errorf("text reports of two domains: exit %d\n%s", code, out)
	}
}
