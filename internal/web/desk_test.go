package web_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"parley/internal/access"
	"parley/scenario"
)

// deskSection cuts a page from the element with id to the next section's
// heading, so that a test reads one part of the desk.
func deskSection(t *testing.T, body, id string) string {
	t.Helper()
	i := strings.Index(body, `id="`+id+`"`)
	if i < 0 {
		t.Fatalf("the page has no %q", id)
	}
	rest := body[i:]
	if j := strings.Index(rest[1:], "<h2 "); j >= 0 {
		return rest[:j+1]
	}
	return rest
}

// deskInOrder reports whether each of subs occurs in s after the one before.
func deskInOrder(s string, subs ...string) bool {
	for _, sub := range subs {
		i := strings.Index(s, sub)
		if i < 0 {
			return false
		}
		s = s[i+len(sub):]
	}
	return true
}

// TestDeskNamesPoints: the desk names points by number and title, as the
// report does, and lists a package in the order of the text: its
// conflicts, open points, red lines crossed, fair packages, concessions
// and relaxations; and it groups the digits of its counts.
func TestDeskNamesPoints(t *testing.T) {
	f := newFixture(t)
	desk := "/n/" + nid + "/desk?version=v4"
	_, body := f.get(t, "mediator", desk)

	if sum := deskSection(t, body, "sum-h"); !strings.Contains(sum, "none of the 2,560 packages") {
		t.Errorf("the summary does not group the count of packages:\n%s", sum)
	}
	sc := deskSection(t, body, "sc-h")
	if !strings.Contains(sc, "open points: 12. Zaporizhzhia nuclear plant, 22. NATO troops in Ukraine") {
		t.Errorf("the scorecard does not name the open points by title:\n%s", sc)
	}
	if !strings.Contains(sc, "(14. Territory)") || strings.Contains(sc, "territory=") {
		t.Errorf("the scorecard does not name the red lines crossed by point title:\n%s", sc)
	}
	cf := deskSection(t, body, "cf-h")
	if !strings.Contains(cf, "<strong>14. Territory (joined by a linkage to 20. Ceasefire)</strong>: the red lines of ua and ru") {
		t.Errorf("the conflict is not named by its points' titles:\n%s", cf)
	}
	if !deskInOrder(cf, "14. Territory: anchorage", "20. Ceasefire: ceasefire_<wbr>first", "blocked by", "ua&#39;s red line on anchorage (14. Territory)") {
		t.Errorf("a conflict's option is not listed in text order with titles:\n%s", cf)
	}
	rl := deskSection(t, body, "rl-h")
	if !strings.Contains(rl, "ua&#39;s red line on anchorage (14. Territory)") || strings.Contains(rl, "territory=") {
		t.Errorf("the relaxations do not name the red lines by point title:\n%s", rl)
	}

	// With ua's red line on anchorage lifted a zone opens: the packages.
	_, body = f.get(t, "mediator", desk+"&lift="+url.QueryEscape("ua|territory|anchorage"))
	if want := "<li>ua&#39;s red line on anchorage (14. Territory) lifted (the option is worth 0.00 to ua)</li>"; !strings.Contains(body, want) {
		t.Errorf("the what-if changes do not say %q", want)
	}
	if strings.Contains(deskSection(t, body, "analysis"), "?") {
		t.Error("the what-if changes print a ?")
	}
	fp := deskSection(t, body, "fp-h")
	// 14. Territory comes before 12. Zaporizhzhia nuclear plant in the
	// text (its blocks are in reading order, not by number).
	if !deskInOrder(fp, "Nash: the package", "14. Territory: <strong>anchorage</strong>", "12. Zaporizhzhia nuclear plant: <strong>", "21. NATO membership: <strong>", "26. Sanctions and the G8: <strong>") {
		t.Errorf("the Nash package is not in text order with titles:\n%s", fp)
	}
	if strings.Contains(fp, "territory: <strong>") {
		t.Errorf("a package names a point by its id:\n%s", fp)
	}
	if !strings.Contains(fp, "The other 18 points are as written.") {
		t.Errorf("the package does not say the settled points are as written:\n%s", fp)
	}
	if !regexp.MustCompile(`gives up 0\.\d\d of its ideal 0\.\d\d, on \d+\. [A-Z]`).MatchString(fp) {
		t.Errorf("the concessions do not name points by title:\n%s", fp)
	}
}

