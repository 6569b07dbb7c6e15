package negotiation

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"regexp"
	"slices"
	"sync"
	"time"

	"parley/internal/access"
	"parley/internal/apperr"
	"parley/internal/store"
	"parley/scenario"
)

// Service runs negotiations over a store. It keeps the last state read of
// each negotiation and reuses it while the negotiation's revision in the
// store has not moved, so that several processes may share one database.
type Service struct {
	Store store.Store
	// Now is the clock; nil means time.Now.
	Now func() time.Time

	mu     sync.Mutex
	cache  map[string]*State
	loaded map[string]time.Time // when each cached state was checked against the store
}

// New returns a service over st.
func New(st store.Store) *Service {
	return &Service{Store: st, cache: map[string]*State{}, loaded: map[string]time.Time{}}
}

// recentState is how old a cached state may be for checking a position
// update. The update itself is guarded by the record's revision in the
// store, so a slightly old state can only make the checks of points and
// options lag a new version by this much.
const recentState = time.Second

// recent returns a state checked against the store less than recentState
// ago, or the current one.
func (s *Service) recent(ctx context.Context, id string) (*State, error) {
	s.mu.Lock()
	st, at := s.cache[id], s.loaded[id]
	s.mu.Unlock()
	if st != nil && time.Since(at) < recentState {
		return st, nil
	}
	return s.State(ctx, id)
}

func (s *Service) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now().UTC()
}

// State returns the current state of a negotiation.
func (s *Service) State(ctx context.Context, id string) (*State, error) {
	rev, err := s.Store.Rev(ctx, id)
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	st := s.cache[id]
	s.mu.Unlock()
	if st != nil && st.Rev == rev {
		s.mu.Lock()
		s.loaded[id] = time.Now()
		s.mu.Unlock()
		return st, nil
	}
	var snap *store.Snapshot
	prev := st
	if prev != nil && prev.Rev < rev {
		snap, err = s.Store.SnapshotSince(ctx, id, prev.Rev)
	} else {
		prev = nil
		snap, err = s.Store.Snapshot(ctx, id)
	}
	if err != nil {
		return nil, err
	}
	if st, err = newState(snap, prev); err != nil {
		return nil, apperr.Wrap("negotiation.state", apperr.Internal, err, "stored negotiation is unreadable")
	}
	s.mu.Lock()
	if cur := s.cache[id]; cur == nil || cur.Rev < st.Rev {
		s.cache[id] = st
		s.loaded[id] = time.Now()
	}
	s.mu.Unlock()
	return st, nil
}

// Open returns the state and how acct reads it. A stranger gets NotFound,
// so that the existence of a negotiation is not disclosed.
func (s *Service) Open(ctx context.Context, acct *store.Account, id string) (*State, access.Reader, error) {
	st, err := s.State(ctx, id)
	if err != nil {
		return nil, access.Reader{}, err
	}
	r := st.Reader(acct.ID)
	if r.Role == access.Public {
		return nil, r, apperr.E("negotiation.open", apperr.NotFound, "no negotiation %q", id)
	}
	return st, r, nil
}

// must returns Forbidden unless r may do a to res.
func must(op string, r access.Reader, a access.Action, res access.Resource) error {
	if !access.Can(r, a, res) {
		return apperr.E(op, apperr.Forbidden, "%s may not %s", r.Role.Someone(), a.Phrase())
	}
	return nil
}

func encode(v any) json.RawMessage {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err) // only model values are encoded here
	}
	return b
}

