package negotiation

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"parley/internal/access"
	"parley/internal/store"
	"parley/scenario"
)

// Entry is a document with its record's identity and revision.
type Entry[T any] struct {
	ID  string
	Rev int64
	Doc T
	Rec store.Record
}

// State is one negotiation at one revision, read whole from the store.
// It is shared between requests: never modify it.
type State struct {
	ID, Title  string
	Rev        int64
	Head       Entry[scenario.Scenario]
	Versions   []Entry[VersionDoc] // in the order they were made
	Positions  map[string]Entry[PositionDoc]
	Amendments []Entry[Amendment]
	Comments   []Entry[Comment]
	Statuses   map[string]Entry[PointStatus]
	Votes      []Entry[Vote]
	Ballots    map[string]Entry[Ballot] // by vote id + "/" + party
	// Reservations are the reservation values parties have set
	// themselves, by party; they override the scenario's.
	Reservations map[string]Entry[ReservationDoc]
	Members      []store.Member

	full    *scenario.Scenario
	records []store.Record     // every record, in order of Seq
	decoded map[string]decoded // by kind/id, reused by the next state
}

// decoded is a record's document as decoded at one revision.
type decoded struct {
	rev int64
	v   any
}

// decode returns the record's document, decoded once per revision.
func decode[T any](st *State, prev *State, r store.Record) (Entry[T], error) {
	key := r.Kind + "/" + r.ID
	e := Entry[T]{ID: r.ID, Rev: r.Rev, Rec: r}
	if prev != nil {
		if d, ok := prev.decoded[key]; ok && d.rev == r.Rev {
			if v, ok := d.v.(T); ok {
				e.Doc = v
				st.decoded[key] = d
				return e, nil
			}
		}
	}
	if err := json.Unmarshal(r.Doc, &e.Doc); err != nil {
		return e, fmt.Errorf("%s %s: %w", r.Kind, r.ID, err)
	}
	st.decoded[key] = decoded{r.Rev, e.Doc}
	return e, nil
}

// newState builds the state from a snapshot. With prev, the snapshot
// holds only the records changed since prev; the others are prev's, and
// so are the documents of unchanged records, not decoded again.
func newState(snap *store.Snapshot, prev *State) (*State, error) {
	st := &State{
		ID: snap.Negotiation.ID, Title: snap.Negotiation.Title, Rev: snap.Negotiation.Rev,
		Positions:    map[string]Entry[PositionDoc]{},
		Statuses:     map[string]Entry[PointStatus]{},
		Ballots:      map[string]Entry[Ballot]{},
		Reservations: map[string]Entry[ReservationDoc]{},
		Members:      snap.Members,
		decoded:      map[string]decoded{},
	}
	st.records = snap.Records
	if prev != nil {
		changed := map[string]store.Record{}
		for _, r := range snap.Records {
			changed[r.Kind+"/"+r.ID] = r
		}
		st.records = make([]store.Record, 0, len(prev.records)+len(snap.Records))
		for _, r := range prev.records {
			key := r.Kind + "/" + r.ID
			if c, ok := changed[key]; ok {
				r = c
				delete(changed, key)
			}
			st.records = append(st.records, r)
		}
		for _, r := range snap.Records { // new records, in order
			if _, ok := changed[r.Kind+"/"+r.ID]; ok {
				st.records = append(st.records, r)
			}
		}
	}
	var err error
	for _, r := range st.records {
		switch r.Kind {
		case KindHead:
			st.Head, err = decode[scenario.Scenario](st, prev, r)
		case KindVersion:
			var e Entry[VersionDoc]
			e, err = decode[VersionDoc](st, prev, r)
			st.Versions = append(st.Versions, e)
		case KindPosition:
			var e Entry[PositionDoc]
			e, err = decode[PositionDoc](st, prev, r)
			st.Positions[r.ID] = e
		case KindAmendment:
			var e Entry[Amendment]
			e, err = decode[Amendment](st, prev, r)
			st.Amendments = append(st.Amendments, e)
		case KindComment:
			var e Entry[Comment]
			e, err = decode[Comment](st, prev, r)
			st.Comments = append(st.Comments, e)
		case KindStatus:
			var e Entry[PointStatus]
			e, err = decode[PointStatus](st, prev, r)
			st.Statuses[r.ID] = e
		case KindVote:
			var e Entry[Vote]
			e, err = decode[Vote](st, prev, r)
			st.Votes = append(st.Votes, e)
		case KindBallot:
			var e Entry[Ballot]
			e, err = decode[Ballot](st, prev, r)
			st.Ballots[r.ID] = e
		case KindReservation:
			var e Entry[ReservationDoc]
			e, err = decode[ReservationDoc](st, prev, r)
			st.Reservations[r.ID] = e
		}
		if err != nil {
			return nil, err
		}
	}
	st.full = st.assemble()
	return st, nil
}

// assemble puts the scenario back together: the head, the versions in
// order, every party's positions in the order of the parties, and the
// current point statuses on the last version.
func (st *State) assemble() *scenario.Scenario {
	s := st.Head.Doc
	s.Versions = nil
	for _, v := range st.Versions {
		s.Versions = append(s.Versions, v.Doc.Version)
	}
	s.Parties = slices.Clone(s.Parties)
	for i, p := range s.Parties {
		if e, ok := st.Reservations[p.ID]; ok {
			s.Parties[i].Reservation = e.Doc.Value
		}
	}
	s.Positions = nil
	for _, p := range s.Parties {
		if e, ok := st.Positions[p.ID]; ok {
			s.Positions = append(s.Positions, e.Doc.Positions...)
		}
	}
	if n := len(s.Versions); n > 0 && len(st.Statuses) > 0 {
		last := cloneVersion(s.Versions[n-1])
		for i := range last.Blocks {
			for j := range last.Blocks[i].Points {
				pt := &last.Blocks[i].Points[j]
				if e, ok := st.Statuses[pt.ID]; ok {
					pt.Status = e.Doc.Status
				}
			}
		}
		s.Versions = append(slices.Clone(s.Versions[:n-1]), last)
	}
	return &s
}

