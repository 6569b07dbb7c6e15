package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// TestErrorPageGoesBack: the error page's way back is a plain link, which
// the pages' content security policy lets through, to the page the reader
// came from or, failing that, to the negotiation.
func TestErrorPageGoesBack(t *testing.T) {
	f := newFixture(t)
	c, csrf := f.session(t, "mediator")
	// A bad form sent from the living text: back to the living text.
	form := url.Values{"csrf": {csrf}, "from": {"no-such-version"}, "id": {"v9"}, "title": {"x"}}
	req, _ := http.NewRequest("POST", f.ts.URL+"/n/"+nid+"/draft", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Referer", f.ts.URL+"/n/"+nid+"/text?point=territory")
	req.AddCookie(c)
	code, _, body := send(t, req)
	if code != http.StatusUnprocessableEntity {
		t.Fatalf("bad draft: status %d, want 422\n%.300s", code, body)
	}
	if strings.Contains(body, "javascript:") {
		t.Errorf("the error page links to a javascript: address, which the pages' CSP blocks")
	}
	if !strings.Contains(body, `<a href="/n/`+nid+`/text?point=territory">Go back</a>`) {
		t.Errorf("the error page does not link back to the page the form came from:\n%s", body)
	}
	// No page to come from, or another site's: to the negotiation.
	for _, ref := range []string{"", "http://elsewhere.example/n/" + nid + "/text"} {
		req, _ := http.NewRequest("GET", f.ts.URL+"/n/"+nid+"/compare?from=v1&to=nope", nil)
		if ref != "" {
			req.Header.Set("Referer", ref)
		}
		req.AddCookie(c)
		code, _, body := send(t, req)
		if code != http.StatusNotFound {
			t.Fatalf("compare with a missing version: status %d, want 404", code)
		}
		if !strings.Contains(body, `<a href="/n/`+nid+`">Back to the negotiation</a>`) || strings.Contains(body, "elsewhere") {
			t.Errorf("referrer %q: the error page does not lead back to the negotiation:\n%s", ref, body)
		}
	}
}

// TestAuditDetailInWords: the audit log's details read as words, with
// parties by name, never as a Go slice.
func TestAuditDetailInWords(t *testing.T) {
	f := newFixture(t)
	steps := []struct {
		path string
		form url.Values
	}{
		{"/draft", url.Values{"from": {"v4"}, "id": {"v5"}, "title": {"Next"}}},
		{"/publish", url.Values{"version": {"v5"}}},
		{"/share", url.Values{"version": {"v5"}, "party": {"ua", "ru"}}},
	}
	for _, s := range steps {
		if code, _, body := f.post(t, "mediator", "/n/"+nid+s.path, s.form); code != http.StatusSeeOther {
			t.Fatalf("%s: status %d\n%.300s", s.path, code, body)
		}
	}
	_, body := f.get(t, "mediator", "/n/"+nid+"/text")
	_, audit, _ := strings.Cut(body, `id="audit-h"`)
	for _, want := range []string{"<td>with Ukraine and Russia</td>", "<td>as the delegate of Ukraine</td>", "<td>as an observer</td>"} {
		if !strings.Contains(audit, want) {
			t.Errorf("the audit log lacks %q", want)
		}
	}
	for _, bad := range []string{"[ua ru]", "<td>party ua</td>", "<td>observer </td>"} {
		if strings.Contains(audit, bad) {
			t.Errorf("the audit log shows %q, not words", bad)
		}
	}
}

// TestTimelineMediatorPresent: a meeting's parties present include the
// mediator's own party, which bargains in the default scenario.
func TestTimelineMediatorPresent(t *testing.T) {
	f := newFixture(t)
	_, body := f.get(t, "mediator", "/n/"+nid+"/text")
	for _, id := range []string{"us", "ua", "ru", "e3"} {
		if !strings.Contains(body, `id="tl-p-`+id+`" name="party" value="`+id+`"`) {
			t.Errorf("the timeline form cannot mark %s present", id)
		}
	}
	form := url.Values{"date": {"2026-03-01"}, "title": {"Talks in Istanbul"}, "party": {"us", "ru"}}
	if code, _, body := f.post(t, "mediator", "/n/"+nid+"/timeline", form); code != http.StatusSeeOther {
		t.Fatalf("add event: status %d\n%.300s", code, body)
	}
	_, body = f.get(t, "russia", "/n/"+nid+"/text")
	if !strings.Contains(body, "Talks in Istanbul · us, ru") {
		t.Errorf("the timeline does not show the mediator's party present")
	}
}