var idPattern = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$`) })

// Create starts a negotiation from a scenario, with acct as its mediator.
// The scenario's versions are published and shared with every party; its
// positions become each party's first position.
func (s *Service) Create(ctx context.Context, acct *store.Account, sc *scenario.Scenario) (*State, error) {
	const op = "negotiation.create"
	if !idPattern().MatchString(sc.ID) {
		return nil, apperr.E(op, apperr.Invalid, "scenario id %q must be letters, digits, '_', '.' or '-' (at most 64)", sc.ID)
	}
	now := s.now()
	head := *sc
	head.Versions, head.Positions = nil, nil
	recs := []store.Record{{Kind: KindHead, ID: KindHead, Doc: encode(head), By: acct.ID}}
	var all []Share
	for _, p := range sc.Parties {
		all = append(all, Share{Party: p.ID, At: now, By: acct.ID})
	}
	for _, v := range sc.Versions {
		doc := VersionDoc{Version: v, Published: &now, Audience: all}
		recs = append(recs, store.Record{Kind: KindVersion, ID: v.ID, Doc: encode(doc), By: acct.ID})
	}
	byParty := map[string][]scenario.Position{}
	for _, q := range sc.Positions {
		byParty[q.Party] = append(byParty[q.Party], q)
	}
	for _, p := range sc.Parties {
		if qs, ok := byParty[p.ID]; ok {
			recs = append(recs, store.Record{Kind: KindPosition, ID: p.ID, Owner: p.ID, Doc: encode(PositionDoc{qs}), By: acct.ID})
		}
	}
	m := store.Member{Account: acct.ID, Role: string(access.Mediator)}
	for _, p := range sc.Parties {
		if p.Role == scenario.RoleMediator {
			m.Party = p.ID
			break
		}
	}
	n := &store.Negotiation{ID: sc.ID, Title: sc.Title}
	if err := s.Store.CreateNegotiation(ctx, n, recs, []store.Member{m}, store.Act{Actor: acct.ID, Action: "negotiation.create", Target: "negotiation/" + sc.ID}); err != nil {
		return nil, err
	}
	return s.State(ctx, sc.ID)
}

// AddMember makes an account a member with a role; a party's delegate
// speaks for one party of the scenario.
func (s *Service) AddMember(ctx context.Context, acct *store.Account, id string, m store.Member) error {
	const op = "member.add"
	st, r, err := s.Open(ctx, acct, id)
	if err != nil {
		return err
	}
	if err := must(op, r, access.InviteMember, access.Resource{}); err != nil {
		return err
	}
	switch access.Role(m.Role) {
	case access.Party:
		if _, ok := st.full.Party(m.Party); !ok {
			return &apperr.Error{Op: op, Kind: apperr.Invalid, Msg: "invalid member", Fields: []apperr.Field{{Path: "party", Detail: fmt.Sprintf("no party %q in this negotiation", m.Party)}}}
		}
	case access.Mediator, access.Observer:
		if m.Party != "" {
			if _, ok := st.full.Party(m.Party); !ok {
				return &apperr.Error{Op: op, Kind: apperr.Invalid, Msg: "invalid member", Fields: []apperr.Field{{Path: "party", Detail: fmt.Sprintf("no party %q in this negotiation", m.Party)}}}
			}
		}
	default:
		return &apperr.Error{Op: op, Kind: apperr.Invalid, Msg: "invalid member", Fields: []apperr.Field{{Path: "role", Detail: "must be mediator, party or observer"}}}
	}
	m.Negotiation = id
	_, err = s.Store.AddMember(ctx, m, store.Act{Actor: acct.ID, Action: "member.add", Target: "member/" + m.Account, Detail: m.Role + " " + m.Party})
	return err
}

// checkScenario checks the whole scenario with sc's changes, as package
// scenario checks a file.
func checkScenario(op string, sc *scenario.Scenario) error {
	data, err := json.Marshal(sc)
	if err != nil {
		return apperr.Wrap(op, apperr.Invalid, err, "the scenario cannot be encoded")
	}
	if _, err := scenario.Load("negotiation.json", data); err != nil {
		ae := &apperr.Error{Op: op, Kind: apperr.Invalid, Msg: "the negotiation would not be a valid scenario"}
		if es, ok := err.(scenario.Errors); ok {
			for _, e := range es {
				ae.Fields = append(ae.Fields, apperr.Field{Path: e.Path, Detail: e.Msg})
			}
		} else {
			ae.Msg += ": " + err.Error()
		}
		return ae
	}
	return nil
}

// CreateDraft adds a draft version of the text, seen by the mediator
// alone until it is published and shared.
func (s *Service) CreateDraft(ctx context.Context, acct *store.Account, id string, v scenario.Version) (Entry[VersionDoc], error) {
	const op = "version.create"
	st, r, err := s.Open(ctx, acct, id)
	if err != nil {
		return Entry[VersionDoc]{}, err
	}
	if err := must(op, r, access.CreateVersion, access.Resource{}); err != nil {
		return Entry[VersionDoc]{}, err
	}
	if _, ok := st.Version(v.ID); ok {
		return Entry[VersionDoc]{}, apperr.E(op, apperr.Conflict, "version %q exists already", v.ID)
	}
	sc := *st.full
	sc.Versions = append(slices.Clone(sc.Versions), v)
	if err := checkScenario(op, &sc); err != nil {
		return Entry[VersionDoc]{}, err
	}
	doc := VersionDoc{Version: v, Audience: []Share{}}
	rec, err := s.Store.CreateRecord(ctx, id, store.Record{Kind: KindVersion, ID: v.ID, Doc: encode(doc), By: acct.ID}, store.Act{Actor: acct.ID, Action: "version.create"})
	return Entry[VersionDoc]{ID: rec.ID, Rev: rec.Rev, Doc: doc, Rec: rec}, err
}

// EditDraft replaces a draft's text; ifRev is the revision the editor
// read (0: whatever is current).
func (s *Service) EditDraft(ctx context.Context, acct *store.Account, id string, v scenario.Version, ifRev int64) (Entry[VersionDoc], error) {
	const op = "version.edit"
	st, r, err := s.Open(ctx, acct, id)
	if err != nil {
		return Entry[VersionDoc]{}, err
	}
	if err := must(op, r, access.EditVersion, access.Resource{}); err != nil {
		return Entry[VersionDoc]{}, err
	}
	cur, ok := st.Version(v.ID)
	if !ok {
		return Entry[VersionDoc]{}, apperr.E(op, apperr.NotFound, "no version %q", v.ID)
	}
	if cur.Doc.Published != nil {
		return Entry[VersionDoc]{}, apperr.E(op, apperr.Conflict, "version %q is published and cannot change: make a new draft", v.ID)
	}
	if ifRev == 0 {
		ifRev = cur.Rev
	}
	sc := *st.full
	sc.Versions = slices.Clone(sc.Versions)
	for i := range sc.Versions {
		if sc.Versions[i].ID == v.ID {
			sc.Versions[i] = v
		}
	}
	if err := checkScenario(op, &sc); err != nil {
		return Entry[VersionDoc]{}, err
	}
	doc := cur.Doc
	doc.Version = v
	rec, err := s.Store.UpdateRecord(ctx, id, KindVersion, v.ID, ifRev, encode(doc), acct.ID, store.Act{Actor: acct.ID, Action: "version.edit"})
	return Entry[VersionDoc]{ID: rec.ID, Rev: rec.Rev, Doc: doc, Rec: rec}, err
}

// Publish freezes a draft. Parties see it once it is shared with them.
func (s *Service) Publish(ctx context.Context, acct *store.Account, id, vid string) (Entry[VersionDoc], error) {
	const op = "version.publish"
	st, r, err := s.Open(ctx, acct, id)
	if err != nil {
		return Entry[VersionDoc]{}, err
	}
	if err := must(op, r, access.PublishVersion, access.Resource{}); err != nil {
		return Entry[VersionDoc]{}, err
	}
	cur, ok := st.Version(vid)
	if !ok {
		return Entry[VersionDoc]{}, apperr.E(op, apperr.NotFound, "no version %q", vid)
	}
	if cur.Doc.Published != nil {
		return Entry[VersionDoc]{}, apperr.E(op, apperr.Conflict, "version %q is published already", vid)
	}
	doc := cur.Doc
	now := s.now()
	doc.Published = &now
	rec, err := s.Store.UpdateRecord(ctx, id, KindVersion, vid, cur.Rev, encode(doc), acct.ID, store.Act{Actor: acct.ID, Action: "version.publish"})
	return Entry[VersionDoc]{ID: rec.ID, Rev: rec.Rev, Doc: doc, Rec: rec}, err
}

// Share shows a published version to more parties. Sharing is never
// undone: the audit log and the version's audience say who received the
// draft and when.
func (s *Service) Share(ctx context.Context, acct *store.Account, id, vid string, parties []string) (Entry[VersionDoc], error) {
	const op = "version.share"
	st, r, err := s.Open(ctx, acct, id)
	if err != nil {
		return Entry[VersionDoc]{}, err
	}
	if err := must(op, r, access.ShareVersion, access.Resource{}); err != nil {
		return Entry[VersionDoc]{}, err
	}
	cur, ok := st.Version(vid)
	if !ok {
		return Entry[VersionDoc]{}, apperr.E(op, apperr.NotFound, "no version %q", vid)
	}
	if cur.Doc.Published == nil {
		return Entry[VersionDoc]{}, apperr.E(op, apperr.Conflict, "version %q is a draft: publish it before sharing it", vid)
	}
	if len(parties) == 0 {
		return Entry[VersionDoc]{}, &apperr.Error{Op: op, Kind: apperr.Invalid, Msg: "nothing to share", Fields: []apperr.Field{{Path: "parties", Detail: "name at least one party"}}}
	}
	doc := cur.Doc
	doc.Audience = slices.Clone(doc.Audience)
	now := s.now()
	for i, p := range parties {
		if _, ok := st.full.Party(p); !ok {
			return Entry[VersionDoc]{}, &apperr.Error{Op: op, Kind: apperr.Invalid, Msg: "unknown party", Fields: []apperr.Field{{Path: fmt.Sprintf("parties[%d]", i), Detail: fmt.Sprintf("no party %q", p)}}}
		}
		if !slices.ContainsFunc(doc.Audience, func(sh Share) bool { return sh.Party == p }) {
			doc.Audience = append(doc.Audience, Share{Party: p, At: now, By: acct.ID})
		}
	}
	rec, err := s.Store.UpdateRecord(ctx, id, KindVersion, vid, cur.Rev, encode(doc), acct.ID, store.Act{Actor: acct.ID, Action: "version.share", Detail: fmt.Sprint(parties)})
	return Entry[VersionDoc]{ID: rec.ID, Rev: rec.Rev, Doc: doc, Rec: rec}, err
}

// PositionsOf returns the positions of party as r may see them, and the
// revision of the party's record.
func (st *State) PositionsOf(r access.Reader, party string) (PositionDoc, int64, bool) {
	e, ok := st.Positions[party]
	if !ok {
		return PositionDoc{}, 0, false
	}
	var out PositionDoc
	for _, q := range e.Doc.Positions {
		if access.Can(r, access.ReadPosition, access.Resource{Owner: party, Published: q.Shared}) {
			out.Positions = append(out.Positions, q)
		}
	}
	return out, e.Rev, len(out.Positions) > 0
}

// PutPositions replaces a party's positions; ifRev is the revision the
// writer read, 0 for a party that has none yet or to write whatever is
// current. The old positions stay in the history.
func (s *Service) PutPositions(ctx context.Context, acct *store.Account, id, party string, doc PositionDoc, ifRev int64) (int64, error) {
	const op = "position.put"
	st, err := s.recent(ctx, id)
	if err != nil {
		return 0, err
	}
	r := st.Reader(acct.ID)
	if r.Role == access.Public {
		// Perhaps a member added on another replica: check the store.
		if st, r, err = s.Open(ctx, acct, id); err != nil {
			return 0, err
		}
	}
	if _, ok := st.full.Party(party); !ok {
		return 0, apperr.E(op, apperr.NotFound, "no party %q", party)
	}
	if err := must(op, r, access.WritePosition, access.Resource{Owner: party}); err != nil {
		return 0, err
	}
	if err := st.checkPositions(op, r, party, doc.Positions); err != nil {
		return 0, err
	}
	act := store.Act{Actor: acct.ID, Action: "position.put", Target: "position/" + party}
	if _, exists := st.Positions[party]; !exists {
		rec, err := s.Store.CreateRecord(ctx, id, store.Record{Kind: KindPosition, ID: party, Owner: party, Doc: encode(doc), By: acct.ID}, act)
		if apperr.Is(err, apperr.Conflict) {
			return 0, apperr.E(op, apperr.Stale, "the position of %q was written meanwhile: read it again and redo the change", party)
		}
		return rec.Rev, err
	}
	rec, err := s.Store.UpdateRecord(ctx, id, KindPosition, party, ifRev, encode(doc), acct.ID, act)
	return rec.Rev, err
}

var datePattern = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^\d{4}-\d{2}-\d{2}$`) })

