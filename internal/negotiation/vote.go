package negotiation

import (
	"context"
	"fmt"
	"slices"

	"parley/internal/access"
	"parley/internal/apperr"
	"parley/internal/store"
)

// CallVote asks the parties to commit to a version as written or to a
// package. Every party with role party must answer; nothing is revealed
// until all have.
func (s *Service) CallVote(ctx context.Context, acct *store.Account, id string, v Vote) (Entry[Vote], error) {
	const op = "vote.call"
	st, r, err := s.Open(ctx, acct, id)
	if err != nil {
		return Entry[Vote]{}, err
	}
	if err := must(op, r, access.CallVote, access.Resource{}); err != nil {
		return Entry[Vote]{}, err
	}
	ver, ok := st.Version(v.Version)
	if !ok {
		return Entry[Vote]{}, invalid(op, "version", "no version %q", v.Version)
	}
	if ver.Doc.Published == nil {
		return Entry[Vote]{}, invalid(op, "version", "version %q is a draft", v.Version)
	}
	switch v.Kind {
	case VoteVersion:
		v.Package = nil
	case VotePackage:
		if err := checkPackage(op, "package", st, v.Version, v.Package); err != nil {
			return Entry[Vote]{}, err
		}
	default:
		return Entry[Vote]{}, invalid(op, "kind", "must be version or package")
	}
	v.Parties = st.Bargainers()
	if len(v.Parties) == 0 {
		return Entry[Vote]{}, apperr.E(op, apperr.Conflict, "no party with role party to vote")
	}
	for _, p := range v.Parties {
		if !slices.Contains(st.Audience()[v.Version], p) {
			return Entry[Vote]{}, invalid(op, "version", "version %q has not been shared with %q", v.Version, p)
		}
	}
	v.At, v.By = s.now(), acct.ID
	rec, err := s.Store.CreateRecord(ctx, id, store.Record{Kind: KindVote, Doc: encode(v), By: acct.ID}, store.Act{Actor: acct.ID, Action: "vote.call"})
	return Entry[Vote]{ID: rec.ID, Rev: rec.Rev, Doc: v, Rec: rec}, err
}

// checkPackage checks that pkg picks one option of each point of version
// vid that it names, and names only points of the version.
func checkPackage(op, path string, st *State, vid string, pkg map[string]string) error {
	v, _ := st.Version(vid)
	if len(pkg) == 0 {
		return invalid(op, path, "a package picks one option per point")
	}
	pts := map[string]map[string]bool{}
	for _, pt := range v.Doc.Version.Points() {
		pts[pt.ID] = map[string]bool{}
		for _, o := range pt.Options {
			pts[pt.ID][o.ID] = true
		}
	}
	for p, o := range pkg {
		opts, ok := pts[p]
		if !ok {
			return invalid(op, path+"."+p, "version %q has no point %q", vid, p)
		}
		if !opts[o] {
			return invalid(op, path+"."+p, "point %q has no option %q", p, o)
		}
	}
	return nil
}

// VoteView is a vote as a reader sees it: who must answer, how many have,
// and — only once every party has answered — the answers.
type VoteView struct {
	ID       string            `json:"id"`
	Kind     string            `json:"kind"`
	Version  string            `json:"version"`
	Package  map[string]string `json:"package,omitempty"`
	Question string            `json:"question,omitempty"`
	Parties  []string          `json:"parties"`
	Answered int               `json:"answered"`
	// Sealed is true until every party has answered.
	Sealed bool `json:"sealed"`
	// Answers, by party, once unsealed.
	Answers map[string]bool `json:"answers,omitempty"`
	// Agreed is true when every party accepted: nothing is agreed until
	// everything is.
	Agreed bool `json:"agreed"`
	// Marked counts the parties that marked acceptable packages.
	Marked int `json:"marked"`
	// Overlap lists the packages every party marked acceptable, once all
	// have marked and only when there is at least one.
	Overlap []map[string]string `json:"overlap,omitempty"`
	// MyAnswer and MyAcceptable are the reader's own ballot.
	MyAnswer     *bool               `json:"my_answer,omitempty"`
	MyAcceptable []map[string]string `json:"my_acceptable,omitempty"`
}

