package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"strings"

	"parley/scenario"
	"parley/scenario/diff"
)

func init() {
	register(&command{
		name:    "text",
		summary: "print a version of the text as a document: text, Markdown or HTML",
		usage: `Usage: parley text [flags] [FILE]

Prints one version of the negotiating text as a document: its blocks and
numbered points, the wording the version proposes for each point (or every
option where the point is still open), each point's status, and the points
dropped since the parent version.

FILE is a parley scenario (YAML or JSON; "-" reads standard input); without
FILE, parley prints its embedded default scenario.

Flags:
  --version ID      the version to print (default: the last; "parley
                    versions" lists them)
  --format F        text (the default), markdown, or html: a complete page
                    with no external assets, to open in a browser or print
  --width N         lay text out for N columns (default: the terminal's
                    width, 80 when not a terminal)

Examples:
  parley text                                 # the default scenario, latest
  parley text --version v1                    # the 28-point plan
  parley text talks.yaml --format markdown > draft.md
  parley text --format html --version v4 > v4.html
`,
		run: runText,
	})
}

func runText(ctx context.Context, e *env, args []string) error {
	fs := newFlags(commands["text"], e)
	version := fs.String("version", "", "")
	format := fs.String("format", "text", "")
	width := fs.Int("width", 0, "")
	paths, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if err := checkLayoutFlags(*width, 2); err != nil {
		return err
	}
	if *format != "text" && *format != "markdown" && *format != "html" {
		return usagef("--format must be text, markdown or html, got %q", *format)
	}
	_, _, s, err := readScenario(paths, e.stdin)
	if err != nil {
		return err
	}
	v, err := pickVersion(s, *version, len(paths) == 0)
	if err != nil {
		return err
	}
	doc := newDocument(s, v)
	switch *format {
	case "markdown":
		return writeMarkdown(e.stdout, doc)
	case "html":
		return writeHTML(e.stdout, doc)
	}
	return writeDocument(e.stdout, e.layout(*width, 2), doc)
}

// document is a version of the text as a reader sees it.
type document struct {
	Title      string
	Disclaimer string
	// Note is the version's note on one line.
	Note    string
	Version *scenario.Version
	// Author names the version's author: the party's name, else its id.
	Author string
	Parent *scenario.Version // nil for the first version
	Blocks []docBlock
	// Dropped are the points dropped since the parent version (or marked
	// dropped in a first version), as they read before.
	Dropped []docPoint
}

type docBlock struct {
	ID, Title string
	Points    []docPoint
}

// docPoint is a point with the wording the version proposes, or its
// options when it is open.
type docPoint struct {
	ID     string
	Number int
	Title  string
	Status string // in words; "" for open
	Text   string // common to all options
	// Proposed is the wording the version proposes, nil when open.
	Proposed *scenario.Option
	// Others are the options not proposed (all options when open).
	Others []scenario.Option
}

func newDocPoint(pt *scenario.Point) docPoint {
	dp := docPoint{ID: pt.ID, Number: pt.Number, Title: oneLine(pt.Title), Text: oneLine(pt.Text)}
	if pt.Status != "" && pt.Status != scenario.StatusOpen {
		dp.Status = statusWords(pt.Status)
	}
	id, ok := pt.ProposedOption()
	for i := range pt.Options {
		o := pt.Options[i]
		o.Text = oneLine(o.Text)
		if ok && o.ID == id {
			dp.Proposed = &o
			continue
		}
		dp.Others = append(dp.Others, o)
	}
	return dp
}

func newDocument(s *scenario.Scenario, v *scenario.Version) *document {
	doc := &document{Title: oneLine(s.Title), Disclaimer: oneLine(s.Disclaimer), Note: oneLine(v.Note), Version: v, Author: authorName(s, v.Author)}
	for _, b := range v.Blocks {
		db := docBlock{ID: b.ID, Title: oneLine(b.Title)}
		for i := range b.Points {
			if b.Points[i].Status == scenario.StatusDropped {
				continue
			}
			db.Points = append(db.Points, newDocPoint(&b.Points[i]))
		}
		if len(db.Points) > 0 {
			doc.Blocks = append(doc.Blocks, db)
		}
	}
	if v.Parent != "" {
		doc.Parent, _ = s.Version(v.Parent)
	}
	if doc.Parent != nil {
		was := make(map[string]*scenario.Point)
		for _, pt := range doc.Parent.Points() {
			was[pt.ID] = pt
		}
		for _, pc := range diff.Versions(doc.Parent, v).Points {
			if pc.Change == diff.Dropped {
				doc.Dropped = append(doc.Dropped, newDocPoint(was[pc.Point]))
			}
		}
		return doc
	}
	for _, pt := range v.Points() {
		if pt.Status == scenario.StatusDropped {
			doc.Dropped = append(doc.Dropped, newDocPoint(pt))
		}
	}
	return doc
}

// Subtitle is "Version v4: The 20-point framework, 2025-12-24, drafted by
// Ukraine, following v3".
func (doc *document) Subtitle() string {
	v := doc.Version
	out := "Version " + v.ID
	if v.Title != "" {
		out += ": " + oneLine(v.Title)
	}
	if v.Date != "" {
		out += ", " + v.Date
	}
	if doc.Author != "" {
		out += ", drafted by " + doc.Author
	}
	if doc.Parent != nil {
		out += ", following " + doc.Parent.ID
	}
	return out
}

// DroppedHeading heads the points dropped since the parent version.
func (doc *document) DroppedHeading() string {
	if doc.Parent != nil {
		return "Dropped since " + doc.Parent.ID
	}
	return "Dropped"
}

