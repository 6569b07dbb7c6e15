package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"parley/internal/access"
	"parley/internal/negotiation"
	"parley/scenario"
)

var pages = []string{"/n/" + nid + "/desk", "/n/" + nid + "/text", "/n/" + nid + "/compare", "/n/" + nid + "/workspace", "/n/" + nid + "/simulate"}

// TestPagesByRole opens every page as every member and as a stranger.
func TestPagesByRole(t *testing.T) {
	f := newFixture(t)
	want := map[string]map[string]int{
		"mediator": {"workspace": http.StatusForbidden},
		"observer": {"workspace": http.StatusForbidden},
	}
	for _, m := range members {
		for _, p := range pages {
			code, body := f.get(t, m[0], p)
			page := p[strings.LastIndex(p, "/")+1:]
			w := http.StatusOK
			if c, ok := want[m[0]][page]; ok {
				w = c
			}
			if code != w {
				t.Errorf("%s %s: status %d, want %d\n%.400s", m[0], p, code, w, body)
			}
			if strings.Contains(body, "could not be drawn") {
				t.Errorf("%s %s: template error", m[0], p)
			}
		}
	}
	// Signed out: to the sign-in page.
	resp, err := (&http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}).Get(f.ts.URL + "/n/" + nid + "/desk")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(resp.Header.Get("Location"), "/signin") {
		t.Errorf("signed out: %d to %q, want 303 to /signin", resp.StatusCode, resp.Header.Get("Location"))
	}
}

// TestNoPeeking plants a marker in ru's private position and draft, and
// checks that no page shows it to ua or the observer, and that the
// mediator and ru see it.
func TestNoPeeking(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	svc := f.srv.Service()
	st, err := svc.State(ctx, nid)
	if err != nil {
		t.Fatal(err)
	}
	rdRU := access.Reader{Role: access.Party, Party: "ru"}
	doc, rev, _ := st.PositionsOf(rdRU, "ru")
	doc.Positions = append([]scenario.Position(nil), doc.Positions...)
	last := &doc.Positions[len(doc.Positions)-1]
	last.Points = append([]scenario.PointPosition(nil), last.Points...)
	pp := &last.Points[0]
	pp.Options = append([]scenario.OptionStance(nil), pp.Options...)
	pp.Options[0].Reason = "PRIVATE-RU-REASON"
	last.Shared = false
	if _, err := svc.PutPositions(ctx, f.accts["russia"], nid, "ru", doc, rev); err != nil {
		t.Fatal(err)
	}
	v := st.Versions[len(st.Versions)-1].Doc.Version
	v.ID, v.Title, v.Date = "v9", "PRIVATE-DRAFT-TITLE", ""
	if _, err := svc.CreateDraft(ctx, f.accts["mediator"], nid, v); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Publish(ctx, f.accts["mediator"], nid, "v9"); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Share(ctx, f.accts["mediator"], nid, "v9", []string{"ru"}); err != nil {
		t.Fatal(err)
	}
	a, err := svc.Propose(ctx, f.accts["russia"], nid, negotiation.Amendment{Version: "v9", Point: pp.Point, Kind: "critique", Reason: "PRIVATE-RU-AMENDMENT"})
	if err != nil {
		t.Fatal(err)
	}
	_ = a
	seen := map[string]bool{}
	for _, name := range []string{"mediator", "ukraine", "russia", "europe", "observer"} {
		all := ""
		for _, p := range append(pages, "/n/"+nid+"/desk?version=v9", "/n/"+nid+"/compare?from=v4&to=v9", "/n/"+nid+"/text?point="+url.QueryEscape(pp.Point)) {
			_, body := f.get(t, name, p)
			all += body
		}
		for _, m := range []string{"PRIVATE-RU-REASON", "PRIVATE-DRAFT-TITLE", "PRIVATE-RU-AMENDMENT"} {
			if strings.Contains(all, m) {
				seen[name+" "+m] = true
			}
		}
	}
	for _, m := range []string{"PRIVATE-RU-REASON", "PRIVATE-DRAFT-TITLE", "PRIVATE-RU-AMENDMENT"} {
		if !seen["mediator "+m] {
			t.Errorf("the mediator does not see %s", m)
		}
		if !seen["russia "+m] {
			t.Errorf("ru does not see %s", m)
		}
		for _, other := range []string{"ukraine", "europe", "observer"} {
			if seen[other+" "+m] {
				t.Errorf("%s sees %s", other, m)
			}
		}
	}
}

