package web_test

import (
	"context"
	_ "embed"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

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
		med.do(chromedp.SetValue(chromedp.ID("sim-v"), "v4"), chromedp.SetValue(chromedp.ID("sim-r"), "60"), chromedp.SetValue(chromedp.ID("sim-n"), "6"))
		med.submit(`#simulate button`)
		med.do(chromedp.WaitVisible(chromedp.CSS(`#job [data-finished="true"] table`)))
		if s := med.text("#job"); !strings.Contains(s, "6 of 6") {
			t.Errorf("the finished simulation says: %.300s", s)
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
}

// runT runs an action with a time limit, so that a test never hangs.
func runT[T any](ctx context.Context, a chromedp.Action[T]) (T, error) {
	ctx, cancel := context.WithTimeout(ctx, 60*time.Second)
	defer cancel()
	return chromedp.Run(ctx, a)
}
