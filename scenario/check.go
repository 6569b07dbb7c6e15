package scenario

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"
)

// Validate reports the problems Load would report for s (schema and
// consistency), located by element path only, or nil when s is a valid
// scenario. Use it on scenarios built or edited in code.
func Validate(s *Scenario) error {
	data, err := Marshal(s, "json")
	if err != nil {
		return err
	}
	l := &loader{pathsOnly: true}
	l.load(data)
	if len(l.errs) == 0 {
		return nil
	}
	// Sort by place in the JSON written above, which is the order of the
	// model, then forget the place.
	l.finish()
	for _, e := range l.errs {
		e.Line, e.Column = 0, 0
	}
	return l.errs
}

// checker runs the consistency checks that a schema cannot express.
type checker struct {
	// node finds the node at a path; nil when the scenario has no file.
	node func(path) *yaml.Node
	errs Errors
}

func (c *checker) errorf(p path, format string, args ...any) {
	if len(c.errs) > MaxErrors { // one more tells the loader it stopped
		return
	}
	ClipArgs(args)
	e := &Error{Path: p.String(), Msg: fmt.Sprintf(format, args...)}
	if c.node != nil {
		if n := c.node(p); n != nil {
			e.Line, e.Column = n.Line, n.Column
		}
	}
	c.errs = append(c.errs, e)
}

// where names the place of p for a message: its line when known, else
// its path.
func (c *checker) where(p path) string {
	if c.node != nil {
		if n := c.node(p); n != nil {
			return fmt.Sprintf("line %d", n.Line)
		}
	}
	return p.String()
}

// names records where each name of a namespace was first given.
type names map[string]path

// add records name at p, or reports it as a duplicate; what says what
// the name is, as in "party id".
func (c *checker) add(ns names, name string, p path, what string) bool {
	if prev, ok := ns[name]; ok {
		c.errorf(p, "duplicate %s %q (first at %s)", what, name, c.where(prev))
		return false
	}
	ns[name] = p
	return true
}

// check returns the consistency errors of s, which has passed the
// schema. node, which may be nil, locates paths in the file.
func check(s *Scenario, node func(path) *yaml.Node) Errors {
	c := &checker{node: node}
	parties := c.parties(s)
	c.categories(s)
	c.versions(s, parties)
	options := c.text(s)
	c.positions(s, parties, options)
	c.linkages(s, parties, options)
	c.timeline(s, parties)
	return c.errs
}

// parties checks party ids and aliases, which share one namespace, and
// returns the party ids.
func (c *checker) parties(s *Scenario) map[string]bool {
	ids := make(map[string]bool)
	used := make(names) // ids and aliases
	kind := make(map[string]string)
	claim := func(name string, p path, what string) {
		if name == HolderAll {
			c.errorf(p, "%s %q is reserved for linkages held by every party", what, name)
			return
		}
		if prev, ok := used[name]; ok {
			if kind[name] == what {
				c.errorf(p, "duplicate %s %q (first at %s)", what, name, c.where(prev))
			} else {
				c.errorf(p, "%s %q is already a %s (at %s)", what, name, kind[name], c.where(prev))
			}
			return
		}
		used[name], kind[name] = p, what
	}
	for i, pt := range s.Parties {
		claim(pt.ID, path{"parties", i, "id"}, "party id")
		ids[pt.ID] = true
	}
	for i, pt := range s.Parties {
		for j, a := range pt.Aliases {
			claim(a, path{"parties", i, "aliases", j}, "party alias")
		}
	}
	return ids
}

// categories checks the declared categories for duplicates.
func (c *checker) categories(s *Scenario) {
	seen := make(names)
	for i, cat := range s.Categories {
		c.add(seen, cat, path{"categories", i}, "category")
	}
}

