// Package diff compares two versions of a negotiating text point by point,
// by the points' stable ids, and word by word within reworded texts. It does
// no I/O: the command line, the server and the web UI render its Diff.
package diff

import (
	"parley/scenario"
)

// Diff is what changed from one version of the text to another. Its JSON
// form is the contract of "parley diff --json", documented in
// docs/commands.md.
type Diff struct {
	From VersionRef `json:"from"`
	To   VersionRef `json:"to"`
	// Points lists the points that changed: those of To in its text order,
	// then the points dropped since From in From's order.
	Points []PointChange `json:"points"`
	// Unchanged counts the points found in both versions with no change.
	Unchanged int `json:"unchanged"`
	// Counts tallies Points by Change.
	Counts Counts `json:"counts"`
}

// VersionRef names a version.
type VersionRef struct {
	ID    string `json:"id"`
	Title string `json:"title"`
	Date  string `json:"date,omitempty"`
}

// Counts tallies the changed points by kind.
type Counts struct {
	Added   int `json:"added"`
	Dropped int `json:"dropped"`
	Changed int `json:"changed"`
}

// The kinds of PointChange.Change.
const (
	Added   = "added"   // in To but not in From (or dropped there)
	Dropped = "dropped" // in From but not in To, or dropped in To
	Changed = "changed" // in both, with at least one difference
)

// PointChange is one point that differs between the versions. Fields that
// did not change are nil.
type PointChange struct {
	Point  string `json:"point"`
	Change string `json:"change"`
	// Number and Title are the point's in To (in From when dropped).
	Number int    `json:"number"`
	Title  string `json:"title"`
	// Block is the block the point sits in, in To (in From when dropped).
	Block string `json:"block"`

	Renumbered *Edit[int]             `json:"renumbered,omitempty"`
	Moved      *Edit[string]          `json:"moved,omitempty"` // block id
	Retitled   *TextEdit              `json:"retitled,omitempty"`
	Reworded   *TextEdit              `json:"reworded,omitempty"` // the point's text
	Status     *Edit[scenario.Status] `json:"status,omitempty"`
	// Proposed is the change of the option the text proposes ("" for
	// none).
	Proposed *Edit[string] `json:"proposed,omitempty"`
	// Options lists the options added, dropped or reworded, in To's order
	// then the dropped ones in From's order.
	Options []OptionChange `json:"options,omitempty"`
	// Text is the point's options when it was added or dropped.
	Text []scenario.Option `json:"text,omitempty"`
}

// Edit is a value before and after.
type Edit[T any] struct {
	From T `json:"from"`
	To   T `json:"to"`
}

// TextEdit is a text before and after, with the word-by-word changes.
type TextEdit struct {
	From  string `json:"from"`
	To    string `json:"to"`
	Words []Span `json:"words"`
}

// The kinds of OptionChange.Change.
const (
	OptionAdded    = "added"
	OptionDropped  = "dropped"
	OptionReworded = "reworded"
)

// OptionChange is an option added, dropped or reworded.
type OptionChange struct {
	Option string `json:"option"`
	Change string `json:"change"`
	// Text is the option's text when added or dropped.
	Text string `json:"text,omitempty"`
	// Reworded is the change of its text when reworded.
	Reworded *TextEdit `json:"reworded,omitempty"`
}

// located is a point with its block and position in text order.
type located struct {
	pt    *scenario.Point
	block *scenario.Block
}

func index(v *scenario.Version) (map[string]located, []string) {
	m := make(map[string]located)
	var order []string
	for i := range v.Blocks {
		b := &v.Blocks[i]
		for j := range b.Points {
			pt := &b.Points[j]
			m[pt.ID] = located{pt, b}
			order = append(order, pt.ID)
		}
	}
	return m, order
}

func live(l located, ok bool) bool { return ok && l.pt.Status != scenario.StatusDropped }