// BenchmarkPages measures the pages of the default scenario as the
// mediator and a party sees them, analysis cached (as after the first
// visit).
func BenchmarkPages(b *testing.B) {
	f := newFixture(b)
	for _, who := range []string{"mediator", "ukraine"} {
		for _, p := range pages {
			if who == "mediator" && strings.HasSuffix(p, "/workspace") {
				continue
			}
			c, _ := f.session(b, who)
			b.Run(who+strings.ReplaceAll(p[len("/n/"+nid):], "/", "_"), func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					req, _ := http.NewRequest("GET", f.ts.URL+p, nil)
					req.AddCookie(c)
					resp, err := http.DefaultClient.Do(req)
					if err != nil {
						b.Fatal(err)
					}
					resp.Body.Close()
					if resp.StatusCode != http.StatusOK {
						b.Fatalf("%s: %d", p, resp.StatusCode)
					}
				}
			})
		}
	}
}

// TestSavePositionKeepsTheRest saves one point from the workspace form
// and checks that the party's stances elsewhere are kept, and that the
// form's CSRF token is required.
func TestSavePositionKeepsTheRest(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	rd := access.Reader{Role: access.Party, Party: "ua"}
	st, _ := f.srv.Service().State(ctx, nid)
	before, rev, _ := st.PositionsOf(rd, "ua")
	last := before.Positions[len(before.Positions)-1]
	pp := last.Points[0]
	c, csrf := f.session(t, "ukraine")
	post := func(token string) int {
		form := url.Values{"csrf": {token}, "rev": {fmt.Sprint(rev)}, "point": {pp.Point}, "w." + pp.Point: {"7"},
			"opt." + pp.Point: {pp.Options[0].Option}, "s." + pp.Point + "." + pp.Options[0].Option: {"object"},
			"r." + pp.Point + "." + pp.Options[0].Option: {"changed"}}
		req, _ := http.NewRequest("POST", f.ts.URL+"/n/"+nid+"/positions", strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.AddCookie(c)
		resp, err := (&http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}).Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	if code := post("wrong"); code != http.StatusForbidden {
		t.Fatalf("a form with a wrong CSRF token: %d, want 403", code)
	}
	if code := post(csrf); code != http.StatusSeeOther {
		t.Fatalf("saving: %d, want 303", code)
	}
	st, _ = f.srv.Service().State(ctx, nid)
	after, _, _ := st.PositionsOf(rd, "ua")
	got := after.Positions[len(after.Positions)-1]
	if len(got.Points) != len(last.Points) {
		t.Fatalf("%d points after saving one, want %d", len(got.Points), len(last.Points))
	}
	for i, p := range got.Points {
		if i == 0 {
			if p.Weight != 7 || p.Options[0].Stance != scenario.Object || p.Options[0].Reason != "changed" || len(p.Options) != len(pp.Options) {
				t.Errorf("the saved point: %+v", p)
			}
			continue
		}
		if fmt.Sprint(p) != fmt.Sprint(last.Points[i]) {
			t.Errorf("point %s changed though it was not in the form", p.Point)
		}
	}
	if got.Shared {
		t.Error("the position became shared without the switch")
	}
}

// TestSimulationPaths runs a simulation from the page in the server's
// memory (no job queue) and through the server's job queue.
func TestSimulationPaths(t *testing.T) {
	for _, queued := range []bool{false, true} {
		f := newFixtureQueue(t, queued)
		c, csrf := f.session(t, "mediator")
		client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
		form := url.Values{"csrf": {csrf}, "version": {"v4"}, "rounds": {"30"}, "reps": {"3"}}
		for _, p := range []string{"us", "ua", "ru", "e3"} {
			form.Set("strategy."+p, "conceder")
		}
		req, _ := http.NewRequest("POST", f.ts.URL+"/n/"+nid+"/simulate", strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.AddCookie(c)
		resp, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		loc := resp.Header.Get("Location")
		if resp.StatusCode != http.StatusSeeOther || !strings.Contains(loc, "/simulate/") {
			t.Fatalf("queued=%v: %d to %q", queued, resp.StatusCode, loc)
		}
		if queued != strings.Contains(loc, "/simulate/q") {
			t.Errorf("queued=%v: the job is %s", queued, loc)
		}
		var body string
		for range 200 {
			_, body = f.get(t, "mediator", loc+"?fragment=job")
			if strings.Contains(body, `data-finished="true"`) {
				break
			}
			time.Sleep(50 * time.Millisecond)
		}
		if !strings.Contains(body, `data-finished="true"`) || !strings.Contains(body, "Every run") {
			t.Errorf("queued=%v: the simulation did not finish:\n%.800s", queued, body)
		}
		// Another member cannot read it.
		if code, _ := f.get(t, "ukraine", loc); code != http.StatusNotFound {
			t.Errorf("queued=%v: ua reads the mediator's simulation: %d", queued, code)
		}
	}
}

// TestReservationForm sets ua's reservation value from its workspace,
// private then shared, and refuses values out of range.
func TestReservationForm(t *testing.T) {
	f := newFixture(t)
	c, csrf := f.session(t, "ukraine")
	post := func(value, shared string, rev int64) int {
		form := url.Values{"csrf": {csrf}, "value": {value}, "rev": {fmt.Sprint(rev)}}
		if shared != "" {
			form.Set("shared", shared)
		}
		req, _ := http.NewRequest("POST", f.ts.URL+"/n/"+nid+"/reservation", strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.AddCookie(c)
		resp, err := (&http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}).Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	for _, bad := range []string{"", "abc", "1.5", "-0.2", "NaN"} {
		if code := post(bad, "", 0); code != http.StatusUnprocessableEntity {
			t.Errorf("value %q: status %d, want 422", bad, code)
		}
	}
	if code := post("0.33", "", 0); code != http.StatusSeeOther {
		t.Fatalf("saving a private value: %d, want 303", code)
	}
	_, body := f.get(t, "ukraine", "/n/"+nid+"/workspace")
	for _, want := range []string{`id="res-value" name="value" min="0" max="1" step="any" value="0.33"`, "Every value set (1)", "your delegation, the mediator."} {
		if !strings.Contains(body, want) {
			t.Errorf("the workspace after saving 0.33 lacks %q", want)
		}
	}
	st, err := f.srv.Service().State(context.Background(), nid)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		rd   access.Reader
		want float64
	}{{access.Reader{Role: access.Party, Party: "ru"}, 0}, {access.Reader{Role: access.Mediator}, 0.33}} {
		if p, _ := st.Scenario(c.rd).Party("ua"); p.Reservation != c.want {
			t.Errorf("%v reads ua's private value as %v, want %v", c.rd, p.Reservation, c.want)
		}
	}
	if code := post("0.4", "on", st.Reservations["ua"].Rev); code != http.StatusSeeOther {
		t.Fatalf("sharing the value: %d, want 303", code)
	}
	if code := post("0.5", "", st.Reservations["ua"].Rev); code != http.StatusPreconditionFailed {
		t.Errorf("saving from a stale page: %d, want 412", code)
	}
	_, body = f.get(t, "ukraine", "/n/"+nid+"/workspace")
	if !strings.Contains(body, "every member of the negotiation (you shared it)") || !strings.Contains(body, "Every value set (2)") {
		t.Errorf("the workspace after sharing does not say every member sees the value:\n%.300s", body)
	}
}

// TestAddEvent puts a round on the timeline from the living text: the
// mediator may, a party may not, and a bad date is refused.
func TestAddEvent(t *testing.T) {
	f := newFixture(t)
	post := func(who string, form url.Values) int {
		c, csrf := f.session(t, who)
		form.Set("csrf", csrf)
		req, _ := http.NewRequest("POST", f.ts.URL+"/n/"+nid+"/timeline", strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.AddCookie(c)
		resp, err := (&http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}).Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	round := url.Values{"date": {"2025-12-02"}, "title": {"ROUND-IN-MIAMI"}, "place": {"Miami"}, "version": {"v4"}, "party": {"ua", "ru"}}
	if code := post("ukraine", round); code != http.StatusForbidden {
		t.Errorf("a party adds an event: %d, want 403", code)
	}
	for _, bad := range []url.Values{{"title": {"x"}}, {"date": {"2025-12-02"}}, {"date": {"2nd December"}, "title": {"x"}}, {"date": {"2025-12-02"}, "end": {"2025-12-01"}, "title": {"x"}}} {
		if code := post("mediator", bad); code != http.StatusUnprocessableEntity {
			t.Errorf("event %v: %d, want 422", bad, code)
		}
	}
	for range 2 {
		if code := post("mediator", round); code != http.StatusSeeOther {
			t.Fatalf("the mediator adds an event: %d, want 303", code)
		}
	}
	_, body := f.get(t, "russia", "/n/"+nid+"/text")
	if strings.Count(body, "ROUND-IN-MIAMI, Miami · on v4 · ua, ru") != 2 {
		t.Errorf("the timeline does not show both rounds to ru:\n%s", body[strings.Index(body, `id="tl-h"`):])
	}
	// A place the title already names is not repeated.
	if strings.Contains(body, "Abu Dhabi, Abu Dhabi") || !strings.Contains(body, "Trilateral round in Abu Dhabi") {
		t.Errorf("the timeline repeats a place its title names, or lost the round")
	}
}
