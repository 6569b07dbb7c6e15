package web_test

import (
	"context"
	_ "embed"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
)

// The browser tests drive Debian's chromium, headless, through the web UI
// as a mediator and two parties would.

const chromium = "/usr/bin/chromium"

//go:embed testdata/axe/axe.min.js
var axeSource string

// browser is one person's browser: its own cookies.
type browser struct {
	t    *testing.T
	ctx  context.Context
	who  string
	base string
	dir  string // screenshots
}

// startChromium starts a browser of its own, with a fresh profile.
func startChromium(t *testing.T) context.Context {
	t.Helper()
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(chromium),
		chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU, chromedp.NoFirstRun, chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1280, 900),
	}
	actx, cancel := chromedp.NewExecAllocator(context.Background(), opts...)
	t.Cleanup(cancel)
	bctx, cancel2 := chromedp.NewContext(actx)
	t.Cleanup(cancel2)
	if err := chromedp.Do(bctx, chromedp.Navigate("about:blank")); err != nil {
		t.Fatalf("starting chromium: %v", err)
	}
	return bctx
}

func screenshotDir(t *testing.T) string {
	dir := os.Getenv("PARLEY_SCREENSHOTS")
	if dir == "" {
		var err error
		if dir, err = os.MkdirTemp("", "parley-screenshots-"); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshots in %s", dir)
	return dir
}

// newBrowser starts a browser of its own (its own cookies) and signs in
// with a one-time code through the sign-in page.
func newBrowser(t *testing.T, f *fixture, who, dir string) *browser {
	b := &browser{t: t, ctx: startChromium(t), who: who, base: f.ts.URL, dir: dir}
	b.signIn(f)
	return b
}

func (b *browser) signIn(f *fixture) {
	t, who := b.t, b.who
	b.do(chromedp.EmulateViewport(1280, 900), chromedp.Navigate(b.base+"/signin"), chromedp.WaitVisible(chromedp.ID("code")))
	b.do(chromedp.SendKeys(chromedp.ID("code"), f.code(t, who)), chromedp.Click(chromedp.CSS("#signin-code button")),
		chromedp.WaitVisible(chromedp.CSS("nav.tabs")))
}

func (b *browser) do(steps ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 60*time.Second)
	defer cancel()
	if err := chromedp.Do(ctx, steps...); err != nil {
		b.t.Fatalf("%s: %v", b.who, err)
	}
}

// open loads a page and returns its HTTP status.
func (b *browser) open(path string) int64 {
	b.t.Helper()
	b.do(chromedp.Navigate(b.base + path))
	return b.status()
}

// status is the HTTP status of the page shown.
func (b *browser) status() int64 {
	b.t.Helper()
	st, err := runT(b.ctx, chromedp.Evaluate[int64](`performance.getEntriesByType('navigation')[0].responseStatus`))
	if err != nil {
		b.t.Fatalf("%s: status: %v", b.who, err)
	}
	return st
}

// submit clicks a button that sends a form and waits for the page that
// answers; it fails the test unless that page is a 200.
func (b *browser) submit(sel string) {
	b.t.Helper()
	b.eval(`window.parleyOldPage = true`)
	b.do(chromedp.Click(chromedp.CSS(sel)))
	b.waitNewPage(sel)
	if st := b.status(); st != 200 {
		b.t.Fatalf("%s: submit %s: status %d: %s", b.who, sel, st, b.text("main"))
	}
}

// waitNewPage waits until the page marked old has been replaced and the
// new one has loaded. Evaluations fail while the page navigates: they are
// tried again.
func (b *browser) waitNewPage(what string) {
	b.t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		ctx, cancel := context.WithTimeout(b.ctx, 5*time.Second)
		done, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`window.parleyOldPage === undefined && document.readyState === 'complete'`))
		cancel()
		if err == nil && done {
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
	b.t.Fatalf("%s: %s: no new page within a minute", b.who, what)
}

// text is the text content of the first element matching sel, hidden
// parts (closed details) included.
func (b *browser) text(sel string) string {
	b.t.Helper()
	s, err := runT(b.ctx, chromedp.Evaluate[string](fmt.Sprintf("(document.querySelector(%q)||{}).textContent||''", sel)))
	if err != nil {
		b.t.Fatalf("%s: text %s: %v", b.who, sel, err)
	}
	return s
}

