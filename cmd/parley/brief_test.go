package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"pgregory.net/rapid"

	"parley/scenario"
)

// privateScenario is a random scenario in which every private field of
// every position, reservation value and linkage holds a marker string or
// an unusual number that appears nowhere else.
type privateScenario struct {
	s *scenario.Scenario
	// markers of each party: by position index (per party, in the order
	// of s.Positions), and those of the party itself (reservation value,
	// linkages), which a reader sees when it sees any of its positions.
	positionMarkers map[string]map[int][]string
	partyMarkers    map[string][]string
	// redLineReasons are the reasons of red lines held at the last
	// version's date, which the mediator's text briefing must show.
	redLineReasons []string
	n              int // markers made so far
}

func (ps *privateScenario) marker(kind string) string {
	ps.n++
	return fmt.Sprintf("zq%s%05dx", kind, ps.n)
}

// number returns an unusual number in [lo, lo+0.1) written with seven
// decimals, and that writing.
func (ps *privateScenario) number(lo float64) (float64, string) {
	ps.n++
	v := lo + float64(ps.n%1000)/10000 + 0.0000731
	s := strconv.FormatFloat(v, 'f', -1, 64)
	return v, s
}

// asOfLater is the date of a party's second position, between the
// versions' dates.
const asOfLater = "2025-01-20"

var partyIDs = []string{"pa", "pb", "pc", "pd"}

