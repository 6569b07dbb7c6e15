package web

import (
	"fmt"
	"math/big"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"parley/analysis"
	"parley/internal/access"
	"parley/internal/apperr"
	"parley/internal/negotiation"
	"parley/scenario"
)

// cell is one party's stance on one option, with why.
type cell struct {
	Has      bool
	Stance   scenario.Stance
	Reason   string
	Inferred bool
	Sources  []scenario.Source
}

type matrixRow struct {
	Party string
	Cells []cell
}

// pointView is a point of the text with the parties' stances.
type pointView struct {
	scenario.Point
	Status    scenario.Status
	Contested bool
	Proposed  string
	Rows      []matrixRow
	// OK marks, per option, whether no counted party has a red line on it.
	OK       []bool
	Comments int
	Amends   int
}

type blockView struct {
	ID, Title string
	Points    []pointView
}

// textView lays out version v of sc block by block with the stances held
// at the version's date.
func textView(st *negotiation.State, rd access.Reader, sc *scenario.Scenario, v *scenario.Version) []blockView {
	held := map[string]map[string]scenario.OptionStance{} // party → point|option
	var parties []string
	for _, q := range sc.PositionsAt(v.Date) {
		m := map[string]scenario.OptionStance{}
		for _, pp := range q.Points {
			for _, o := range pp.Options {
				m[pp.Point+"|"+o.Option] = o
			}
		}
		held[q.Party] = m
	}
	for _, p := range sc.Parties {
		if _, ok := held[p.ID]; ok {
			parties = append(parties, p.ID)
		}
	}
	counted := map[string]bool{}
	for _, p := range sc.Parties {
		counted[p.ID] = p.Counted()
	}
	comments := map[string]int{}
	for _, c := range st.CommentsFor(rd, "") {
		comments[c.Doc.Point]++
	}
	amends := map[string]int{}
	for _, a := range st.AmendmentsFor(rd) {
		amends[a.Doc.Point]++
	}
	var out []blockView
	for _, b := range v.Blocks {
		bv := blockView{ID: b.ID, Title: b.Title}
		for _, pt := range b.Points {
			pv := pointView{Point: pt, Status: pt.Status, Contested: len(pt.Options) > 1, Comments: comments[pt.ID], Amends: amends[pt.ID]}
			if e, ok := st.Statuses[pt.ID]; ok && v.ID == lastVersion(sc) {
				pv.Status = e.Doc.Status
			}
			if pv.Status == "" {
				pv.Status = scenario.Status("open")
			}
			pv.Proposed, _ = pt.ProposedOption()
			pv.OK = make([]bool, len(pt.Options))
			for i := range pv.OK {
				pv.OK[i] = true
			}
			for _, p := range parties {
				row := matrixRow{Party: p}
				any := false
				for i, o := range pt.Options {
					os, ok := held[p][pt.ID+"|"+o.ID]
					c := cell{Has: ok}
					if ok {
						any = true
						c.Stance, c.Reason, c.Inferred, c.Sources = os.Stance, os.Reason, os.Inferred, os.Sources
						if os.Stance == scenario.RedLine && counted[p] {
							pv.OK[i] = false
						}
					}
					row.Cells = append(row.Cells, c)
				}
				if any {
					pv.Rows = append(pv.Rows, row)
				}
			}
			bv.Points = append(bv.Points, pv)
		}
		out = append(out, bv)
	}
	return out
}

func lastVersion(sc *scenario.Scenario) string {
	if len(sc.Versions) == 0 {
		return ""
	}
	return sc.Versions[len(sc.Versions)-1].ID
}

