package simulate

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

func testTournament(t *testing.T, workers int, seed uint64) *Report {
	t.Helper()
	p2 := genProblem(rand.New(rand.NewPCG(1, 1)), 2, []int{4, 3, 5})
	p3 := genProblem(rand.New(rand.NewPCG(2, 2)), 3, []int{3, 3, 2, 4})
	d2 := mustDomain(t, p2, []float64{0.8, 0})
	d2.Name = "two"
	d2.Reference = bruteReference(p2)
	d3 := mustDomain(t, p3, nil)
	d3.Name = "three"
	d3.Reference = bruteReference(p3)
	var entries []Entry
	for _, n := range []string{"random", "conceder", "frequency"} {
		f, err := Lookup(n)
		if err != nil {
			t.Fatal(err)
		}
		entries = append(entries, Entry{n, f})
	}
	tr := &Tournament{
		Domains: []*Domain{d2, d3}, Strategies: entries, Reps: 3, Rounds: 50, Seed: seed, Workers: workers,
	}
	rep, err := tr.Run(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

func TestTournamentDeterminism(t *testing.T) {
	one := testTournament(t, 1, 7)
	for _, w := range []int{2, 5} {
		other := testTournament(t, w, 7)
		if diff := cmp.Diff(one.Records, other.Records, cmpopts.EquateNaNs()); diff != "" {
			t.Errorf("1 and %d workers differ (-1 +%d):\n%s", w, w, diff)
		}
		if diff := cmp.Diff(one.ByStrategy, other.ByStrategy, cmpopts.EquateNaNs()); diff != "" {
			t.Errorf("1 and %d workers: aggregates differ:\n%s", w, diff)
		}
		var a, b bytes.Buffer
		if err := one.WriteCSV(&a); err != nil {
			t.Fatal(err)
		}
		if err := other.WriteCSV(&b); err != nil {
			t.Fatal(err)
		}
		if a.String() != b.String() {
			t.Errorf("1 and %d workers: CSV differs", w)
		}
	}
	if diff := cmp.Diff(one.Records, testTournament(t, 2, 8).Records, cmpopts.EquateNaNs()); diff == "" {
		t.Error("seeds 7 and 8 give the same records")
	}
}

// TestTournamentDeterminismWithDrops checks that the reports stay the same
// whatever the number of workers when strategies panic or err, and that
// every reason is written on one line.
func TestTournamentDeterminismWithDrops(t *testing.T) {
	p := genProblem(rand.New(rand.NewPCG(4, 4)), 2, []int{3, 3})
	d := mustDomain(t, p, nil)
	d.Reference = bruteReference(p)
	conceder, err := Lookup("conceder")
	if err != nil {
		t.Fatal(err)
	}
	entries := []Entry{
		{"conceder", conceder},
		{"panicky", func() Strategy { return &faulty{how: "panic", turn: 3} }},
		{"erring", func() Strategy { return &faulty{how: "error-lines", turn: 2} }},
	}
	var jsons, csvs, summaries []string
	for _, w := range []int{1, 3} {
		tr := &Tournament{Domains: []*Domain{d}, Strategies: entries, Reps: 2, Rounds: 20, Seed: 5, Workers: w}
		rep, err := tr.Run(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		var j, c, s bytes.Buffer
		if err := rep.WriteJSON(&j); err != nil {
			t.Fatal(err)
		}
		if err := rep.WriteCSV(&c); err != nil {
			t.Fatal(err)
		}
		if err := rep.WriteSummary(&s); err != nil {
			t.Fatal(err)
		}
		jsons, csvs, summaries = append(jsons, j.String()), append(csvs, c.String()), append(summaries, s.String())
		drops := 0
		for _, rec := range rep.Records {
			for _, dr := range rec.Dropped {
				drops++
				if strings.ContainsAny(dr.Reason, "\r\n") {
					t.Errorf("reason on several lines: %q", dr.Reason)
				}
			}
		}
		if drops == 0 {
			t.Fatal("no party was dropped")
		}
	}
	if diff := cmp.Diff(jsons[0], jsons[1]); diff != "" {
		t.Errorf("JSON differs between 1 and 3 workers (-1 +3):\n%s", diff)
	}
	if diff := cmp.Diff(csvs[0], csvs[1]); diff != "" {
		t.Errorf("CSV differs between 1 and 3 workers (-1 +3):\n%s", diff)
	}
	if diff := cmp.Diff(summaries[0], summaries[1]); diff != "" {
		t.Errorf("summary differs between 1 and 3 workers (-1 +3):\n%s", diff)
	}
	for _, want := range []string{"Dropped parties", "panicky: panic: strategy bug, in simulate.(*faulty).Act at protocol_test.go:", "erring: out of ideas; and out of time"} {
		if !strings.Contains(summaries[0], want) {
			t.Errorf("summary lacks %q:\n%s", want, summaries[0])
		}
	}
}

func TestTournamentPairings(t *testing.T) {
	rep := testTournament(t, 2, 1)
	// Two parties: 3² pairings, three parties: 3³, three repetitions each.
	if got, want := len(rep.Records), (9+27)*3; got != want {
		t.Fatalf("%d records, want %d", got, want)
	}
	seen := map[string]int{}
	for _, r := range rep.Records {
		seen[rep.Domains[r.Domain].Name+" "+strings.Join(r.Strategies, ",")]++
	}
	for _, a := range []string{"random", "conceder", "frequency"} {
		for _, b := range []string{"random", "conceder", "frequency"} {
			if n := seen["two "+a+","+b]; n != 3 {
				t.Errorf("two: %s against %s played %d times, want 3", a, b, n)
			}
			for _, c := range []string{"random", "conceder", "frequency"} {
				if n := seen["three "+a+","+b+","+c]; n != 3 {
					t.Errorf("three: %s, %s, %s played %d times, want 3", a, b, c, n)
				}
			}
		}
	}
	// Each strategy fills 2·3 seats of the 9 bilateral pairings and 3·9
	// of the 27 trilateral ones, three times over.
	for _, a := range rep.ByStrategy {
		if a.Negotiations != (6+27)*3 {
			t.Errorf("%s: %d seats, want %d", a.Name, a.Negotiations, (6+27)*3)
		}
	}
	if rep.ByDomain[0].Negotiations != 27 || rep.ByDomain[1].Negotiations != 81 {
		t.Errorf("by domain: %d and %d negotiations, want 27 and 81", rep.ByDomain[0].Negotiations, rep.ByDomain[1].Negotiations)
	}
}

func TestTournamentErrors(t *testing.T) {
	d := mustDomain(t, opposedProblem(2, 2), nil)
	f, _ := Lookup("linear")
	tests := []struct {
		name string
		tr   Tournament
	}{
		{"no strategies", Tournament{Domains: []*Domain{d}, Reps: 1, Rounds: 1}},
		{"no domains", Tournament{Strategies: []Entry{{"linear", f}}, Reps: 1, Rounds: 1}},
		{"no reps", Tournament{Domains: []*Domain{d}, Strategies: []Entry{{"linear", f}}, Rounds: 1}},
		{"no rounds", Tournament{Domains: []*Domain{d}, Strategies: []Entry{{"linear", f}}, Reps: 1}},
		{"twice", Tournament{Domains: []*Domain{d}, Strategies: []Entry{{"linear", f}, {"linear", f}}, Reps: 1, Rounds: 1}},
	}
	for _, tt := range tests {
		if _, err := tt.tr.Run(context.Background()); err == nil {
			t.Errorf("%s: no error", tt.name)
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	tr := Tournament{Domains: []*Domain{d}, Strategies: []Entry{{"linear", f}}, Reps: 10, Rounds: 10}
	if _, err := tr.Run(ctx); err == nil {
		t.Error("cancelled: no error")
	}
}

func TestReportCSV(t *testing.T) {
	rep := testTournament(t, 2, 3)
	var b bytes.Buffer
	if err := rep.WriteCSV(&b); err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(&b).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != len(rep.Records)+1 {
		t.Fatalf("%d rows, want a header and %d", len(rows), len(rep.Records))
	}
	head := rows[0]
	wantHead := append(append([]string(nil), csvColumns...),
		"party_1", "strategy_1", "utility_1", "payoff_1", "evaluations_1", "dropped_1",
		"party_2", "strategy_2", "utility_2", "payoff_2", "evaluations_2", "dropped_2",
		"party_3", "strategy_3", "utility_3", "payoff_3", "evaluations_3", "dropped_3")
	if diff := cmp.Diff(wantHead, head); diff != "" {
		t.Errorf("header (-want +got):\n%s", diff)
	}
	col := map[string]int{}
	for i, h := range head {
		col[h] = i
	}
	for i, row := range rows[1:] {
		rec := rep.Records[i]
		if row[col["domain"]] != rep.Domains[rec.Domain].Name || row[col["strategy_1"]] != rec.Strategies[0] {
			t.Errorf("row %d: %v does not match record %+v", i+1, row, rec)
		}
		if (row[col["package"]] != "") != rec.Agreement {
			t.Errorf("row %d: package %q, agreement %v", i+1, row[col["package"]], rec.Agreement)
		}
		if rec.Domain == 0 && row[col["party_3"]] != "" {
			t.Errorf("row %d: a bilateral negotiation has a third party %q", i+1, row[col["party_3"]])
		}
		if rec.Domain == 1 && row[col["party_3"]] != "p3" {
			t.Errorf("row %d: third party %q, want p3", i+1, row[col["party_3"]])
		}
	}
}

func TestReportJSON(t *testing.T) {
	rep := testTournament(t, 2, 3)
	var b bytes.Buffer
	if err := rep.WriteJSON(&b); err != nil {
		t.Fatal(err)
	}
	var got struct {
		Rounds       int
		Reps         int
		Seed         string
		Strategies   []string
		Domains      []struct{ Name string }
		ByStrategy   []struct{ Name string } `json:"by_strategy"`
		ByDomain     []struct{ Name string } `json:"by_domain"`
		Negotiations []struct {
			Domain    string
			Agreement bool
			Package   map[string]string
			Utilities []float64
		}
	}
	if err := json.Unmarshal(b.Bytes(), &got); err != nil {
		t.Fatalf("%v\n%s", err, b.String())
	}
	if got.Rounds != 50 || got.Reps != 3 || got.Seed != "3" || len(got.Strategies) != 3 || len(got.Domains) != 2 ||
		len(got.ByStrategy) != 3 || len(got.ByDomain) != 2 || len(got.Negotiations) != len(rep.Records) {
		t.Errorf("unexpected shape: %+v", got)
	}
	for i, n := range got.Negotiations {
		if n.Agreement != (len(n.Package) > 0) {
			t.Errorf("negotiation %d: agreement %v, package %v", i, n.Agreement, n.Package)
		}
	}
}

func TestReportSummary(t *testing.T) {
	rep := testTournament(t, 2, 3)
	var b bytes.Buffer
	if err := rep.WriteSummary(&b); err != nil {
		t.Fatal(err)
	}
	s := b.String()
	for _, want := range []string{"108 negotiations", "By strategy", "By domain", "random", "conceder", "frequency", "two", "three", "pareto dist"} {
		if !strings.Contains(s, want) {
			t.Errorf("summary lacks %q:\n%s", want, s)
		}
	}
	t.Log("\n" + s)
}
