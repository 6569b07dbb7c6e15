package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"html/template"
	"io"
	"strings"
	"sync"

	"parley/analysis"
	"parley/internal/access"
	"parley/scenario"
)

func init() {
	register(&command{
		name:    "brief",
		summary: "a briefing for one reader: the text and the analysis it may see",
		usage: `Usage: parley brief --for READER [flags] [FILE]

Prints a briefing for one reader: the text of a version, and the analysis
that reader may see, with nothing confidential of anyone else. READER is
"mediator" (everything: every party's positions) or a party's id.

A party's briefing is computed only from what it may see: the text, its own
positions and the positions other parties have shared ("shared: true"). The
positions of the other parties, their reasons, sources, weights and
reservation values are left out, and so is everything computed from them:
their utilities, the packages, conflicts and zone of agreement they would
change. "Acceptable to all" in a party's briefing therefore means
acceptable to the parties it counts; the briefing says which.

FILE is a parley scenario (YAML or JSON; "-" reads standard input); without
FILE, parley briefs on its embedded default scenario.

Flags:
  --for READER      who the briefing is for: mediator, or a party id (required)
  --version ID      the version to brief on (default: the last; "parley
                    versions" lists them)
  --format F        text (the default), markdown, html (one page with no
                    external assets) or json (the contract is in
                    docs/commands.md)
  --width N         lay text out for N columns (default: the terminal's
                    width, 80 when not a terminal); the analysis in Markdown
                    and HTML is laid out for N columns too
  --precision N     decimals of utilities (default 2)

Examples:
  parley brief --for ua                  # Ukraine's briefing, latest version
  parley brief --for mediator --version v1
  parley brief talks.yaml --for ru --format html > ru.html
  parley brief --for e3 --format json | jq '.analysis.solutions.nash'
`,
		run: runBrief,
	})
}

func runBrief(ctx context.Context, e *env, args []string) error {
	fs := newFlags(commands["brief"], e)
	reader := fs.String("for", "", "")
	version := fs.String("version", "", "")
	format := fs.String("format", "text", "")
	width := fs.Int("width", 0, "")
	precision := fs.Int("precision", 2, "")
	paths, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if err := checkLayoutFlags(*width, *precision); err != nil {
		return err
	}
	if *reader == "" {
		return usagef("--for is required: mediator, or a party's id")
	}
	switch *format {
	case "text", "markdown", "html", "json":
	default:
		return usagef("--format must be text, markdown, html or json, got %q", *format)
	}
	if isResearch(paths) {
		return usagef("a briefing needs a parley scenario, not a research domain")
	}
	in, err := loadInput(paths, inputOptions{version: *version, stdin: e.stdin, reader: *reader})
	if err != nil {
		return err
	}
	b, err := newBriefing(ctx, in)
	if err != nil {
		return err
	}
	l := e.layout(*width, *precision)
	switch *format {
	case "json":
		return writeBriefJSON(e.stdout, b)
	case "markdown":
		l.color = false
		return writeBriefMarkdown(e.stdout, l, b)
	case "html":
		l.color = false
		return writeBriefHTML(e.stdout, l, b)
	}
	return writeBriefText(e.stdout, l, b)
}

// briefing is what one reader may see of a version: everything in it comes
// from in.View.Scenario, the reader's view.
type briefing struct {
	in     *input
	reader access.Reader
	// For names the reader: "Ukraine (ua)", "the mediator".
	For     string
	version *scenario.Version
	doc     *document
	// report is nil when nothing the reader may see can be analysed.
	report *analysis.Report
}

func newBriefing(ctx context.Context, in *input) (*briefing, error) {
	vs := in.View.Scenario
	v, ok := vs.Version(in.Version)
	if !ok {
		return nil, fmt.Errorf("version %s is not in the reader's view", in.Version)
	}
	b := &briefing{in: in, reader: in.View.Reader, For: readerName(vs, in.View.Reader), version: v, doc: newDocument(vs, v)}
	if in.Problem == nil {
		return b, nil
	}
	rep, err := buildReport(ctx, in, analysis.Options{MaxRelaxations: 10}, analysis.TextOptions{})
	if err != nil {
		return nil, err
	}
	b.report = rep
	return b, nil
}

// Title is "Briefing for Ukraine (ua)".
func (b *briefing) Title() string { return "Briefing for " + b.For }