// writeDocument prints the document as plain text laid out for l.
func writeDocument(w io.Writer, l layout, doc *document) error {
	bw := bufio.NewWriter(w)
	l.titleBlock(bw, doc.Title, doc.Subtitle())
	if n := doc.Note; n != "" {
		fmt.Fprintln(bw)
		l.para(bw, "", "", sty(n, dim))
	}
	for _, b := range doc.Blocks {
		l.heading(bw, b.Title)
		for _, dp := range b.Points {
			writeDocPoint(bw, l, &dp, false)
		}
	}
	if len(doc.Dropped) > 0 {
		l.heading(bw, doc.DroppedHeading())
		for _, dp := range doc.Dropped {
			writeDocPoint(bw, l, &dp, true)
		}
	}
	if doc.Disclaimer != "" {
		fmt.Fprintln(bw)
		l.para(bw, "Note: ", "      ", sty(doc.Disclaimer, dim))
	}
	return bw.Flush()
}

func writeDocPoint(w io.Writer, l layout, dp *docPoint, dropped bool) {
	fmt.Fprintln(w)
	head := []seg{sty(fmt.Sprintf("%d. %s", dp.Number, dp.Title), bold), s("[" + dp.ID + "]")}
	if dp.Status != "" {
		head = append(head, s("— "+dp.Status))
	}
	l.para(w, "", "    ", head...)
	const in = "    "
	if dp.Text != "" {
		l.para(w, in, in, s(dp.Text))
	}
	switch {
	case dropped:
		for _, o := range append(optionList(dp.Proposed), dp.Others...) {
			l.para(w, in, in+"  ", sty(o.ID+":", bold), s(o.Text))
		}
	case dp.Proposed != nil:
		l.para(w, in, in, s(dp.Proposed.Text))
		if len(dp.Others) > 0 {
			var ids []string
			for _, o := range dp.Others {
				ids = append(ids, o.ID)
			}
			l.para(w, in, in, sty("Proposed: "+dp.Proposed.ID+". Also on the table: "+list(ids, "and")+".", dim))
		}
	default:
		l.para(w, in, in, sty("Open: the text proposes none of these options.", amber))
		for _, o := range dp.Others {
			l.para(w, in+"• ", in+"  ", sty(o.ID+":", bold), s(o.Text))
		}
	}
}

func optionList(o *scenario.Option) []scenario.Option {
	if o == nil {
		return nil
	}
	return []scenario.Option{*o}
}

// writeMarkdown prints the document as Markdown.
func writeMarkdown(w io.Writer, doc *document) error {
	bw := bufio.NewWriter(w)
	fmt.Fprintf(bw, "# %s\n\n%s\n", mdEscape(doc.Title), mdEscape(doc.Subtitle()))
	if n := doc.Note; n != "" {
		fmt.Fprintf(bw, "\n*%s*\n", mdEscape(n))
	}
	point := func(dp *docPoint, dropped bool) {
		head := dp.Title
		if dp.Status != "" {
			head += " — " + dp.Status
		}
		fmt.Fprintf(bw, "\n### %d. %s `%s`\n\n", dp.Number, mdEscape(head), dp.ID)
		if dp.Text != "" {
			fmt.Fprintf(bw, "%s\n\n", mdEscape(dp.Text))
		}
		switch {
		case dropped:
			for _, o := range append(optionList(dp.Proposed), dp.Others...) {
				fmt.Fprintf(bw, "- **%s**: %s\n", mdEscape(o.ID), mdEscape(o.Text))
			}
		case dp.Proposed != nil:
			fmt.Fprintf(bw, "%s\n", mdEscape(dp.Proposed.Text))
			if len(dp.Others) > 0 {
				var ids []string
				for _, o := range dp.Others {
					ids = append(ids, "`"+o.ID+"`")
				}
				fmt.Fprintf(bw, "\n*Proposed: `%s`. Also on the table: %s.*\n", dp.Proposed.ID, list(ids, "and"))
			}
		default:
			fmt.Fprintf(bw, "*Open: the text proposes none of these options.*\n\n")
			for _, o := range dp.Others {
				fmt.Fprintf(bw, "- **%s**: %s\n", mdEscape(o.ID), mdEscape(o.Text))
			}
		}
	}
	for _, b := range doc.Blocks {
		fmt.Fprintf(bw, "\n## %s\n", mdEscape(b.Title))
		for i := range b.Points {
			point(&b.Points[i], false)
		}
	}
	if len(doc.Dropped) > 0 {
		fmt.Fprintf(bw, "\n## %s\n", mdEscape(doc.DroppedHeading()))
		for i := range doc.Dropped {
			point(&doc.Dropped[i], true)
		}
	}
	if doc.Disclaimer != "" {
		fmt.Fprintf(bw, "\n---\n\n*Note: %s*\n", mdEscape(doc.Disclaimer))
	}
	return bw.Flush()
}

// mdEscape escapes the characters Markdown would read as markup (and
// those that start a heading, list or quote at the start of a line), and
// makes control characters harmless.
func mdEscape(t string) string {
	t = oneLine(t)
	var b strings.Builder
	for i, r := range t {
		if strings.ContainsRune("\\`*_[]<>|~", r) || (i == 0 && strings.ContainsRune("#-+>=", r)) {
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	out := b.String()
	// "1. " at the start of a paragraph would begin a numbered list.
	if j := strings.IndexFunc(out, func(r rune) bool { return r < '0' || r > '9' }); j > 0 && strings.HasPrefix(out[j:], ". ") {
		out = out[:j] + "\\" + out[j:]
	}
	return out
}

// authorName names a version's author for people: the party's name, else
// the id as written.
func authorName(s *scenario.Scenario, id string) string {
	if p, ok := s.Party(id); ok && p.Name != "" {
		return oneLine(p.Name)
	}
	return id
}
