package negotiation

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"parley/internal/access"
	"parley/internal/apperr"
	"parley/internal/store"
	"parley/scenario"
)

func invalid(op, path, format string, args ...any) error {
	return &apperr.Error{Op: op, Kind: apperr.Invalid, Msg: "invalid request", Fields: []apperr.Field{{Path: path, Detail: fmt.Sprintf(format, args...)}}}
}

// Amendments lists the amendments r may see.
func (st *State) AmendmentsFor(r access.Reader) []Entry[Amendment] {
	out := []Entry[Amendment]{}
	for _, a := range st.Amendments {
		if access.Can(r, access.ReadAmendment, access.Resource{Owner: a.Doc.Party, Published: a.Doc.Published}) {
			out = append(out, a)
		}
	}
	return out
}

// Amendment returns one amendment if r may see it.
func (st *State) Amendment(r access.Reader, aid string) (Entry[Amendment], bool) {
	for _, a := range st.AmendmentsFor(r) {
		if a.ID == aid {
			return a, true
		}
	}
	return Entry[Amendment]{}, false
}

// Propose adds a party's amendment against a point of a version the
// party has received.
func (s *Service) Propose(ctx context.Context, acct *store.Account, id string, a Amendment) (Entry[Amendment], error) {
	const op = "amendment.propose"
	st, r, err := s.Open(ctx, acct, id)
	if err != nil {
		return Entry[Amendment]{}, err
	}
	if err := must(op, r, access.ProposeAmendment, access.Resource{Owner: r.Party}); err != nil {
		return Entry[Amendment]{}, err
	}
	v, ok := st.Version(a.Version)
	if !ok || !access.SeesVersion(r, a.Version, st.Audience(), st.full.Parties) {
		return Entry[Amendment]{}, invalid(op, "version", "no version %q has been shared with you", a.Version)
	}
	var pt *scenario.Point
	for _, p := range v.Doc.Version.Points() {
		if p.ID == a.Point {
			pt = p
		}
	}
	if pt == nil {
		return Entry[Amendment]{}, invalid(op, "point", "version %q has no point %q", a.Version, a.Point)
	}
	switch a.Kind {
	case AmendWording:
		if !slices.ContainsFunc(pt.Options, func(o scenario.Option) bool { return o.ID == a.Option }) {
			return Entry[Amendment]{}, invalid(op, "option", "point %q has no option %q", a.Point, a.Option)
		}
		fallthrough
	case AmendOption:
		if strings.TrimSpace(a.Text) == "" {
			return Entry[Amendment]{}, invalid(op, "text", "give the new wording")
		}
	case AmendDeletion, AmendCritique:
	default:
		return Entry[Amendment]{}, invalid(op, "kind", "must be wording, option, deletion or critique")
	}
	if a.Kind == AmendCritique && strings.TrimSpace(a.Reason) == "" && strings.TrimSpace(a.Text) == "" {
		return Entry[Amendment]{}, invalid(op, "reason", "a critique needs a reason")
	}
	a.Party, a.Author, a.At, a.Status = r.Party, acct.ID, s.now(), Proposed
	a.Decision, a.DecidedAt, a.FoldedInto, a.Published = "", nil, "", false
	rec, err := s.Store.CreateRecord(ctx, id, store.Record{Kind: KindAmendment, Owner: r.Party, Doc: encode(a), By: acct.ID}, store.Act{Actor: acct.ID, Action: "amendment.propose"})
	return Entry[Amendment]{ID: rec.ID, Rev: rec.Rev, Doc: a, Rec: rec}, err
}

