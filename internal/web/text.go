package web

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"parley/internal/access"
	"parley/internal/apperr"
	"parley/internal/negotiation"
	"parley/scenario"
)

// versionRow is a version with who has received it.
type versionRow struct {
	scenario.Version
	Draft    bool
	Audience []negotiation.Share
	// NotYet are the parties it has not been shared with.
	NotYet []string
	// ToAll is when the version reached the last party, for an observer:
	// an observer reads a version once every party has it.
	ToAll *time.Time
}

type amendmentRow struct {
	ID string
	negotiation.Amendment
	PointTitle string
}

type commentRow struct {
	ID string
	negotiation.Comment
	Replies []commentRow
}

type textData struct {
	Versions  []versionRow
	Drafts    []string
	Published []string
	Parties   []scenario.Party
	// Present are the parties a meeting may have had at the table: every
	// party of the scenario, the mediator's own included.
	Present    []scenario.Party
	Points     []*scenario.Point
	Amendments []amendmentRow
	Point      string
	Threads    map[string][]commentRow
	Timeline   []scenario.Event
	Votes      []voteOverlap
	Mediator   bool
	Observer   bool
	CanPropose bool
	Party      string
	Notice     string
	Last       string
	// Today prefills the date of a new draft.
	Today string
	// Audit is the latest changes, for the mediator.
	Audit []auditRow
}

func (u *UI) text(q *req) error {
	sc := q.st.Scenario(q.rd)
	d := textData{Mediator: q.rd.Role == access.Mediator, Observer: q.rd.Role == access.Observer, Party: q.rd.Party, Notice: q.r.URL.Query().Get("notice"),
		Point: q.r.URL.Query().Get("point"), Timeline: sc.Timeline, Threads: map[string][]commentRow{},
		CanPropose: access.Can(q.rd, access.ProposeAmendment, access.Resource{Owner: q.rd.Party}),
		Today:      u.svc.Today()}
	for _, p := range sc.Parties {
		if p.Role == scenario.RoleParty {
			d.Parties = append(d.Parties, p)
		}
	}
	d.Present = sc.Parties
	// Oldest first, whatever order the events were added in.
	d.Timeline = slices.Clone(d.Timeline)
	slices.SortStableFunc(d.Timeline, func(a, b scenario.Event) int { return strings.Compare(a.Date, b.Date) })
	visible := map[string]bool{}
	for _, v := range sc.Versions {
		visible[v.ID] = true
	}
	for _, e := range q.st.Versions {
		if !visible[e.ID] {
			continue
		}
		row := versionRow{Version: e.Doc.Version, Draft: e.Doc.Published == nil}
		if q.rd.Role == access.Mediator {
			row.Audience = e.Doc.Audience
			for _, p := range d.Parties {
				if !slices.ContainsFunc(e.Doc.Audience, func(s negotiation.Share) bool { return s.Party == p.ID }) {
					row.NotYet = append(row.NotYet, p.ID)
				}
			}
		} else if d.Observer {
			// An observer reads what every party has: since the last one
			// received it.
			for _, s := range e.Doc.Audience {
				if slices.ContainsFunc(d.Parties, func(p scenario.Party) bool { return p.ID == s.Party }) &&
					(row.ToAll == nil || s.At.After(*row.ToAll)) {
					row.ToAll = &s.At
				}
			}
		} else {
			// A party learns when it received a version, not who else did.
			for _, s := range e.Doc.Audience {
				if s.Party == q.rd.Party {
					row.Audience = append(row.Audience, s)
				}
			}
		}
		if row.Draft {
			d.Drafts = append(d.Drafts, e.ID)
		} else {
			d.Published = append(d.Published, e.ID)
		}
		d.Versions = append(d.Versions, row)
	}
	if n := len(sc.Versions); n > 0 {
		last := &sc.Versions[n-1]
		d.Last = last.ID
		d.Points = last.Points()
	}
	titles := map[string]string{}
	for _, v := range sc.Versions {
		for _, pt := range v.Points() {
			titles[pt.ID] = fmt.Sprintf("%d. %s", pt.Number, pt.Title)
		}
	}
	for _, a := range q.st.AmendmentsFor(q.rd) {
		if d.Point != "" && a.Doc.Point != d.Point {
			continue
		}
		d.Amendments = append(d.Amendments, amendmentRow{ID: a.ID, Amendment: a.Doc, PointTitle: titles[a.Doc.Point]})
	}
	// Threads: top-level comments with their replies, by point.
	all := q.st.CommentsFor(q.rd, d.Point)
	replies := map[string][]commentRow{}
	for _, c := range all {
		if c.Doc.Parent != "" {
			replies[c.Doc.Parent] = append(replies[c.Doc.Parent], commentRow{ID: c.ID, Comment: c.Doc})
		}
	}
	for _, c := range all {
		if c.Doc.Parent == "" {
			d.Threads[c.Doc.Point] = append(d.Threads[c.Doc.Point], commentRow{ID: c.ID, Comment: c.Doc, Replies: replies[c.ID]})
		}
	}
	d.Votes = overlaps(sc, q.st.VotesFor(q.rd))
	var err error
	if d.Audit, err = u.recentAudit(q); err != nil {
		return err
	}
	u.render(q.w, q, http.StatusOK, "text", "The living text", d)
	return nil
}