// value is the value of the form control with the given id, "" when
// there is none.
func (b *browser) value(id string) string {
	b.t.Helper()
	s, err := runT(b.ctx, chromedp.Evaluate[string](fmt.Sprintf("(document.getElementById(%q)||{}).value||''", id)))
	if err != nil {
		b.t.Fatalf("%s: value of %s: %v", b.who, id, err)
	}
	return s
}

func (b *browser) eval(js string) {
	b.t.Helper()
	b.do(chromedp.Evaluate[chromedp.Void](js))
}

// shot writes screenshots of the page at laptop and tablet widths, and
// runs the accessibility checker on it.
func (b *browser) shot(name string) {
	b.t.Helper()
	for _, w := range []struct {
		width, height int64
		label         string
	}{{1280, 800, "1280"}, {768, 1024, "768"}} {
		b.do(chromedp.EmulateViewport(w.width, w.height))
		png, err := runT(b.ctx, chromedp.FullScreenshot(100))
		if err != nil {
			b.t.Fatalf("%s: screenshot %s: %v", b.who, name, err)
		}
		view, err := runT(b.ctx, chromedp.CaptureScreenshot())
		if err != nil {
			b.t.Fatalf("%s: screenshot %s: %v", b.who, name, err)
		}
		for file, img := range map[string][]byte{"full": png, "top": view} {
			if err := os.WriteFile(filepath.Join(b.dir, fmt.Sprintf("%s-%s-%s.png", name, w.label, file)), img, 0o644); err != nil {
				b.t.Fatal(err)
			}
		}
		// Nothing may be wider than the window.
		over, err := runT(b.ctx, chromedp.Evaluate[bool](`document.documentElement.scrollWidth > window.innerWidth + 1`))
		if err == nil && over {
			b.t.Errorf("%s at %d px: the page scrolls sideways", name, w.width)
		}
	}
	b.do(chromedp.EmulateViewport(1280, 900))
	b.axe(name)
}

// axe injects axe-core and fails on WCAG 2 A and AA violations.
func (b *browser) axe(name string) {
	b.t.Helper()
	ok, err := runT(b.ctx, chromedp.Evaluate[bool]("typeof axe !== 'undefined'"))
	if err != nil {
		b.t.Fatal(err)
	}
	if !ok {
		b.eval(axeSource)
	}
	js := `axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}}).then(r => JSON.stringify(r.violations.map(v => ({id: v.id, help: v.help, nodes: v.nodes.slice(0, 3).map(n => n.target.join(' ') + ': ' + n.failureSummary)}))))`
	out, err := runT(b.ctx, chromedp.Evaluate[string](js, chromedp.EvalAwaitPromise))
	if err != nil {
		b.t.Fatalf("%s: axe on %s: %v", b.who, name, err)
	}
	var vs []struct {
		ID, Help string
		Nodes    []string
	}
	if err := json.Unmarshal([]byte(out), &vs); err != nil {
		b.t.Fatal(err)
	}
	for _, v := range vs {
		b.t.Errorf("accessibility of %s: %s (%s)\n  %s", name, v.Help, v.ID, strings.Join(v.Nodes, "\n  "))
	}
}

// loadTime is how long the browser took to load the current page, from
// the Navigation Timing API.
func (b *browser) loadTime() float64 {
	ms, err := runT(b.ctx, chromedp.Evaluate[float64](`performance.getEntriesByType('navigation')[0].loadEventEnd - performance.getEntriesByType('navigation')[0].startTime`))
	if err != nil {
		b.t.Fatal(err)
	}
	return ms
}

