package web

import (
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"parley/analysis"
	"parley/internal/access"
	"parley/internal/apperr"
	"parley/internal/negotiation"
	"parley/scenario"
)

// stanceRow is one option of a point with the party's stance on it.
type stanceRow struct {
	scenario.Option
	Stance scenario.Stance
	Reason string
	Src    []scenario.Source
}

type pointEdit struct {
	*scenario.Point
	Weight float64
	Rows   []stanceRow
}

type versionScore struct {
	Version, Title string
	Utility        *float64
	// Min and Max bound the utility while Open points are left to decide,
	// as the desk's scorecard does; Why says why a version has no score.
	Min, Max float64
	Open     int
	Why      string
	Received string
}

type voteRow struct {
	negotiation.VoteView
	Packages []markable
	Mine     bool
	// Overlaps is the revealed overlap laid out for reading.
	Overlaps []overlapPackage
}

// markable is a package the party may privately mark as acceptable.
type markable struct {
	Key     string
	Label   string
	Package map[string]string
	Utility float64
	Marked  bool
	// Differs are the package's points whose option is not the text's as
	// written, in the order of the text.
	Differs []packageLine
}

// reservationChange is one value of the party's reservation value.
type reservationChange struct {
	At     string
	Value  float64
	Shared bool
	// By is the display name of the account that set it.
	By string
}

type workspaceData struct {
	Party       *scenario.Party
	Reservation float64
	// ResShared, ResRev, ResWhoSees and ResHistory are the reservation
	// value's share switch, revision, readers and earlier values.
	ResShared  bool
	ResRev     int64
	ResWhoSees []string
	ResHistory []reservationChange
	Shared     bool
	AsOf       string
	Rev        int64
	Points     []pointEdit
	WhoSees    []string
	Scores     []versionScore
	// ScoreErr says why no version could be scored.
	ScoreErr   string
	Votes      []voteRow
	Amendments []amendmentRow
	Notice     string
	Version    string
}

func (u *UI) workspace(q *req) error {
	if q.rd.Role != access.Party {
		return apperr.E("workspace", apperr.Forbidden, "the workspace is a party delegate's page; a %s reads the desk and the text", q.rd.Role)
	}
	sc := q.st.Scenario(q.rd)
	p, ok := sc.Party(q.rd.Party)
	if !ok {
		return apperr.E("workspace", apperr.NotFound, "no party %q", q.rd.Party)
	}
	doc, rev, _ := q.st.PositionsOf(q.rd, q.rd.Party)
	var pos scenario.Position
	if n := len(doc.Positions); n > 0 {
		pos = doc.Positions[n-1] // the latest held
	}
	d := workspaceData{Party: p, Reservation: p.Reservation, Shared: pos.Shared, AsOf: pos.AsOf, Rev: rev,
		Notice: q.r.URL.Query().Get("notice")}
	d.WhoSees = []string{"your delegation", "the mediator"}
	if pos.Shared {
		d.WhoSees = append(d.WhoSees, "every member of the negotiation (you shared it)")
	}
	d.ResWhoSees = []string{"your delegation", "the mediator"}
	if e, ok := q.st.Reservations[q.rd.Party]; ok {
		d.ResShared, d.ResRev = e.Doc.Shared, e.Rev
		hs, err := u.reservationHistory(q, q.rd.Party)
		if err != nil {
			return err
		}
		d.ResHistory = hs
		if e.Doc.Shared {
			how := "you shared it"
			if e.Rec.By != q.acct.ID && len(hs) > 0 {
				how = "shared by " + hs[0].By
			}
			d.ResWhoSees = append(d.ResWhoSees, "every member of the negotiation ("+how+")")
		}
	} else if q.st.ReservationOpen(q.rd.Party) {
		// The scenario's value goes with any shared position.
		d.ResWhoSees = append(d.ResWhoSees, "every member of the negotiation (it goes with your shared positions until you set it here)")
	}
	held := map[string]scenario.PointPosition{}
	for _, pp := range pos.Points {
		held[pp.Point] = pp
	}
	if n := len(sc.Versions); n > 0 {
		v := &sc.Versions[n-1]
		d.Version = v.ID
		for _, pt := range v.Points() {
			if len(pt.Options) < 2 {
				if _, ok := held[pt.ID]; !ok {
					continue // settled text the party holds no view on
				}
			}
			pp := held[pt.ID]
			pe := pointEdit{Point: pt, Weight: pp.Weight}
			for _, o := range pt.Options {
				r := stanceRow{Option: o}
				for _, os := range pp.Options {
					if os.Option == o.ID {
						r.Stance, r.Reason, r.Src = os.Stance, os.Reason, os.Sources
					}
				}
				pe.Rows = append(pe.Rows, r)
			}
			d.Points = append(d.Points, pe)
		}
	}
	// The party's utility of every version it has received, as written.
	if n := len(sc.Versions); n > 0 {
		a, err := u.analyse(q.r.Context(), sc, sc.Versions[n-1].ID, nil)
		if err != nil {
			return err
		}
		received := map[string]string{}
		for _, e := range q.st.Versions {
			for _, s := range e.Doc.Audience {
				if s.Party == q.rd.Party {
					received[e.ID] = s.At.UTC().Format("2006-01-02 15:04")
				}
			}
		}
		if a.Report != nil && a.Report.Trajectory != nil {
			d.Scores = partyScores(sc, a.Report, q.rd.Party, received)
		} else if a.Err != "" {
			d.ScoreErr = a.Err
		}
		for _, vv := range q.st.VotesFor(q.rd) {
			d.Votes = append(d.Votes, voteRow{VoteView: vv, Mine: slices.Contains(vv.Parties, q.rd.Party), Overlaps: overlapPackages(sc, vv),
				Packages: u.markables(q, sc, vv)})
		}
	}
	for _, a := range q.st.AmendmentsFor(q.rd) {
		if a.Doc.Party == q.rd.Party {
			d.Amendments = append(d.Amendments, amendmentRow{ID: a.ID, Amendment: a.Doc})
		}
	}
	u.render(q.w, q, http.StatusOK, "workspace", "Workspace of "+p.Name, d)
	return nil
}

