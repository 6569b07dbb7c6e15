package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
)

const (
	tradeScenario = "testdata/simulate/trade.yaml"
	fruitDomain   = "testdata/simulate/fruit"
)

// runSimulateCmd runs "parley simulate" with args; terminal says whether
// stderr is taken for a terminal.
func runSimulateCmd(t *testing.T, terminal bool, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errOut bytes.Buffer
	e := &env{stdin: strings.NewReader(""), stdout: &out, stderr: &errOut, terminal: terminal}
	code = run(context.Background(), e, append([]string{"simulate"}, args...))
	return code, out.String(), errOut.String()
}

func TestSimulateSummary(t *testing.T) {
	code, out, stderr := runSimulateCmd(t, false, tradeScenario, fruitDomain,
		"--strategies", "boulware,conceder,frequency", "--rounds", "60", "--reps", "2")
	if code != 0 {
		t.Fatalf("exit %d, stderr %q", code, stderr)
	}
	if stderr != "" {
		t.Errorf("stderr is not a terminal but got %q", stderr)
	}
	for _, want := range []string{
		"36 negotiations: 2 domains, 3 strategies, 2 repetitions, 60 rounds, seed 1",
		"By strategy", "By domain", "boulware", "conceder", "frequency", "trade", "fruit",
		"agreed", "pareto dist", "nash dist",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("summary lacks %q:\n%s", want, out)
		}
	}
	for _, line := range strings.Split(out, "\n") {
		if n := utf8.RuneCountInString(line); n > 80 {
			t.Errorf("summary line of %d columns, more than 80: %q", n, line)
		}
	}
}

func TestSimulateDeterministicAcrossWorkers(t *testing.T) {
	dir := t.TempDir()
	var csvs, jsons []string
	for _, w := range []string{"1", "2"} {
		path := filepath.Join(dir, "w"+w+".csv")
		code, out, stderr := runSimulateCmd(t, false, tradeScenario, fruitDomain,
			"--strategies", "random,linear,tft,frequency", "--rounds", "80", "--reps", "3",
			"--seed", "99", "--workers", w, "--out", path, "--json")
		if code != 0 {
			t.Fatalf("--workers %s: exit %d, stderr %q", w, code, stderr)
		}
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		csvs = append(csvs, string(b))
		jsons = append(jsons, out)
	}
	if diff := cmp.Diff(csvs[0], csvs[1]); diff != "" {
		t.Errorf("CSV differs between 1 and 2 workers (-1 +2):\n%s", diff)
	}
	if diff := cmp.Diff(jsons[0], jsons[1]); diff != "" {
		t.Errorf("JSON differs between 1 and 2 workers (-1 +2):\n%s", diff)
	}
	code, out, _ := runSimulateCmd(t, false, tradeScenario, fruitDomain,
		"--strategies", "random,linear,tft,frequency", "--rounds", "80", "--reps", "3", "--seed", "100", "--json")
	if code != 0 || out == jsons[0] {
		t.Errorf("seed 100: exit %d, same output as seed 99: %v", code, out == jsons[0])
	}
}