func TestBrowser(t *testing.T) {
	if _, err := os.Stat(chromium); err != nil {
		t.Skipf("browser tests skipped: %s is absent (apt-get install -y chromium)", chromium)
	}
	if testing.Short() {
		t.Skip("browser tests skipped with -short: they take a minute or more")
	}
	f := newFixtureQueue(t, true)
	dir := screenshotDir(t)
	n := "/n/" + nid

	// The sign-in page, signed out; then the mediator signs in.
	med := &browser{t: t, ctx: startChromium(t), who: "mediator", base: f.ts.URL, dir: dir}
	med.open("/signin")
	med.shot("signin")
	med.signIn(f)
	ua := newBrowser(t, f, "ukraine", dir)
	ru := newBrowser(t, f, "russia", dir)

	// The mediator's desk opens on sign-in.
	if h := med.text("main h1"); !strings.Contains(h, "Mediator's desk") {
		t.Fatalf("mediator lands on %q, want the desk", h)
	}

	t.Run("share a draft with one party only", func(t *testing.T) {
		med.t, ua.t, ru.t = t, t, t
		med.open(n + "/text")
		med.do(chromedp.Click(chromedp.CSS("details.card summary")))
		med.do(chromedp.SetValue(chromedp.ID("d-from"), "v4"), chromedp.SendKeys(chromedp.ID("d-id"), "v5"),
			chromedp.SendKeys(chromedp.ID("d-title"), "Draft for Ukraine's review"))
		med.submit(`form[action$="/draft"] button`)
		med.submit(`form[action$="/publish"] button`)
		med.do(chromedp.Click(chromedp.ID("sh-v5-ua")))
		med.submit(`#v-v5 form.share button`)
		if s := med.text("#v-v5"); !strings.Contains(s, "ua ·") || strings.Contains(s, "ru ·") {
			t.Errorf("the mediator's list says v5 went to: %q", s)
		}
		if s := med.text("#v-v5 td"); s != f.srv.Service().Today() {
			t.Errorf("the new draft is dated %q, want today, %s", s, f.srv.Service().Today())
		}
		ua.open(n + "/text")
		if !strings.Contains(ua.text("main"), "Draft for Ukraine's review") {
			t.Error("ua does not see the draft shared with it")
		}
		ru.open(n + "/text")
		if strings.Contains(ru.text("main"), "Draft for Ukraine's review") {
			t.Error("ru sees a draft shared with ua only")
		}
		if st := ru.open(n + "/desk?version=v5"); st != 404 {
			t.Errorf("ru opens v5 on the desk: status %d, want 404", st)
		}
	})

	const marker = "UA-PRIVATE-REASON-4471"
	t.Run("a private stance", func(t *testing.T) {
		med.t, ua.t, ru.t = t, t, t
		ua.open(n + "/workspace")
		if !strings.Contains(ua.text("#who-sees"), "your delegation, the mediator") {
			t.Errorf("who can see this: %q", ua.text("#who-sees"))
		}
		ua.eval(`(() => { const s = document.querySelector('select.stance-select'); s.value = 'object'; s.closest('tr').querySelector('textarea').value = '` + marker + `'; })()`)
		ua.submit(`#position button[type=submit]`)
		if !strings.Contains(ua.text(".notice"), "your delegation and the mediator") {
			t.Errorf("after saving: %q", ua.text(".notice"))
		}
		for _, p := range []string{"/desk", "/desk?version=v4", "/text", "/compare"} {
			ru.open(n + p)
			if strings.Contains(ru.text("body"), marker) {
				t.Errorf("ru reads ua's private reason on %s", p)
			}
		}
		med.open(n + "/desk?version=v5")
		if !strings.Contains(med.text("body"), marker) {
			t.Error("the mediator does not see ua's private reason on the desk")
		}
	})

	t.Run("a private reservation value", func(t *testing.T) {
		med.t, ua.t, ru.t = t, t, t
		ua.open(n + "/workspace")
		if s := ua.text("#res-who-sees"); !strings.Contains(s, "your delegation, the mediator.") {
			t.Errorf("who can see the reservation value: %q", s)
		}
		ua.do(chromedp.SetValue(chromedp.ID("res-value"), "0.45"))
		ua.submit(`#reservation button`)
		if s := ua.text(".notice"); !strings.Contains(s, "Who can see it: your delegation and the mediator") {
			t.Errorf("after saving the reservation value: %q", s)
		}
		if v := ua.value("res-value"); v != "0.45" {
			t.Errorf("the workspace shows the saved value as %q", v)
		}
		med.open(n + "/desk?version=v4")
		if v := med.value("res-ua"); v != "0.45" {
			t.Errorf("the mediator's what-if starts ua's reservation value at %q, want 0.45", v)
		}
		ru.open(n + "/desk?version=v4")
		if v := ru.value("res-ua"); v == "0.45" {
			t.Error("ru reads ua's private reservation value")
		}
	})

	t.Run("the mediator sets a reservation value", func(t *testing.T) {
		med.t, ua.t, ru.t = t, t, t
		med.open(n + "/desk?version=v4")
		if s := med.text("#rv-ru-who"); !strings.Contains(s, "Who can see this: the delegation of Russia, the mediator.") {
			t.Errorf("who can see ru's value, on the desk: %q", s)
		}
		if s := med.text("#reservations .rv-now"); !strings.Contains(s, "ru 0.50 from the scenario file") {
			t.Errorf("the desk's list of reservation values: %q", s)
		}
		med.do(chromedp.Click(chromedp.CSS("#rv-forms summary")), chromedp.WaitVisible(chromedp.ID("rv-ru-value")))
		// A value out of range: the browser holds the form back at the
		// field; sent anyway, the server answers 422 naming the field.
		med.do(chromedp.SetValue(chromedp.ID("rv-ru-value"), "1.5"))
		if msg, _ := runT(med.ctx, chromedp.Evaluate[string](`document.getElementById('rv-ru-value').validationMessage`)); msg == "" {
			t.Error("the browser accepts 1.5 as a reservation value")
		}
		med.eval(`document.getElementById('rv-ru').noValidate = true; window.parleyOldPage = true`)
		med.do(chromedp.Click(chromedp.CSS("#rv-ru button")))
		med.waitNewPage("a bad reservation value")
		if st, s := med.status(), med.text("main"); st != 422 || !strings.Contains(s, "reservation value of ru: a number from 0 to 1") {
			t.Errorf("a bad value from the desk: %d %q", st, s)
		}
		med.shot("desk-reservation-error")
		med.open(n + "/desk?version=v4")
		med.do(chromedp.Click(chromedp.CSS("#rv-forms summary")), chromedp.WaitVisible(chromedp.ID("rv-ru-value")))
		med.do(chromedp.SetValue(chromedp.ID("rv-ru-value"), "0.37"))
		if on, _ := runT(med.ctx, chromedp.Evaluate[bool](`document.getElementById('rv-ru-shared').checked`)); on {
			t.Fatal("ru's value starts shared")
		}
		med.submit("#rv-ru button")
		if s := med.text(".notice"); !strings.Contains(s, "Reservation value of Russia saved. Who can see it: the delegation of Russia and the mediator.") {
			t.Errorf("after saving ru's value: %q", s)
		}
		if s := med.text("#rv-ru-now"); !strings.Contains(s, "Now 0.37, private · set by mediator on") {
			t.Errorf("the desk shows ru's value as %q", s)
		}
		if v := med.value("res-ru"); v != "0.37" {
			t.Errorf("the what-if starts ru's value at %q, want 0.37", v)
		}
		// Any saved value leaves the what-if and the forms valid as they
		// stand, so that Recompute and Save are never held back.
		if ok, _ := runT(med.ctx, chromedp.Evaluate[bool](`Array.from(document.forms).every(f => f.checkValidity())`)); !ok {
			t.Error("a form of the desk is invalid as drawn, with ru's value at 0.37")
		}
		med.do(chromedp.ScrollIntoView(chromedp.ID("rv-ru")))
		med.shot("desk-reservations")
		for _, w := range []int64{1280, 768} {
			med.do(chromedp.EmulateViewport(w, 900))
			png, err := runT(med.ctx, chromedp.Screenshot(chromedp.ID("reservations")))
			if err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("desk-reservations-%d-part.png", w)), png, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		med.do(chromedp.EmulateViewport(1280, 900))

		ru.open(n + "/workspace")
		if v := ru.value("res-value"); v != "0.37" {
			t.Errorf("ru's workspace shows its value as %q, want 0.37", v)
		}
		if s := ru.text("#res-h + p + form + details"); !strings.Contains(s, "mediator") {
			t.Errorf("ru's history of values does not say the mediator set it: %q", s)
		}
		ru.eval(`document.querySelector('#res-h + p + form + details').open = true`)
		ru.shot("workspace-reservation-history")
		ua.open(n + "/desk?version=v4")
		if v := ua.value("res-ru"); v == "0.37" {
			t.Error("ua's analysis starts ru's reservation value at the private 0.37")
		}
		exported, err := runT(ua.ctx, chromedp.Evaluate[float64](`fetch('/api/negotiations/`+nid+`/scenario.json').then(r => r.json()).then(s => s.parties.find(p => p.id === 'ru').reservation || 0)`, chromedp.EvalAwaitPromise))
		if err != nil {
			t.Fatal(err)
		}
		if exported == 0.37 {
			t.Error("ua's scenario export carries ru's private reservation value")
		}
		es, err := f.srv.Service().Audit(context.Background(), f.accts["mediator"], nid, 0, 10000)
		if err != nil || len(es) == 0 {
			t.Fatalf("audit: %v", err)
		}
		if e := es[len(es)-1]; e.Target != "reservation/ru" || e.Detail != "private" || strings.Contains(e.Action+e.Target+e.Detail, "0.37") {
			t.Errorf("the audit entry of ru's value: %+v", e)
		}
		med.open(n + "/text")
		if s := med.text("#audit tbody tr"); !strings.Contains(s, "mediatorreservation.setreservation/ruprivate") || strings.Contains(s, "0.37") {
			t.Errorf("the audit log's latest line: %q", s)
		}
		med.eval(`document.querySelector('#audit details').open = true`)
		med.do(chromedp.ScrollIntoView(chromedp.ID("audit")))
		med.shot("text-audit")
	})

	const wording = "AMENDED-BY-UA joint monitoring"
	t.Run("an amendment folded into a new version", func(t *testing.T) {
		med.t, ua.t, ru.t = t, t, t
		ua.open(n + "/text")
		ua.do(chromedp.SetValue(chromedp.ID("am-kind"), "option"), chromedp.SendKeys(chromedp.ID("am-option"), "ua_monitoring"),
			chromedp.SendKeys(chromedp.ID("am-text"), wording), chromedp.SendKeys(chromedp.ID("am-reason"), "a verifiable ceasefire"))
		ua.submit(`#propose button`)
		ru.open(n + "/text")
		if strings.Contains(ru.text("body"), wording) {
			t.Error("ru sees ua's amendment before the mediator publishes it")
		}
		med.open(n + "/text")
		med.do(chromedp.Click(chromedp.CSS("details.card summary")))
		med.do(chromedp.SetValue(chromedp.ID("d-from"), "v5"), chromedp.SendKeys(chromedp.ID("d-id"), "v6"),
			chromedp.SendKeys(chromedp.ID("d-title"), "Second draft"))
		med.submit(`form[action$="/draft"] button`)
		med.shot("text-mediator")
		med.do(chromedp.SetValue(chromedp.CSS(`.amendment select[name=decision]`), "fold"), chromedp.SetValue(chromedp.CSS(`.amendment select[name=into]`), "v6"))
		med.submit(`.amendment form button`)
		if !strings.Contains(med.text(".notice"), "folded into draft v6") {
			t.Errorf("after folding: %q", med.text(".notice"))
		}
		med.submit(`#v-v6 form[action$="/publish"] button`)
	})

	t.Run("compare two versions", func(t *testing.T) {
		med.t = t
		med.open(n + "/compare?from=v5&to=v6")
		if s := med.text("main"); !strings.Contains(s, wording) || !strings.Contains(s, "ua_monitoring added") {
			t.Errorf("the comparison of v5 and v6 does not show the folded amendment:\n%.600s", s)
		}
		today := f.srv.Service().Today()
		if s := med.text("main h1 + form + p"); !strings.Contains(s, "(Draft for Ukraine's review, "+today+")") || !strings.Contains(s, "(Second draft, "+today+")") {
			t.Errorf("the comparison does not date the drafts: %q", s)
		}
		med.open(n + "/compare?from=v1&to=v4")
		if ins := med.text("main ins"); ins == "" {
			t.Error("no word-level insertion highlighted between v1 and v4")
		}
		med.shot("compare")
	})

	t.Run("what-if recomputes in place", func(t *testing.T) {
		med.t = t
		med.open(n + "/desk?version=v4")
		before := med.text("#sum-h + p")
		med.eval(`document.getElementById('lift-0').click()`)
		med.do(chromedp.Click(chromedp.CSS("#whatif button[type=submit]")),
			chromedp.WaitVisible(chromedp.CSS("#analysis .notice")))
		if s := med.text("#analysis .notice"); !strings.Contains(s, "lifted") {
			t.Errorf("the what-if does not say what it changed: %q", s)
		}
		loc, _ := runT(med.ctx, chromedp.Location())
		if !strings.Contains(loc, "lift=") {
			t.Errorf("the address does not keep the what-if: %s", loc)
		}
		t.Logf("summary before: %s; after: %s", before, med.text("#sum-h + p"))
		med.shot("desk-whatif")
	})

	t.Run("a simulation", func(t *testing.T) {
		med.t = t
		med.open(n + "/simulate")
		med.shot("simulate-form")
		med.do(chromedp.SetValue(chromedp.ID("sim-v"), "v4"), chromedp.SetValue(chromedp.ID("sim-r"), "400"), chromedp.SetValue(chromedp.ID("sim-n"), "40"))
		med.submit(`#simulate button`)
		// Record what the page says of the job every 20 ms, in this
		// document: the page must change in place as the job runs.
		med.eval(`window.parleySeen = []; (function watch() {
			const s = document.querySelector('#job [data-finished]'), p = document.querySelector('#job progress');
			const now = (s ? s.dataset.finished : '?') + ' ' + (p ? p.parentElement.textContent.replace(/\s+/g, ' ').trim() : '');
			if (parleySeen[parleySeen.length - 1] !== now) parleySeen.push(now);
			if (!s || s.dataset.finished !== 'true') setTimeout(watch, 20);
		})()`)
		med.do(chromedp.WaitVisible(chromedp.CSS(`#job [data-finished="true"] table`)))
		if s := med.text("#job"); !strings.Contains(s, "of 40") {
			t.Errorf("the finished simulation says: %.300s", s)
		}
		seen, err := runT(med.ctx, chromedp.Evaluate[[]string](`window.parleySeen`))
		if err != nil {
			t.Fatalf("the page was replaced while the job ran: %v", err)
		}
		t.Logf("the simulation's progress as the page showed it: %q", seen)
		if len(seen) < 2 || !strings.HasPrefix(seen[0], "false ") || !strings.HasPrefix(seen[len(seen)-1], "true ") {
			t.Errorf("the page did not follow the job from running to finished in place: %q", seen)
		}
		med.shot("simulate")
	})

	t.Run("the sealed vote", func(t *testing.T) {
		med.t, ua.t, ru.t = t, t, t
		med.open(n + "/text")
		med.eval(`document.querySelectorAll('details').forEach(d => d.open = true)`)
		med.do(chromedp.SetValue(chromedp.ID("vt-v"), "v4"))
		med.submit(`form[action$="/votes"] button`)
		ua.open(n + "/workspace")
		ua.do(chromedp.Click(chromedp.CSS(`.vote input[value=yes]`)))
		ua.submit(`.vote form button`)
		ua.eval(`document.querySelector('.vote input[name=pkg]').click()`)
		ua.submit(`.vote form:has(input[name=marking]) button`)
		for _, b := range []*browser{med, ru} {
			b.open(n + "/text")
			s := b.text("#votes-s")
			if !strings.Contains(s, "1 of 3 parties have answered") || !strings.Contains(s, "Sealed") || strings.Contains(s, "ua: yes") {
				t.Errorf("%s sees the vote before all answered: %q", b.who, s)
			}
		}
		ru.open(n + "/workspace")
		ru.shot("workspace-vote")
		ru.do(chromedp.Click(chromedp.CSS(`.vote input[value=no]`)))
		ru.submit(`.vote form button`)
		med.open(n + "/text")
		if s := med.text("#votes-s"); !strings.Contains(s, "Sealed") {
			t.Errorf("the vote is unsealed before e3 answered: %q", s)
		}
		// The third party answers through the API.
		no := false
		st, err := f.srv.Service().State(context.Background(), nid)
		if err != nil || len(st.Votes) != 1 {
			t.Fatalf("votes: %v", err)
		}
		if _, err := f.srv.Service().Answer(context.Background(), f.accts["europe"], nid, st.Votes[0].ID, &no, nil); err != nil {
			t.Fatal(err)
		}
		med.open(n + "/text")
		if s := med.text("#votes-s"); !strings.Contains(s, "ua: yes") || !strings.Contains(s, "ru: no") || !strings.Contains(s, "not agreed") {
			t.Errorf("after every party answered: %q", s)
		}
	})

	t.Run("the overlap of acceptable packages", func(t *testing.T) {
		med.t, ua.t, ru.t = t, t, t
		ctx := context.Background()
		svc := f.srv.Service()
		callVote := func(version string) string {
			med.open(n + "/text")
			med.eval(`document.querySelectorAll('details').forEach(d => d.open = true)`)
			med.do(chromedp.SetValue(chromedp.ID("vt-v"), version))
			med.submit(`form[action$="/votes"] button`)
			st, err := svc.State(ctx, nid)
			if err != nil {
				t.Fatal(err)
			}
			return st.Votes[len(st.Votes)-1].ID
		}
		same, differ := callVote("v1"), callVote("v4")
		// keys lists the packages b may mark in a vote.
		keys := func(b *browser, vote string) []string {
			b.open(n + "/workspace")
			ks, err := runT(b.ctx, chromedp.Evaluate[[]string](fmt.Sprintf(`Array.from(document.querySelectorAll('#vote-%s input[name=pkg]')).map(i => i.value)`, vote)))
			if err != nil || len(ks) == 0 {
				t.Fatalf("%s has no package to mark in vote %s: %v", b.who, vote, err)
			}
			return ks
		}
		mark := func(b *browser, vote string, k int) {
			b.open(n + "/workspace")
			b.eval(fmt.Sprintf(`document.querySelectorAll('#vote-%s input[name=pkg]')[%d].click()`, vote, k))
			b.submit(fmt.Sprintf(`#vote-%s form:has(input[name=marking]) button`, vote))
		}
		// Each party is offered the packages of its own analysis and the
		// version as written when it leaves no point open, as v1 does: ua
		// and ru mark v1 as written, and different packages of v4.
		uaKeys, ruKeys := keys(ua, same), keys(ru, same)
		mine, common := -1, -1
		for i, k := range uaKeys {
			if j := slices.Index(ruKeys, k); j >= 0 && mine < 0 {
				mine, common = i, j
			}
		}
		if mine < 0 {
			t.Fatalf("no package of v1 is offered to both ua and ru: %q and %q", uaKeys, ruKeys)
		}
		uaKeys4, ruKeys4 := keys(ua, differ), keys(ru, differ)
		other := slices.IndexFunc(ruKeys4, func(k string) bool { return k != uaKeys4[0] })
		if other < 0 {
			t.Fatalf("ru is offered no package of v4 but the one ua marks: %q", ruKeys4)
		}
		mark(ua, same, mine)
		mark(ru, same, common)
		mark(ua, differ, 0)
		mark(ru, differ, other)
		// Two of three have marked: nothing is revealed, to anyone.
		for _, b := range []*browser{ua, ru} {
			b.open(n + "/workspace")
			for _, v := range []string{same, differ} {
				if s := b.text("#vote-" + v); !strings.Contains(s, "2 of 3 parties have marked") || strings.Contains(s, "Overlap revealed") || strings.Contains(s, "no overlap") {
					t.Errorf("%s sees vote %s before every party marked: %q", b.who, v, s)
				}
			}
		}
		// The third party marks ua's package in each vote, through the API.
		st, err := svc.State(ctx, nid)
		if err != nil {
			t.Fatal(err)
		}
		for _, v := range []string{same, differ} {
			if _, err := svc.Answer(ctx, f.accts["europe"], nid, v, nil, st.Ballots[v+"/ua"].Doc.Acceptable); err != nil {
				t.Fatal(err)
			}
		}
		for _, b := range []*browser{ua, ru} {
			b.open(n + "/workspace")
			if s := b.text("#vote-" + same); !strings.Contains(s, "Overlap revealed: 1 package every party marked acceptable") {
				t.Errorf("%s: every party marked the same package, but vote %s says: %q", b.who, same, s)
			}
			if s := b.text("#vote-" + differ); strings.Contains(s, "Overlap revealed") || !strings.Contains(s, "there is no overlap, so nothing is revealed") {
				t.Errorf("%s: no package is common to all, but vote %s says: %q", b.who, differ, s)
			}
		}
		ru.shot("workspace-overlap")
		med.open(n + "/text")
		if s := med.text("#votes-s"); !strings.Contains(s, "Overlap revealed") || !strings.Contains(s, "No package is acceptable to all") {
			t.Errorf("the mediator's list of votes: %q", s)
		}
	})

	t.Run("a round added to the timeline", func(t *testing.T) {
		med.t, ru.t = t, t
		med.open(n + "/text")
		med.eval(`document.getElementById('tl-add').open = true`)
		med.do(chromedp.SetValue(chromedp.ID("tl-date"), "2025-12-02"), chromedp.SendKeys(chromedp.ID("tl-title"), "Technical round"),
			chromedp.SendKeys(chromedp.ID("tl-place"), "Miami"), chromedp.SetValue(chromedp.ID("tl-version"), "v4"),
			chromedp.Click(chromedp.ID("tl-p-ua")), chromedp.Click(chromedp.ID("tl-p-ru")))
		med.do(chromedp.ScrollIntoView(chromedp.ID("tl-add")))
		med.shot("text-timeline-form")
		med.submit(`#tl-add button`)
		if s := med.text(".notice"); !strings.Contains(s, "Technical round on 2025-12-02 is on the timeline") {
			t.Errorf("after adding a round: %q", s)
		}
		ru.open(n + "/text")
		if s := ru.text("ol.timeline"); !strings.Contains(s, "2025-12-02 Technical round, Miami · on v4 · ua, ru") {
			t.Errorf("ru's timeline: %q", s)
		}
		if ru.text("#tl-add") != "" {
			t.Error("a party is offered the form that adds to the timeline")
		}
	})

	t.Run("every page at both widths", func(t *testing.T) {
		med.t, ua.t, ru.t = t, t, t
		for _, p := range []struct {
			b          *browser
			path, name string
		}{
			{med, "/desk?version=v4", "desk"},
			{med, "/text", "text"},
			{ua, "/workspace", "workspace"},
			{ua, "/desk", "desk-party"},
			{ua, "/text", "text-party"},
		} {
			p.b.open(n + p.path)
			t.Logf("%s %s loaded in %.0f ms", p.b.who, p.path, p.b.loadTime())
			p.b.shot(p.name)
		}
		med.open(n + "/desk?version=v4")
		png, err := runT(med.ctx, chromedp.Screenshot(chromedp.ID("analysis")))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, "desk-analysis.png"), png, 0o644); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("sign out", func(t *testing.T) {
		ru.t = t
		ru.open(n + "/workspace")
		cookies, err := runT(ru.ctx, func(ctx context.Context, tg *chromedp.Target) ([]*network.Cookie, error) {
			res, err := cdp.Call(ctx, tg, network.GetCookies, network.GetCookiesParams{})
			return res.Cookies, err
		})
		if err != nil {
			t.Fatal(err)
		}
		var session string
		for _, c := range cookies {
			if c.Name == "parley_session" {
				session = c.Value
			}
		}
		if session == "" {
			t.Fatal("no session cookie in ru's browser")
		}
		ru.eval(`window.parleyOldPage = true`)
		ru.do(chromedp.Click(chromedp.ID("signout")))
		ru.waitNewPage("sign out")
		if loc, _ := runT(ru.ctx, chromedp.Location()); !strings.HasSuffix(loc, "/signin") {
			t.Errorf("after signing out the page is %s, want the sign-in page", loc)
		}
		ru.do(chromedp.WaitVisible(chromedp.ID("code")))
		// The session has ended: a page sends the browser to sign in, and
		// the old cookie, sent again, is refused.
		ru.open(n + "/workspace")
		if loc, _ := runT(ru.ctx, chromedp.Location()); !strings.Contains(loc, "/signin?next=") {
			t.Errorf("a page after signing out is %s, want the sign-in page", loc)
		}
		req, _ := http.NewRequest("GET", f.ts.URL+"/api/me", nil)
		req.AddCookie(&http.Cookie{Name: "parley_session", Value: session})
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusUnauthorized {
			t.Errorf("the old session cookie after signing out: %d, want 401", resp.StatusCode)
		}
	})

	// The pages' content security policy runs no javascript: link, so an
	// error page's way back must be a plain one.
	t.Run("an error page leads back", func(t *testing.T) {
		med.t = t
		med.open(n + "/text")
		med.eval(`window.parleyOldPage = true`)
		med.eval(`location.href = '` + n + `/compare?from=v1&to=no-such-version'`)
		med.waitNewPage("a comparison with a missing version")
		if st := med.status(); st != http.StatusNotFound {
			t.Fatalf("a comparison with a missing version: status %d, want 404", st)
		}
		med.eval(`window.parleyOldPage = true`)
		med.do(chromedp.Click(chromedp.CSS("main p:last-child a")))
		med.waitNewPage("Go back")
		if loc, _ := runT(med.ctx, chromedp.Location()); !strings.HasSuffix(loc, n+"/text") {
			t.Errorf("Go back led to %s, want the living text", loc)
		}
	})
}

// runT runs an action with a time limit, so that a test never hangs.
func runT[T any](ctx context.Context, a chromedp.Action[T]) (T, error) {
	ctx, cancel := context.WithTimeout(ctx, 60*time.Second)
	defer cancel()
	return chromedp.Run(ctx, a)
}
