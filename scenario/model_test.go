package scenario

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestPositionsAt(t *testing.T) {
	s := &Scenario{
		Parties: []Party{{ID: "a"}, {ID: "b"}, {ID: "c"}},
		Positions: []Position{
			{Party: "b", AsOf: "2025-11-25"},
			{Party: "a"},
			{Party: "a", AsOf: "2025-11-20"},
			{Party: "b", AsOf: "2025-12-10"},
			{Party: "a", AsOf: "2025-12-01"},
		},
	}
	type held struct{ Party, AsOf string }
	for _, tc := range []struct {
		asOf string
		want []held
	}{
		{"", []held{{"a", "2025-12-01"}, {"b", "2025-12-10"}}},
		{"2025-01-01", []held{{"a", ""}}},
		{"2025-11-20", []held{{"a", "2025-11-20"}}},
		{"2025-11-24", []held{{"a", "2025-11-20"}}},
		{"2025-11-25", []held{{"a", "2025-11-20"}, {"b", "2025-11-25"}}},
		{"2025-12-09", []held{{"a", "2025-12-01"}, {"b", "2025-11-25"}}},
		{"2030-01-01", []held{{"a", "2025-12-01"}, {"b", "2025-12-10"}}},
	} {
		var got []held
		for _, q := range s.PositionsAt(tc.asOf) {
			got = append(got, held{q.Party, q.AsOf})
		}
		if diff := cmp.Diff(tc.want, got); diff != "" {
			t.Errorf("PositionsAt(%q) (-want +got):\n%s", tc.asOf, diff)
		}
	}
	var hist []string
	for _, q := range s.PositionHistory("a") {
		hist = append(hist, q.AsOf)
	}
	if diff := cmp.Diff([]string{"", "2025-11-20", "2025-12-01"}, hist); diff != "" {
		t.Errorf("PositionHistory(a) (-want +got):\n%s", diff)
	}
}

func TestProposal(t *testing.T) {
	v := &Version{Blocks: []Block{
		{Points: []Point{
			{ID: "settled", Options: []Option{{ID: "only"}}},
			{ID: "open", Options: []Option{{ID: "x"}, {ID: "y"}}},
		}},
		{Points: []Point{
			{ID: "chosen", Proposed: "y", Options: []Option{{ID: "x"}, {ID: "y"}}},
			{ID: "gone", Status: StatusDropped, Proposed: "x", Options: []Option{{ID: "x"}, {ID: "y"}}},
			{ID: "open2", Options: []Option{{ID: "x"}, {ID: "y"}}},
		}},
	}}
	pkg, open := v.Proposal()
	if diff := cmp.Diff(map[string]string{"settled": "only", "chosen": "y"}, pkg); diff != "" {
		t.Errorf("proposed package (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"open", "open2"}, open); diff != "" {
		t.Errorf("open points (-want +got):\n%s", diff)
	}
}

func TestCounted(t *testing.T) {
	yes, no := true, false
	for _, tc := range []struct {
		p    Party
		want bool
	}{
		{Party{Role: RoleParty}, true},
		{Party{Role: RoleMediator}, false},
		{Party{Role: RoleObserver}, false},
		{Party{Role: RoleMediator, Bargains: &yes}, true},
		{Party{Role: RoleParty, Bargains: &no}, false},
	} {
		if got := tc.p.Counted(); got != tc.want {
			t.Errorf("%s with bargains %v: Counted() = %v, want %v", tc.p.Role, tc.p.Bargains, got, tc.want)
		}
	}
}