// whatIf reads the what-if controls: red lines lifted ("lift":
// party|point|option) and reservation values moved ("res.PARTY").
func whatIf(q url.Values, sc *scenario.Scenario) ([]analysis.Change, error) {
	var ch []analysis.Change
	for _, l := range q["lift"] {
		if l == "" {
			continue
		}
		parts := strings.Split(l, "|")
		if len(parts) != 3 || parts[0] == "" || parts[1] == "" || parts[2] == "" {
			return nil, &apperr.Error{Op: "whatif", Kind: apperr.Invalid, Msg: "bad what-if", Fields: []apperr.Field{{Path: "lift", Detail: "must be party|point|option"}}}
		}
		ch = append(ch, analysis.Change{Kind: analysis.LiftChange, Party: parts[0], Point: parts[1], Option: parts[2]})
	}
	for _, p := range sc.Parties {
		s := strings.TrimSpace(q.Get("res." + p.ID))
		if s == "" {
			continue
		}
		v, err := strconv.ParseFloat(s, 64)
		if err != nil || !(v >= 0 && v <= 1) { // NaN too
			return nil, &apperr.Error{Op: "whatif", Kind: apperr.Invalid, Msg: "bad what-if", Fields: []apperr.Field{{Path: "res." + p.ID, Detail: "a reservation value is a number from 0 to 1"}}}
		}
		if v != p.Reservation {
			ch = append(ch, analysis.Change{Kind: analysis.ReservationChange, Party: p.ID, To: &v})
		}
	}
	return ch, nil
}

// deskData is what the desk shows.
type deskData struct {
	Scenario    *scenario.Scenario
	Version     *scenario.Version
	Versions    []scenario.Version
	Blocks      []blockView
	A           *analysed
	RedLines    []redLine
	Lifted      map[string]bool
	Changes     []analysis.Change
	Reservation []partyValue
	// Reservations are the saved reservation values the mediator sets
	// from the desk.
	Reservations []reservationRow
	// ResOpen opens the reservation forms, as after saving one.
	ResOpen  bool
	Mediator bool
	Statuses []string
	Notice   string
	// Names names the version's points by number and title, in text
	// order.
	Names versionPoints
	// Unseen are the counted parties none of whose positions the reader
	// sees: their red lines are not visible to it.
	Unseen []string
	// Hidden are the parties whose reservation value the reader may not
	// see (the analysis reads it as 0).
	Hidden map[string]bool
}

// partyValue is a reservation value in the what-if controls; Hidden
// when the reader may not see it.
type partyValue struct {
	Party  string
	Value  float64
	Moved  bool
	Hidden bool
}

// Count writes a number of packages with its digits grouped: 2,560.
func (d deskData) Count(c analysis.Count) string { return countDigits(c) }

// Packages counts packages in words, its digits grouped: "1 package",
// "8,221 packages".
func (d deskData) Packages(n int) string {
	if n == 1 {
		return "1 package"
	}
	return countDigits(analysis.Count{Int: big.NewInt(int64(n))}) + " packages"
}

// Omitted names the versions the frontier chart leaves out, each with
// why: "v3 (3 points open)".
func (d deskData) Omitted() []string {
	if d.A == nil {
		return nil
	}
	var out []string
	for _, o := range omittedVersions(d.A.Report) {
		out = append(out, o.String())
	}
	return out
}

// Unscored names the versions with no point in the versions chart: those
// that leave points open.
func (d deskData) Unscored() []string {
	if d.A == nil {
		return nil
	}
	var out []string
	for _, o := range omittedVersions(d.A.Report) {
		if o.Open {
			out = append(out, o.String())
		}
	}
	return out
}

// Applied words the what-if changes the analysis applied, naming red
// lines as the report does; a reservation value the reader may not see is
// not quoted as its old value.
func (d deskData) Applied() []string {
	chs := d.Changes
	if d.A != nil && d.A.Compiled != nil {
		chs = d.A.Compiled.Changes
	}
	var out []string
	for _, c := range chs {
		switch c.Kind {
		case analysis.LiftChange:
			s := d.Names.Constraint(analysis.Constraint{Kind: analysis.RedLineConstraint, Party: c.Party, Point: c.Point, Option: c.Option}) + " lifted"
			if c.To != nil {
				s += fmt.Sprintf(" (the option is worth %s to %s)", deskUtil(*c.To), c.Party)
			}
			out = append(out, s)
		case analysis.ReservationChange:
			if c.To == nil {
				continue
			}
			s := fmt.Sprintf("%s's reservation value set to %s", c.Party, strconv.FormatFloat(*c.To, 'g', -1, 64))
			if c.From != nil && !d.Hidden[c.Party] {
				s += " (was " + deskUtil(*c.From) + ")"
			}
			out = append(out, s)
		case analysis.CountChange:
		default:
			out = append(out, c.String())
		}
	}
	return out
}

// deskUtil writes a utility as the desk does: 0.40.
func deskUtil(x float64) string { return strconv.FormatFloat(x, 'f', 2, 64) }

