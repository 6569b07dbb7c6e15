package diff

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"pgregory.net/rapid"

	"parley/scenario"
)

// spell rebuilds the old and new texts from the spans.
func spell(spans []Span) (old, new string) {
	var a, b strings.Builder
	for _, s := range spans {
		if s.Op != Insert {
			a.WriteString(s.Text)
		}
		if s.Op != Delete {
			b.WriteString(s.Text)
		}
	}
	return a.String(), b.String()
}

func TestWordsRebuildBothTexts(t *testing.T) {
	vocab := []string{"the", "Ukraine's", "front", "line", "50-50", ",", ";", "and", "NATO", "Крим", "1.5", "  ", "\n", "é"}
	text := rapid.Custom(func(t *rapid.T) string {
		ws := rapid.SliceOfN(rapid.SampledFrom(vocab), 0, 20).Draw(t, "words")
		return strings.Join(ws, rapid.SampledFrom([]string{" ", "", "  "}).Draw(t, "sep"))
	})
	rapid.Check(t, func(t *rapid.T) {
		a, b := text.Draw(t, "a"), text.Draw(t, "b")
		spans := Words(a, b)
		old, new := spell(spans)
		if old != normalise(a) || new != normalise(b) {
			t.Fatalf("spans %q spell %q and %q, want %q and %q", spans, old, new, normalise(a), normalise(b))
		}
		for i, s := range spans {
			if s.Text == "" {
				t.Fatalf("empty span %d in %q", i, spans)
			}
			if i > 0 && spans[i-1].Op == s.Op {
				t.Fatalf("spans %d and %d share op %s: %q", i-1, i, s.Op, spans)
			}
		}
		if normalise(a) == normalise(b) && len(spans) > 1 {
			t.Fatalf("same texts give %q", spans)
		}
	})
}