// markables are the packages a party may mark for a vote: the version as
// written and the fair packages of its analysis over what the party sees,
// each with the party's own utility.
func (u *UI) markables(q *req, sc *scenario.Scenario, vv negotiation.VoteView) []markable {
	a, err := u.analyse(q.r.Context(), sc, vv.Version, nil)
	if err != nil || a.Report == nil {
		return nil
	}
	mine := map[string]bool{}
	for _, pkg := range vv.MyAcceptable {
		mine[negotiation.PackageKey(pkg)] = true
	}
	var out []markable
	seen := map[string]bool{}
	addPkg := func(label string, pkg map[string]string) {
		k := negotiation.PackageKey(pkg)
		if seen[k] || len(pkg) == 0 {
			return
		}
		seen[k] = true
		m := markable{Key: k, Label: label, Package: pkg, Marked: mine[k]}
		for _, l := range packageLines(sc, vv.Version, pkg) {
			if !l.AsWritten {
				m.Differs = append(m.Differs, l)
			}
		}
		if p, _, err := a.Compiled.Package(pkg, false); err == nil {
			s := a.Compiled.Scored(p)
			if i := partyIndex(a.Report.Parties, q.rd.Party); i >= 0 {
				m.Utility = s.Utilities[i]
			}
		}
		out = append(out, m)
	}
	if sc := a.Report.Scorecard; sc != nil && sc.Package != nil {
		addPkg(vv.Version+" as written", sc.Package.Package)
	}
	// The fair packages are worked out over the positions the party can
	// see, not every party's: their names say so.
	for _, fp := range a.FairPackages() {
		addPkg(fp.Name+" over the positions you can see", fp.Package)
	}
	for i, rel := range a.Report.Relaxations {
		if rel.Solutions != nil && rel.Solutions.Nash != nil {
			addPkg(fmt.Sprintf("Nash of relaxation %d over the positions you can see", i+1), rel.Solutions.Nash.Choices())
		}
	}
	return out
}

