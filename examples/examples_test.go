package examples

import (
	"bytes"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"go.yaml.in/yaml/v3"

	"parley/scenario"
)

// decodeDefault decodes the default scenario strictly: unknown fields are
// errors, so the file cannot drift from the model's field names.
func decodeDefault(t *testing.T) *scenario.Scenario {
	t.Helper()
	dec := yaml.NewDecoder(bytes.NewReader(Default))
	dec.KnownFields(true)
	var s scenario.Scenario
	if err := dec.Decode(&s); err != nil {
		t.Fatalf("%s: %v", DefaultName, err)
	}
	return &s
}

func TestDefaultHeader(t *testing.T) {
	s := decodeDefault(t)
	if s.Parley != scenario.FormatVersion {
		t.Errorf("parley: got %d, want %d", s.Parley, scenario.FormatVersion)
	}
	if s.ID != "ukraine-2025" {
		t.Errorf("id: got %q, want ukraine-2025", s.ID)
	}
	if s.Title == "" || s.Description == "" {
		t.Errorf("title and description must be set")
	}
	if !strings.Contains(strings.ToLower(s.Disclaimer), "illustrative") {
		t.Errorf("disclaimer must say the numbers are illustrative: %q", s.Disclaimer)
	}

	type party struct {
		ID   string
		Role scenario.Role
	}
	var gotParties []party
	for _, p := range s.Parties {
		gotParties = append(gotParties, party{p.ID, p.Role})
	}
	wantParties := []party{
		{"us", scenario.RoleMediator},
		{"ua", scenario.RoleParty},
		{"ru", scenario.RoleParty},
		{"e3", scenario.RoleParty},
	}
	if diff := cmp.Diff(wantParties, gotParties); diff != "" {
		t.Errorf("parties (-want +got):\n%s", diff)
	}

	type version struct{ ID, Date, Author, Parent string }
	var gotVersions []version
	for _, v := range s.Versions {
		gotVersions = append(gotVersions, version{v.ID, v.Date, v.Author, v.Parent})
	}
	wantVersions := []version{
		{"v1", "2025-11-20", "us", ""},
		{"v2", "2025-11-23", "e3", "v1"},
		{"v3", "2025-11-24", "us", "v1"},
		{"v4", "2025-12-24", "ua", "v3"},
	}
	if diff := cmp.Diff(wantVersions, gotVersions); diff != "" {
		t.Errorf("versions (-want +got):\n%s", diff)
	}
}

// TestDefaultNumbering checks the point numbers of the versions whose counts
// are known: v1 has points 1 to 28, and v4 has the twenty points of the
// framework plus the six open questions numbered after them.
func TestDefaultNumbering(t *testing.T) {
	s := decodeDefault(t)
	tests := []struct {
		version string
		want    []int
	}{
		{"v1", seq(1, 28)},
		{"v2", seq(1, 28)},
		{"v4", seq(1, 26)},
	}
	for _, tt := range tests {
		v, ok := s.Version(tt.version)
		if !ok {
			t.Fatalf("no version %s", tt.version)
		}
		var got []int
		for _, p := range v.Points() {
			got = append(got, p.Number)
		}
		slices.Sort(got)
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("%s: point numbers (-want +got):\n%s", tt.version, diff)
		}
	}
	v4, _ := s.Version("v4")
	for _, b := range v4.Blocks {
		for _, p := range b.Points {
			if inText := p.Number <= 20; inText == (b.ID == "open") {
				t.Errorf("v4: point %s (number %d) is in block %s", p.ID, p.Number, b.ID)
			}
		}
	}
}

func seq(from, to int) []int {
	var s []int
	for i := from; i <= to; i++ {
		s = append(s, i)
	}
	return s
}

// TestDefaultLoads checks that parley's own loader, with its schema and
// consistency checks, accepts the default scenario and reads the same thing
// as a plain strict decode.
func TestDefaultLoads(t *testing.T) {
	got, err := scenario.Load(DefaultName, Default)
	if err != nil {
		t.Fatalf("scenario.Load: %v", err)
	}
	if diff := cmp.Diff(decodeDefault(t), got); diff != "" {
		t.Errorf("scenario.Load and a strict decode differ (-decode +load):\n%s", diff)
	}
}

