package access

import (
	"fmt"
	"slices"
	"testing"

	"pgregory.net/rapid"

	"parley/scenario"
)

// TestScenarioProperties checks Scenario on random tables against the
// rules stated plainly: what each reader may see of positions, versions,
// reservation values and linkages.
func TestScenarioProperties(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		n := rapid.IntRange(2, 5).Draw(t, "parties")
		s := &scenario.Scenario{ID: "s"}
		roles := []scenario.Role{scenario.RoleMediator, scenario.RoleParty, scenario.RoleObserver}
		for i := range n {
			s.Parties = append(s.Parties, scenario.Party{ID: fmt.Sprintf("p%d", i), Role: rapid.SampledFrom(roles).Draw(t, "role"), Reservation: 0.5})
		}
		// Positions: zero to two per party, each shared or not.
		for _, p := range s.Parties {
			for j := range rapid.IntRange(0, 2).Draw(t, "positions") {
				s.Positions = append(s.Positions, scenario.Position{Party: p.ID,
					Shared: rapid.Bool().Draw(t, "shared"), Points: []scenario.PointPosition{{Point: "x", Weight: float64(j + 1)}}})
			}
		}
		aud := Audience{}
		for v := range rapid.IntRange(1, 4).Draw(t, "versions") {
			id := fmt.Sprintf("v%d", v)
			s.Versions = append(s.Versions, scenario.Version{ID: id, Parent: fmt.Sprintf("v%d", v-1)})
			if rapid.Bool().Draw(t, "published") {
				var got []string
				for _, p := range s.Parties {
					if rapid.Bool().Draw(t, "receives") {
						got = append(got, p.ID)
					}
				}
				aud[id] = got
			}
		}
		holders := []string{scenario.HolderAll}
		for _, p := range s.Parties {
			holders = append(holders, p.ID)
		}
		for l := range rapid.IntRange(0, 3).Draw(t, "linkages") {
			s.Linkages = append(s.Linkages, scenario.Linkage{ID: fmt.Sprintf("l%d", l), Holder: rapid.SampledFrom(holders).Draw(t, "holder")})
		}
		// Meetings, each about a version or none.
		for e := range rapid.IntRange(0, 3).Draw(t, "events") {
			ev := scenario.Event{ID: fmt.Sprintf("e%d", e), Title: "meeting"}
			if k := rapid.IntRange(0, len(s.Versions)).Draw(t, "about"); k > 0 {
				ev.Version = s.Versions[k-1].ID
			}
			s.Timeline = append(s.Timeline, ev)
		}
		r := Reader{Role: rapid.SampledFrom(Roles).Draw(t, "reader")}
		if r.Role == Party {
			r.Party = rapid.SampledFrom(s.Parties).Draw(t, "as").ID
		}

		got := Scenario(s, r, aud)

		// Positions: the reader's own and the shared ones; all for the mediator.
		var want []scenario.Position
		for _, q := range s.Positions {
			if r.Role == Mediator || q.Shared || (r.Role == Party && q.Party == r.Party) {
				want = append(want, q)
			}
		}
		if len(got.Positions) != len(want) {
			t.Fatalf("%v: %d positions, expected %d", r, len(got.Positions), len(want))
		}
		visible := map[string]bool{}
		for i, q := range got.Positions {
			if q.Party != want[i].Party || q.Shared != want[i].Shared || q.Points[0].Weight != want[i].Points[0].Weight {
				t.Fatalf("%v: position %d is %s/%v, expected %s/%v", r, i, q.Party, q.Shared, want[i].Party, want[i].Shared)
			}
			visible[q.Party] = true
		}
		// Versions: the audience decides; observers and the public see
		// what every party with role party received.
		var wantV []string
		for _, v := range s.Versions {
			recv, published := aud[v.ID]
			ok := r.Role == Mediator
			if !ok && published {
				if r.Role == Party {
					ok = slices.Contains(recv, r.Party)
				} else {
					ok = true
					for _, p := range s.Parties {
						if p.Role == scenario.RoleParty && !slices.Contains(recv, p.ID) {
							ok = false
						}
					}
				}
			}
			if ok {
				wantV = append(wantV, v.ID)
			}
		}
		var gotV []string
		for _, v := range got.Versions {
			gotV = append(gotV, v.ID)
			if v.Parent != "" && !slices.Contains(wantV, v.Parent) {
				t.Fatalf("%v: version %s names hidden parent %s", r, v.ID, v.Parent)
			}
		}
		if !slices.Equal(gotV, wantV) {
			t.Fatalf("%v: versions %v, expected %v", r, gotV, wantV)
		}
		// Every meeting is listed; the version it discussed only when the
		// reader sees that version.
		if len(got.Timeline) != len(s.Timeline) {
			t.Fatalf("%v: %d meetings of %d", r, len(got.Timeline), len(s.Timeline))
		}
		for i, e := range got.Timeline {
			want := s.Timeline[i].Version
			if !slices.Contains(wantV, want) {
				want = ""
			}
			if e.Version != want {
				t.Fatalf("%v: meeting %s names version %q, expected %q", r, e.ID, e.Version, want)
			}
		}
		// Reservation values: one's own, and those of parties whose
		// positions one sees.
		for _, p := range got.Parties {
			seen := r.Role == Mediator || (r.Role == Party && r.Party == p.ID) || visible[p.ID]
			if seen != (p.Reservation == 0.5) {
				t.Fatalf("%v: reservation of %s is %v", r, p.ID, p.Reservation)
			}
		}
		for _, l := range got.Linkages {
			if l.Holder != scenario.HolderAll && r.Role != Mediator && !visible[l.Holder] {
				t.Fatalf("%v: sees linkage %s of %s", r, l.ID, l.Holder)
			}
		}
		wantL := 0
		for _, l := range s.Linkages {
			if l.Holder == scenario.HolderAll || r.Role == Mediator || visible[l.Holder] {
				wantL++
			}
		}
		if len(got.Linkages) != wantL {
			t.Fatalf("%v: %d linkages, expected %d", r, len(got.Linkages), wantL)
		}
	})
}