// Decide records the mediator's decision on an amendment: accept, reject
// (a reason is required) or fold into a draft.
func (s *Service) Decide(ctx context.Context, acct *store.Account, id, aid, decision, reason, into string) (Entry[Amendment], error) {
	const op = "amendment.decide"
	st, r, err := s.Open(ctx, acct, id)
	if err != nil {
		return Entry[Amendment]{}, err
	}
	cur, ok := st.Amendment(r, aid)
	if !ok {
		return Entry[Amendment]{}, apperr.E(op, apperr.NotFound, "no amendment %q", aid)
	}
	if err := must(op, r, access.DecideAmendment, access.Resource{Owner: cur.Doc.Party}); err != nil {
		return Entry[Amendment]{}, err
	}
	if cur.Doc.Status != Proposed {
		return Entry[Amendment]{}, apperr.E(op, apperr.Conflict, "amendment %s is %s already", aid, cur.Doc.Status)
	}
	a := cur.Doc
	switch decision {
	case "accept":
		a.Status = Accepted
	case "reject":
		if strings.TrimSpace(reason) == "" {
			return Entry[Amendment]{}, invalid(op, "reason", "a rejection needs a reason")
		}
		a.Status = Rejected
	case "fold":
		v, ok := st.Version(into)
		if !ok {
			return Entry[Amendment]{}, invalid(op, "into", "no version %q", into)
		}
		if v.Doc.Published != nil {
			return Entry[Amendment]{}, invalid(op, "into", "version %q is published: fold into a draft", into)
		}
		a.Status, a.FoldedInto = Folded, into
	default:
		return Entry[Amendment]{}, invalid(op, "decision", "must be accept, reject or fold")
	}
	now := s.now()
	a.Decision, a.DecidedAt = reason, &now
	rec, err := s.Store.UpdateRecord(ctx, id, KindAmendment, aid, cur.Rev, encode(a), acct.ID, store.Act{Actor: acct.ID, Action: "amendment.decide", Detail: a.Status})
	return Entry[Amendment]{ID: rec.ID, Rev: rec.Rev, Doc: a, Rec: rec}, err
}

// PublishAmendment shows an amendment to every member.
func (s *Service) PublishAmendment(ctx context.Context, acct *store.Account, id, aid string) (Entry[Amendment], error) {
	const op = "amendment.publish"
	st, r, err := s.Open(ctx, acct, id)
	if err != nil {
		return Entry[Amendment]{}, err
	}
	cur, ok := st.Amendment(r, aid)
	if !ok {
		return Entry[Amendment]{}, apperr.E(op, apperr.NotFound, "no amendment %q", aid)
	}
	if err := must(op, r, access.PublishAmendment, access.Resource{Owner: cur.Doc.Party}); err != nil {
		return Entry[Amendment]{}, err
	}
	a := cur.Doc
	a.Published = true
	rec, err := s.Store.UpdateRecord(ctx, id, KindAmendment, aid, cur.Rev, encode(a), acct.ID, store.Act{Actor: acct.ID, Action: "amendment.publish"})
	return Entry[Amendment]{ID: rec.ID, Rev: rec.Rev, Doc: a, Rec: rec}, err
}

// CommentsFor lists the comments r may see, on one point or (point "")
// on all.
func (st *State) CommentsFor(r access.Reader, point string) []Entry[Comment] {
	out := []Entry[Comment]{}
	for _, c := range st.Comments {
		if point != "" && c.Doc.Point != point {
			continue
		}
		if access.Can(r, access.ReadComment, access.Resource{Owner: c.Doc.Party, Published: c.Doc.Published}) {
			out = append(out, c)
		}
	}
	return out
}

