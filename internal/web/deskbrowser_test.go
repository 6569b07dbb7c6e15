package web_test

import (
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestDeskBrowser draws the desk where it names packages (a red line
// lifted) and an observer's analysis page, at both widths, with the
// accessibility check and no sideways scrolling.
func TestDeskBrowser(t *testing.T) {
	if _, err := os.Stat(chromium); err != nil {
		t.Skipf("browser tests skipped: %s is absent (apt-get install -y chromium)", chromium)
	}
	if testing.Short() {
		t.Skip("browser tests skipped with -short: they take a minute or more")
	}
	f := newFixture(t)
	dir := screenshotDir(t)
	n := "/n/" + nid
	med := newBrowser(t, f, "mediator", dir)
	med.open(n + "/desk?version=v4")
	med.shot("desk")
	med.open(n + "/desk?version=v4&lift=" + url.QueryEscape("ua|territory|anchorage"))
	med.shot("desk-packages")
	med.eval(`document.querySelectorAll('#analysis details').forEach(d => d.open = true)`)
	for _, w := range []int64{1280, 768} {
		med.do(chromedp.EmulateViewport(w, 900))
		png, err := runT(med.ctx, chromedp.Screenshot(chromedp.ID("analysis")))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("desk-packages-%d-analysis.png", w)), png, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	obs := newBrowser(t, f, "observer", dir)
	obs.open(n + "/desk")
	if s := obs.text("#lift-unseen"); s == "" {
		t.Error("the observer's analysis page does not say whose red lines it cannot see")
	}
	obs.shot("desk-observer")
}