// checkPositions checks positions against the text: each point and option
// named exists in some version the writer r may see (one only in a
// hidden draft is no point to it), weights and utilities are in range. It
// runs on every position update, so the paths of fields are spelled out
// only for the errors.
func (st *State) checkPositions(op string, r access.Reader, party string, qs []scenario.Position) error {
	e := &apperr.Error{Op: op, Kind: apperr.Invalid, Msg: "invalid position"}
	bad := func(path, format string, args ...any) {
		e.Fields = append(e.Fields, apperr.Field{Path: path, Detail: fmt.Sprintf(format, args...)})
	}
	if len(qs) == 0 {
		bad("positions", "give at least one position")
	}
	qp := func(i int) string { return fmt.Sprintf("positions[%d]", i) }
	pp := func(i, j int) string { return fmt.Sprintf("positions[%d].points[%d]", i, j) }
	opp := func(i, j, k int) string { return fmt.Sprintf("positions[%d].points[%d].options[%d]", i, j, k) }
	dates := map[string]int{}
	for i := range qs {
		q := &qs[i]
		if q.Party != party {
			bad(qp(i)+".party", "must be %q, the party of this resource", party)
		}
		// A dated position starts on a day, and a party holds one
		// position from each day.
		if q.AsOf != "" && !datePattern().MatchString(q.AsOf) {
			bad(qp(i)+".as_of", "must be YYYY-MM-DD")
		}
		if prev, ok := dates[q.AsOf]; ok {
			bad(qp(i)+".as_of", "positions[%d] starts on the same day", prev)
		}
		dates[q.AsOf] = i
		seenPt := map[string]bool{}
		for j := range q.Points {
			p := &q.Points[j]
			pt, ok := st.point(r, p.Point)
			if !ok {
				bad(pp(i, j)+".point", "no point %q in any version", p.Point)
				continue
			}
			if seenPt[p.Point] {
				bad(pp(i, j)+".point", "point %q appears twice", p.Point)
			}
			seenPt[p.Point] = true
			if p.Weight < 0 || math.IsNaN(p.Weight) || math.IsInf(p.Weight, 0) {
				bad(pp(i, j)+".weight", "must be a number ≥ 0")
			}
			seenOpt := map[string]bool{}
			for k := range p.Options {
				o := &p.Options[k]
				if !st.hasOption(r, pt.ID, o.Option) {
					bad(opp(i, j, k)+".option", "point %q has no option %q in any version", pt.ID, o.Option)
				}
				if seenOpt[o.Option] {
					bad(opp(i, j, k)+".option", "option %q appears twice", o.Option)
				}
				seenOpt[o.Option] = true
				switch o.Stance {
				case scenario.Support, scenario.Accept, scenario.Reluctant, scenario.Object, scenario.RedLine:
				default:
					bad(opp(i, j, k)+".stance", "must be support, accept, reluctant, object or red_line")
				}
				if o.Utility != nil && !(*o.Utility >= 0 && *o.Utility <= 1) {
					bad(opp(i, j, k)+".utility", "must be in [0,1]")
				}
				for m, src := range o.Sources {
					if src.Date != "" && !datePattern().MatchString(src.Date) {
						bad(fmt.Sprintf("%s.sources[%d].date", opp(i, j, k), m), "must be YYYY-MM-DD")
					}
				}
			}
		}
	}
	if len(e.Fields) > 0 {
		return e
	}
	return nil
}