// savePosition replaces the party's latest position with the form's
// weights, stances and reasons, and its share switch.
func (u *UI) savePosition(q *req) error {
	const op = "position.save"
	if q.rd.Role != access.Party {
		return apperr.E(op, apperr.Forbidden, "only a party's delegate edits its position here")
	}
	f := q.r.PostForm
	doc, _, _ := q.st.PositionsOf(q.rd, q.rd.Party)
	doc.Positions = slices.Clone(doc.Positions)
	if len(doc.Positions) == 0 {
		doc.Positions = []scenario.Position{{Party: q.rd.Party}}
	}
	last := &doc.Positions[len(doc.Positions)-1]
	pos := *last
	pos.Shared = f.Get("shared") == "on"
	// The form holds the points and options of the latest version; the
	// position keeps what it says of any other point or option.
	pos.Points = slices.Clone(last.Points)
	e := &apperr.Error{Op: op, Kind: apperr.Invalid, Msg: "invalid position"}
	for _, pid := range f["point"] {
		w, err := strconv.ParseFloat(strings.TrimSpace(f.Get("w."+pid)), 64)
		if err != nil || w < 0 {
			e.Fields = append(e.Fields, apperr.Field{Path: "weight of " + pid, Detail: "a number ≥ 0"})
			continue
		}
		k := slices.IndexFunc(pos.Points, func(pp scenario.PointPosition) bool { return pp.Point == pid })
		if k < 0 {
			pos.Points = append(pos.Points, scenario.PointPosition{Point: pid})
			k = len(pos.Points) - 1
		}
		pp := &pos.Points[k]
		pp.Weight = w
		pp.Options = slices.Clone(pp.Options)
		for _, oid := range f["opt."+pid] {
			s := scenario.Stance(f.Get("s." + pid + "." + oid))
			j := slices.IndexFunc(pp.Options, func(o scenario.OptionStance) bool { return o.Option == oid })
			if s == "" {
				if j >= 0 {
					pp.Options = slices.Delete(pp.Options, j, j+1)
				}
				continue
			}
			if j < 0 {
				pp.Options = append(pp.Options, scenario.OptionStance{Option: oid})
				j = len(pp.Options) - 1
			}
			os := &pp.Options[j]
			if os.Stance != s {
				os.Utility = nil // the default utility of the new stance
				os.Inferred = false
			}
			os.Stance, os.Reason = s, f.Get("r."+pid+"."+oid)
		}
	}
	pos.Points = slices.DeleteFunc(pos.Points, func(pp scenario.PointPosition) bool { return len(pp.Options) == 0 })
	if len(e.Fields) > 0 {
		return e
	}
	*last = pos
	rev, _ := strconv.ParseInt(f.Get("rev"), 10, 64)
	if _, err := u.svc.PutPositions(q.r.Context(), q.acct, q.st.ID, q.rd.Party, doc, rev); err != nil {
		return err
	}
	who := "your delegation and the mediator"
	if pos.Shared {
		who = "every member of the negotiation"
	}
	return back(q, q.base()+"/workspace", "Position saved. Who can see it: "+who+".")
}

// ballot records a party's sealed answer and its private marks.
func (u *UI) ballot(q *req) error {
	f := q.r.PostForm
	vid := q.r.PathValue("v")
	var answer *bool
	switch f.Get("answer") {
	case "yes":
		t := true
		answer = &t
	case "no":
		t := false
		answer = &t
	}
	var acceptable []map[string]string
	if f.Get("marking") == "1" {
		acceptable = []map[string]string{}
		vv, ok := q.st.VoteView(q.rd, vid)
		if !ok {
			return apperr.E("vote.answer", apperr.NotFound, "no vote %q", vid)
		}
		want := map[string]bool{}
		for _, k := range f["pkg"] {
			want[k] = true
		}
		for _, m := range u.markables(q, q.st.Scenario(q.rd), vv) {
			if want[m.Key] {
				acceptable = append(acceptable, m.Package)
			}
		}
	}
	if _, err := u.svc.Answer(q.r.Context(), q.acct, q.st.ID, vid, answer, acceptable); err != nil {
		return err
	}
	return back(q, q.base()+"/workspace#votes", "Your ballot is sealed: nobody sees it until every party has answered.")
}

// partyScores is the party's utility of every version it has received,
// as written with the positions held at the version's date: a range while
// points are open, and why when the version has no score.
func partyScores(sc *scenario.Scenario, r *analysis.Report, party string, received map[string]string) []versionScore {
	scored := map[string]analysis.VersionScore{}
	for _, vs := range r.Trajectory.Versions {
		scored[vs.Version] = vs
	}
	skipped := map[string]string{}
	for _, w := range r.Warnings {
		if w.Kind == analysis.VersionSkippedWarning && w.Version != "" && skipped[w.Version] == "" {
			skipped[w.Version] = w.Message
		}
	}
	var out []versionScore
	for _, v := range sc.Versions {
		row := versionScore{Version: v.ID, Title: v.Title, Received: received[v.ID]}
		vs, ok := scored[v.ID]
		switch {
		case !ok && skipped[v.ID] != "":
			row.Why = "not scored: " + skipped[v.ID]
		case !ok:
			row.Why = "not scored"
		default:
			row.Why = "no position of yours at its date"
			for _, ps := range vs.Parties {
				if ps.Party == party {
					row.Utility, row.Min, row.Max, row.Open, row.Why = ps.Utility, ps.Min, ps.Max, len(vs.Open), ""
				}
			}
		}
		out = append(out, row)
	}
	return out
}