// Confidential says who may read the briefing.
func (b *briefing) Confidential() string {
	if b.reader.Role == access.Mediator {
		return "Confidential to the mediator: it holds every party's positions, each confidential to that party and the mediator."
	}
	return "Confidential to " + b.For + " and the mediator."
}

// Versions lists the versions the reader may see, this one marked.
func (b *briefing) Versions() string {
	var vs []string
	for _, v := range b.in.View.Scenario.Versions {
		d := v.ID
		if t := oneLine(v.Title); t != "" {
			d += " " + t
		}
		if v.Date != "" {
			d += " (" + v.Date + ")"
		}
		if v.ID == b.version.ID {
			d += ", the version of this briefing"
		}
		vs = append(vs, d)
	}
	return "Versions " + b.For + " may see: " + strings.Join(vs, "; ") + "."
}

// Unanalysable says why there is no analysis, or "".
func (b *briefing) Unanalysable() string {
	if b.report != nil {
		return ""
	}
	return "No analysis: " + b.in.Unanalysable + "."
}

// Notes are the notes of the reading when there is no report to carry
// them.
func (b *briefing) Notes() []string {
	if b.report != nil {
		return nil
	}
	return b.in.allNotes()
}

// analysisText is the analysis laid out as the text report. Every format
// shows every point in full, stances included.
func (b *briefing) analysisText(l layout, all bool) (string, error) {
	if b.report == nil {
		return "", nil
	}
	var buf bytes.Buffer
	err := writeReport(&buf, b.in, b.report, reportOptions{layout: l, all: all, frontier: 10, maxRelaxations: 10,
		sensitivityNotes: sensitivityNotes(b.in.Problem, b.report.Result, false)})
	return buf.String(), err
}

// writeBriefText prints the briefing for a terminal: its heading, then the
// report with every point in full (the report carries the text).
func writeBriefText(w io.Writer, l layout, b *briefing) error {
	bw := bufio.NewWriter(w)
	l.para(bw, "", "", sty(b.Title(), bold))
	l.para(bw, "", "", sty(b.Confidential(), red))
	l.para(bw, "", "", s(b.Versions()))
	fmt.Fprintln(bw)
	if b.report == nil {
		if err := bw.Flush(); err != nil {
			return err
		}
		if err := writeDocument(w, l, b.doc); err != nil {
			return err
		}
		fmt.Fprintln(bw)
		for _, n := range b.Notes() {
			l.para(bw, "Note: ", "      ", s(n))
		}
		fmt.Fprintln(bw)
		l.para(bw, "", "", sty(b.Unanalysable(), amber))
		return bw.Flush()
	}
	rep, err := b.analysisText(l, true)
	if err != nil {
		return err
	}
	bw.WriteString(rep)
	return bw.Flush()
}

// writeBriefMarkdown prints the briefing as Markdown: the text marked up,
// then the analysis as a fixed-width block.
func writeBriefMarkdown(w io.Writer, l layout, b *briefing) error {
	bw := bufio.NewWriter(w)
	fmt.Fprintf(bw, "# %s\n\n**%s**\n\n%s\n\n", mdEscape(b.Title()), mdEscape(b.Confidential()), mdEscape(b.Versions()))
	var doc bytes.Buffer
	if err := writeMarkdown(&doc, b.doc); err != nil {
		return err
	}
	// The text's headings go one level down, under the briefing's title.
	for _, line := range strings.SplitAfter(doc.String(), "\n") {
		if strings.HasPrefix(line, "#") {
			bw.WriteString("#")
		}
		bw.WriteString(line)
	}
	fmt.Fprintf(bw, "\n## Analysis\n\n")
	for _, n := range b.Notes() {
		fmt.Fprintf(bw, "*Note: %s*\n\n", mdEscape(n))
	}
	if b.report == nil {
		fmt.Fprintf(bw, "%s\n", mdEscape(b.Unanalysable()))
		return bw.Flush()
	}
	rep, err := b.analysisText(l, true)
	if err != nil {
		return err
	}
	fence := "```"
	for strings.Contains(rep, fence) {
		fence += "`"
	}
	fmt.Fprintf(bw, "%stext\n%s%s\n", fence, rep, fence)
	return bw.Flush()
}

