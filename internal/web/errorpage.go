package web

import (
	"net/http"
	"net/url"
	"strings"
	"unicode"
	"unicode/utf8"
)

// backLink is where an error page's "Go back" leads: the page of this
// site the reader came from (browsers send it, the pages' referrer
// policy being same-origin), else the negotiation's first page when the
// reader may open it, else the list of negotiations. It is a plain link:
// the pages' content security policy runs no javascript: address.
func backLink(r *http.Request, q *req) (href, label string) {
	if ref, err := url.Parse(r.Referer()); err == nil && r.Referer() != "" && ref.Host == r.Host {
		// A page that fails on its own address is no way back.
		if back, ok := sitePath(ref); ok && (back != r.URL.RequestURI() || r.Method != http.MethodGet) {
			return back, "Go back"
		}
	}
	if q != nil && q.st != nil {
		return q.base(), "Back to the negotiation"
	}
	return "/", "Your negotiations"
}

// localPath returns next when it is a path of this site (with its query),
// else "/": where to go after signing in must never lead off the site.
func localPath(next string) string {
	u, err := url.Parse(next)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil || u.Opaque != "" {
		return "/"
	}
	if p, ok := sitePath(u); ok && strings.HasPrefix(next, "/") {
		return p
	}
	return "/"
}

// sitePath returns u's path and query, escaped, when the path is one of
// this site's: it starts with one "/", and no backslash or control
// character lets a browser read it as another host ("/\evil.example").
func sitePath(u *url.URL) (string, bool) {
	p := u.Path
	if !strings.HasPrefix(p, "/") || strings.HasPrefix(p, "//") ||
		strings.ContainsFunc(p, func(c rune) bool { return c == '\\' || c < 0x20 || c == 0x7f }) {
		return "", false
	}
	back := u.EscapedPath()
	if strings.HasPrefix(back, "//") || strings.Contains(back, "\\") {
		return "", false
	}
	if u.RawQuery != "" {
		back += "?" + u.RawQuery
	}
	return back, true
}

// errorHeading is an error page's heading: what happened, in words people
// use, rather than the HTTP status's name.
func errorHeading(status int) string {
	switch status {
	case http.StatusBadRequest, http.StatusUnprocessableEntity:
		return "That cannot be done as sent"
	case http.StatusUnauthorized:
		return "Please sign in"
	case http.StatusForbidden:
		return "Not allowed"
	case http.StatusNotFound:
		return "Nothing here"
	case http.StatusConflict:
		return "Not possible now"
	case http.StatusPreconditionFailed:
		return "Changed meanwhile"
	case http.StatusRequestEntityTooLarge:
		return "Too large"
	}
	if status >= 500 {
		return "Something went wrong"
	}
	return http.StatusText(status)
}

// sentence is msg as a sentence: a capital first letter and a full stop.
func sentence(msg string) string {
	if msg == "" {
		return msg
	}
	r, n := utf8.DecodeRuneInString(msg)
	msg = string(unicode.ToUpper(r)) + msg[n:]
	if !strings.ContainsAny(msg[len(msg)-1:], ".!?:") {
		msg += "."
	}
	return msg
}
