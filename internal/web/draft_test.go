package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

// TestDraftDate starts drafts from the living text: one takes today's
// date on the server's clock (UTC) unless the mediator gives another,
// and the versions list and the comparison show it.
func TestDraftDate(t *testing.T) {
	f := newFixture(t)
	svc := f.srv.Service()
	// Late evening west of Greenwich is already tomorrow in UTC.
	svc.Now = func() time.Time { return time.Date(2026, 1, 14, 22, 30, 0, 0, time.FixedZone("UTC-5", -5*3600)) }
	_, body := f.get(t, "mediator", "/n/"+nid+"/text")
	if want := `id="d-date" name="date" type="date" value="2026-01-15"`; !strings.Contains(body, want) {
		t.Errorf("the new draft's form lacks %q", want)
	}
	for _, c := range []struct {
		form url.Values
		want string
	}{
		{url.Values{"from": {"v4"}, "id": {"v5"}, "title": {"Undated in the form"}, "date": {""}}, "2026-01-15"},
		{url.Values{"from": {"v4"}, "id": {"v6"}, "title": {"Dated in the form"}, "date": {"2026-01-10"}}, "2026-01-10"},
	} {
		if code, _, body := f.post(t, "mediator", "/n/"+nid+"/draft", c.form); code != http.StatusSeeOther {
			t.Fatalf("starting draft %s: %d\n%.300s", c.form.Get("id"), code, body)
		}
		st, err := svc.State(context.Background(), nid)
		if err != nil {
			t.Fatal(err)
		}
		if v, ok := st.Version(c.form.Get("id")); !ok || v.Doc.Version.Date != c.want {
			t.Errorf("draft %s is dated %q, want %q", c.form.Get("id"), v.Doc.Version.Date, c.want)
		}
	}
	_, body = f.get(t, "mediator", "/n/"+nid+"/text")
	for _, want := range []string{`<td class="nowrap">2026-01-15</td>`, `<td class="nowrap">2026-01-10</td>`} {
		if !strings.Contains(body, want) {
			t.Errorf("the versions list lacks %q", want)
		}
	}
	_, body = f.get(t, "mediator", "/n/"+nid+"/compare?from=v4&to=v5")
	if want := "(Undated in the form, 2026-01-15)"; !strings.Contains(body, want) {
		t.Errorf("the comparison lacks %q", want)
	}
	if code, _, body := f.post(t, "mediator", "/n/"+nid+"/draft", url.Values{"from": {"v4"}, "id": {"v7"}, "title": {"x"}, "date": {"2026-02-30"}}); code != http.StatusUnprocessableEntity || !strings.Contains(body, "date") {
		t.Errorf("a draft dated 2026-02-30: %d, want 422 naming the date\n%.300s", code, body)
	}
}

// TestAuditNames shows the audit log on the mediator's living text, each
// change by the display name of its author, and to nobody else.
func TestAuditNames(t *testing.T) {
	f := newFixture(t)
	if code, _, _ := f.post(t, "russia", "/n/"+nid+"/reservation", url.Values{"value": {"0.2"}}); code != http.StatusSeeOther {
		t.Fatalf("ru saves its reservation value: %d", code)
	}
	_, body := f.get(t, "mediator", "/n/"+nid+"/text")
	i := strings.Index(body, `id="audit-h"`)
	if i < 0 {
		t.Fatal("the mediator's living text has no audit log")
	}
	audit := body[i:]
	for _, want := range []string{"<td>russia</td><td>reservation.set</td>", "<td>mediator</td><td>member.add</td>"} {
		if !strings.Contains(audit, want) {
			t.Errorf("the audit log lacks %q", want)
		}
	}
	if strings.Contains(audit, "acct-") {
		t.Error("the audit log names an account by its id")
	}
	for _, who := range []string{"russia", "observer"} {
		if _, body := f.get(t, who, "/n/"+nid+"/text"); strings.Contains(body, `id="audit-h"`) {
			t.Errorf("%s reads the audit log", who)
		}
	}
}
