package access

import (
	"testing"

	"parley/examples"
	"parley/scenario"
)

func defaultScenario(t *testing.T) *scenario.Scenario {
	t.Helper()
	s, err := scenario.Load(examples.DefaultName, examples.Default)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestScenarioRedaction(t *testing.T) {
	s := defaultScenario(t)
	for i := range s.Positions { // ru shares its positions, no one else
		s.Positions[i].Shared = s.Positions[i].Party == "ru"
	}
	aud := Audience{"v1": {"ru"}, "v2": {"ua", "ru", "e3"}}
	tests := []struct {
		r         Reader
		versions  []string
		positions []string
		// reserved are the parties whose reservation value is visible.
		reserved []string
	}{
		{Reader{Role: Mediator}, []string{"v1", "v2", "v3", "v4"}, []string{"us", "ua", "ru", "e3"}, []string{"us", "ua", "ru", "e3"}},
		{Reader{Role: Party, Party: "ua"}, []string{"v2"}, []string{"ua", "ru"}, []string{"ua", "ru"}},
		{Reader{Role: Party, Party: "ru"}, []string{"v1", "v2"}, []string{"ru"}, []string{"ru"}},
		{Reader{Role: Observer}, []string{"v2"}, []string{"ru"}, []string{"ru"}},
		{Reader{Role: Public}, []string{"v2"}, []string{"ru"}, []string{"ru"}},
	}
	for _, tt := range tests {
		got := Scenario(s, tt.r, aud)
		var vs, ps, rs []string
		for _, v := range got.Versions {
			vs = append(vs, v.ID)
			if v.Parent != "" && !contains(vs, v.Parent) {
				t.Errorf("%v: version %s names parent %s that the reader cannot see", tt.r, v.ID, v.Parent)
			}
		}
		for _, q := range got.Positions { // a party may hold several, dated
			if !contains(ps, q.Party) {
				ps = append(ps, q.Party)
			}
		}
		for i, p := range got.Parties {
			if p.Reservation != 0 {
				rs = append(rs, p.ID)
			}
			if p.Reservation != 0 && p.Reservation != s.Parties[i].Reservation {
				t.Errorf("%v: reservation of %s changed", tt.r, p.ID)
			}
		}
		if !same(vs, tt.versions) || !same(ps, tt.positions) || !same(rs, tt.reserved) {
			t.Errorf("%v: expected versions %v positions %v reservations %v; got %v %v %v", tt.r, tt.versions, tt.positions, tt.reserved, vs, ps, rs)
		}
		for _, l := range got.Linkages {
			if l.Holder != scenario.HolderAll && !contains(ps, l.Holder) {
				t.Errorf("%v: sees linkage %s of %s", tt.r, l.ID, l.Holder)
			}
		}
	}
	// The copy shares no memory with the original.
	got := Scenario(s, Reader{Role: Mediator}, nil)
	got.Positions[0].Points[0].Weight = 99
	got.Versions[0].Blocks[0].Points[0].Title = "changed"
	if s.Positions[0].Points[0].Weight == 99 || s.Versions[0].Blocks[0].Points[0].Title == "changed" {
		t.Error("Scenario returned a copy that shares memory with its input")
	}
	// Without an audience, a file shows every version.
	if got := Scenario(s, Reader{Role: Party, Party: "ua"}, nil); len(got.Versions) != 4 {
		t.Errorf("file view: expected 4 versions got %d", len(got.Versions))
	}
}

func TestEveryActionHasRules(t *testing.T) {
	for _, a := range Actions() {
		if !Can(Reader{Role: Mediator}, a, Resource{}) && a != ProposeAmendment && a != AnswerVote {
			t.Errorf("%s: the mediator may not", a)
		}
		for _, r := range []Reader{{Role: Public}, {Role: Public, Party: "ua"}} {
			if Can(r, a, Resource{Owner: "ua", Published: true}) {
				t.Errorf("%s: the public may", a)
			}
		}
	}
	if Can(Reader{Role: Party, Party: "ua"}, WritePosition, Resource{Owner: "ru"}) {
		t.Error("a party may write another's position")
	}
	if !Can(Reader{Role: Party, Party: "ua"}, ReadPosition, Resource{Owner: "ru", Published: true}) {
		t.Error("a party may not read a shared position")
	}
	if Can(Reader{Role: Party}, ReadPosition, Resource{Owner: ""}) {
		t.Error("a delegate without a party reads an ownerless position")
	}
	if Can(Reader{Role: Mediator}, Action("no.such"), Resource{}) {
		t.Error("an unknown action is allowed")
	}
}

func contains(s []string, x string) bool {
	for _, y := range s {
		if y == x {
			return true
		}
	}
	return false
}

func same(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestEveryActionHasAPhrase(t *testing.T) {
	for _, a := range Actions() {
		if a.Phrase() == string(a) {
			t.Errorf("action %s has no phrase", a)
		}
	}
}

func TestRoleSomeone(t *testing.T) {
	for r, want := range map[Role]string{Mediator: "a mediator", Party: "a party", Observer: "an observer", Public: "someone outside the negotiation"} {
		if got := r.Someone(); got != want {
			t.Errorf("%s: %q, want %q", r, got, want)
		}
	}
}
