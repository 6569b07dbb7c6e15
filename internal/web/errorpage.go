package web

import (
	"net/http"
	"net/url"
	"strings"
)

// backLink is where an error page's "Go back" leads: the page of this
// site the reader came from (browsers send it, the pages' referrer
// policy being same-origin), else the negotiation's first page when the
// reader may open it, else the list of negotiations. It is a plain link:
// the pages' content security policy runs no javascript: address.
func backLink(r *http.Request, q *req) (href, label string) {
	if ref, err := url.Parse(r.Referer()); err == nil && r.Referer() != "" && ref.Host == r.Host &&
		strings.HasPrefix(ref.Path, "/") && !strings.HasPrefix(ref.Path, "//") {
		back := ref.EscapedPath()
		if ref.RawQuery != "" {
			back += "?" + ref.RawQuery
		}
		// A page that fails on its own address is no way back.
		if back != r.URL.RequestURI() || r.Method != http.MethodGet {
			return back, "Go back"
		}
	}
	if q != nil && q.st != nil {
		return q.base(), "Back to the negotiation"
	}
	return "/", "Your negotiations"
}