// HiddenValues are the parties in the what-if whose reservation value
// the reader may not see (and has not tried a value for).
func (d deskData) HiddenValues() []string {
	var out []string
	for _, pv := range d.Reservation {
		if pv.Hidden && !pv.Moved {
			out = append(out, pv.Party)
		}
	}
	return out
}

// Prose joins words as a sentence does: "a, b and c".
func (d deskData) Prose(words []string) string { return deskProse(words) }

func (u *UI) desk(q *req) error {
	if !access.Can(q.rd, access.Analyze, access.Resource{}) {
		return apperr.E("desk", apperr.Forbidden, "%s may not read the analysis", q.rd.Role.Someone())
	}
	sc := q.st.Scenario(q.rd)
	if len(sc.Versions) == 0 {
		return apperr.E("desk", apperr.NotFound, "no version of the text has been shared with you yet")
	}
	vid := q.r.URL.Query().Get("version")
	if vid == "" {
		vid = sc.Versions[len(sc.Versions)-1].ID
	}
	v, ok := sc.Version(vid)
	if !ok {
		return apperr.E("desk", apperr.NotFound, "no version %q that you can see", vid)
	}
	changes, err := whatIf(q.r.URL.Query(), sc)
	if err != nil {
		return err
	}
	a, err := u.analyse(q.r.Context(), sc, v.ID, changes)
	if err != nil {
		return err
	}
	d := deskData{Scenario: sc, Version: v, Versions: sc.Versions, Blocks: textView(q.st, q.rd, sc, v), A: a,
		RedLines: redLinesOf(sc, v), Lifted: map[string]bool{}, Changes: changes,
		Mediator: q.rd.Role == access.Mediator, Notice: q.r.URL.Query().Get("notice"),
		Statuses: []string{"open", "provisionally_agreed", "disputed", "dropped"},
		Names:    newVersionPoints(v), Unseen: unseenParties(sc, q.rd), Hidden: map[string]bool{}}
	for _, p := range sc.Parties {
		if !q.st.SeesReservation(q.rd, p.ID) {
			d.Hidden[p.ID] = true
		}
	}
	for _, l := range q.r.URL.Query()["lift"] {
		d.Lifted[l] = true
	}
	moved := map[string]float64{}
	for _, c := range changes {
		if c.Kind == analysis.ReservationChange {
			moved[c.Party] = *c.To
		}
	}
	for _, p := range sc.Parties {
		// Only the parties the analysis counts: for a party's delegate,
		// those whose positions it sees.
		if !p.Counted() || (a != nil && a.Report != nil && partyIndex(a.Report.Parties, p.ID) < 0) {
			continue
		}
		pv := partyValue{Party: p.ID, Value: p.Reservation, Hidden: d.Hidden[p.ID]}
		if m, ok := moved[p.ID]; ok {
			pv.Value, pv.Moved = m, true
		}
		d.Reservation = append(d.Reservation, pv)
	}
	if d.Mediator {
		d.ResOpen = q.r.URL.Query().Get("reservation") != ""
		if d.Reservations, err = u.reservationRows(q.r.Context(), q, sc); err != nil {
			return err
		}
	}
	if q.r.URL.Query().Get("fragment") == "analysis" {
		return u.fragment(q.w, q, "desk", "analysis", d)
	}
	u.render(q.w, q, http.StatusOK, "desk", deskTitle(q.rd)+" — "+v.ID, d)
	return nil
}

func deskTitle(rd access.Reader) string {
	if rd.Role == access.Mediator {
		return "Mediator's desk"
	}
	return "Analysis"
}

// setStatus sets a point's status (the mediator).
func (u *UI) setStatus(q *req) error {
	f := q.r.PostForm
	if _, err := u.svc.SetStatus(q.r.Context(), q.acct, q.st.ID, f.Get("point"), scenario.Status(f.Get("status"))); err != nil {
		return err
	}
	return back(q, q.base()+"/desk?version="+url.QueryEscape(f.Get("version"))+"#pt-"+f.Get("point"), fmt.Sprintf("Point %s is now %s.", f.Get("point"), f.Get("status")))
}

// partyIndex returns the index of party in parties, or -1.
func partyIndex(parties []string, party string) int { return slices.Index(parties, party) }