func cloneVersion(v scenario.Version) scenario.Version {
	v.Blocks = slices.Clone(v.Blocks)
	for i := range v.Blocks {
		v.Blocks[i].Points = slices.Clone(v.Blocks[i].Points)
	}
	return v
}

// Audience says which parties each published version has been shared
// with. Drafts are absent.
func (st *State) Audience() access.Audience {
	aud := access.Audience{}
	for _, v := range st.Versions {
		if v.Doc.Published == nil {
			continue
		}
		ps := []string{}
		for _, sh := range v.Doc.Audience {
			ps = append(ps, sh.Party)
		}
		aud[v.ID] = ps
	}
	return aud
}

// Scenario returns the scenario as r may see it. A reservation value a
// party has set itself is read like its positions: by the party and the
// mediator, and by every member once the party shares it.
func (st *State) Scenario(r access.Reader) *scenario.Scenario {
	sc := access.Scenario(st.full, r, st.Audience())
	for i := range sc.Parties {
		p := &sc.Parties[i]
		if e, ok := st.Reservations[p.ID]; ok {
			p.Reservation = 0
			if st.SeesReservation(r, p.ID) {
				p.Reservation = e.Doc.Value
			}
		}
	}
	if note := viewNote(r); note != "" {
		sc.Disclaimer = strings.TrimSpace(sc.Disclaimer + " " + note)
	}
	return sc
}

// SeesReservation reports whether r may read party's reservation value, as
// Scenario gives it: a value set in parley is read like the party's
// positions (by the party and the mediator, by every member once shared);
// one from the scenario file as access.SeesPrivate says.
func (st *State) SeesReservation(r access.Reader, party string) bool {
	if e, ok := st.Reservations[party]; ok {
		return access.Can(r, access.ReadPosition, access.Resource{Owner: party, Published: e.Doc.Shared})
	}
	return access.SeesPrivate(st.full, r, party)
}

// ReservationOpen reports whether every member may read party's
// reservation value: whether an observer, who sees only what is shared
// with all, does.
func (st *State) ReservationOpen(party string) bool {
	return st.SeesReservation(access.Reader{Role: access.Observer}, party)
}

// viewNote says, in a view of the negotiation made for a party or an
// observer, that positions are missing from it by design: a file exported
// from it, analysed elsewhere, would otherwise read as if the other
// parties held none. It depends on the reader alone, never on what is
// hidden.
func viewNote(r access.Reader) string {
	switch r.Role {
	case access.Party:
		return "This is the view of " + r.Party + ": it holds " + r.Party + "'s own positions and those the other parties have shared; theirs are otherwise confidential and not in it, and another party's reservation value and discount read as 0 unless that party has shared them."
	case access.Observer:
		return "This is an observer's view: it holds only the positions the parties have shared; the others are confidential and not in it, and a party's reservation value and discount read as 0 unless that party has shared them."
	}
	return ""
}

// Version returns the version entry with the given id.
func (st *State) Version(id string) (Entry[VersionDoc], bool) {
	for _, v := range st.Versions {
		if v.ID == id {
			return v, true
		}
	}
	return Entry[VersionDoc]{}, false
}

// Member returns the membership of an account.
func (st *State) Member(account string) (store.Member, bool) {
	for _, m := range st.Members {
		if m.Account == account {
			return m, true
		}
	}
	return store.Member{}, false
}

// Reader returns how an account reads the negotiation; Public for a
// stranger.
func (st *State) Reader(account string) access.Reader {
	m, ok := st.Member(account)
	if !ok {
		return access.Reader{Role: access.Public}
	}
	return access.Reader{Role: access.Role(m.Role), Party: m.Party}
}

// point returns the point with the given id from the latest version r
// may see that has it: a point only in a version hidden from r is, to r,
// no point at all, so that an error cannot tell r it exists.
func (st *State) point(r access.Reader, id string) (*scenario.Point, bool) {
	seen := st.versionsSeen(r)
	for i := len(st.Versions) - 1; i >= 0; i-- {
		if !seen(st.Versions[i].ID) {
			continue
		}
		for _, pt := range st.Versions[i].Doc.Version.Points() {
			if pt.ID == id {
				return pt, true
			}
		}
	}
	return nil, false
}

// versionsSeen reports, by version id, whether r may see the version.
func (st *State) versionsSeen(r access.Reader) func(string) bool {
	aud := st.Audience()
	return func(id string) bool { return access.SeesVersion(r, id, aud, st.full.Parties) }
}

// Bargainers are the parties whose answers a vote waits for: the parties
// with role party.
func (st *State) Bargainers() []string {
	var ids []string
	for _, p := range st.Head.Doc.Parties {
		if p.Role == scenario.RoleParty {
			ids = append(ids, p.ID)
		}
	}
	return ids
}

// PackageKey is a canonical form of a package, for comparing packages.
func PackageKey(pkg map[string]string) string {
	keys := make([]string, 0, len(pkg))
	for k := range pkg {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	var b strings.Builder
	for _, k := range keys {
		fmt.Fprintf(&b, "%q=%q;", k, pkg[k])
	}
	return b.String()
}