// AddComment adds a comment on a point, or a reply in a thread. A party's
// comment is seen by the party and the mediator; the mediator's reply to
// it belongs to the same party's thread; the mediator's own new threads
// are published to all.
func (s *Service) AddComment(ctx context.Context, acct *store.Account, id string, c Comment) (Entry[Comment], error) {
	const op = "comment.add"
	st, r, err := s.Open(ctx, acct, id)
	if err != nil {
		return Entry[Comment]{}, err
	}
	if strings.TrimSpace(c.Body) == "" {
		return Entry[Comment]{}, invalid(op, "body", "must not be empty")
	}
	if _, ok := st.point(r, c.Point); !ok {
		return Entry[Comment]{}, invalid(op, "point", "no point %q", c.Point)
	}
	c.Party, c.Published = r.Party, false
	if r.Role == access.Mediator {
		c.Party, c.Published = "", true
	}
	if c.Parent != "" {
		var parent *Comment
		for _, p := range st.CommentsFor(r, "") {
			if p.ID == c.Parent {
				parent = &p.Doc
			}
		}
		if parent == nil {
			return Entry[Comment]{}, invalid(op, "parent", "no comment %q", c.Parent)
		}
		if parent.Point != c.Point {
			return Entry[Comment]{}, invalid(op, "point", "the reply must be on the point of comment %s, %q", c.Parent, parent.Point)
		}
		if r.Role == access.Mediator {
			c.Party, c.Published = parent.Party, parent.Published
		}
	}
	owner := c.Party
	if r.Role == access.Party {
		owner = r.Party
	}
	if err := must(op, r, access.WriteComment, access.Resource{Owner: owner}); err != nil {
		return Entry[Comment]{}, err
	}
	c.Author, c.At = acct.ID, s.now()
	rec, err := s.Store.CreateRecord(ctx, id, store.Record{Kind: KindComment, Owner: c.Party, Doc: encode(c), By: acct.ID}, store.Act{Actor: acct.ID, Action: "comment.add"})
	return Entry[Comment]{ID: rec.ID, Rev: rec.Rev, Doc: c, Rec: rec}, err
}

// PublishComment shows a comment to every member.
func (s *Service) PublishComment(ctx context.Context, acct *store.Account, id, cid string) (Entry[Comment], error) {
	const op = "comment.publish"
	st, r, err := s.Open(ctx, acct, id)
	if err != nil {
		return Entry[Comment]{}, err
	}
	var cur *Entry[Comment]
	for _, c := range st.CommentsFor(r, "") {
		if c.ID == cid {
			cur = &c
		}
	}
	if cur == nil {
		return Entry[Comment]{}, apperr.E(op, apperr.NotFound, "no comment %q", cid)
	}
	if err := must(op, r, access.PublishComment, access.Resource{Owner: cur.Doc.Party}); err != nil {
		return Entry[Comment]{}, err
	}
	c := cur.Doc
	c.Published = true
	rec, err := s.Store.UpdateRecord(ctx, id, KindComment, cid, cur.Rev, encode(c), acct.ID, store.Act{Actor: acct.ID, Action: "comment.publish"})
	return Entry[Comment]{ID: rec.ID, Rev: rec.Rev, Doc: c, Rec: rec}, err
}

// SetStatus sets where a point stands now.
func (s *Service) SetStatus(ctx context.Context, acct *store.Account, id, point string, status scenario.Status) (Entry[PointStatus], error) {
	const op = "point.status"
	st, r, err := s.Open(ctx, acct, id)
	if err != nil {
		return Entry[PointStatus]{}, err
	}
	if err := must(op, r, access.SetPointStatus, access.Resource{}); err != nil {
		return Entry[PointStatus]{}, err
	}
	if _, ok := st.point(r, point); !ok {
		return Entry[PointStatus]{}, apperr.E(op, apperr.NotFound, "no point %q", point)
	}
	switch status {
	case scenario.StatusOpen, scenario.StatusProvisional, scenario.StatusDisputed, scenario.StatusDropped:
	default:
		return Entry[PointStatus]{}, invalid(op, "status", "must be open, provisionally_agreed, disputed or dropped")
	}
	doc := PointStatus{Point: point, Status: status, At: s.now(), By: acct.ID}
	act := store.Act{Actor: acct.ID, Action: "point.status", Target: "point/" + point, Detail: string(status)}
	var rec store.Record
	if cur, ok := st.Statuses[point]; ok {
		rec, err = s.Store.UpdateRecord(ctx, id, KindStatus, point, cur.Rev, encode(doc), acct.ID, act)
	} else {
		rec, err = s.Store.CreateRecord(ctx, id, store.Record{Kind: KindStatus, ID: point, Doc: encode(doc), By: acct.ID}, act)
	}
	if apperr.Is(err, apperr.Conflict) {
		err = apperr.E(op, apperr.Stale, "the status of %q changed meanwhile: read it again", point)
	}
	return Entry[PointStatus]{ID: rec.ID, Rev: rec.Rev, Doc: doc, Rec: rec}, err
}

