package scenario

import (
	"bytes"
	"flag"
	"fmt"
	"math"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"pgregory.net/rapid"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// roundTrip compares a scenario with what Load makes of it written in
// both formats. Empty and absent lists are the same to the format.
func roundTrip(t interface {
	Helper()
	Fatalf(string, ...any)
}, s *Scenario) {
	t.Helper()
	for _, format := range []string{"yaml", "json"} {
		data, err := Marshal(s, format)
		if err != nil {
			t.Fatalf("Marshal(%s): %v", format, err)
		}
		got, err := Load("marshalled."+format, data)
		if err != nil {
			t.Fatalf("Load(Marshal(%s)): %v\n%s", format, err, data)
		}
		if diff := cmp.Diff(s, got, cmpopts.EquateEmpty()); diff != "" {
			t.Fatalf("Load(Marshal(%s)) (-want +got):\n%s\n%s", format, diff, data)
		}
	}
}

func TestMarshalRoundTripFixtures(t *testing.T) {
	for _, file := range validFiles(t) {
		s, err := LoadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		roundTrip(t, s)
	}
}

func TestMarshalRoundTrip(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		roundTrip(t, genScenario(t))
	})
}

// TestMarshalGolden keeps the writer's output for the example scenario
// in testdata, so that changes to the format show in review. Run with
// -update to rewrite it.
func TestMarshalGolden(t *testing.T) {
	s, err := LoadFile("testdata/example.yaml")
	if err != nil {
		t.Fatal(err)
	}
	for _, format := range []string{"yaml", "json"} {
		got, err := Marshal(s, format)
		if err != nil {
			t.Fatal(err)
		}
		golden := "testdata/example.golden." + format
		if *update {
			if err := os.WriteFile(golden, got, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		want, err := os.ReadFile(golden)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(string(want), string(got)); diff != "" {
			t.Errorf("Marshal(%s) differs from %s (-want +got):\n%s", format, golden, diff)
		}
	}
}

func TestMarshalErrors(t *testing.T) {
	valid := func() *Scenario {
		return &Scenario{
			Parley: 1, ID: "s", Title: "T",
			Parties:  []Party{{ID: "a", Name: "A", Role: RoleParty}},
			Versions: []Version{{ID: "v1", Title: "V"}},
		}
	}
	nan := valid()
	nan.Parties[0].Reservation = math.NaN()
	badText := valid()
	badText.Versions[0].Title = "\xff"
	tests := []struct {
		name   string
		s      *Scenario
		format string
		want   string
	}{
		{"format", valid(), "toml", `marshal scenario: unknown format "toml" (want yaml or json)`},
		{"nan", nan, "yaml", "marshal scenario: parties[0].reservation: NaN is not a finite number"},
		{"utf-8", badText, "json", "marshal scenario: versions[0].title: invalid UTF-8"},
	}
	for _, tt := range tests {
		_, err := Marshal(tt.s, tt.format)
		if err == nil || err.Error() != tt.want {
			t.Errorf("%s: Marshal = %v, want %s", tt.name, err, tt.want)
		}
	}
}

// TestSpaceOutKeepsValues checks the blank lines spaceOut adds never
// land inside a block scalar that keeps its trailing line breaks.
func TestSpaceOutKeepsValues(t *testing.T) {
	s := &Scenario{
		Parley: 1, ID: "s", Title: "T",
		Disclaimer: "trailing\nbreaks\n\n\n",
		Parties: []Party{
			{ID: "a", Name: "A\n\n", Role: RoleParty, Aliases: []string{"x\n\n"}},
			{ID: "b", Name: "B", Role: RoleParty},
		},
		Versions: []Version{{ID: "v1", Title: "V", Note: "kept\n\n"}, {ID: "v2", Title: "W"}},
	}
	roundTrip(t, s)
	y, err := Marshal(s, "yaml")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(y, []byte("|+")) {
		t.Errorf("expected a block scalar that keeps line breaks in:\n%s", y)
	}
}

func TestValidate(t *testing.T) {
	s := &Scenario{
		Parley: 1, ID: "s", Title: "T",
		Parties: []Party{
			{ID: "a", Name: "A", Role: RoleParty, Reservation: 2},
			{ID: "a", Name: "B", Role: "boss"},
		},
		Versions: []Version{{ID: "v1", Title: "V", Parent: "v0"}},
	}
	// Schema errors come in the order of the model.
	for range 10 {
		err := Validate(s)
		if err == nil {
			t.Fatal("Validate accepted an invalid scenario")
		}
		want := "parties[0].reservation: must be at most 1, got 2\nparties[1].role: \"boss\" is not one of mediator, party, observer"
		if err.Error() != want {
			t.Fatalf("Validate = %q, want %q", err, want)
		}
	}
	s.Parties[0].Reservation = 1
	s.Parties[1].Role = RoleParty
	want := "parties[1].id: duplicate party id \"a\" (first at parties[0].id)\nversions[0].parent: unknown parent version \"v0\""
	if err := Validate(s); err == nil || err.Error() != want {
		t.Errorf("Validate = %v, want %q", err, want)
	}
	s.Parties[1].ID = "b"
	s.Versions[0].Parent = ""
	if err := Validate(s); err != nil {
		t.Errorf("Validate of a valid scenario: %v", err)
	}
}

// Generators of valid scenarios.

var (
	genID = rapid.StringMatching(`[A-Za-z0-9][A-Za-z0-9_.-]{0,6}`)
	// genText is any text without control characters, which scenario
	// files refuse (tab and newline excepted).
	genText = rapid.Map(rapid.String(), func(s string) string {
		return strings.Map(func(r rune) rune {
			if r != '\t' && r != '\n' && (r < 0x20 || r >= 0x7f && r < 0xa0) {
				return -1
			}
			return r
		}, s)
	})
	genDate = rapid.Custom(func(t *rapid.T) string {
		return fmt.Sprintf("%04d-%02d-%02d", rapid.IntRange(1900, 2100).Draw(t, "year"),
			rapid.IntRange(1, 12).Draw(t, "month"), rapid.IntRange(1, 28).Draw(t, "day"))
	})
)

func optional[T any](t *rapid.T, g *rapid.Generator[T], label string) T {
	var zero T
	if rapid.Bool().Draw(t, label+"?") {
		return g.Draw(t, label)
	}
	return zero
}

func distinctIDs(t *rapid.T, minLen, maxLen int, label string) []string {
	return rapid.SliceOfNDistinct(genID, minLen, maxLen, rapid.ID[string]).Draw(t, label)
}

// subset draws distinct elements of from, at least minLen of them.
func subset[T comparable](t *rapid.T, from []T, minLen int, label string) []T {
	if len(from) == 0 {
		return nil
	}
	idx := rapid.SliceOfNDistinct(rapid.IntRange(0, len(from)-1), minLen, len(from), rapid.ID[int]).Draw(t, label)
	out := make([]T, len(idx))
	for i, j := range idx {
		out[i] = from[j]
	}
	return out
}

func genScenario(t *rapid.T) *Scenario {
	s := &Scenario{
		Parley:      FormatVersion,
		ID:          genID.Draw(t, "id"),
		Title:       genText.Draw(t, "title"),
		Description: optional(t, genText, "description"),
		Disclaimer:  optional(t, genText, "disclaimer"),
		Categories:  distinctIDs(t, 0, 3, "categories"),
	}
	if len(s.Categories) == 0 {
		s.Categories = nil
	}
	partyIDs := slices.DeleteFunc(distinctIDs(t, 1, 4, "parties"), func(id string) bool { return id == HolderAll })
	if len(partyIDs) == 0 {
		partyIDs = []string{"p"}
	}
	taken := map[string]bool{HolderAll: true}
	for _, id := range partyIDs {
		taken[id] = true
	}
	for i, id := range partyIDs {
		p := Party{
			ID:          id,
			Name:        genText.Draw(t, "name"),
			Role:        rapid.SampledFrom([]Role{RoleMediator, RoleParty, RoleObserver}).Draw(t, "role"),
			Reservation: rapid.Float64Range(0, 1).Draw(t, "reservation"),
			Weights:     rapid.SampledFrom([]Weighting{"", WeightsNormalized, WeightsAsGiven}).Draw(t, "weights"),
			Discount:    optional(t, rapid.Float64Range(0, 1), "discount"),
		}
		if rapid.Bool().Draw(t, "has bargains") {
			b := rapid.Bool().Draw(t, "bargains")
			p.Bargains = &b
		}
		for _, a := range rapid.SliceOfN(rapid.StringMatching(`[^\x00-\x1f\x7f-\x9f]{1,8}`), 0, 2).Draw(t, fmt.Sprintf("aliases%d", i)) {
			if !taken[a] {
				taken[a] = true
				p.Aliases = append(p.Aliases, a)
			}
		}
		s.Parties = append(s.Parties, p)
	}
	categories := append(slices.Clone(BuiltinCategories), s.Categories...)
	pointPool := distinctIDs(t, 1, 6, "point pool")
	options := map[string][]string{} // point → option ids in any version
	for i, vid := range distinctIDs(t, 1, 3, "versions") {
		v := Version{
			ID:    vid,
			Title: genText.Draw(t, "version title"),
			Date:  optional(t, genDate, "date"),
			Note:  optional(t, genText, "note"),
		}
		if i > 0 && rapid.Bool().Draw(t, "has parent") {
			v.Parent = s.Versions[rapid.IntRange(0, i-1).Draw(t, "parent")].ID
		}
		if rapid.Bool().Draw(t, "has author") {
			v.Author = rapid.SampledFrom(partyIDs).Draw(t, "author")
		}
		points := subset(t, pointPool, 0, "points")
		numbers := rapid.SliceOfNDistinct(rapid.IntRange(1, 1000000), len(points), len(points), rapid.ID[int]).Draw(t, "numbers")
		for _, bid := range distinctIDs(t, 0, 3, "blocks") {
			b := Block{ID: bid, Title: genText.Draw(t, "block title")}
			n := rapid.IntRange(0, len(points)).Draw(t, "points in block")
			for j, pid := range points[:n] {
				pt := Point{
					ID:       pid,
					Number:   numbers[j],
					Title:    genText.Draw(t, "point title"),
					Text:     optional(t, genText, "point text"),
					Category: optional(t, rapid.SampledFrom(categories), "category"),
					Status:   rapid.SampledFrom([]Status{"", StatusOpen, StatusProvisional, StatusDisputed, StatusDropped}).Draw(t, "status"),
				}
				for _, oid := range distinctIDs(t, 1, 3, "options") {
					pt.Options = append(pt.Options, Option{ID: oid, Text: genText.Draw(t, "option text")})
					if !slices.Contains(options[pid], oid) {
						options[pid] = append(options[pid], oid)
					}
				}
				if rapid.Bool().Draw(t, "has proposal") {
					pt.Proposed = rapid.SampledFrom(pt.Options).Draw(t, "proposed").ID
				}
				b.Points = append(b.Points, pt)
			}
			points, numbers = points[n:], numbers[n:]
			v.Blocks = append(v.Blocks, b)
		}
		s.Versions = append(s.Versions, v)
	}
	var known []string
	for _, pid := range pointPool {
		if len(options[pid]) > 0 {
			known = append(known, pid)
		}
	}
	var holders []string // one entry per position, a party at most thrice
	for _, party := range subset(t, partyIDs, 0, "positions") {
		holders = append(holders, slices.Repeat([]string{party}, rapid.IntRange(1, 3).Draw(t, "positions of party"))...)
	}
	dated := map[string]map[string]bool{} // party → dates used, "" for undated
	for _, party := range holders {
		q := Position{Party: party, Shared: rapid.Bool().Draw(t, "shared")}
		first := dated[party] == nil
		if first {
			dated[party] = map[string]bool{}
		}
		if !first || rapid.Bool().Draw(t, "dated") {
			d := genDate.Draw(t, "as of")
			if dated[party][d] {
				continue
			}
			q.AsOf = d
		}
		dated[party][q.AsOf] = true
		for _, pid := range subset(t, known, 0, "position points") {
			r := PointPosition{Point: pid, Weight: rapid.Float64Range(math.SmallestNonzeroFloat64, 1e6).Draw(t, "weight")}
			for _, oid := range subset(t, options[pid], 1, "stances") {
				o := OptionStance{
					Option:   oid,
					Stance:   rapid.SampledFrom([]Stance{Support, Accept, Reluctant, Object, RedLine}).Draw(t, "stance"),
					Reason:   optional(t, genText, "reason"),
					Inferred: rapid.Bool().Draw(t, "inferred"),
				}
				if rapid.Bool().Draw(t, "has utility") {
					u := rapid.Float64Range(0, 1).Draw(t, "utility")
					o.Utility = &u
				}
				for range rapid.IntRange(0, 2).Draw(t, "sources") {
					o.Sources = append(o.Sources, Source{
						Outlet:      genText.Draw(t, "outlet"),
						Date:        genDate.Draw(t, "source date"),
						Approximate: rapid.Bool().Draw(t, "approximate"),
						URL:         optional(t, genText, "url"),
						Quote:       optional(t, genText, "quote"),
						Note:        optional(t, genText, "source note"),
					})
				}
				r.Options = append(r.Options, o)
			}
			q.Points = append(q.Points, r)
		}
		s.Positions = append(s.Positions, q)
	}
	if len(known) >= 2 {
		for _, lid := range distinctIDs(t, 0, 3, "linkages") {
			ends := subset(t, known, 2, "linked points")
			k := Linkage{
				ID:     lid,
				Holder: rapid.SampledFrom(append([]string{HolderAll}, partyIDs...)).Draw(t, "holder"),
				If:     OptionRef{Point: ends[0], Option: rapid.SampledFrom(options[ends[0]]).Draw(t, "if option")},
				Kind:   rapid.SampledFrom([]LinkageKind{Requires, Excludes}).Draw(t, "kind"),
				Then:   OptionRef{Point: ends[1], Option: rapid.SampledFrom(options[ends[1]]).Draw(t, "then option")},
				Reason: optional(t, genText, "linkage reason"),
			}
			s.Linkages = append(s.Linkages, k)
		}
	}
	versionIDs := make([]string, len(s.Versions))
	for i, v := range s.Versions {
		versionIDs[i] = v.ID
	}
	for _, eid := range distinctIDs(t, 0, 3, "events") {
		e := Event{
			ID:           eid,
			Date:         genDate.Draw(t, "event date"),
			Approximate:  rapid.Bool().Draw(t, "event approximate"),
			Title:        genText.Draw(t, "event title"),
			Place:        optional(t, genText, "place"),
			Parties:      subset(t, partyIDs, 0, "event parties"),
			Participants: rapid.SliceOfN(genText, 0, 2).Draw(t, "participants"),
			Version:      optional(t, rapid.SampledFrom(versionIDs), "event version"),
			Outcome:      optional(t, genText, "outcome"),
		}
		if rapid.Bool().Draw(t, "has end") {
			e.End = e.Date // the same day: always valid
		}
		if len(e.Parties) == 0 {
			e.Parties = nil
		}
		if len(e.Participants) == 0 {
			e.Participants = nil
		}
		s.Timeline = append(s.Timeline, e)
	}
	return s
}
