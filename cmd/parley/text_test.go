package main

import (
	"strings"
	"testing"
)

// hostile is a scenario whose strings try to break out of every format:
// markup and Markdown. (Terminal escape sequences never get this far: the
// loader refuses control characters, which TestTextRefusesControl checks.)
const hostile = `parley: 1
id: hostile
title: "<script>alert(1)</script> & *bold*"
parties:
  - {id: a, name: "A <b>", role: party, reservation: 0.2}
versions:
  - id: v1
    title: "</title><img src=x onerror=alert(1)>"
    note: "# not a heading\n"
    blocks:
      - id: b1
        title: "<h1>block</h1> [link](http://x)"
        points:
          - id: p1
            number: 1
            title: "Point \"one\" <i>"
            text: "1. not a list; red"
            options:
              - {id: o1, text: "<svg onload=alert(1)> _x_ ` + "`code`" + `"}
              - {id: o2, text: "plain"}
`

func TestTextEscapes(t *testing.T) {
	for _, format := range []string{"text", "markdown", "html"} {
		var out, errOut strings.Builder
		e := &env{stdin: strings.NewReader(hostile), stdout: &out, stderr: &errOut}
		if code := run(t.Context(), e, []string{"text", "--format", format, "-"}); code != 0 {
			t.Fatalf("%s: exit %d: %s", format, code, errOut.String())
		}
		got := out.String()
		if strings.ContainsAny(got, "\x1b\x07") {
			t.Errorf("%s: a control character reached the output:\n%q", format, got)
		}
		switch format {
		case "html":
			for _, bad := range []string{"<script>", "<img", "<svg", "<h1>block", "<b>", "<i>"} {
				if strings.Contains(got, bad) {
					t.Errorf("html: %q not escaped", bad)
				}
			}
			for _, want := range []string{"<!DOCTYPE html>", `<html lang="en">`, "<title>", "&lt;script&gt;", "</html>"} {
				if !strings.Contains(got, want) {
					t.Errorf("html: no %q", want)
				}
			}
			if strings.Contains(got, "http://") && strings.Contains(got, "href=") {
				t.Errorf("html: a link was made from scenario text")
			}
			if strings.Contains(got, "src=") && !strings.Contains(got, "src=x") {
				t.Errorf("html: an external asset:\n%s", got)
			}
		case "markdown":
			for _, bad := range []string{"<script>", "*bold*", "[link](", "\n# not", "_x_", "\n1. not"} {
				if strings.Contains(got, bad) {
					t.Errorf("markdown: %q not escaped:\n%s", bad, got)
				}
			}
		}
	}
}

func TestTextRefusesControl(t *testing.T) {
	in := strings.Replace(hostile, `& *bold*"`, `& *bold* \e[2J"`, 1)
	var out, errOut strings.Builder
	e := &env{stdin: strings.NewReader(in), stdout: &out, stderr: &errOut}
	if code := run(t.Context(), e, []string{"text", "-"}); code != 2 || !strings.Contains(errOut.String(), "control character U+001B") {
		t.Errorf("exit %d, stderr %q; want 2 and the control character named", code, errOut.String())
	}
	if strings.ContainsAny(out.String()+errOut.String(), "\x1b") {
		t.Errorf("a control character reached the output")
	}
}

func TestSanitize(t *testing.T) {
	for in, want := range map[string]string{
		"plain":          "plain",
		"a\x1b[31mb":     `a\u001b[31mb`,
		"tab\tand\nline": "tab\tand\nline",
		"bidi\u202eevil": `bidi\u202eevil`,
		"bell\a":         `bell\u0007`,
		"c1\u009bx":      `c1\u009bx`,
	} {
		if got := sanitize(in); got != want {
			t.Errorf("sanitize(%q) = %q, want %q", in, got, want)
		}
	}
}
