package web

import (
	"strings"
	"testing"
)

// TestLocalPath feeds the sign-in page's "next" addresses that a
// browser would read as another host: each must fall back to "/", while a
// path of the site is kept with its query.
func TestLocalPath(t *testing.T) {
	for next, want := range map[string]string{
		"/n/ukraine-2025/desk?v=v2": "/n/ukraine-2025/desk?v=v2",
		"/":                         "/",
		"//evil.example/x":          "/",
		"/\\evil.example":           "/",
		"/\\/evil.example":          "/",
		"/\t/evil.example":          "/",
		"https://evil.example/":     "/",
		"javascript:alert(1)":       "/",
		"evil.example":              "/",
		"":                          "/",
		"/%2F/evil.example":         "/",
	} {
		if got := localPath(next); got != want {
			t.Errorf("next %q: got %q, want %q", next, got, want)
		}
	}
}

func TestErrorHeading(t *testing.T) {
	for _, status := range []int{400, 401, 403, 404, 409, 412, 413, 422, 500, 503} {
		h := errorHeading(status)
		if h == "" || strings.Contains(h, "Entity") || strings.Contains(h, "Status") {
			t.Errorf("%d: heading %q", status, h)
		}
	}
}

func TestSentence(t *testing.T) {
	for in, want := range map[string]string{
		"invalid reservation value": "Invalid reservation value.",
		"no such page.":             "No such page.",
		"":                          "",
		"élan":                      "Élan.",
	} {
		if got := sentence(in); got != want {
			t.Errorf("sentence(%q) = %q, want %q", in, got, want)
		}
	}
}