// TestDeskWhatIfReservation: a reservation value moved in the what-if is
// stated with the value it replaces, never "?".
func TestDeskWhatIfReservation(t *testing.T) {
	f := newFixture(t)
	_, body := f.get(t, "mediator", "/n/"+nid+"/desk?version=v4&res.ua=0.3&lift="+url.QueryEscape("ru|territory|line_of_contact"))
	for _, want := range []string{
		"<li>ru&#39;s red line on line_of_contact (14. Territory) lifted (the option is worth 0.00 to ru)</li>",
		"<li>ua&#39;s reservation value set to 0.3 (was 0.40)</li>",
	} {
		if !strings.Contains(body, want) {
			t.Errorf("the what-if changes do not say %q", want)
		}
	}
	if strings.Contains(body, "(was ?)") || strings.Contains(body, "worth ?") {
		t.Error("a what-if change prints ?")
	}
}

// TestDeskSaysWhichVersionsChartsLeaveOut: versions with points open have
// no point on the charts, and the page says which and why.
func TestDeskSaysWhichVersionsChartsLeaveOut(t *testing.T) {
	f := newFixture(t)
	_, body := f.get(t, "mediator", "/n/"+nid+"/desk?version=v4")
	ch := deskSection(t, body, "ch-h")
	for _, want := range []string{
		"Not marked: v3 (3 points open) and v4 (5 points open).",
		"No point for v3 (3 points open) and v4 (5 points open): a version with points open is not one package yet.",
	} {
		if !strings.Contains(ch, want) {
			t.Errorf("the charts do not say %q", want)
		}
	}
}

// TestDeskReservationsListEveryBargainer: the mediator's own party, which
// bargains, is listed and set on the desk like any other, and its "who
// can see this" names no delegation it does not have.
func TestDeskReservationsListEveryBargainer(t *testing.T) {
	f := newFixture(t)
	desk := "/n/" + nid + "/desk"
	_, body := f.get(t, "mediator", desk)
	for _, want := range []string{
		`<li><strong>us</strong> 0.30 <span class="muted">from the scenario file</span></li>`,
		`id="rv-us"`, `name="party" value="us"`,
		`id="rv-us-who"><strong>Who can see this:</strong> the mediator.`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("the desk lacks %q", want)
		}
	}
	if !deskInOrder(body, `<li><strong>us</strong>`, `<li><strong>ua</strong>`, `<li><strong>ru</strong>`, `<li><strong>e3</strong>`) {
		t.Error("the reservation values are not in the order of the parties")
	}
	code, loc, _ := f.post(t, "mediator", "/n/"+nid+"/reservation", url.Values{"party": {"us"}, "value": {"0.25"}, "rev": {"0"}})
	if code != http.StatusSeeOther {
		t.Fatalf("the mediator saves us's value: %d", code)
	}
	if u, _ := url.Parse(loc); !strings.Contains(u.Query().Get("notice"), "Who can see it: the mediator.") {
		t.Errorf("the notice after saving us's value: %q", u.Query().Get("notice"))
	}
	_, body = f.get(t, "mediator", desk)
	if !strings.Contains(body, `<li><strong>us</strong> 0.25 <span class="muted">private</span></li>`) {
		t.Error("the desk does not list us's saved value")
	}
	if !strings.Contains(body, `name="res.us" min="0" max="1" step="any" value="0.25"`) {
		t.Error("the what-if does not start from us's saved value")
	}
}

