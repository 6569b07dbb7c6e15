package web_test

import (
	"context"
	"fmt"
	"html"
	"math"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"parley/analysis"
	"parley/internal/access"
	"parley/internal/negotiation"
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

// TestWorkspaceRanges: a party's utility of a version with open points
// is the same range as its analysis page's scorecard shows, not "–".
func TestWorkspaceRanges(t *testing.T) {
	f := newFixture(t)
	_, ws := f.get(t, "ukraine", "/n/"+nid+"/workspace")
	_, table, _ := strings.Cut(ws, `id="util-h"`)
	table, _, _ = strings.Cut(table, "</table>")
	row := regexp.MustCompile(`<th scope="row">ua</th><td>([^<]*)</td><td>[^<]*</td><td>([^<]*)</td>`)
	open := 0
	for _, v := range []string{"v1", "v2", "v3", "v4"} {
		_, desk := f.get(t, "ukraine", "/n/"+nid+"/desk?version="+v)
		_, cell, _ := strings.Cut(table, `<th scope="row">`+v+` —`)
		cell, _, _ = strings.Cut(cell, "</tr>")
		if strings.Contains(cell, "<td>–</td>") {
			t.Errorf("%s: the workspace shows no utility: %s", v, cell)
		}
		m := row.FindStringSubmatch(desk)
		if m == nil {
			continue // a version that proposes nothing has no scorecard
		}
		want := m[1]
		if want == "–" {
			open++
			want = m[2] + ` <span class="muted">(`
		}
		if !strings.Contains(cell, "<td>"+want) {
			t.Errorf("%s: the workspace shows %q, the analysis page %q", v, cell, want)
		}
	}
	if open == 0 {
		t.Errorf("no version with open points: the test checks nothing")
	}
}

// TestAnswerUnsealed: once every party has answered, a party's own
// answer is no longer called sealed.
func TestAnswerUnsealed(t *testing.T) {
	f := newFixture(t)
	if code, _, body := f.post(t, "mediator", "/n/"+nid+"/votes", url.Values{"version": {"v4"}}); code != http.StatusSeeOther {
		t.Fatalf("call vote: %d\n%.300s", code, body)
	}
	vote := func() string {
		_, body := f.get(t, "russia", "/n/"+nid+"/workspace")
		_, v, _ := strings.Cut(body, `id="votes"`)
		return v
	}
	for i, who := range []string{"russia", "ukraine", "europe"} {
		_, body := f.get(t, who, "/n/"+nid+"/workspace")
		m := regexp.MustCompile(`action="(/n/[^"]+/votes/[^"]+)"`).FindStringSubmatch(body)
		if m == nil {
			t.Fatalf("%s: no ballot form", who)
		}
		if code, _, body := f.post(t, who, m[1], url.Values{"answer": {"yes"}}); code != http.StatusSeeOther {
			t.Fatalf("%s answers: %d\n%.300s", who, code, body)
		}
		if i == 0 && !strings.Contains(vote(), "(final, sealed)") {
			t.Errorf("before every party has answered, the answer is not said to be sealed")
		}
	}
	if v := vote(); strings.Contains(v, "sealed)") || !strings.Contains(v, "no longer sealed") {
		t.Errorf("after every party has answered, the answer is still called sealed:\n%s", v)
	}
}

// TestObserverVersions: an observer's list of versions says what is true
// for it — it reads a version once every party has it — never "nobody
// yet".
func TestObserverVersions(t *testing.T) {
	f := newFixture(t)
	_, body := f.get(t, "observer", "/n/"+nid+"/text")
	_, list, _ := strings.Cut(body, `id="ver-h"`)
	list, _, _ = strings.Cut(list, "</table>")
	if strings.Contains(list, "nobody yet") || strings.Contains(list, "You received it") {
		t.Errorf("the observer's versions speak of receiving:\n%s", list)
	}
	if n := strings.Count(list, "when every party had it"); n != 4 {
		t.Errorf("%d versions say when every party had them, want 4:\n%s", n, list)
	}
}

// TestOverlapShown: once revealed, the overlap's packages are shown to
// the mediator and the parties point by point, by numbered title, in the
// order of the text.
func TestOverlapShown(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	svc := f.srv.Service()
	vv, err := svc.CallVote(ctx, f.accts["mediator"], nid, negotiation.Vote{Kind: negotiation.VoteVersion, Version: "v1"})
	if err != nil {
		t.Fatal(err)
	}
	st, err := svc.State(ctx, nid)
	if err != nil {
		t.Fatal(err)
	}
	v, _ := st.Scenario(access.Reader{Role: access.Mediator}).Version("v1")
	pkg, open := v.Proposal()
	if len(open) > 0 {
		t.Fatalf("v1 leaves %v open", open)
	}
	for _, who := range []string{"ukraine", "russia", "europe"} {
		if _, err := svc.Answer(ctx, f.accts[who], nid, vv.ID, nil, []map[string]string{pkg}); err != nil {
			t.Fatal(err)
		}
	}
	var want []string
	for _, pt := range v.Points() {
		if o, ok := pkg[pt.ID]; ok {
			want = append(want, fmt.Sprintf("<strong>%d. %s</strong>: <code>%s", pt.Number, html.EscapeString(pt.Title), o))
		}
	}
	for _, page := range [][2]string{{"mediator", "/text"}, {"russia", "/workspace"}} {
		_, body := f.get(t, page[0], "/n/"+nid+page[1])
		_, vote, _ := strings.Cut(body, `id="vote-`+vv.ID+`"`)
		vote = strings.ReplaceAll(vote, "<wbr>", "")
		at := 0
		for _, w := range want {
			i := strings.Index(vote[at:], w)
			if i < 0 {
				t.Errorf("%s%s: the overlap lacks %q after byte %d, or not in text order", page[0], page[1], w, at)
				break
			}
			at += i + len(w)
		}
	}
}

// TestCompareGains: the compare page shows each party's change between
// two versions as the engine computes it ("parley diff" prints the
// same), a range while points are open, and the points that moved them.
func TestCompareGains(t *testing.T) {
	f := newFixture(t)
	st, err := f.srv.Service().State(context.Background(), nid)
	if err != nil {
		t.Fatal(err)
	}
	sc := st.Scenario(access.Reader{Role: access.Mediator})
	for _, pair := range [][2]string{{"v1", "v2"}, {"v3", "v4"}, {"v1", "v4"}, {"v1", "v3"}, {"v2", "v1"}, {"v4", "v2"}} {
		tr, _, err := analysis.NewTrajectory(sc, analysis.CompileOptions{}, [][2]string{pair})
		if err != nil {
			t.Fatal(err)
		}
		ch := tr.Changes[len(tr.Changes)-1]
		if ch.From != pair[0] || ch.To != pair[1] {
			t.Fatalf("the engine compared %s with %s", ch.From, ch.To)
		}
		_, body := f.get(t, "mediator", "/n/"+nid+"/compare?from="+pair[0]+"&to="+pair[1])
		_, gains, _ := strings.Cut(body, `id="gain-h"`)
		gains, _, _ = strings.Cut(gains, `id="chg-h"`)
		gains = html.UnescapeString(strings.ReplaceAll(gains, "<wbr>", ""))
		for _, pc := range ch.Parties {
			_, row, _ := strings.Cut(gains, `<th scope="row">`+pc.Party)
			row, _, _ = strings.Cut(row, "</tr>")
			// The change as the two cells print: what a reader works out
			// from them, and what "parley diff" says.
			two := func(x float64) float64 { v, _ := strconv.ParseFloat(fmt.Sprintf("%.2f", x), 64); return v }
			var want string
			switch {
			case pc.Change != nil && pc.From != nil && pc.To != nil:
				d := two(*pc.To) - two(*pc.From)
				switch {
				case math.Abs(d) < 0.005:
					want = "unchanged"
				case d < 0:
					want = fmt.Sprintf("lost %.2f", -d)
				default:
					want = fmt.Sprintf("gained %+.2f", d)
				}
			case pc.ChangeMin != nil && pc.From != nil:
				want = fmt.Sprintf("a change of %+.2f to %+.2f", two(*pc.From+*pc.ChangeMin)-two(*pc.From), two(*pc.From+*pc.ChangeMax)-two(*pc.From))
			case pc.ChangeMin != nil && pc.To != nil:
				want = fmt.Sprintf("a change of %+.2f to %+.2f", two(*pc.To)-two(*pc.To-*pc.ChangeMin), two(*pc.To)-two(*pc.To-*pc.ChangeMax))
			case pc.ChangeMin != nil:
				want = fmt.Sprintf("a change of %+.2f to %+.2f", *pc.ChangeMin, *pc.ChangeMax)
			default:
				t.Fatalf("%v: the engine gives %s no change", pair, pc.Party)
			}
			if !strings.Contains(row, want) {
				t.Errorf("%v: %s's row lacks %q: %s", pair, pc.Party, want, row)
			}
		}
		moved := 0
		for _, p := range ch.Points {
			for i, c := range p.Contributions {
				if c != nil && math.Abs(*c) >= 0.005 {
					moved++
					if want := fmt.Sprintf("%s %+.2f", ch.Parties[i].Party, *c); !strings.Contains(gains, want) {
						t.Errorf("%v: point %s: the page lacks %q", pair, p.Point, want)
					}
				}
			}
		}
		if moved == 0 {
			t.Errorf("%v: no point moved anyone: the test checks nothing", pair)
		}
		if !strings.Contains(gains, "The points that moved them") {
			t.Errorf("%v: the page does not list the points that moved the parties", pair)
		}
		if strings.Contains(gains, "left out of the analysis") {
			t.Errorf("%v: the legend speaks of versions left out, none is", pair)
		}
	}
}

// TestSignInPageStaysOnSite asks for the sign-in page with a "next" that a
// browser would read as another host: the page must not carry it.
func TestSignInPageStaysOnSite(t *testing.T) {
	f := newFixture(t)
	req, _ := http.NewRequest("GET", f.ts.URL+"/signin?next="+url.QueryEscape("/\\evil.example"), nil)
	code, _, body := send(t, req)
	if code != 200 || strings.Contains(body, "evil.example") {
		t.Errorf("sign-in page with next=/\\evil.example: %d, and it keeps the address: %v", code, strings.Contains(body, "evil.example"))
	}
}

// TestTimelinePartyOnce sends a party twice with a new meeting: the
// timeline names it once.
func TestTimelinePartyOnce(t *testing.T) {
	f := newFixture(t)
	form := url.Values{"date": {"2026-01-05"}, "title": {"Twice round"}, "party": {"ua", "ua", "ru"}}
	if code, _, body := f.post(t, "mediator", "/n/"+nid+"/timeline", form); code != http.StatusSeeOther {
		t.Fatalf("add: %d %s", code, body)
	}
	_, body := f.get(t, "mediator", "/n/"+nid+"/text")
	_, row, _ := strings.Cut(body, "Twice round")
	row, _, _ = strings.Cut(row, "</li>")
	if strings.Contains(row, "ua, ua") || !strings.Contains(row, "ua, ru") {
		t.Errorf("the meeting names its parties as: %q", row)
	}
}

// TestPartialAnalysisSaysSo reads the analysis as a party: its summary
// says it is made over the positions that party can see, which the
// mediator's, over every position, does not need to.
func TestPartialAnalysisSaysSo(t *testing.T) {
	f := newFixture(t)
	const partial = "Over the positions you can see only."
	_, body := f.get(t, "ukraine", "/n/"+nid+"/desk?version=v4")
	if !strings.Contains(body, partial) {
		t.Errorf("ua's analysis does not say it is over the positions ua can see")
	}
	_, body = f.get(t, "mediator", "/n/"+nid+"/desk?version=v4")
	if strings.Contains(body, partial) {
		t.Errorf("the mediator's analysis says it is partial")
	}
}

// TestCompareWordsPunctuation reads the word-by-word comparison: no space
// before a comma or a full stop.
func TestCompareWordsPunctuation(t *testing.T) {
	f := newFixture(t)
	_, body := f.get(t, "mediator", "/n/"+nid+"/compare?from=v3&to=v4")
	spans := regexp.MustCompile(`(?s)<span class="words">(.*?)</span>`).FindAllStringSubmatch(body, -1)
	if len(spans) == 0 {
		t.Fatal("no word-by-word comparison on the page")
	}
	tags := regexp.MustCompile(`</?(ins|del)>`)
	for _, m := range spans {
		text := html.UnescapeString(tags.ReplaceAllString(m[1], ""))
		if strings.Contains(text, " ,") || strings.Contains(text, " .") {
			t.Errorf("a space before punctuation: %q", text)
		}
	}
}

// TestSimulateSaysWhyNot opens the simulation page as the observer, who
// sees no party's positions: it says why it cannot simulate instead of
// offering a form that can only fail.
func TestSimulateSaysWhyNot(t *testing.T) {
	f := newFixture(t)
	_, body := f.get(t, "observer", "/n/"+nid+"/simulate")
	if !strings.Contains(body, `id="simulate-why"`) || strings.Contains(body, `id="simulate"`) {
		t.Errorf("the observer's simulation page offers the form or does not say why not")
	}
	_, body = f.get(t, "mediator", "/n/"+nid+"/simulate")
	if strings.Contains(body, `id="simulate-why"`) || !strings.Contains(body, `id="simulate"`) {
		t.Errorf("the mediator's simulation page does not offer the form")
	}
}

// TestVotePackagesSayWhatTheyAre reads a party's open vote: the fair
// packages it may mark are named as worked out over the positions it can
// see, and each says where it departs from the text as written.
func TestVotePackagesSayWhatTheyAre(t *testing.T) {
	f := newFixture(t)
	if code, _, body := f.post(t, "mediator", "/n/"+nid+"/votes", url.Values{"version": {"v4"}}); code != http.StatusSeeOther {
		t.Fatalf("call a vote: %d %s", code, body)
	}
	_, body := f.get(t, "ukraine", "/n/"+nid+"/workspace")
	if !strings.Contains(body, `name="pkg"`) {
		t.Fatal("ua's workspace offers no package to mark")
	}
	if strings.Contains(body, "Nash — your utility") || !strings.Contains(body, "over the positions you can see — your utility") {
		t.Errorf("a fair package to mark is not named as worked out over what ua can see")
	}
	if !strings.Contains(body, "from the text as written</summary>") {
		t.Errorf("no package to mark says where it departs from the text")
	}
}