func (u *UI) share(q *req) error {
	f := q.r.PostForm
	parties := f["party"]
	if _, err := u.svc.Share(q.r.Context(), q.acct, q.st.ID, f.Get("version"), parties); err != nil {
		return err
	}
	return back(q, q.base()+"/text", fmt.Sprintf("Version %s shared with %s.", f.Get("version"), strings.Join(parties, ", ")))
}

func (u *UI) publish(q *req) error {
	v := q.r.PostForm.Get("version")
	if _, err := u.svc.Publish(q.r.Context(), q.acct, q.st.ID, v); err != nil {
		return err
	}
	return back(q, q.base()+"/text", fmt.Sprintf("Version %s is published: it never changes again. Share it with the parties who should see it.", v))
}

// newDraft starts a draft as a copy of a version the mediator picks.
func (u *UI) newDraft(q *req) error {
	f := q.r.PostForm
	from, ok := q.st.Version(f.Get("from"))
	if !ok {
		return &apperr.Error{Op: "version.create", Kind: apperr.Invalid, Msg: "invalid draft", Fields: []apperr.Field{{Path: "from", Detail: "pick a version to start from"}}}
	}
	v := from.Doc.Version
	v.ID, v.Title, v.Parent, v.Author, v.Note = strings.TrimSpace(f.Get("id")), strings.TrimSpace(f.Get("title")), from.ID, q.rd.Party, f.Get("note")
	// A draft is dated, so that the versions list, the comparison and the
	// positions held at its date can place it: today unless given.
	v.Date = strings.TrimSpace(f.Get("date"))
	if v.Date == "" {
		v.Date = u.svc.Today()
	}
	if _, err := u.svc.CreateDraft(q.r.Context(), q.acct, q.st.ID, v); err != nil {
		return err
	}
	return back(q, q.base()+"/text", fmt.Sprintf("Draft %s started from %s. Only you see it until it is published and shared.", v.ID, from.ID))
}

func (u *UI) propose(q *req) error {
	f := q.r.PostForm
	a := negotiation.Amendment{Version: f.Get("version"), Point: f.Get("point"), Kind: f.Get("kind"),
		Option: strings.TrimSpace(f.Get("option")), Text: f.Get("text"), Reason: f.Get("reason")}
	e, err := u.svc.Propose(q.r.Context(), q.acct, q.st.ID, a)
	if err != nil {
		return err
	}
	return back(q, q.base()+"/text#amendments", fmt.Sprintf("Amendment %s proposed. The mediator and your delegation see it.", e.ID))
}