// Timeline returns the scenario's timeline as stored (a JSON array; "[]"
// when there is none).
func (st *State) Timeline() json.RawMessage {
	var m map[string]json.RawMessage
	json.Unmarshal(st.Head.Rec.Doc, &m)
	if t, ok := m["timeline"]; ok && string(t) != "null" {
		return t
	}
	return json.RawMessage("[]")
}

// AddEvent appends a meeting or round to the scenario's timeline. The
// event is an object of the model's timeline; the whole scenario is
// checked with it.
func (s *Service) AddEvent(ctx context.Context, acct *store.Account, id string, event json.RawMessage) error {
	const op = "timeline.add"
	st, r, err := s.Open(ctx, acct, id)
	if err != nil {
		return err
	}
	if err := must(op, r, access.WriteTimeline, access.Resource{}); err != nil {
		return err
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(st.Head.Rec.Doc, &m); err != nil {
		return apperr.Wrap(op, apperr.Internal, err, "stored scenario is unreadable")
	}
	var events []json.RawMessage
	json.Unmarshal(st.Timeline(), &events)
	m["timeline"] = encode(append(events, event))
	var head scenario.Scenario
	if err := json.Unmarshal(encode(m), &head); err != nil {
		return invalid(op, "", "%v", err)
	}
	// The event must survive the model: a model without a timeline would
	// drop it silently.
	var back map[string]json.RawMessage
	json.Unmarshal(encode(head), &back)
	var kept []json.RawMessage
	json.Unmarshal(back["timeline"], &kept)
	if len(kept) != len(events)+1 {
		return apperr.E(op, apperr.Invalid, "this build's scenario model has no timeline")
	}
	var in, out map[string]json.RawMessage
	json.Unmarshal(event, &in)
	json.Unmarshal(kept[len(kept)-1], &out)
	e := &apperr.Error{Op: op, Kind: apperr.Invalid, Msg: "invalid event"}
	for k := range in {
		if _, ok := out[k]; !ok && string(in[k]) != "null" && string(in[k]) != `""` && string(in[k]) != "false" && string(in[k]) != "[]" {
			e.Fields = append(e.Fields, apperr.Field{Path: k, Detail: "no such field in a timeline event"})
		}
	}
	if len(e.Fields) > 0 {
		slices.SortFunc(e.Fields, func(a, b apperr.Field) int { return strings.Compare(a.Path, b.Path) })
		return e
	}
	whole := head
	whole.Versions, whole.Positions = st.full.Versions, st.full.Positions
	if err := checkScenario(op, &whole); err != nil {
		return err
	}
	_, err = s.Store.UpdateRecord(ctx, id, KindHead, KindHead, st.Head.Rev, encode(head), acct.ID, store.Act{Actor: acct.ID, Action: "timeline.add"})
	return err
}

// Audit returns the audit log (the mediator's).
func (s *Service) Audit(ctx context.Context, acct *store.Account, id string, after int64, limit int) ([]store.AuditEntry, error) {
	_, r, err := s.Open(ctx, acct, id)
	if err != nil {
		return nil, err
	}
	if err := must("audit.read", r, access.ReadAudit, access.Resource{}); err != nil {
		return nil, err
	}
	return s.Store.Audit(ctx, id, after, limit)
}