// genPrivateScenario draws a scenario with 2–4 parties (and sometimes a
// mediator that holds a position), one or two versions of 1–4 points,
// one or two positions per party, each shared or not, and linkages.
func genPrivateScenario(t *rapid.T) *privateScenario {
	ps := &privateScenario{positionMarkers: map[string]map[int][]string{}, partyMarkers: map[string][]string{}}
	s := &scenario.Scenario{Parley: 1, ID: "leak", Title: "Leak test"}
	nParties := rapid.IntRange(2, 4).Draw(t, "parties")
	ids := append([]string{}, partyIDs[:nParties]...)
	if rapid.Bool().Draw(t, "mediator") {
		ids = append(ids, "md")
	}
	for _, id := range ids {
		res, str := ps.number(0.1)
		p := scenario.Party{ID: id, Name: "Party " + strings.ToUpper(id), Role: scenario.RoleParty, Reservation: res}
		if id == "md" {
			p.Role = scenario.RoleMediator
			yes := true
			p.Bargains = &yes
		}
		disc, dstr := ps.number(0.8)
		p.Discount = disc
		s.Parties = append(s.Parties, p)
		ps.partyMarkers[id] = append(ps.partyMarkers[id], str, dstr)
	}
	// The text: points with 1–3 options; the second version proposes
	// other options.
	type pointShape struct {
		id      string
		options []string
	}
	var shape []pointShape
	for i := range rapid.IntRange(1, 4).Draw(t, "points") {
		n := rapid.IntRange(1, 3).Draw(t, fmt.Sprintf("options%d", i))
		pt := pointShape{id: fmt.Sprintf("q%d", i+1)}
		for j := range n {
			pt.options = append(pt.options, fmt.Sprintf("o%d", j+1))
		}
		shape = append(shape, pt)
	}
	nVersions := rapid.IntRange(1, 2).Draw(t, "versions")
	for vi := range nVersions {
		v := scenario.Version{ID: fmt.Sprintf("v%d", vi+1), Title: fmt.Sprintf("Draft %d", vi+1), Date: fmt.Sprintf("2025-0%d-10", vi+1)}
		if vi > 0 {
			v.Parent = "v1"
		}
		b := scenario.Block{ID: "b1", Title: "The points"}
		for i, sp := range shape {
			pt := scenario.Point{ID: sp.id, Number: i + 1, Title: "Point " + sp.id}
			for _, o := range sp.options {
				pt.Options = append(pt.Options, scenario.Option{ID: o, Text: "Option " + o + " of point " + sp.id + "."})
			}
			if len(sp.options) > 1 {
				pt.Proposed = sp.options[rapid.IntRange(0, len(sp.options)-1).Draw(t, "proposed")]
			}
			b.Points = append(b.Points, pt)
		}
		v.Blocks = []scenario.Block{b}
		s.Versions = append(s.Versions, v)
	}
	last := s.Versions[len(s.Versions)-1].Date
	stances := []scenario.Stance{scenario.Support, scenario.Accept, scenario.Reluctant, scenario.Object, scenario.RedLine}
	for _, id := range ids {
		ps.positionMarkers[id] = map[int][]string{}
		dates := []string{""}
		if rapid.Bool().Draw(t, "two positions") {
			dates = append(dates, asOfLater)
		}
		for k, asOf := range dates {
			pos := scenario.Position{Party: id, AsOf: asOf, Shared: rapid.IntRange(0, 2).Draw(t, "shared") == 0}
			var ms []string
			for _, sp := range shape {
				w, ws := ps.number(0.5)
				ms = append(ms, ws)
				pp := scenario.PointPosition{Point: sp.id, Weight: w}
				for _, o := range sp.options {
					st := stances[rapid.IntRange(0, len(stances)-1).Draw(t, "stance")]
					reason := ps.marker("RSN")
					src := scenario.Source{Outlet: ps.marker("SRC"), Date: "2025-01-05", URL: "https://example.org/" + ps.marker("URL"), Quote: ps.marker("QTE"), Note: ps.marker("NTE")}
					os := scenario.OptionStance{Option: o, Stance: st, Reason: reason, Sources: []scenario.Source{src}}
					ms = append(ms, reason, src.Outlet, src.URL, src.Quote, src.Note)
					if st != scenario.RedLine && rapid.Bool().Draw(t, "explicit utility") {
						u, us := ps.number(0.2)
						os.Utility = &u
						ms = append(ms, us)
					}
					held := (k == 0 && (len(dates) == 1 || last < asOfLater)) || (k == 1 && last >= asOfLater)
					if st == scenario.RedLine && held {
						ps.redLineReasons = append(ps.redLineReasons, reason)
					}
					pp.Options = append(pp.Options, os)
				}
				pos.Points = append(pos.Points, pp)
			}
			ps.positionMarkers[id][len(s.Positions)] = ms
			s.Positions = append(s.Positions, pos)
		}
		// A linkage of the party's own, between two options.
		if len(shape) > 1 && rapid.Bool().Draw(t, "linkage") {
			a, b := shape[0], shape[1]
			l := scenario.Linkage{ID: "link_" + id, Holder: id, Kind: scenario.Excludes,
				If:     scenario.OptionRef{Point: a.id, Option: a.options[0]},
				Then:   scenario.OptionRef{Point: b.id, Option: b.options[len(b.options)-1]},
				Reason: ps.marker("LNK")}
			s.Linkages = append(s.Linkages, l)
			ps.partyMarkers[id] = append(ps.partyMarkers[id], l.Reason)
		}
	}
	ps.s = s
	return ps
}

// hidden returns the markers reader may not see: those of every position
// of another party that is not shared, and those of another party none of
// whose positions is shared.
func (ps *privateScenario) hidden(reader string) []string {
	var out []string
	for _, p := range ps.s.Parties {
		if p.ID == reader {
			continue
		}
		anyShared := false
		for i, q := range ps.s.Positions {
			if q.Party != p.ID {
				continue
			}
			if q.Shared {
				anyShared = true
				continue
			}
			out = append(out, ps.positionMarkers[p.ID][i]...)
		}
		if !anyShared {
			out = append(out, ps.partyMarkers[p.ID]...)
		}
	}
	return out
}

// readerOutputs runs every command that shows reader a view of the
// scenario, in every format, and returns each output by its command line.
func readerOutputs(t *rapid.T, data []byte, reader string) map[string]string {
	return outputs(t, data, [][]string{
		{"brief", "--for", reader, "-"},
		{"brief", "--for", reader, "--format", "markdown", "-"},
		{"brief", "--for", reader, "--format", "html", "-"},
		{"brief", "--for", reader, "--format", "json", "-"},
		{"brief", "--for", reader, "--version", "v1", "-"},
		{"analyze", "--party", reader, "--all", "-"},
		{"analyze", "--party", reader, "--json", "-"},
	})
}