// Versions compares version a with version b.
func Versions(a, b *scenario.Version) *Diff {
	d := &Diff{
		From:   VersionRef{a.ID, a.Title, a.Date},
		To:     VersionRef{b.ID, b.Title, b.Date},
		Points: []PointChange{},
	}
	am, aorder := index(a)
	bm, border := index(b)
	for _, id := range border {
		lb := bm[id]
		la, ina := am[id]
		switch {
		case !live(lb, true) && live(la, ina):
			// Dropped in b: reported with the dropped points below.
		case !live(lb, true):
			// Dropped in both, or dropped in b and absent from a.
		case !live(la, ina):
			pc := PointChange{Point: id, Change: Added, Number: lb.pt.Number, Title: lb.pt.Title, Block: lb.block.ID, Text: lb.pt.Options}
			d.Points = append(d.Points, pc)
			d.Counts.Added++
		default:
			pc := comparePoints(la, lb)
			if pc == nil {
				d.Unchanged++
				continue
			}
			d.Points = append(d.Points, *pc)
			d.Counts.Changed++
		}
	}
	for _, id := range aorder {
		la := am[id]
		lb, inb := bm[id]
		if !live(la, true) || live(lb, inb) {
			continue
		}
		pc := PointChange{Point: id, Change: Dropped, Number: la.pt.Number, Title: la.pt.Title, Block: la.block.ID, Text: la.pt.Options}
		if inb {
			pc.Status = &Edit[scenario.Status]{la.pt.Status, lb.pt.Status}
		}
		d.Points = append(d.Points, pc)
		d.Counts.Dropped++
	}
	return d
}

// comparePoints returns the changes of a point in both versions, or nil.
func comparePoints(la, lb located) *PointChange {
	a, b := la.pt, lb.pt
	pc := &PointChange{Point: b.ID, Change: Changed, Number: b.Number, Title: b.Title, Block: lb.block.ID}
	changed := false
	if a.Number != b.Number {
		pc.Renumbered, changed = &Edit[int]{a.Number, b.Number}, true
	}
	if la.block.ID != lb.block.ID {
		pc.Moved, changed = &Edit[string]{la.block.ID, lb.block.ID}, true
	}
	if t := textEdit(a.Title, b.Title); t != nil {
		pc.Retitled, changed = t, true
	}
	if t := textEdit(a.Text, b.Text); t != nil {
		pc.Reworded, changed = t, true
	}
	if status(a) != status(b) {
		pc.Status, changed = &Edit[scenario.Status]{status(a), status(b)}, true
	}
	pa, _ := a.ProposedOption()
	pb, _ := b.ProposedOption()
	if pa != pb {
		pc.Proposed, changed = &Edit[string]{pa, pb}, true
	}
	aopts := make(map[string]string)
	for _, o := range a.Options {
		aopts[o.ID] = o.Text
	}
	bopts := make(map[string]bool)
	for _, o := range b.Options {
		bopts[o.ID] = true
		at, ok := aopts[o.ID]
		switch {
		case !ok:
			pc.Options = append(pc.Options, OptionChange{Option: o.ID, Change: OptionAdded, Text: o.Text})
		case normalise(at) != normalise(o.Text):
			pc.Options = append(pc.Options, OptionChange{Option: o.ID, Change: OptionReworded, Reworded: textEdit(at, o.Text)})
		}
	}
	for _, o := range a.Options {
		if !bopts[o.ID] {
			pc.Options = append(pc.Options, OptionChange{Option: o.ID, Change: OptionDropped, Text: o.Text})
		}
	}
	if len(pc.Options) > 0 {
		changed = true
	}
	if !changed {
		return nil
	}
	return pc
}

// status is the point's status, open when not given.
func status(p *scenario.Point) scenario.Status {
	if p.Status == "" {
		return scenario.StatusOpen
	}
	return p.Status
}

// textEdit compares two texts, ignoring how they are spaced; nil when
// they say the same.
func textEdit(a, b string) *TextEdit {
	if normalise(a) == normalise(b) {
		return nil
	}
	return &TextEdit{From: normalise(a), To: normalise(b), Words: Words(a, b)}
}