func TestSimulateCSV(t *testing.T) {
	path := filepath.Join(t.TempDir(), "results.csv")
	code, _, stderr := runSimulateCmd(t, false, tradeScenario, fruitDomain,
		"--strategies", "boulware,hardheaded", "--rounds", "40", "--reps", "3", "--out", path)
	if code != 0 {
		t.Fatalf("exit %d, stderr %q", code, stderr)
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	// 2 domains × 2² pairings × 3 repetitions, under a header.
	if len(rows) != 1+2*4*3 {
		t.Fatalf("%d rows, want 25", len(rows))
	}
	wantHead := []string{
		"domain", "pairing", "rep", "seed", "agreement", "end", "round", "time", "offers",
		"acceptable", "welfare", "pareto_distance", "nash_distance", "package",
		"party_1", "strategy_1", "utility_1", "payoff_1", "evaluations_1", "dropped_1",
		"party_2", "strategy_2", "utility_2", "payoff_2", "evaluations_2", "dropped_2",
	}
	if diff := cmp.Diff(wantHead, rows[0]); diff != "" {
		t.Errorf("header (-want +got):\n%s", diff)
	}
	for i, r := range rows[1:] {
		if r[0] != "trade" && r[0] != "fruit" {
			t.Errorf("row %d: domain %q", i+1, r[0])
		}
		if r[0] == "trade" && (r[14] != "north" || r[20] != "south") {
			t.Errorf("row %d: parties %q and %q, want north and south", i+1, r[14], r[20])
		}
		if r[15] != "boulware" && r[15] != "hardheaded" {
			t.Errorf("row %d: strategy %q", i+1, r[15])
		}
	}
}

func TestSimulateJSONOut(t *testing.T) {
	path := filepath.Join(t.TempDir(), "results.json")
	code, out, stderr := runSimulateCmd(t, false, tradeScenario, "--strategies", "conceder", "--rounds", "30", "--out", path)
	if code != 0 {
		t.Fatalf("exit %d, stderr %q", code, stderr)
	}
	if !strings.Contains(out, "By strategy") {
		t.Errorf("stdout lacks the summary:\n%s", out)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var rep struct {
		Domains []struct {
			Name    string
			Parties []string
		}
		Negotiations []struct {
			Agreement bool
			Package   map[string]string
			Payoffs   []float64
		}
	}
	if err := json.Unmarshal(b, &rep); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	if len(rep.Domains) != 1 || rep.Domains[0].Name != "trade" || len(rep.Negotiations) != 1 {
		t.Fatalf("unexpected report: %+v", rep)
	}
	n := rep.Negotiations[0]
	if !n.Agreement || len(n.Package) != 3 {
		t.Errorf("two conceders: agreement %v on %v, want an agreement on the three points", n.Agreement, n.Package)
	}
	if n.Package["tariff"] == "high" {
		t.Errorf("agreed on north's red line: %v", n.Package)
	}
	if n.Package["quota"] == "large" && n.Package["review"] != "yearly" {
		t.Errorf("agreement breaks the linkage held by all: %v", n.Package)
	}
}

func TestSimulateProgress(t *testing.T) {
	code, _, stderr := runSimulateCmd(t, true, tradeScenario, "--strategies", "hardheaded", "--rounds", "100", "--reps", "3")
	if code != 0 {
		t.Fatalf("exit %d, stderr %q", code, stderr)
	}
	if stderr != "" {
		t.Errorf("a run under a second drew progress: %q", stderr)
	}
}

func TestSimulateBadUsage(t *testing.T) {
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"--rounds", "0"}, "--rounds must be at least 1"},
		{[]string{"--reps", "-2"}, "--reps must be at least 1"},
		{[]string{"--workers", "0"}, "--workers must be at least 1"},
		{[]string{"--deadline-time", "-1s"}, "--deadline-time must not be negative"},
		{[]string{"--turn-timeout", "-1s"}, "--turn-timeout must not be negative"},
		{[]string{"--rounds", "many"}, `--rounds: "many" is not a valid value`},
		{[]string{"--frobnicate"}, "unknown flag --frobnicate"},
		{[]string{"--strategies", "boulware,bolware"}, `unknown strategy "bolware" (known: boulware, conceder, frequency, hardheaded, linear, random, tft, time:E)`},
		{[]string{"--strategies", "time:-1"}, `strategy "time:-1": exponent must be a positive number`},
		{[]string{"--strategies", ","}, "no strategy given"},
		{[]string{"--strategies", "tft,tft"}, `"tft" listed twice`},
		{[]string{"testdata/simulate/missing.yaml"}, "missing.yaml"},
	}
	for _, tt := range tests {
		code, out, stderr := runSimulateCmd(t, false, append([]string{tradeScenario}, tt.args...)...)
		if code != 2 {
			t.Errorf("%v: exit %d, want 2 (stderr %q)", tt.args, code, stderr)
		}
		if !strings.HasPrefix(stderr, "parley simulate: ") || !strings.Contains(stderr, tt.want) {
			t.Errorf("%v: stderr %q, want it to say %q", tt.args, stderr, tt.want)
		}
		if out != "" {
			t.Errorf("%v: stdout %q, want nothing", tt.args, out)
		}
	}
}

func TestSimulateHelp(t *testing.T) {
	for _, args := range [][]string{{"help", "simulate"}, {"simulate", "--help"}} {
		var out, errOut bytes.Buffer
		e := &env{stdin: strings.NewReader(""), stdout: &out, stderr: &errOut}
		if code := run(context.Background(), e, args); code != 0 {
			t.Fatalf("%v: exit %d", args, code)
		}
		for _, want := range []string{"Usage: parley simulate", "boulware", "frequency", "time:E", "--strategies", "Examples:"} {
			if !strings.Contains(out.String(), want) {
				t.Errorf("%v: help lacks %q", args, want)
			}
		}
	}
}