// TestObserverDeskSaysWhatIsHidden: an observer, who sees no party's
// positions, is told the red lines are not visible to it (not that there
// are none), and its what-if boxes do not show hidden reservation values
// as 0.
func TestObserverDeskSaysWhatIsHidden(t *testing.T) {
	f := newFixture(t)
	_, body := f.get(t, "observer", "/n/"+nid+"/desk")
	if strings.Contains(body, "No red line on this version.") {
		t.Error("the observer is told there is no red line")
	}
	if !strings.Contains(body, "No red line that you can see on this version: the positions of us, ua, ru and e3 are not visible to you.") {
		t.Error("the observer is not told whose red lines it cannot see")
	}
	for _, p := range []string{"us", "ua", "ru", "e3"} {
		if strings.Contains(body, `name="res.`+p+`" min="0" max="1" step="any" value="0"`) {
			t.Errorf("the observer's what-if shows %s's hidden reservation value as 0", p)
		}
		if !strings.Contains(body, `name="res.`+p+`" min="0" max="1" step="any" value="" placeholder="hidden" aria-describedby="res-hidden"`) {
			t.Errorf("the observer's what-if does not say %s's value is hidden", p)
		}
	}

	if !strings.Contains(body, `id="res-hidden">Hidden: the values of us, ua, ru and e3 are not visible to you, and the analysis reads them as 0.`) {
		t.Error("the observer's what-if does not say which values are hidden")
	}

	// The mediator sees every red line and every value.
	_, body = f.get(t, "mediator", "/n/"+nid+"/desk")
	if strings.Contains(body, "not visible to you") || strings.Contains(body, `placeholder="hidden"`) {
		t.Error("the mediator is told something is hidden from it")
	}

	// A party sees its own red lines and is told the others' are hidden;
	// its own value shows, a value shared with all shows too.
	_, body = f.get(t, "russia", "/n/"+nid+"/desk")
	if !strings.Contains(body, "The red lines of us, ua and e3 are not visible to you.") {
		t.Error("ru is not told whose red lines it cannot see")
	}
	if !strings.Contains(body, `name="res.ru" min="0" max="1" step="any" value="0.5"`) {
		t.Error("ru's what-if does not start from its own value")
	}
}

// TestRedLinesInTextOrder: the what-if's red lines go party by party, in
// the order of the parties, and then in the order of the text.
func TestRedLinesInTextOrder(t *testing.T) {
	f := newFixture(t)
	_, body := f.get(t, "mediator", "/n/"+nid+"/desk?version=v4")
	if !deskInOrder(body, "ua: recognition_withdrawal on 14. Territory", "ua: anchorage on 14. Territory",
		"ru: line_of_contact on 14. Territory", "ru: zone_referendum on 14. Territory", "ru: consensus on 21. NATO membership") {
		t.Error("the what-if's red lines are not by party, then in text order")
	}
}

// TestDeskHiddenValueOfASharedParty: once ru shares its positions, the
// others see its red lines and its scenario file's reservation value; a
// value ru's mediator then sets privately reads "hidden" to them, in the
// scorecard and the what-if, never 0.
func TestDeskHiddenValueOfASharedParty(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	svc := f.srv.Service()
	st, err := svc.State(ctx, nid)
	if err != nil {
		t.Fatal(err)
	}
	doc, rev, _ := st.PositionsOf(access.Reader{Role: access.Party, Party: "ru"}, "ru")
	doc.Positions = append([]scenario.Position(nil), doc.Positions...)
	for i := range doc.Positions {
		doc.Positions[i].Shared = true
	}
	if _, err := svc.PutPositions(ctx, f.accts["russia"], nid, "ru", doc, rev); err != nil {
		t.Fatal(err)
	}
	desk := "/n/" + nid + "/desk?version=v4"
	_, body := f.get(t, "observer", desk)
	if !strings.Contains(body, "ru: zone_referendum on 14. Territory") || !strings.Contains(body, "The red lines of us, ua and e3 are not visible to you.") {
		t.Error("the observer is not shown ru's shared red lines, or not told whose it cannot see")
	}
	if !strings.Contains(body, `name="res.ru" min="0" max="1" step="any" value="0.5"`) {
		t.Error("the observer's what-if does not start from ru's shared scenario value")
	}

	code, _, _ := f.post(t, "mediator", "/n/"+nid+"/reservation", url.Values{"party": {"ru"}, "value": {"0.37"}, "rev": {"0"}})
	if code != http.StatusSeeOther {
		t.Fatalf("the mediator saves ru's value: %d", code)
	}
	for _, who := range []string{"observer", "ukraine"} {
		_, body = f.get(t, who, desk)
		if strings.Contains(body, `name="res.ru" min="0" max="1" step="any" value="0"`) || strings.Contains(body, "0.37") {
			t.Errorf("%s's what-if shows ru's private value, or 0 for it", who)
		}
		if !strings.Contains(body, `name="res.ru" min="0" max="1" step="any" value="" placeholder="hidden"`) {
			t.Errorf("%s's what-if does not say ru's value is hidden", who)
		}
		if !strings.Contains(deskSection(t, body, "sc-h"), `<th scope="row">ru</th><td>–</td><td><span class="muted">hidden</span></td>`) {
			t.Errorf("%s's scorecard does not say ru's value is hidden", who)
		}
	}
}