var dateRE = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}$`)

// TestDefaultIntegrity checks the references inside the file: ids are
// unique, every position names a point and options that exist, and every
// stance is sourced. That a position covers every option of its points is
// checked by TestDefaultCoverage, version by version.
func TestDefaultIntegrity(t *testing.T) {
	s := decodeDefault(t)
	errs := integrity(s)
	for _, e := range errs {
		t.Error(e)
	}
}

func integrity(s *scenario.Scenario) []string {
	var errs []string
	bad := func(format string, args ...any) { errs = append(errs, fmt.Sprintf(format, args...)) }

	parties := map[string]bool{}
	for _, p := range s.Parties {
		if parties[p.ID] {
			bad("party %s: duplicate id", p.ID)
		}
		parties[p.ID] = true
		if p.Reservation < 0 || p.Reservation > 1 {
			bad("party %s: reservation %v outside [0,1]", p.ID, p.Reservation)
		}
	}
	categories := map[string]bool{}
	for _, c := range append(slices.Clone(scenario.BuiltinCategories), s.Categories...) {
		categories[c] = true
	}
	statuses := map[scenario.Status]bool{
		scenario.StatusOpen: true, scenario.StatusProvisional: true,
		scenario.StatusDisputed: true, scenario.StatusDropped: true,
	}

	// options[point] is the union over versions of the point's option ids.
	options := map[string]map[string]bool{}
	versions := map[string]bool{}
	for _, v := range s.Versions {
		if versions[v.ID] {
			bad("version %s: duplicate id", v.ID)
		}
		if v.Parent != "" && !versions[v.Parent] {
			bad("version %s: parent %q is not an earlier version", v.ID, v.Parent)
		}
		versions[v.ID] = true
		if v.Author != "" && !parties[v.Author] {
			bad("version %s: author %q is not a party", v.ID, v.Author)
		}
		if !dateRE.MatchString(v.Date) {
			bad("version %s: date %q", v.ID, v.Date)
		}
		blocks, points, numbers := map[string]bool{}, map[string]bool{}, map[int]bool{}
		for _, b := range v.Blocks {
			if blocks[b.ID] {
				bad("version %s: duplicate block %s", v.ID, b.ID)
			}
			blocks[b.ID] = true
			for _, p := range b.Points {
				where := fmt.Sprintf("version %s point %s", v.ID, p.ID)
				if points[p.ID] {
					bad("%s: duplicate id", where)
				}
				points[p.ID] = true
				if numbers[p.Number] {
					bad("%s: duplicate number %d", where, p.Number)
				}
				numbers[p.Number] = true
				if !categories[p.Category] {
					bad("%s: unknown category %q", where, p.Category)
				}
				if !statuses[p.Status] {
					bad("%s: unknown status %q", where, p.Status)
				}
				if len(p.Options) == 0 {
					bad("%s: no options", where)
				}
				if options[p.ID] == nil {
					options[p.ID] = map[string]bool{}
				}
				seen := map[string]bool{}
				for _, o := range p.Options {
					if seen[o.ID] {
						bad("%s: duplicate option %s", where, o.ID)
					}
					seen[o.ID] = true
					if strings.TrimSpace(o.Text) == "" {
						bad("%s option %s: no text", where, o.ID)
					}
					options[p.ID][o.ID] = true
				}
			}
		}
	}

	stances := map[scenario.Stance]bool{
		scenario.Support: true, scenario.Accept: true, scenario.Reluctant: true,
		scenario.Object: true, scenario.RedLine: true,
	}
	positioned := map[string]bool{}
	for _, pos := range s.Positions {
		if !parties[pos.Party] {
			bad("position of %q: no such party", pos.Party)
		}
		key := pos.Party + " as of " + pos.AsOf
		if positioned[key] {
			bad("position of %s: duplicate", key)
		}
		positioned[key] = true
		positioned[pos.Party] = true
		if pos.AsOf != "" && !dateRE.MatchString(pos.AsOf) {
			bad("position of %s: bad as_of %q", pos.Party, pos.AsOf)
		}
		points := map[string]bool{}
		for _, pp := range pos.Points {
			where := fmt.Sprintf("position of %s on %s", pos.Party, pp.Point)
			if points[pp.Point] {
				bad("%s: duplicate", where)
			}
			points[pp.Point] = true
			opts, ok := options[pp.Point]
			if !ok {
				bad("%s: no such point", where)
				continue
			}
			if pp.Weight <= 0 {
				bad("%s: weight %v, want > 0", where, pp.Weight)
			}
			seen := map[string]bool{}
			for _, os := range pp.Options {
				w := fmt.Sprintf("%s option %s", where, os.Option)
				if !opts[os.Option] {
					bad("%s: no such option", w)
				}
				if seen[os.Option] {
					bad("%s: duplicate", w)
				}
				seen[os.Option] = true
				if !stances[os.Stance] {
					bad("%s: unknown stance %q", w, os.Stance)
				}
				if strings.TrimSpace(os.Reason) == "" {
					bad("%s: no reason", w)
				}
				if len(os.Sources) == 0 {
					bad("%s: no sources", w)
				}
				for _, src := range os.Sources {
					if src.Outlet == "" || !dateRE.MatchString(src.Date) {
						bad("%s: bad source %+v", w, src)
					}
				}
			}
		}
	}
	for id := range parties {
		if !positioned[id] {
			bad("party %s has no position", id)
		}
	}

	links := map[string]bool{}
	for _, l := range s.Linkages {
		if links[l.ID] {
			bad("linkage %s: duplicate id", l.ID)
		}
		links[l.ID] = true
		if l.Holder != scenario.HolderAll && !parties[l.Holder] {
			bad("linkage %s: holder %q is not a party", l.ID, l.Holder)
		}
		if l.Kind != scenario.Requires && l.Kind != scenario.Excludes {
			bad("linkage %s: kind %q", l.ID, l.Kind)
		}
		for _, ref := range []scenario.OptionRef{l.If, l.Then} {
			if !options[ref.Point][ref.Option] {
				bad("linkage %s: no option %s of point %s", l.ID, ref.Option, ref.Point)
			}
		}
	}
	return errs
}

// The brute force below is a throwaway check of the scenario's design, kept
// independent of package analysis: a package picks one option per contested
// point of a version; a party's utility is the weighted mean of its option
// values over the points of that version it has a position on; a package is
// acceptable when it crosses no red line and breaks no linkage, and it lies
// in the zone of agreement when, besides, every party gets at least its
// reservation value. Settled points (one option) add a constant, so only the
// contested points are enumerated.

// constraint is a red line or a linkage that can be lifted.
type constraint struct {
	kind   string // "red_line" or "linkage"
	party  string
	point  string // the red line's point, or the linkage's "if" point
	option string
	id     string // the linkage id
}

func (c constraint) String() string {
	if c.kind == "linkage" {
		return fmt.Sprintf("%s's linkage %s", c.party, c.id)
	}
	return fmt.Sprintf("%s's red line on %s=%s", c.party, c.point, c.option)
}

type bfOption struct {
	id      string
	utility []float64    // per party, weighted and normalised
	red     []constraint // red lines on this option
}

type bfIssue struct {
	point   string
	options []bfOption
}

type bfLinkage struct {
	c       constraint
	ifPoint string
	ifOpt   string
	kind    scenario.LinkageKind
	thenPt  string
	thenOpt string
}

// bfProblem is one version of the scenario reduced to its contested points.
type bfProblem struct {
	parties     []string
	reservation []float64
	base        []float64 // each party's utility from the settled points
	baseRed     []constraint
	issues      []bfIssue
	linkages    []bfLinkage
}

func newBFProblem(t *testing.T, s *scenario.Scenario, version string) *bfProblem {
	t.Helper()
	v, ok := s.Version(version)
	if !ok {
		t.Fatalf("no version %s", version)
	}
	p := &bfProblem{}
	ix := map[string]int{}
	for i, party := range s.Parties {
		ix[party.ID] = i
		p.parties = append(p.parties, party.ID)
		p.reservation = append(p.reservation, party.Reservation)
	}
	n := len(p.parties)
	inVersion := map[string]*scenario.Point{}
	var points []*scenario.Point
	for _, pt := range v.Points() {
		if pt.Status == scenario.StatusDropped {
			continue
		}
		inVersion[pt.ID] = pt
		points = append(points, pt)
	}
	// stance[party][point][option], from the position each party holds on
	// the version's date.
	stance := make([]map[string]map[string]scenario.OptionStance, n)
	weight := make([]map[string]float64, n)
	total := make([]float64, n)
	for _, pos := range heldOn(s, v.Date) {
		k := ix[pos.Party]
		stance[k] = map[string]map[string]scenario.OptionStance{}
		weight[k] = map[string]float64{}
		for _, pp := range pos.Points {
			if inVersion[pp.Point] == nil {
				continue
			}
			weight[k][pp.Point] = pp.Weight
			total[k] += pp.Weight
			stance[k][pp.Point] = map[string]scenario.OptionStance{}
			for _, os := range pp.Options {
				stance[k][pp.Point][os.Option] = os
			}
		}
	}
	p.base = make([]float64, n)
	for _, pt := range points {
		is := bfIssue{point: pt.ID}
		for _, o := range pt.Options {
			opt := bfOption{id: o.ID, utility: make([]float64, n)}
			for k := range n {
				os, ok := stance[k][pt.ID][o.ID]
				if !ok {
					continue
				}
				opt.utility[k] = weight[k][pt.ID] * os.Value() / total[k]
				if os.Stance == scenario.RedLine {
					opt.red = append(opt.red, constraint{kind: "red_line", party: p.parties[k], point: pt.ID, option: o.ID})
				}
			}
			is.options = append(is.options, opt)
		}
		if len(is.options) == 1 {
			for k, u := range is.options[0].utility {
				p.base[k] += u
			}
			p.baseRed = append(p.baseRed, is.options[0].red...)
			continue
		}
		p.issues = append(p.issues, is)
	}
	for _, l := range s.Linkages {
		if inVersion[l.If.Point] == nil || inVersion[l.Then.Point] == nil {
			continue
		}
		if _, ok := ix[l.Holder]; !ok && l.Holder != scenario.HolderAll {
			t.Fatalf("linkage %s: holder %q is neither a party nor all", l.ID, l.Holder)
		}
		p.linkages = append(p.linkages, bfLinkage{
			c:       constraint{kind: "linkage", party: l.Holder, point: l.If.Point, option: l.If.Option, id: l.ID},
			ifPoint: l.If.Point, ifOpt: l.If.Option, kind: l.Kind,
			thenPt: l.Then.Point, thenOpt: l.Then.Option,
		})
	}
	return p
}

// constraints lists every red line and linkage of the problem.
func (p *bfProblem) constraints() []constraint {
	cs := slices.Clone(p.baseRed)
	for _, is := range p.issues {
		for _, o := range is.options {
			cs = append(cs, o.red...)
		}
	}
	for _, l := range p.linkages {
		cs = append(cs, l.c)
	}
	return cs
}

// result is what search finds under one set of lifted constraints.
type result struct {
	acceptable, zone int
	// best is the package in the zone whose smallest surplus over a
	// reservation value is largest (egalitarian maximin), and bestU its
	// utilities.
	best  []string
	bestU []float64
}

// search enumerates the packages that are acceptable once the constraints in
// lifted are lifted, and counts them and those in the zone of agreement.
func (p *bfProblem) search(lifted map[constraint]bool) result {
	var r result
	blocked := func(cs []constraint) bool {
		for _, c := range cs {
			if !lifted[c] {
				return true
			}
		}
		return false
	}
	if blocked(p.baseRed) {
		return r
	}
	choice := make([]string, len(p.issues))
	point := map[string]int{}
	for i, is := range p.issues {
		point[is.point] = i
	}
	chosen := func(pt string) (string, bool) {
		i, ok := point[pt]
		if !ok {
			return "", false
		}
		return choice[i], true
	}
	bestSurplus := -1.0
	u := slices.Clone(p.base)
	var walk func(i int)
	walk = func(i int) {
		if i == len(p.issues) {
			for _, l := range p.linkages {
				if lifted[l.c] {
					continue
				}
				ifc, ok1 := chosen(l.ifPoint)
				thenc, ok2 := chosen(l.thenPt)
				if !ok1 || !ok2 || ifc != l.ifOpt {
					continue
				}
				if (l.kind == scenario.Requires) != (thenc == l.thenOpt) {
					return
				}
			}
			r.acceptable++
			surplus := 1.0
			for k := range u {
				surplus = min(surplus, u[k]-p.reservation[k])
			}
			if surplus < -1e-9 {
				return
			}
			r.zone++
			if surplus > bestSurplus {
				bestSurplus = surplus
				r.best = slices.Clone(choice)
				r.bestU = slices.Clone(u)
			}
			return
		}
		for _, o := range p.issues[i].options {
			if blocked(o.red) {
				continue
			}
			choice[i] = o.id
			for k, v := range o.utility {
				u[k] += v
			}
			walk(i + 1)
			for k, v := range o.utility {
				u[k] -= v
			}
		}
	}
	walk(0)
	return r
}

// TestDefaultZoneOfAgreement checks that the scenario shows what the
// reporting shows: the territorial red lines of Ukraine and Russia collide,
// so no package of the E3 text or of the 20-point framework is acceptable to
// all, while lifting one territorial red line, and at most one more
// constraint, opens a zone of agreement. (The 28-point plan offers only
// options that Ukraine rules out, and no relaxation of it gives Ukraine and
// the E3 their reservation values; TestDefaultScorecards covers it.)
func TestDefaultZoneOfAgreement(t *testing.T) {
	s := decodeDefault(t)
	for _, version := range []string{"v2", "v4"} {
		t.Run(version, func(t *testing.T) {
			p := newBFProblem(t, s, version)
			packages := 1
			for _, is := range p.issues {
				packages *= len(is.options)
			}
			t.Logf("%d contested points, %d packages", len(p.issues), packages)

			// Every territorial option is someone's red line.
			for _, is := range p.issues {
				if is.point != "territory" {
					continue
				}
				for _, o := range is.options {
					if len(o.red) == 0 {
						t.Errorf("territory=%s is a red line of no party", o.id)
					}
				}
			}

			if r := p.search(nil); r.acceptable != 0 {
				t.Errorf("%d packages acceptable to all, want none", r.acceptable)
			}

			// Lift one territorial red line, alone or with one other
			// constraint, and keep the minimal sets that open a zone.
			all := p.constraints()
			opens := map[string]result{}
			var minimal []string
			try := func(cs ...constraint) {
				lifted := map[constraint]bool{}
				var names []string
				for _, c := range cs {
					lifted[c] = true
					names = append(names, c.String())
				}
				slices.Sort(names)
				key := strings.Join(names, " + ")
				if _, done := opens[key]; done {
					return
				}
				for _, c := range cs {
					if _, ok := opens[c.String()]; ok && len(cs) > 1 {
						return // not minimal
					}
				}
				if r := p.search(lifted); r.zone > 0 {
					opens[key] = r
					minimal = append(minimal, key)
				}
			}
			for _, r := range all {
				if r.kind == "red_line" && r.point == "territory" {
					try(r)
				}
			}
			for _, r := range all {
				if r.kind != "red_line" || r.point != "territory" {
					continue
				}
				for _, other := range all {
					if other != r {
						try(r, other)
					}
				}
			}
			if len(minimal) == 0 {
				t.Fatalf("no territorial red line, alone or with one other constraint lifted, opens a zone of agreement")
			}
			for _, key := range minimal {
				r := opens[key]
				var pkg []string
				for i, is := range p.issues {
					pkg = append(pkg, is.point+"="+r.best[i])
				}
				t.Logf("lifting %s opens a zone: %d acceptable packages, %d in the zone; maximin package %s, utilities %s %.3f",
					key, r.acceptable, r.zone, strings.Join(pkg, " "), strings.Join(p.parties, "/"), r.bestU)
			}
		})
	}
}
