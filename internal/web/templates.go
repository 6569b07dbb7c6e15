package web

import (
	"fmt"
	"html/template"
	"math"
	"strconv"
	"strings"
	"time"

	"parley/scenario"
)

// pageNames are the pages; each is parsed with the frame.
var pageNames = []string{"home", "signin", "error", "desk", "text", "compare", "workspace", "simulate"}

func parsePages() map[string]*template.Template {
	pages := map[string]*template.Template{}
	for _, name := range pageNames {
		t := template.Must(template.New("").Funcs(funcs).ParseFS(templateFS, "templates/layout.html", "templates/"+name+".html"))
		pages[name] = t
	}
	return pages
}

// stanceMarks gives each stance a symbol, so that the matrix reads
// without colour.
var stanceMarks = map[scenario.Stance]string{
	scenario.Support:   "✓✓",
	scenario.Accept:    "✓",
	scenario.Reluctant: "~",
	scenario.Object:    "✗",
	scenario.RedLine:   "✖",
}

var stanceWords = map[scenario.Stance]string{
	scenario.Support:   "support",
	scenario.Accept:    "accept",
	scenario.Reluctant: "reluctant",
	scenario.Object:    "object",
	scenario.RedLine:   "red line",
}

var wbrs = strings.NewReplacer("_", "_<wbr>", "=", "=<wbr>")

var funcs = template.FuncMap{
	// human writes an id of the model as words: provisionally_agreed
	// reads "provisionally agreed".
	"human": func(v any) string { return strings.ReplaceAll(fmt.Sprint(v), "_", " ") },
	// wbr lets a long id (or point=option) break after its underscores
	// and equals signs rather than widen a table.
	"wbr": func(id string) template.HTML {
		return template.HTML(wbrs.Replace(template.HTMLEscapeString(id)))
	},
	"mark":  func(s scenario.Stance) string { return stanceMarks[s] },
	"word":  func(s scenario.Stance) string { return stanceWords[s] },
	"class": func(s scenario.Stance) string { return "st-" + strings.ReplaceAll(string(s), "_", "-") },
	// plural is "1 point" or "4 points".
	"plural": func(n int, one, many string) string {
		if n == 1 {
			return "1 " + one
		}
		return strconv.Itoa(n) + " " + many
	},
	"util": func(v any) string {
		switch x := v.(type) {
		case float64:
			if math.IsNaN(x) {
				return "–"
			}
			return fmt.Sprintf("%.2f", x)
		case *float64:
			if x == nil {
				return "–"
			}
			return fmt.Sprintf("%.2f", *x)
		}
		return "–"
	},
	"pct":    func(x float64) string { return fmt.Sprintf("%.0f%%", 100*x) },
	"signed": func(x float64) string { return fmt.Sprintf("%+.2f", x) },
	// gapBefore is the space before a word of a word-by-word comparison:
	// none before the first, nor before punctuation that follows a word.
	"gapBefore": func(i int, word string) string {
		if i == 0 || strings.IndexAny(word, ".,;:!?)") == 0 {
			return ""
		}
		return " "
	},
	"date": func(t any) string {
		switch x := t.(type) {
		case time.Time:
			return x.UTC().Format("2006-01-02 15:04")
		case *time.Time:
			if x == nil {
				return ""
			}
			return x.UTC().Format("2006-01-02 15:04")
		}
		return ""
	},
	// svg embeds a chart drawn by package chart, which escapes its text;
	// its element ids get a prefix so that several charts fit one page.
	"svg": func(b []byte, prefix string) template.HTML {
		s := strings.NewReplacer(`"chart-title`, `"`+prefix+`-title`, `"chart-desc`, `"`+prefix+`-desc`,
			` chart-desc"`, ` `+prefix+`-desc"`).Replace(string(b))
		return template.HTML(s)
	},
	"join":     strings.Join,
	"contains": strings.Contains,
	"stances": func() []scenario.Stance {
		return []scenario.Stance{scenario.Support, scenario.Accept, scenario.Reluctant, scenario.Object, scenario.RedLine}
	},
	"yes": func(b *bool) string {
		if b == nil {
			return "–"
		}
		if *b {
			return "yes"
		}
		return "no"
	},
	"add":  func(a, b int) int { return a + b },
	"args": func(root, p any) map[string]any { return map[string]any{"Root": root, "P": p} },
}
