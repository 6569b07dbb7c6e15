package main

import (
	"html/template"
	"io"
	"sync"

	"parley/scenario"
)

// writeHTML prints the document as one complete HTML page: styles inline,
// no scripts, no external assets, every scenario string escaped by
// html/template.
func writeHTML(w io.Writer, doc *document) error {
	return htmlPage().Execute(w, doc)
}

// htmlPage is parsed on first use: most runs of parley print no HTML.
var htmlPage = sync.OnceValue(func() *template.Template {
	return template.Must(template.New("page").Funcs(template.FuncMap{
		"list": func(opts []scenario.Option) []string {
			var ids []string
			for _, o := range opts {
				ids = append(ids, o.ID)
			}
			return ids
		},
		"prose": func(ids []string) string { return list(ids, "and") },
	}).Parse(`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.Title}} — version {{.Version.ID}}</title>
<style>
{{template "style"}}</style>
</head>
<body>
<main>
<header>
<h1>{{.Title}}</h1>
<p class="meta">{{.Subtitle}}</p>
{{with .Note}}<p class="note">{{.}}</p>{{end}}
</header>
{{range .Blocks}}<section aria-labelledby="block-{{.ID}}">
<h2 id="block-{{.ID}}">{{.Title}}</h2>
{{range .Points}}{{template "point" .}}{{end}}</section>
{{end}}{{if .Dropped}}<section class="dropped" aria-labelledby="dropped">
<h2 id="dropped">{{.DroppedHeading}}</h2>
{{range .Dropped}}{{template "point" .}}{{end}}</section>
{{end}}{{with .Disclaimer}}<footer><p>Note: {{.}}</p></footer>
{{end}}</main>
</body>
</html>
{{define "point"}}<article id="point-{{.ID}}" aria-labelledby="head-{{.ID}}">
<h3 id="head-{{.ID}}">{{.Number}}. {{.Title}} <span class="id">[{{.ID}}]</span>{{with .Status}} <span class="status">— {{.}}</span>{{end}}</h3>
{{with .Text}}<p>{{.}}</p>
{{end}}{{if .Proposed}}<p>{{.Proposed.Text}}</p>
{{if .Others}}<p class="meta">Proposed: <code>{{.Proposed.ID}}</code>. Also on the table: {{prose (list .Others)}}.</p>
{{end}}{{else}}<p class="open">Open: the text proposes none of these options.</p>
<ul>
{{range .Others}}<li><code>{{.ID}}</code>: {{.Text}}</li>
{{end}}</ul>
{{end}}</article>
{{end}}{{define "style"}}body { font: 1rem/1.5 Georgia, "Times New Roman", serif; color: #1a1a1a; background: #fff; margin: 0; }
main { max-width: 46rem; margin: 0 auto; padding: 1.5rem; }
h1 { font-size: 1.6rem; margin-bottom: 0.2rem; }
h2 { font-size: 1.25rem; border-bottom: 1px solid #888; margin-top: 2rem; }
h3 { font-size: 1.05rem; margin: 1.4rem 0 0.3rem; }
.id, code { font-family: ui-monospace, Menlo, Consolas, monospace; font-size: 0.85em; color: #444; }
.status { font-style: italic; color: #5a3d00; }
.open { color: #5a3d00; font-style: italic; }
.meta, .note { color: #444; }
.dropped h3 { text-decoration: line-through; }
ul { padding-left: 1.2rem; }
footer { margin-top: 2.5rem; border-top: 1px solid #888; color: #444; font-size: 0.9rem; }
@media print { main { max-width: none; } }
{{end}}`))
})