// writeBriefHTML prints the briefing as one HTML page: the text marked up
// as "parley text" does, then the analysis as preformatted text.
func writeBriefHTML(w io.Writer, l layout, b *briefing) error {
	rep, err := b.analysisText(l, true)
	if err != nil {
		return err
	}
	return briefPage().ExecuteTemplate(w, "brief", struct {
		*briefing
		Doc      *document
		Analysis string
	}{b, b.doc, rep})
}

// briefPage is parsed on first use.
var briefPage = sync.OnceValue(func() *template.Template {
	return template.Must(template.Must(htmlPage().Clone()).New("brief").Parse(`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.Title}} — {{.Doc.Title}}, version {{.Doc.Version.ID}}</title>
<style>
{{template "style"}}.confidential { font-weight: bold; color: #8a1c1c; }
pre { font: 0.85rem/1.35 ui-monospace, Menlo, Consolas, monospace; white-space: pre-wrap; }
</style>
</head>
<body>
<main>
<header>
<h1>{{.Title}}</h1>
<p class="confidential">{{.Confidential}}</p>
<p class="meta">{{.Versions}}</p>
</header>
<section aria-labelledby="text">
<h2 id="text">{{.Doc.Title}}</h2>
<p class="meta">{{.Doc.Subtitle}}</p>
{{with .Doc.Note}}<p class="note">{{.}}</p>
{{end}}{{range .Doc.Blocks}}<h2 id="block-{{.ID}}">{{.Title}}</h2>
{{range .Points}}{{template "point" .}}{{end}}{{end}}{{if .Doc.Dropped}}<div class="dropped">
<h2 id="dropped">{{.Doc.DroppedHeading}}</h2>
{{range .Doc.Dropped}}{{template "point" .}}{{end}}</div>
{{end}}</section>
<section aria-labelledby="analysis">
<h2 id="analysis">Analysis</h2>
{{range .Notes}}<p class="note">Note: {{.}}</p>
{{end}}{{with .Unanalysable}}<p>{{.}}</p>
{{end}}{{with .Analysis}}<pre>{{.}}</pre>
{{end}}</section>
{{with .Doc.Disclaimer}}<footer><p>Note: {{.}}</p></footer>
{{end}}</main>
</body>
</html>
`))
})

// briefJSON is the briefing as JSON; the contract is in docs/commands.md.
type briefJSON struct {
	Reader struct {
		Role  access.Role `json:"role"`
		Party string      `json:"party,omitempty"`
	} `json:"reader"`
	Version  string   `json:"version"`
	Versions []string `json:"versions"`
	// Seen and Withheld are the parties whose positions the reader sees,
	// and the others.
	Seen     []string `json:"seen"`
	Withheld []string `json:"withheld"`
	// Text is the version of the text.
	Text *scenario.Version `json:"text"`
	// Positions are the positions the version is judged by that the
	// reader may see.
	Positions []*scenario.Position `json:"positions"`
	// Analysis is the JSON of "parley analyze --json" on the reader's
	// view, or null.
	Analysis     json.RawMessage `json:"analysis"`
	Unanalysable string          `json:"unanalysable,omitempty"`
	Notes        []string        `json:"notes"`
}

func writeBriefJSON(w io.Writer, b *briefing) error {
	vs := b.in.View.Scenario
	var out briefJSON
	out.Reader.Role, out.Reader.Party = b.reader.Role, b.reader.Party
	out.Version = b.version.ID
	out.Versions = []string{}
	for _, v := range vs.Versions {
		out.Versions = append(out.Versions, v.ID)
	}
	out.Seen = append([]string{}, b.in.View.Seen...)
	out.Withheld = append([]string{}, b.in.View.Withheld...)
	out.Text = b.version
	out.Positions = vs.PositionsAt(b.version.Date)
	if out.Positions == nil {
		out.Positions = []*scenario.Position{}
	}
	out.Analysis = json.RawMessage("null")
	if b.report != nil {
		notes := sensitivityNotes(b.in.Problem, b.report.Result, false)
		if notes == nil {
			notes = []string{}
		}
		var buf bytes.Buffer
		doc := analyzeDoc{Report: b.report, SensitivityNotes: notes, Notes: b.in.allNotes()}
		if err := writeAnalysisJSON(&buf, doc, -1, b.in.Problem); err != nil {
			return err
		}
		out.Analysis = buf.Bytes()
	}
	out.Unanalysable = b.in.Unanalysable
	out.Notes = b.in.allNotes()
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}