// versions checks version ids, parents, authors and dates.
func (c *checker) versions(s *Scenario, parties map[string]bool) {
	index := make(map[string]int) // first version with each id
	seen := make(names)
	for i, v := range s.Versions {
		if c.add(seen, v.ID, path{"versions", i, "id"}, "version id") {
			index[v.ID] = i
		}
	}
	for i, v := range s.Versions {
		p := path{"versions", i}
		if _, ok := index[v.Parent]; v.Parent != "" && !ok {
			c.errorf(p.with("parent"), "unknown parent version %q%s", v.Parent, didYouMean(v.Parent, index))
		}
		if v.Author != "" && !parties[v.Author] {
			c.errorf(p.with("author"), "unknown author %q: not a party id%s", v.Author, didYouMean(v.Author, parties))
		}
		if v.Date != "" {
			c.date(v.Date, p.with("date"))
		}
	}
	c.parentCycles(s, index)
}

// parentCycles reports each cycle of parent links once, at the parent
// field of its first version in the file.
func (c *checker) parentCycles(s *Scenario, index map[string]int) {
	const (
		unseen = iota
		walking
		done
	)
	state := make([]int, len(s.Versions))
	for start := range s.Versions {
		var trail []int
		i, cyclic := start, false
		for state[i] == unseen {
			state[i] = walking
			trail = append(trail, i)
			j, ok := index[s.Versions[i].Parent]
			if !ok {
				break
			}
			i, cyclic = j, state[j] == walking
		}
		if cyclic {
			// The trail runs into itself at i: the cycle is the rest of
			// the trail from i on.
			cycle := trail[slices.Index(trail, i):]
			first := slices.Min(cycle)
			k := slices.Index(cycle, first)
			ids := make([]string, 0, len(cycle)+1)
			for n := range len(cycle) + 1 {
				ids = append(ids, s.Versions[cycle[(k+n)%len(cycle)]].ID)
			}
			c.errorf(path{"versions", first, "parent"}, "parent cycle: %s", strings.Join(ids, " → "))
		}
		for _, t := range trail {
			state[t] = done
		}
	}
}

// date checks that d, which has the form YYYY-MM-DD, is a calendar date.
func (c *checker) date(d string, p path) {
	if _, err := time.Parse(time.DateOnly, d); err != nil {
		c.errorf(p, "invalid date %q: no such day", d)
	}
}

// text checks the blocks, points and options of every version, and
// returns the option ids of each point id across all versions.
func (c *checker) text(s *Scenario) map[string]map[string]bool {
	known := make(map[string]bool)
	for _, cat := range BuiltinCategories {
		known[cat] = true
	}
	for _, cat := range s.Categories {
		known[cat] = true
	}
	options := make(map[string]map[string]bool)
	for vi, v := range s.Versions {
		blocks, points, numbers := make(names), make(names), make(map[int]path)
		for bi, b := range v.Blocks {
			bp := path{"versions", vi, "blocks", bi}
			c.add(blocks, b.ID, bp.with("id"), "block id")
			for pi, pt := range b.Points {
				pp := bp.with("points", pi)
				c.add(points, pt.ID, pp.with("id"), "point id")
				if prev, ok := numbers[pt.Number]; ok {
					c.errorf(pp.with("number"), "duplicate point number %d (first at %s)", pt.Number, c.where(prev))
				} else {
					numbers[pt.Number] = pp.with("number")
				}
				if pt.Category != "" && !known[pt.Category] {
					c.errorf(pp.with("category"), "unknown category %q: not built in and not listed under categories", pt.Category)
				}
				if options[pt.ID] == nil {
					options[pt.ID] = make(map[string]bool)
				}
				opts := make(names)
				for oi, o := range pt.Options {
					c.add(opts, o.ID, pp.with("options", oi, "id"), "option id")
					options[pt.ID][o.ID] = true
				}
				if pt.Proposed != "" {
					if _, ok := opts[pt.Proposed]; !ok {
						c.errorf(pp.with("proposed"), "proposed option %q is not an option of point %q%s", pt.Proposed, pt.ID, optionList(pt.Options))
					}
				}
			}
		}
	}
	return options
}