// outputs runs each command line on the scenario data and returns its
// output (standard output and error) by command line.
func outputs(t *rapid.T, data []byte, runs [][]string) map[string]string {
	out := make(map[string]string)
	for _, args := range runs {
		var stdout, stderr bytes.Buffer
		e := &env{stdin: bytes.NewReader(data), stdout: &stdout, stderr: &stderr}
		code := run(context.Background(), e, args)
		key := strings.Join(args, " ")
		if code != 0 {
			// A reader with no position to analyse gets no --party
			// report; that refusal must not leak either.
			if args[0] == "analyze" && code == 2 {
				out[key] = stderr.String()
				continue
			}
			t.Fatalf("%s: exit %d: %s", key, code, stderr.String())
		}
		out[key] = stdout.String() + stderr.String()
	}
	return out
}

// TestBriefLeaksNothing plants markers in every private field of random
// scenarios and checks that no briefing or --party report, in any format,
// shows a reader a marker of another party's unshared position.
func TestBriefLeaksNothing(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		ps := genPrivateScenario(t)
		data, err := scenario.Marshal(ps.s, "yaml")
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range ps.s.Parties {
			if p.Role == scenario.RoleMediator {
				continue // the mediator sees everything
			}
			hidden := ps.hidden(p.ID)
			for cmd, out := range readerOutputs(t, data, p.ID) {
				for _, m := range hidden {
					if strings.Contains(out, m) {
						t.Fatalf("%s: shows %q, private to another party\n%s", cmd, m, out)
					}
				}
			}
		}
	})
}

// TestBriefNonInterference checks a stronger property: a party's briefing
// and --party report do not change, byte for byte, when everything it may
// not see changes — other parties' unshared positions (stances, weights,
// utilities, reasons, sources), and the reservation values and linkages
// of parties that share nothing. No number computed from them can leak.
func TestBriefNonInterference(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		ps := genPrivateScenario(t)
		reader := ps.s.Parties[rapid.IntRange(0, len(ps.s.Parties)-1).Draw(t, "reader")]
		if reader.Role == scenario.RoleMediator {
			return
		}
		other := genPrivateScenario(t)
		changed := mixPrivate(ps.s, other.s, reader.ID)
		a, err := scenario.Marshal(ps.s, "yaml")
		if err != nil {
			t.Fatal(err)
		}
		b, err := scenario.Marshal(changed, "yaml")
		if err != nil {
			t.Fatal(err)
		}
		outA, outB := readerOutputs(t, a, reader.ID), readerOutputs(t, b, reader.ID)
		for cmd := range outA {
			if outA[cmd] != outB[cmd] {
				t.Fatalf("%s: the output for %s changes with what it may not see:\n--- before\n%s\n--- after\n%s", cmd, reader.ID, outA[cmd], outB[cmd])
			}
		}
	})
}

// mixPrivate returns s with what reader may not see taken from o where
// o has it: the stances and weights of other parties' unshared positions
// on the points both share, and the reservation values and linkages of
// parties that share no position.
func mixPrivate(s, o *scenario.Scenario, reader string) *scenario.Scenario {
	out := *s
	out.Positions = append([]scenario.Position{}, s.Positions...)
	out.Parties = append([]scenario.Party{}, s.Parties...)
	sharesAny := map[string]bool{}
	for _, q := range s.Positions {
		sharesAny[q.Party] = sharesAny[q.Party] || q.Shared
	}
	for i, q := range out.Positions {
		if q.Party == reader || q.Shared {
			continue
		}
		// Another unshared position: take the stances of any position
		// of o on the same points and options, in turn.
		src := o.Positions[i%len(o.Positions)]
		nq := q
		nq.Points = nil
		for pi, pp := range q.Points {
			np := pp
			np.Options = append([]scenario.OptionStance{}, pp.Options...)
			if pi < len(src.Points) {
				np.Weight = src.Points[pi].Weight
				for oi := range np.Options {
					if oi < len(src.Points[pi].Options) {
						so := src.Points[pi].Options[oi]
						so.Option = np.Options[oi].Option
						np.Options[oi] = so
					}
				}
			}
			nq.Points = append(nq.Points, np)
		}
		out.Positions[i] = nq
	}
	for i, p := range out.Parties {
		if p.ID != reader && !sharesAny[p.ID] {
			out.Parties[i].Reservation = o.Parties[i%len(o.Parties)].Reservation
			out.Parties[i].Discount = o.Parties[i%len(o.Parties)].Discount
		}
	}
	out.Linkages = nil
	for _, l := range s.Linkages {
		if l.Holder == reader || sharesAny[l.Holder] {
			out.Linkages = append(out.Linkages, l)
		}
	}
	// Linkages of hidden parties are replaced by o's where o's holder is
	// also hidden and its points exist here.
	for _, l := range o.Linkages {
		if l.Holder != reader && !sharesAny[l.Holder] && hasOption(s, l.If) && hasOption(s, l.Then) {
			if _, ok := s.Party(l.Holder); ok {
				out.Linkages = append(out.Linkages, l)
			}
		}
	}
	return &out
}

