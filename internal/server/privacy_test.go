package server

import (
	"encoding/json"
	"strings"
	"testing"

	"parley/internal/negotiation"
	"parley/scenario"
)

// TestSecretsAreVisibleToTheirOwners keeps the leak checks of the
// authorization table honest: the markers are there to be found by ru
// and the mediator.
func TestSecretsAreVisibleToTheirOwners(t *testing.T) {
	f := newFixture(t)
	var all strings.Builder
	for _, path := range []string{"/versions", "/versions/d-secret", "/versions/p-ru", "/positions", "/amendments", "/comments"} {
		_, body, _ := f.do(t, "M", "GET", "/api/negotiations/"+nid+path, "", "")
		all.WriteString(body)
	}
	for _, s := range secrets {
		if !strings.Contains(all.String(), s) {
			t.Errorf("the mediator does not see %s", s)
		}
	}
	_, body, _ := f.do(t, "B", "GET", "/api/negotiations/"+nid+"/scenario.yaml", "", "")
	for _, s := range []string{"SECRET-RU-POSITION", "SECRET-RU-VERSION"} {
		if !strings.Contains(body, s) {
			t.Errorf("ru's export lacks %s", s)
		}
	}
}

func TestPartyViews(t *testing.T) {
	f := newFixture(t)
	// Another party's reservation value is private.
	_, body, _ := f.do(t, "A", "GET", "/api/negotiations/"+nid, "", "")
	var n negotiationView
	if err := json.Unmarshal([]byte(body), &n); err != nil {
		t.Fatal(err)
	}
	for _, p := range n.Parties {
		if p.ID != "ua" && p.Reservation != 0 {
			t.Errorf("ua sees the reservation value of %s", p.ID)
		}
		if p.ID == "ua" && p.Reservation == 0 {
			t.Errorf("ua does not see its own reservation value")
		}
	}
	for _, v := range n.Versions {
		if v.ID == "p-ru" || v.ID == "d-secret" {
			t.Errorf("ua sees version %s", v.ID)
		}
		for _, sh := range v.Audience {
			if sh.Party != "ua" {
				t.Errorf("ua learns that %s received %s", sh.Party, v.ID)
			}
		}
	}
	// The analysis of a party uses its own position alone.
	_, body, _ = f.do(t, "A", "GET", "/api/negotiations/"+nid+"/analysis", "", "")
	var a struct {
		Seen []string `json:"parties_seen"`
		Note string   `json:"note"`
	}
	json.Unmarshal([]byte(body), &a)
	if len(a.Seen) != 1 || a.Seen[0] != "ua" || a.Note == "" {
		t.Errorf("ua's analysis: parties seen %v, note %q", a.Seen, a.Note)
	}
	_, body, _ = f.do(t, "M", "GET", "/api/negotiations/"+nid+"/analysis?version=v1", "", "")
	json.Unmarshal([]byte(body), &a)
	if len(a.Seen) < 4 {
		t.Errorf("the mediator's analysis sees %v", a.Seen)
	}
	// The vote is sealed: ru has answered, nobody learns what.
	for _, role := range []string{"M", "A", "O"} {
		_, body, _ = f.do(t, role, "GET", "/api/negotiations/"+nid+"/votes/"+f.ids["vote"], "", "")
		var vv struct {
			Sealed     bool              `json:"sealed"`
			Answers    map[string]bool   `json:"answers"`
			Overlap    []json.RawMessage `json:"overlap"`
			MyAnswer   *bool             `json:"my_answer"`
			Answered   int               `json:"answered"`
			Acceptable json.RawMessage   `json:"my_acceptable"`
		}
		json.Unmarshal([]byte(body), &vv)
		if !vv.Sealed || vv.Answers != nil || vv.Overlap != nil || vv.MyAnswer != nil || vv.Acceptable != nil || vv.Answered != 1 {
			t.Errorf("%s sees an unsealed vote: %s", role, body)
		}
	}
	// The history of ru's position is ru's and the mediator's.
	code, body, _ := f.do(t, "A", "GET", "/api/negotiations/"+nid+"/positions/ru/history", "", "")
	if code != 404 || strings.Contains(body, "SECRET") {
		t.Errorf("ua reads ru's history: %d %s", code, body)
	}
	code, body, _ = f.do(t, "B", "GET", "/api/negotiations/"+nid+"/positions/ru/history", "", "")
	var hist []revisionView
	json.Unmarshal([]byte(body), &hist)
	if code != 200 || len(hist) != 2 || hist[1].By != "acct-B" || hist[0].At.IsZero() {
		t.Errorf("ru's history: %d %s", code, trim(body))
	}
}

// TestExportRoundTrip checks that every reader's export is a valid
// scenario file and keeps everything the reader may see of positions.
func TestExportRoundTrip(t *testing.T) {
	f := newFixture(t)
	for _, role := range []string{"M", "A", "B", "O"} {
		code, body, _ := f.do(t, role, "GET", "/api/negotiations/"+nid+"/scenario.yaml", "", "")
		if code != 200 {
			t.Fatalf("%s: export %d", role, code)
		}
		sc, err := scenario.Load("export.yaml", []byte(body))
		if err != nil {
			t.Errorf("%s: the export does not load: %v", role, err)
			continue
		}
		_, pos, _ := f.do(t, role, "GET", "/api/negotiations/"+nid+"/positions", "", "")
		var byParty map[string]negotiation.PositionDoc
		json.Unmarshal([]byte(pos), &byParty)
		n := 0
		for _, d := range byParty {
			n += len(d.Positions)
		}
		if len(sc.Positions) != n {
			t.Errorf("%s: the export has %d positions, the API shows %d", role, len(sc.Positions), n)
		}
	}
}