// hasOption reports whether some version r may see has the option. It walks the
// blocks in place rather than through Version.Points, which allocates: it
// runs for every option of every position update.
func (st *State) hasOption(r access.Reader, point, option string) bool {
	seen := st.versionsSeen(r)
	for _, v := range st.Versions {
		if !seen(v.ID) {
			continue
		}
		bs := v.Doc.Version.Blocks
		for i := range bs {
			for j := range bs[i].Points {
				pt := &bs[i].Points[j]
				if pt.ID != point {
					continue
				}
				for k := range pt.Options {
					if pt.Options[k].ID == option {
						return true
					}
				}
			}
		}
	}
	return false
}

// PositionHistory lists the revisions of a party's positions that r may
// see: all of them for the party and the mediator; for others, only the
// positions that were shared at the time.
func (s *Service) PositionHistory(ctx context.Context, acct *store.Account, id, party string) ([]store.Revision, error) {
	const op = "position.history"
	st, r, err := s.Open(ctx, acct, id)
	if err != nil {
		return nil, err
	}
	if _, _, ok := st.PositionsOf(r, party); !ok {
		return nil, apperr.E(op, apperr.NotFound, "no position of %q", party)
	}
	revs, err := s.Store.History(ctx, id, KindPosition, party)
	if err != nil {
		return nil, err
	}
	var out []store.Revision
	for _, h := range revs {
		var doc PositionDoc
		if err := json.Unmarshal(h.Doc, &doc); err != nil {
			return nil, apperr.Wrap(op, apperr.Internal, err, "stored position is unreadable")
		}
		var seen PositionDoc
		for _, q := range doc.Positions {
			if access.Can(r, access.ReadPosition, access.Resource{Owner: party, Published: q.Shared}) {
				seen.Positions = append(seen.Positions, q)
			}
		}
		if len(seen.Positions) > 0 {
			h.Doc = encode(seen)
			out = append(out, h)
		}
	}
	return out, nil
}
