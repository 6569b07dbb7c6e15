package web_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"parley/internal/access"
	"parley/internal/negotiation"
)

// TestMediatorSetsReservation sets ru's reservation value from the
// mediator's desk, privately: ru's workspace shows it and who set it, ua
// reads it nowhere (pages, scenario export), and the audit log says who
// changed it but not to what.
func TestMediatorSetsReservation(t *testing.T) {
	f := newFixture(t)
	desk := "/n/" + nid + "/desk"
	_, body := f.get(t, "mediator", desk)
	for _, want := range []string{`id="rv-ru"`, `name="party" value="ru"`, `id="rv-ru-value"`, `id="rv-ru-shared"`, "from the scenario file", "<strong>Who can see this:</strong> the delegation of", `<details id="rv-forms">`, "<li><strong>ru</strong> 0.50 <span class=\"muted\">from the scenario file</span></li>"} {
		if !strings.Contains(body, want) {
			t.Errorf("the desk lacks %q", want)
		}
	}
	if _, body := f.get(t, "ukraine", desk); strings.Contains(body, `id="rv-`) {
		t.Error("a party's analysis page offers the mediator's reservation forms")
	}

	for _, c := range []struct {
		who  string
		form url.Values
		code int
		msg  string
	}{
		{"mediator", url.Values{"party": {"ru"}, "value": {"1.2"}}, http.StatusUnprocessableEntity, "reservation value of ru: a number from 0 to 1"},
		{"mediator", url.Values{"party": {"ru"}, "value": {"NaN"}}, http.StatusUnprocessableEntity, "reservation value of ru: a number from 0 to 1"},
		{"mediator", url.Values{"party": {"ru"}, "value": {""}}, http.StatusUnprocessableEntity, "reservation value of ru: a number from 0 to 1"},
		{"mediator", url.Values{"party": {"xx"}, "value": {"0.3"}}, http.StatusUnprocessableEntity, "party: pick a party of the negotiation"},
		{"mediator", url.Values{"value": {"0.3"}}, http.StatusUnprocessableEntity, "party: pick a party of the negotiation"},
		{"observer", url.Values{"party": {"ru"}, "value": {"0.3"}}, http.StatusForbidden, "may not set a reservation value"},
	} {
		code, _, body := f.post(t, c.who, "/n/"+nid+"/reservation", c.form)
		if code != c.code || !strings.Contains(body, c.msg) {
			t.Errorf("%s posts %v: %d, want %d saying %q", c.who, c.form, code, c.code, c.msg)
		}
	}

	code, loc, _ := f.post(t, "mediator", "/n/"+nid+"/reservation", url.Values{"party": {"ru"}, "value": {"0.37"}, "rev": {"0"}})
	if code != http.StatusSeeOther || !strings.Contains(loc, "/desk?reservation=ru&notice=") || !strings.HasSuffix(loc, "#rv-ru") {
		t.Fatalf("the mediator saves ru's value: %d to %q, want 303 to the desk at ru's form", code, loc)
	}
	_, body = f.get(t, "mediator", loc)
	if !strings.Contains(body, `<details id="rv-forms" open>`) || !strings.Contains(body, "<li><strong>ru</strong> 0.37 <span class=\"muted\">private</span></li>") {
		t.Error("the desk after saving does not open the forms, or does not list ru's value as private 0.37")
	}
	if want := `id="rv-ru-now">Now <strong>0.37</strong>, private · set by mediator on`; !strings.Contains(body, want) {
		t.Errorf("the desk after saving lacks %q", want)
	}
	_, body = f.get(t, "russia", "/n/"+nid+"/workspace")
	for _, want := range []string{`id="res-value" name="value" min="0" max="1" step="any" value="0.37"`, "your delegation, the mediator.", `<td class="text">mediator</td>`} {
		if !strings.Contains(body, want) {
			t.Errorf("ru's workspace lacks %q", want)
		}
	}

	// ua reads ru's value neither in its analysis nor in its export.
	_, body = f.get(t, "ukraine", desk)
	if strings.Contains(body, `name="res.ru" min="0" max="1" step="any" value="0.37"`) {
		t.Error("ua's what-if starts ru's reservation value at the private 0.37")
	}
	code, body = f.get(t, "ukraine", "/api/negotiations/"+nid+"/scenario.json")
	if code != http.StatusOK {
		t.Fatalf("ua's export: %d", code)
	}
	var exp struct {
		Parties []struct {
			ID          string  `json:"id"`
			Reservation float64 `json:"reservation"`
		} `json:"parties"`
	}
	if err := json.Unmarshal([]byte(body), &exp); err != nil {
		t.Fatal(err)
	}
	for _, p := range exp.Parties {
		if p.ID == "ru" && p.Reservation == 0.37 {
			t.Error("ua's scenario export carries ru's private reservation value")
		}
	}

	ctx := context.Background()
	st, err := f.srv.Service().State(ctx, nid)
	if err != nil {
		t.Fatal(err)
	}
	if p, _ := st.Scenario(access.Reader{Role: access.Mediator}).Party("ru"); p.Reservation != 0.37 {
		t.Errorf("the mediator's scenario holds ru's value as %v, want 0.37", p.Reservation)
	}
	if e := st.Reservations["ru"]; e.Doc != (negotiation.ReservationDoc{Value: 0.37}) || e.Rec.By != f.accts["mediator"].ID {
		t.Errorf("ru's reservation record: %+v by %s", e.Doc, e.Rec.By)
	}
	es, err := f.srv.Service().Audit(ctx, f.accts["mediator"], nid, 0, 10000)
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, e := range es {
		if e.Target == "reservation/ru" {
			found = true
			if e.Detail != "private" || e.Actor != f.accts["mediator"].ID {
				t.Errorf("the audit entry: %+v", e)
			}
		}
		if strings.Contains(e.Target+e.Detail+e.Action, "0.37") {
			t.Errorf("the audit log holds the value: %+v", e)
		}
	}
	if !found {
		t.Error("no audit entry for ru's reservation value")
	}

	// Shared, every member reads it.
	code, _, _ = f.post(t, "mediator", "/n/"+nid+"/reservation", url.Values{"party": {"ru"}, "value": {"0.4"}, "shared": {"on"}, "rev": {"0"}})
	if code != http.StatusSeeOther {
		t.Fatalf("sharing ru's value: %d", code)
	}
	_, body = f.get(t, "mediator", desk)
	if !strings.Contains(body, "every member of the negotiation (shared)") || !strings.Contains(body, `id="rv-ru-shared" name="shared" role="switch" checked`) {
		t.Error("the desk does not say ru's shared value is seen by every member")
	}
	_, body = f.get(t, "russia", "/n/"+nid+"/workspace")
	if !strings.Contains(body, "every member of the negotiation (shared by mediator)") {
		t.Error("ru's workspace does not say the mediator shared its value")
	}
}