func TestWordsMarksWholeWords(t *testing.T) {
	got := Words("Sanctions are lifted in stages.", "Sanctions are kept in stages, for now.")
	want := []Span{
		{Equal, "Sanctions are "}, {Delete, "lifted"}, {Insert, "kept"}, {Equal, " in stages"},
		{Insert, ", for now"}, {Equal, "."},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

func TestTokens(t *testing.T) {
	got := tokens("Ukraine's army: 600,000 troops, 50-50 split.")
	want := []string{"Ukraine's", " ", "army", ":", " ", "600,000", " ", "troops", ",", " ", "50-50", " ", "split", "."}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

func version(id string, blocks ...scenario.Block) *scenario.Version {
	return &scenario.Version{ID: id, Title: "Version " + id, Blocks: blocks}
}

func TestVersions(t *testing.T) {
	opts := func(ids ...string) []scenario.Option {
		var out []scenario.Option
		for _, id := range ids {
			out = append(out, scenario.Option{ID: id, Text: "Text of " + id + "."})
		}
		return out
	}
	a := version("a",
		scenario.Block{ID: "b1", Title: "One", Points: []scenario.Point{
			{ID: "same", Number: 1, Title: "Same", Options: opts("x")},
			{ID: "moves", Number: 2, Title: "Moves", Options: opts("x")},
			{ID: "gone", Number: 3, Title: "Gone", Options: opts("x")},
			{ID: "later", Number: 4, Title: "Later dropped", Options: opts("x")},
			{ID: "opts", Number: 5, Title: "Options", Options: opts("x", "y", "z"), Proposed: "x"},
		}},
	)
	b := version("b",
		scenario.Block{ID: "b1", Title: "One", Points: []scenario.Point{
			{ID: "same", Number: 1, Title: "Same", Options: opts("x")},
			{ID: "new", Number: 2, Title: "New", Options: opts("x")},
			{ID: "later", Number: 4, Title: "Later dropped", Status: scenario.StatusDropped, Options: opts("x")},
			{ID: "opts", Number: 5, Title: "Choices", Status: scenario.StatusDisputed, Options: append(opts("y", "w"), scenario.Option{ID: "x", Text: "New text of x."}), Proposed: "w"},
		}},
		scenario.Block{ID: "b2", Title: "Two", Points: []scenario.Point{
			{ID: "moves", Number: 7, Title: "Moves", Options: opts("x")},
		}},
	)
	d := Versions(a, b)
	if d.Unchanged != 1 || d.Counts != (Counts{Added: 1, Dropped: 2, Changed: 2}) {
		t.Errorf("unchanged %d counts %+v", d.Unchanged, d.Counts)
	}
	var ids []string
	for _, p := range d.Points {
		ids = append(ids, p.Point+":"+p.Change)
	}
	if diff := cmp.Diff([]string{"new:added", "opts:changed", "moves:changed", "gone:dropped", "later:dropped"}, ids); diff != "" {
		t.Errorf("points (-want +got):\n%s", diff)
	}
	byID := map[string]PointChange{}
	for _, p := range d.Points {
		byID[p.Point] = p
	}
	mv := byID["moves"]
	if mv.Renumbered == nil || *mv.Renumbered != (Edit[int]{2, 7}) || mv.Moved == nil || *mv.Moved != (Edit[string]{"b1", "b2"}) || mv.Retitled != nil {
		t.Errorf("moves: %+v", mv)
	}
	op := byID["opts"]
	if op.Retitled == nil || op.Retitled.To != "Choices" || op.Status == nil || op.Status.To != scenario.StatusDisputed || op.Status.From != scenario.StatusOpen {
		t.Errorf("opts: %+v", op)
	}
	if op.Proposed == nil || *op.Proposed != (Edit[string]{"x", "w"}) {
		t.Errorf("opts proposed: %+v", op.Proposed)
	}
	var oc []string
	for _, o := range op.Options {
		oc = append(oc, o.Option+":"+o.Change)
	}
	if diff := cmp.Diff([]string{"w:added", "x:reworded", "z:dropped"}, oc); diff != "" {
		t.Errorf("options (-want +got):\n%s", diff)
	}
	if l := byID["later"]; l.Status == nil || l.Status.To != scenario.StatusDropped {
		t.Errorf("later: %+v", l)
	}
	if d := Versions(a, a); len(d.Points) != 0 || d.Unchanged != 5 {
		t.Errorf("a version against itself: %+v", d)
	}
}

// FuzzWords checks on any pair of texts that the word-by-word comparison
// spells both texts back.
func FuzzWords(f *testing.F) {
	f.Add("Sanctions are lifted in stages.", "Sanctions are kept, for now.")
	f.Add("", "a")
	f.Add("Ukraine's 600,000", "Ukraine’s 800,000 troops")
	f.Fuzz(func(t *testing.T, a, b string) {
		old, new := spell(Words(a, b))
		if old != normalise(a) || new != normalise(b) {
			t.Fatalf("spans spell %q and %q, want %q and %q", old, new, normalise(a), normalise(b))
		}
	})
}

// genVersion draws a version over a small pool of point and option ids,
// so that two draws share some points.
func genVersion(t *rapid.T, id string) *scenario.Version {
	v := &scenario.Version{ID: id}
	used := map[string]bool{}
	for b := 0; b < rapid.IntRange(1, 3).Draw(t, "blocks"); b++ {
		blk := scenario.Block{ID: rapid.SampledFrom([]string{"b1", "b2", "b3"}).Draw(t, "block")}
		for n := 0; n < rapid.IntRange(0, 4).Draw(t, "points"); n++ {
			pid := rapid.SampledFrom([]string{"p1", "p2", "p3", "p4", "p5", "p6"}).Draw(t, "point")
			if used[pid] {
				continue
			}
			used[pid] = true
			pt := scenario.Point{ID: pid, Number: rapid.IntRange(1, 9).Draw(t, "number"),
				Title:  rapid.SampledFrom([]string{"T", "Title", "Other title"}).Draw(t, "title"),
				Status: rapid.SampledFrom([]scenario.Status{"", scenario.StatusOpen, scenario.StatusDisputed, scenario.StatusDropped}).Draw(t, "status")}
			seen := map[string]bool{}
			for o := 0; o < rapid.IntRange(1, 3).Draw(t, "options"); o++ {
				oid := rapid.SampledFrom([]string{"x", "y", "z"}).Draw(t, "option")
				if seen[oid] {
					continue
				}
				seen[oid] = true
				pt.Options = append(pt.Options, scenario.Option{ID: oid, Text: rapid.SampledFrom([]string{"a b c", "a c", "b c d."}).Draw(t, "text")})
			}
			blk.Points = append(blk.Points, pt)
		}
		v.Blocks = append(v.Blocks, blk)
	}
	return v
}

// TestVersionsCounts checks on random versions that every live point is
// accounted for once: those of b are added, changed or unchanged, those of
// a dropped, changed or unchanged; and that a version equals itself.
func TestVersionsCounts(t *testing.T) {
	liveCount := func(v *scenario.Version) int {
		n := 0
		for _, p := range v.Points() {
			if p.Status != scenario.StatusDropped {
				n++
			}
		}
		return n
	}
	rapid.Check(t, func(t *rapid.T) {
		a, b := genVersion(t, "a"), genVersion(t, "b")
		d := Versions(a, b)
		c := d.Counts
		if c.Added+c.Changed+d.Unchanged != liveCount(b) || c.Dropped+c.Changed+d.Unchanged != liveCount(a) {
			t.Fatalf("counts %+v unchanged %d for %d and %d live points", c, d.Unchanged, liveCount(a), liveCount(b))
		}
		if len(d.Points) != c.Added+c.Dropped+c.Changed {
			t.Fatalf("%d points listed, counts %+v", len(d.Points), c)
		}
		seen := map[string]bool{}
		for _, p := range d.Points {
			if seen[p.Point] {
				t.Fatalf("point %s listed twice", p.Point)
			}
			seen[p.Point] = true
		}
		if self := Versions(a, a); len(self.Points) != 0 || self.Unchanged != liveCount(a) {
			t.Fatalf("a version against itself: %+v", self)
		}
	})
}
