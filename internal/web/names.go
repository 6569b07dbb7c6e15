package web

import (
	"fmt"
	"math/big"
	"slices"
	"strings"

	"parley/analysis"
	"parley/internal/access"
	"parley/scenario"
)

// versionPoints names the points of one version as the report does, by
// number and title ("14. Territory"), and orders them as the text does.
// A point the version does not hold keeps its id and comes last.
type versionPoints struct {
	label map[string]string
	order map[string]int
	// hasChoice marks the points with a choice: more than one option and
	// not dropped.
	hasChoice map[string]bool
	// text is each option's wording, by point|option.
	text map[string]string
}

func newVersionPoints(v *scenario.Version) versionPoints {
	n := versionPoints{label: map[string]string{}, order: map[string]int{}, hasChoice: map[string]bool{}, text: map[string]string{}}
	if v == nil {
		return n
	}
	for i, pt := range v.Points() {
		n.label[pt.ID] = fmt.Sprintf("%d. %s", pt.Number, pt.Title)
		n.order[pt.ID] = i
		n.hasChoice[pt.ID] = pt.Status != scenario.StatusDropped && len(pt.Options) > 1
		for _, o := range pt.Options {
			n.text[pt.ID+"|"+o.ID] = o.Text
		}
	}
	return n
}

// Label is the point's number and title, or its id when the version
// does not hold it.
func (n versionPoints) Label(id string) string {
	if l, ok := n.label[id]; ok {
		return l
	}
	return id
}

// Labels names points in the order given.
func (n versionPoints) Labels(ids []string) []string {
	out := make([]string, 0, len(ids))
	for _, id := range ids {
		out = append(out, n.Label(id))
	}
	return out
}

// rank places a point in text order; unknown points last, by id.
func (n versionPoints) rank(id string) int {
	if i, ok := n.order[id]; ok {
		return i
	}
	return len(n.order)
}

// pkgChoice is one point of a package with its option and the option's
// wording.
type pkgChoice struct {
	Point, Label, Option, Text string
}

// Choices lays out a package (point → option) in the order of the text.
func (n versionPoints) Choices(pkg map[string]string) []pkgChoice {
	out := make([]pkgChoice, 0, len(pkg))
	for pt, o := range pkg {
		out = append(out, pkgChoice{Point: pt, Label: n.Label(pt), Option: o, Text: n.text[pt+"|"+o]})
	}
	slices.SortFunc(out, func(a, b pkgChoice) int {
		if d := n.rank(a.Point) - n.rank(b.Point); d != 0 {
			return d
		}
		return strings.Compare(a.Point, b.Point)
	})
	return out
}

// Contested is Choices limited to the points with a choice, as the
// report lists a package; the others are as the version writes them.
func (n versionPoints) Contested(pkg map[string]string) []pkgChoice {
	var out []pkgChoice
	for _, c := range n.Choices(pkg) {
		if n.hasChoice[c.Point] {
			out = append(out, c)
		}
	}
	return out
}

// AsWritten counts the points of a package without a choice.
func (n versionPoints) AsWritten(pkg map[string]string) int {
	return len(pkg) - len(n.Contested(pkg))
}

// Constraint names a red line by its option and point, as the report
// does: "ru's red line on line_of_contact (14. Territory)".
func (n versionPoints) Constraint(c analysis.Constraint) string {
	if c.Kind == analysis.LinkageConstraint {
		holder := c.Party + "'s"
		if c.Party == scenario.HolderAll {
			holder = "the common"
		}
		return holder + " linkage " + c.Linkage
	}
	return fmt.Sprintf("%s's red line on %s (%s)", c.Party, c.Option, n.Label(c.Point))
}

// ConflictPoints names a conflict's points in text order: those its red
// lines are on, then those a linkage joins to them.
func (n versionPoints) ConflictPoints(c analysis.Conflict) string {
	onRedLine := map[string]bool{}
	for _, o := range c.Options {
		for _, b := range o.Blockers {
			if b.Kind != analysis.LinkageConstraint {
				onRedLine[b.Point] = true
			}
		}
	}
	ids := slices.Clone(c.Points)
	slices.SortStableFunc(ids, func(a, b string) int { return n.rank(a) - n.rank(b) })
	var red, joined []string
	for _, id := range ids {
		if onRedLine[id] {
			red = append(red, n.Label(id))
		} else {
			joined = append(joined, n.Label(id))
		}
	}
	if len(red) == 0 || len(joined) == 0 {
		return deskProse(n.Labels(ids))
	}
	return deskProse(red) + " (joined by a linkage to " + deskProse(joined) + ")"
}

// deskProse joins words as a sentence does: "a", "a and b", "a, b and c".
func deskProse(words []string) string {
	switch len(words) {
	case 0:
		return ""
	case 1:
		return words[0]
	}
	return strings.Join(words[:len(words)-1], ", ") + " and " + words[len(words)-1]
}

// countDigits writes a count with its digits in groups of three: 2,560.
func countDigits(c analysis.Count) string {
	n := c.Int
	if n == nil {
		n = new(big.Int)
	}
	d := n.String()
	neg := strings.HasPrefix(d, "-")
	d = strings.TrimPrefix(d, "-")
	var b strings.Builder
	if neg {
		b.WriteByte('-')
	}
	for i := range len(d) {
		if i > 0 && (len(d)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteByte(d[i])
	}
	return b.String()
}

// unseenParties are the counted parties none of whose positions r sees,
// in the order of the parties: their red lines are not visible to r. The
// list depends on what r may see alone, so it tells r nothing about
// whether those parties hold any position.
func unseenParties(sc *scenario.Scenario, r access.Reader) []string {
	if r.Role == access.Mediator {
		return nil
	}
	seen := map[string]bool{}
	for _, q := range sc.Positions {
		seen[q.Party] = true
	}
	var out []string
	for _, p := range sc.Parties {
		if p.Counted() && !seen[p.ID] && !(r.Role == access.Party && r.Party == p.ID) {
			out = append(out, p.ID)
		}
	}
	return out
}

// omittedVersion is a version the frontier chart marks no point for,
// and why; Open is set when it leaves points open, so that the versions
// chart has no point for it either.
type omittedVersion struct {
	Version, Why string
	Open         bool
}

func (o omittedVersion) String() string { return o.Version + " (" + o.Why + ")" }

// omittedVersions lists the versions of the trajectory that the frontier
// chart leaves out: those with points open (no single package to score)
// and those where a counted party holds no position at the version's
// date.
func omittedVersions(rep *analysis.Report) []omittedVersion {
	if rep == nil || rep.Trajectory == nil || rep.Result == nil {
		return nil
	}
	var out []omittedVersion
	for _, v := range rep.Trajectory.Versions {
		switch n := len(v.Open); {
		case n == 1:
			out = append(out, omittedVersion{v.Version, "1 point open", true})
			continue
		case n > 1:
			out = append(out, omittedVersion{v.Version, fmt.Sprintf("%d points open", n), true})
			continue
		}
		var missing []string
		for _, id := range rep.Result.Parties {
			scored := false
			for _, ps := range v.Parties {
				if ps.Party == id && ps.Utility != nil {
					scored = true
				}
			}
			if !scored {
				missing = append(missing, id)
			}
		}
		if len(missing) > 0 {
			out = append(out, omittedVersion{Version: v.Version, Why: "no position of " + deskProse(missing) + " at its date"})
		}
	}
	return out
}