// positions checks that positions refer to parties, points and options
// that exist, once each.
func (c *checker) positions(s *Scenario, parties map[string]bool, options map[string]map[string]bool) {
	held := make(names)
	for qi, q := range s.Positions {
		qp := path{"positions", qi}
		if q.AsOf != "" {
			c.date(q.AsOf, qp.with("as_of"))
		}
		switch {
		case !parties[q.Party]:
			c.errorf(qp.with("party"), "unknown party %q%s", q.Party, didYouMean(q.Party, parties))
		case q.AsOf == "":
			c.add(held, q.Party, qp.with("party"), "undated position of party")
		default:
			key := q.Party + " " + q.AsOf
			if prev, ok := held[key]; ok {
				c.errorf(qp.with("as_of"), "duplicate position of party %q as of %s (first at %s)", q.Party, q.AsOf, c.where(prev))
			} else {
				held[key] = qp.with("as_of")
			}
		}
		points := make(names)
		for ri, r := range q.Points {
			rp := qp.with("points", ri)
			opts, ok := options[r.Point]
			if !ok {
				c.errorf(rp.with("point"), "unknown point %q: not in any version%s", r.Point, didYouMean(r.Point, options))
			} else {
				c.add(points, r.Point, rp.with("point"), "point")
			}
			stances := make(names)
			for oi, o := range r.Options {
				op := rp.with("options", oi, "option")
				if ok && !opts[o.Option] {
					c.errorf(op, "unknown option %q of point %q%s", o.Option, r.Point, didYouMean(o.Option, opts))
					continue
				}
				c.add(stances, o.Option, op, "stance on option")
			}
		}
	}
}

// linkages checks linkage ids, holders and the options they link.
func (c *checker) linkages(s *Scenario, parties map[string]bool, options map[string]map[string]bool) {
	ids := make(names)
	for i, k := range s.Linkages {
		p := path{"linkages", i}
		c.add(ids, k.ID, p.with("id"), "linkage id")
		if k.Holder != HolderAll && !parties[k.Holder] {
			c.errorf(p.with("holder"), "unknown holder %q: want %q or a party id%s", k.Holder, HolderAll, didYouMean(k.Holder, parties))
		}
		for _, side := range []struct {
			name string
			ref  OptionRef
		}{{"if", k.If}, {"then", k.Then}} {
			sp := p.with(side.name)
			opts, ok := options[side.ref.Point]
			switch {
			case !ok:
				c.errorf(sp.with("point"), "unknown point %q: not in any version%s", side.ref.Point, didYouMean(side.ref.Point, options))
			case !opts[side.ref.Option]:
				c.errorf(sp.with("option"), "unknown option %q of point %q%s", side.ref.Option, side.ref.Point, didYouMean(side.ref.Option, opts))
			}
		}
		if k.If.Point == k.Then.Point {
			c.errorf(p.with("then", "point"), "\"if\" and \"then\" name the same point %q: a linkage joins two points", k.If.Point)
		}
	}
}

// timeline checks event ids, dates and the parties and versions events
// name.
func (c *checker) timeline(s *Scenario, parties map[string]bool) {
	ids := make(names)
	versions := make(map[string]bool)
	for _, v := range s.Versions {
		versions[v.ID] = true
	}
	for i, e := range s.Timeline {
		p := path{"timeline", i}
		c.add(ids, e.ID, p.with("id"), "event id")
		c.date(e.Date, p.with("date"))
		if e.End != "" {
			c.date(e.End, p.with("end"))
			if e.End < e.Date {
				c.errorf(p.with("end"), "end %s is before the event's date %s", e.End, e.Date)
			}
		}
		for j, pt := range e.Parties {
			if !parties[pt] {
				c.errorf(p.with("parties", j), "unknown party %q%s", pt, didYouMean(pt, parties))
			}
		}
		if e.Version != "" && !versions[e.Version] {
			c.errorf(p.with("version"), "unknown version %q%s", e.Version, didYouMean(e.Version, versions))
		}
	}
}

// optionList lists the option ids of a point for a message, as
// " (options: a, b, c)".
func optionList(opts []Option) string {
	ids := make([]string, len(opts))
	for i, o := range opts {
		ids[i] = o.ID
	}
	return " (options: " + strings.Join(ids, ", ") + ")"
}