func hasOption(s *scenario.Scenario, ref scenario.OptionRef) bool {
	for _, v := range s.Versions {
		for _, pt := range v.Points() {
			if pt.ID != ref.Point {
				continue
			}
			for _, o := range pt.Options {
				if o.ID == ref.Option {
					return true
				}
			}
		}
	}
	return false
}

// TestMediatorBriefShowsAll checks the other side: the mediator's briefing
// holds every party's private fields (all of them in JSON, the red lines'
// reasons in the text).
func TestMediatorBriefShowsAll(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		ps := genPrivateScenario(t)
		data, err := scenario.Marshal(ps.s, "yaml")
		if err != nil {
			t.Fatal(err)
		}
		outs := outputs(t, data, [][]string{
			{"brief", "--for", "mediator", "-"},
			{"brief", "--for", "mediator", "--format", "json", "-"},
		})
		js := outs["brief --for mediator --format json -"]
		s := ps.s
		// The JSON holds the positions held at the version's date.
		for _, q := range s.PositionsAt(s.Versions[len(s.Versions)-1].Date) {
			for i := range s.Positions {
				if &s.Positions[i] != q {
					continue
				}
				for _, m := range ps.positionMarkers[q.Party][i] {
					if !strings.Contains(js, m) {
						t.Fatalf("mediator's JSON briefing lacks %q of %s", m, q.Party)
					}
				}
			}
		}
		text := strings.Join(strings.Fields(outs["brief --for mediator -"]), " ")
		for _, m := range ps.redLineReasons {
			if !strings.Contains(text, m) {
				t.Fatalf("mediator's briefing lacks the red line reason %q:\n%s", m, outs["brief --for mediator -"])
			}
		}
	})
}

func TestBriefUsage(t *testing.T) {
	tests := []struct {
		args []string
		code int
		want string
	}{
		{[]string{"brief"}, 2, "--for is required"},
		{[]string{"brief", "--for", "ur"}, 2, `did you mean "ua"`},
		{[]string{"brief", "--for", "ua", "--format", "pdf"}, 2, "--format must be"},
		{[]string{"brief", "--for", "ua", "--version", "v9"}, 2, "its versions: v1, v2, v3, v4"},
		{[]string{"analyze", "--party", "xx"}, 2, "the readers are mediator, us, ua, ru, e3"},
		{[]string{"brief", "--for", "ua", "--width", "20"}, 2, "--width must be at least"},
	}
	for _, tt := range tests {
		code, _, stderr := runExampleCmd(t, tt.args...)
		if code != tt.code || !strings.Contains(stderr, tt.want) {
			t.Errorf("%v: expected exit %d and %q; got %d %q", tt.args, tt.code, tt.want, code, stderr)
		}
	}
}

// hostileBrief is a scenario whose private fields try to break out of the
// Markdown fence and the HTML page of a briefing.
const hostileBrief = `parley: 1
id: hostile
title: "<script>alert(1)</script>"
parties:
  - {id: a, name: "A <b>", role: party, reservation: 0.2}
  - {id: b, name: "B", role: party, reservation: 0.2}
versions:
  - id: v1
    title: "Draft"
    blocks:
      - id: b1
        title: "Block"
        points:
          - id: p1
            number: 1
            title: "Point"
            options:
              - {id: o1, text: "one"}
              - {id: o2, text: "two"}
positions:
  - party: a
    points:
      - point: p1
        weight: 1
        options:
          - {option: o1, stance: red_line, reason: "` + "```" + ` </pre><script>x</script>"}
          - {option: o2, stance: support}
`