// VoteView returns the view of vote vid for r.
func (st *State) VoteView(r access.Reader, vid string) (VoteView, bool) {
	var vote *Entry[Vote]
	for i := range st.Votes {
		if st.Votes[i].ID == vid {
			vote = &st.Votes[i]
		}
	}
	if vote == nil || !access.Can(r, access.ReadVote, access.Resource{}) {
		return VoteView{}, false
	}
	v := vote.Doc
	vv := VoteView{ID: vid, Kind: v.Kind, Version: v.Version, Package: v.Package, Question: v.Question, Parties: v.Parties, Sealed: true}
	answers := map[string]bool{}
	counts := map[string]int{}
	keyed := map[string]map[string]string{}
	for _, p := range v.Parties {
		b, ok := st.Ballots[vid+"/"+p]
		if !ok {
			continue
		}
		if b.Doc.Answer != nil {
			answers[p] = *b.Doc.Answer
		}
		if b.Doc.Acceptable != nil {
			vv.Marked++
			seen := map[string]bool{}
			for _, pkg := range b.Doc.Acceptable {
				k := PackageKey(pkg)
				if !seen[k] {
					seen[k] = true
					counts[k]++
					keyed[k] = pkg
				}
			}
		}
		if r.Role == access.Party && r.Party == p {
			vv.MyAnswer, vv.MyAcceptable = b.Doc.Answer, b.Doc.Acceptable
		}
	}
	vv.Answered = len(answers)
	if vv.Answered == len(v.Parties) {
		vv.Sealed = false
		vv.Answers = answers
		vv.Agreed = true
		for _, a := range answers {
			vv.Agreed = vv.Agreed && a
		}
	}
	if vv.Marked == len(v.Parties) {
		var keys []string
		for k, n := range counts {
			if n == len(v.Parties) {
				keys = append(keys, k)
			}
		}
		slices.Sort(keys)
		for _, k := range keys {
			vv.Overlap = append(vv.Overlap, keyed[k])
		}
	}
	return vv, true
}

// VotesFor lists every vote as r sees it.
func (st *State) VotesFor(r access.Reader) []VoteView {
	out := []VoteView{}
	for _, v := range st.Votes {
		if vv, ok := st.VoteView(r, v.ID); ok {
			out = append(out, vv)
		}
	}
	return out
}

// Answer records a party's sealed answer to a vote; acceptable, when not
// nil, replaces the packages the party privately marks as acceptable.
// An answer, once given, is final; so are the marks once every party has
// marked.
func (s *Service) Answer(ctx context.Context, acct *store.Account, id, vid string, answer *bool, acceptable []map[string]string) (VoteView, error) {
	const op = "vote.answer"
	st, r, err := s.Open(ctx, acct, id)
	if err != nil {
		return VoteView{}, err
	}
	vv, ok := st.VoteView(r, vid)
	if !ok {
		return VoteView{}, apperr.E(op, apperr.NotFound, "no vote %q", vid)
	}
	if err := must(op, r, access.AnswerVote, access.Resource{Owner: r.Party}); err != nil {
		return VoteView{}, err
	}
	if !slices.Contains(vv.Parties, r.Party) {
		return VoteView{}, apperr.E(op, apperr.Forbidden, "party %q is not asked to vote", r.Party)
	}
	if answer == nil && acceptable == nil {
		return VoteView{}, invalid(op, "answer", "give an answer, acceptable packages, or both")
	}
	for i, pkg := range acceptable {
		if err := checkPackage(op, fmt.Sprintf("acceptable[%d]", i), st, vv.Version, pkg); err != nil {
			return VoteView{}, err
		}
	}
	key := vid + "/" + r.Party
	cur, exists := st.Ballots[key]
	b := cur.Doc
	if !exists {
		b = Ballot{Vote: vid, Party: r.Party}
	}
	if answer != nil {
		if b.Answer != nil {
			return VoteView{}, apperr.E(op, apperr.Conflict, "your party has answered already; an answer is final")
		}
		b.Answer = answer
	}
	if acceptable != nil {
		if vv.Marked == len(vv.Parties) {
			return VoteView{}, apperr.E(op, apperr.Conflict, "every party has marked its packages: the marks are final")
		}
		b.Acceptable = acceptable
	}
	b.At = s.now()
	// The audit log says that a party answered, never what.
	act := store.Act{Actor: acct.ID, Action: "vote.answer", Target: "vote/" + vid}
	if exists {
		_, err = s.Store.UpdateRecord(ctx, id, KindBallot, key, cur.Rev, encode(b), acct.ID, act)
	} else {
		_, err = s.Store.CreateRecord(ctx, id, store.Record{Kind: KindBallot, ID: key, Owner: r.Party, Doc: encode(b), By: acct.ID}, act)
		if apperr.Is(err, apperr.Conflict) {
			err = apperr.E(op, apperr.Stale, "your party's ballot changed meanwhile: read the vote again")
		}
	}
	if err != nil {
		return VoteView{}, err
	}
	st, err = s.State(ctx, id)
	if err != nil {
		return VoteView{}, err
	}
	vv, _ = st.VoteView(r, vid)
	return vv, nil
}