// decide records the mediator's decision on an amendment; folding one
// also writes it into the draft.
func (u *UI) decide(q *req) error {
	f := q.r.PostForm
	aid := q.r.PathValue("a")
	ctx := q.r.Context()
	switch f.Get("decision") {
	case "publish":
		if _, err := u.svc.PublishAmendment(ctx, q.acct, q.st.ID, aid); err != nil {
			return err
		}
		return back(q, q.base()+"/text#amendments", "Amendment "+aid+" is shown to every member.")
	case "fold":
		a, ok := q.st.Amendment(q.rd, aid)
		if !ok {
			return apperr.E("amendment.decide", apperr.NotFound, "no amendment %q", aid)
		}
		into := f.Get("into")
		d, ok := q.st.Version(into)
		if !ok || d.Doc.Published != nil {
			return &apperr.Error{Op: "amendment.decide", Kind: apperr.Invalid, Msg: "invalid fold", Fields: []apperr.Field{{Path: "into", Detail: "pick a draft: start one from the latest version first"}}}
		}
		v := d.Doc.Version
		v.Blocks = slices.Clone(v.Blocks)
		if err := fold(&v, a.Doc); err != nil {
			return err
		}
		if _, err := u.svc.EditDraft(ctx, q.acct, q.st.ID, v, d.Rev); err != nil {
			return err
		}
		if _, err := u.svc.Decide(ctx, q.acct, q.st.ID, aid, "fold", f.Get("reason"), into); err != nil {
			return err
		}
		return back(q, q.base()+"/text#amendments", fmt.Sprintf("Amendment %s folded into draft %s.", aid, into))
	}
	if _, err := u.svc.Decide(ctx, q.acct, q.st.ID, aid, f.Get("decision"), f.Get("reason"), ""); err != nil {
		return err
	}
	return back(q, q.base()+"/text#amendments", fmt.Sprintf("Amendment %s: %s.", aid, f.Get("decision")))
}

// fold writes an amendment into a draft: new wording of an option, a new
// option, or the point dropped. A critique changes no text.
func fold(v *scenario.Version, a negotiation.Amendment) error {
	for i := range v.Blocks {
		v.Blocks[i].Points = slices.Clone(v.Blocks[i].Points)
		for j := range v.Blocks[i].Points {
			pt := &v.Blocks[i].Points[j]
			if pt.ID != a.Point {
				continue
			}
			pt.Options = slices.Clone(pt.Options)
			switch a.Kind {
			case negotiation.AmendWording:
				for k := range pt.Options {
					if pt.Options[k].ID == a.Option {
						pt.Options[k].Text = a.Text
						return nil
					}
				}
				return apperr.E("amendment.fold", apperr.Conflict, "the draft's point %s has no option %q any more", a.Point, a.Option)
			case negotiation.AmendOption:
				id := a.Option
				if id == "" {
					id = fmt.Sprintf("option_%d", len(pt.Options)+1)
				}
				pt.Options = append(pt.Options, scenario.Option{ID: id, Text: a.Text})
				return nil
			case negotiation.AmendDeletion:
				pt.Status = scenario.Status("dropped")
				return nil
			default:
				return nil
			}
		}
	}
	return apperr.E("amendment.fold", apperr.Conflict, "the draft has no point %q", a.Point)
}

func (u *UI) comment(q *req) error {
	f := q.r.PostForm
	c := negotiation.Comment{Point: f.Get("point"), Parent: f.Get("parent"), Body: f.Get("body")}
	if _, err := u.svc.AddComment(q.r.Context(), q.acct, q.st.ID, c); err != nil {
		return err
	}
	return back(q, q.base()+"/text?point="+url.QueryEscape(c.Point)+"#point-talk", "Comment added.")
}

func (u *UI) callVote(q *req) error {
	f := q.r.PostForm
	v := negotiation.Vote{Kind: negotiation.VoteVersion, Version: f.Get("version"), Question: f.Get("question")}
	if _, err := u.svc.CallVote(q.r.Context(), q.acct, q.st.ID, v); err != nil {
		return err
	}
	return back(q, q.base()+"/text#votes", "Vote called on "+v.Version+". Every answer stays sealed until all parties have answered.")
}