func TestBriefEscapes(t *testing.T) {
	for _, format := range []string{"markdown", "html"} {
		var out, errOut strings.Builder
		e := &env{stdin: strings.NewReader(hostileBrief), stdout: &out, stderr: &errOut}
		if code := run(t.Context(), e, []string{"brief", "--for", "a", "--format", format, "-"}); code != 0 {
			t.Fatalf("%s: exit %d: %s", format, code, errOut.String())
		}
		got := out.String()
		switch format {
		case "markdown":
			// The analysis block is fenced with more backticks than any
			// run inside it.
			if !strings.Contains(got, "````text\n") {
				t.Errorf("markdown: the fence is not longer than the backticks inside:\n%s", got)
			}
		case "html":
			for _, bad := range []string{"<script>", "</pre><script>", "<b>"} {
				if strings.Contains(got, bad) {
					t.Errorf("html: %q not escaped", bad)
				}
			}
		}
	}
	// A party with no position, none shared with it: the text, and why
	// there is no analysis.
	for _, format := range []string{"text", "markdown", "html", "json"} {
		var out, errOut strings.Builder
		e := &env{stdin: strings.NewReader(hostileBrief), stdout: &out, stderr: &errOut}
		if code := run(t.Context(), e, []string{"brief", "--for", "b", "--format", format, "-"}); code != 0 {
			t.Fatalf("%s: exit %d: %s", format, code, errOut.String())
		}
		got := out.String()
		if !strings.Contains(got, "no position that B (b) may see bears on version v1") {
			t.Errorf("%s: no reason for the missing analysis:\n%s", format, got)
		}
		if strings.Contains(got, "pre&gt;") || strings.Contains(got, "</pre><script>") {
			t.Errorf("%s: b sees a's reason:\n%s", format, got)
		}
	}
}

// TestPartyWhatIf checks that a party may not ask what-if questions about
// positions it may not see: the answer would be computed from them.
func TestPartyWhatIf(t *testing.T) {
	for _, args := range [][]string{
		{"analyze", "--party", "ua", "--lift", "ru:territory=line_of_contact"},
		{"analyze", "--party", "ua", "--reservation", "ru=0.1"},
		{"analyze", "--party", "ua", "--count", "ua,ru"},
	} {
		code, out, stderr := runExampleCmd(t, args...)
		if code != 2 || out != "" || !strings.Contains(stderr, "may not see the positions of ru") {
			t.Errorf("%v: expected exit 2 and a refusal; got %d %q %q", args, code, out, stderr)
		}
	}
	if code, _, stderr := runExampleCmd(t, "analyze", "--party", "ua", "--lift", "ua:territory=anchorage"); code != 0 {
		t.Errorf("ua may not lift its own red line: %d %s", code, stderr)
	}
}

// TestBriefJSONIsAnalyzeParty checks that the briefing's analysis is the
// --party report: one view, one analysis.
func TestBriefJSONIsAnalyzeParty(t *testing.T) {
	for _, reader := range []string{"ua", "mediator"} {
		code, brief, stderr := runExampleCmd(t, "brief", "--for", reader, "--format", "json")
		if code != 0 {
			t.Fatalf("brief --for %s: exit %d: %s", reader, code, stderr)
		}
		code, rep, stderr := runExampleCmd(t, "analyze", "--json", "--party", reader)
		if code != 0 {
			t.Fatalf("analyze --party %s: exit %d: %s", reader, code, stderr)
		}
		var b struct {
			Analysis map[string]any `json:"analysis"`
		}
		var a map[string]any
		if err := json.Unmarshal([]byte(brief), &b); err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal([]byte(rep), &a); err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(a, b.Analysis); diff != "" {
			t.Errorf("%s: the briefing's analysis differs from analyze --party (-analyze +brief):\n%s", reader, diff)
		}
	}
}
