package server

import (
	"encoding/json"
	"strings"
	"sync"
	"testing"

	"parley/examples"
	"parley/internal/negotiation"
	"parley/scenario"
)

func decodeAs[T any](t *testing.T, body string) T {
	t.Helper()
	var v T
	if err := json.Unmarshal([]byte(body), &v); err != nil {
		t.Fatalf("decode %q: %v", trim(body), err)
	}
	return v
}

func (f *fixture) must(t *testing.T, want int, role, method, path, body string, hdr ...string) (string, map[string][]string) {
	t.Helper()
	ctype := ""
	if body != "" {
		ctype = "application/json"
	}
	code, out, h := f.do(t, role, method, "/api/negotiations/"+nid+path, ctype, body, hdr...)
	if code != want {
		t.Fatalf("%s %s as %s: expected %d got %d: %s", method, path, role, want, code, trim(out))
	}
	return out, h
}

// TestWorkflow walks the negotiation from a first draft to a sealed vote.
func TestWorkflow(t *testing.T) {
	f := newFixture(t)
	sc, _ := scenario.Load(examples.DefaultName, examples.Default)
	v4, _ := sc.Version("v4")
	v5 := *v4
	v5.ID, v5.Title, v5.Parent = "v5", "Draft after Miami", "v4"
	f.must(t, 201, "M", "POST", "/versions", jsonOf(t, v5))

	// ua criticises v4; the mediator folds it into the draft.
	am := decodeAs[amendmentView](t, first(f.must(t, 201, "A", "POST", "/amendments", `{"version":"v4","point":"territory","kind":"wording","option":"line_of_contact","text":"Freeze along the line of contact, monitored."}`)))
	f.must(t, 422, "M", "POST", "/amendments/"+am.ID+"/decision", `{"decision":"reject"}`)
	got := decodeAs[amendmentView](t, first(f.must(t, 200, "M", "POST", "/amendments/"+am.ID+"/decision", `{"decision":"fold","into":"v5","reason":"taken up"}`)))
	if got.Status != negotiation.Folded || got.FoldedInto != "v5" {
		t.Errorf("folded amendment: %+v", got)
	}
	f.must(t, 409, "M", "POST", "/amendments/"+am.ID+"/decision", `{"decision":"accept"}`)

	// The mediator edits the draft; a stale If-Match is refused.
	_, h := f.must(t, 200, "M", "GET", "/versions/v5", "")
	tag := h["Etag"][0]
	v5.Blocks[0].Points[0].Title = "Sovereignty, reaffirmed"
	f.must(t, 200, "M", "PUT", "/versions/v5", jsonOf(t, v5), "If-Match", tag)
	f.must(t, 412, "M", "PUT", "/versions/v5", jsonOf(t, v5), "If-Match", tag)

	// Published and shown to ru first: ua cannot see it yet.
	f.must(t, 200, "M", "POST", "/versions/v5/publish", "")
	f.must(t, 409, "M", "PUT", "/versions/v5", jsonOf(t, v5))
	f.must(t, 200, "M", "POST", "/versions/v5/share", `{"parties":["ru"]}`)
	f.must(t, 404, "A", "GET", "/versions/v5", "")
	f.must(t, 200, "B", "GET", "/versions/v5", "")
	f.must(t, 422, "M", "POST", "/votes", `{"kind":"version","version":"v5"}`) // not shared with all
	f.must(t, 200, "M", "POST", "/versions/v5/share", `{"parties":["ua","e3"]}`)
	f.must(t, 200, "A", "GET", "/versions/v5", "")

	// Europe's delegate joins with a one-time code.
	inv := decodeAs[inviteResponse](t, first(f.must(t, 201, "M", "POST", "/members", `{"name":"eu-delegate","role":"party","party":"e3"}`)))
	code, body, _ := f.do(t, "X", "POST", "/api/login", "application/json", `{"code":"`+inv.SignInCode+`","token":true}`)
	if code != 200 {
		t.Fatalf("sign in with the invitation code: %d %s", code, body)
	}
	f.tokens = mapWith(f.tokens, "E", decodeAs[loginResponse](t, body).Token)
	if code, _, _ := f.do(t, "X", "POST", "/api/login", "application/json", `{"code":"`+inv.SignInCode+`"}`); code != 401 {
		t.Errorf("a one-time code worked twice: %d", code)
	}

	// The sealed vote: nothing shows until every party has answered.
	vote := decodeAs[negotiation.VoteView](t, first(f.must(t, 201, "M", "POST", "/votes", `{"kind":"version","version":"v5","question":"Do you accept v5 as written?"}`)))
	path := "/votes/" + vote.ID
	pkgA := `{"territory":"anchorage"}`
	pkgB := `{"territory":"line_of_contact"}`
	f.must(t, 200, "A", "POST", path+"/ballot", `{"answer":true,"acceptable":[`+pkgA+`,`+pkgB+`]}`)
	f.must(t, 409, "A", "POST", path+"/ballot", `{"answer":false}`)
	f.must(t, 200, "B", "POST", path+"/ballot", `{"answer":true,"acceptable":[`+pkgA+`]}`)
	for _, role := range []string{"M", "A", "B", "O", "E"} {
		vv := decodeAs[negotiation.VoteView](t, first(f.must(t, 200, role, "GET", path, "")))
		if !vv.Sealed || vv.Answers != nil || vv.Overlap != nil || vv.Answered != 2 {
			t.Errorf("%s sees the vote before all answered: %+v", role, vv)
		}
	}
	f.must(t, 200, "E", "POST", path+"/ballot", `{"answer":false,"acceptable":[`+pkgB+`,`+pkgA+`]}`)
	vv := decodeAs[negotiation.VoteView](t, first(f.must(t, 200, "O", "GET", path, "")))
	if vv.Sealed || len(vv.Answers) != 3 || vv.Agreed || vv.Answers["e3"] {
		t.Errorf("vote after all answered: %+v", vv)
	}
	if len(vv.Overlap) != 1 || vv.Overlap[0]["territory"] != "anchorage" {
		t.Errorf("overlap: expected the one package all marked, got %v", vv.Overlap)
	}
	f.must(t, 409, "A", "POST", path+"/ballot", `{"acceptable":[`+pkgA+`]}`)

	// A second vote whose marks do not overlap reveals nothing of them.
	vote2 := decodeAs[negotiation.VoteView](t, first(f.must(t, 201, "M", "POST", "/votes", `{"kind":"package","version":"v5","package":`+pkgA+`}`)))
	path = "/votes/" + vote2.ID
	f.must(t, 200, "A", "POST", path+"/ballot", `{"acceptable":[`+pkgA+`]}`)
	f.must(t, 200, "B", "POST", path+"/ballot", `{"acceptable":[`+pkgB+`]}`)
	out, _ := f.must(t, 200, "E", "POST", path+"/ballot", `{"acceptable":[`+pkgA+`]}`)
	if strings.Contains(out, "overlap") || strings.Contains(out, "line_of_contact") {
		t.Errorf("no overlap, yet the vote shows: %s", out)
	}

	// The audit log says who did what, never what a ballot said.
	out, _ = f.must(t, 200, "M", "GET", "/audit", "")
	for _, want := range []string{"version.share", "amendment.decide", "vote.answer", "member.add"} {
		if !strings.Contains(out, want) {
			t.Errorf("the audit log lacks %s", want)
		}
	}
	if strings.Contains(out, "anchorage") || strings.Contains(out, "true") {
		t.Errorf("the audit log discloses ballots: %s", trim(out))
	}
}

func first(s string, _ map[string][]string) string { return s }

func mapWith(m map[string]string, k, v string) map[string]string {
	out := map[string]string{k: v}
	for a, b := range m {
		out[a] = b
	}
	return out
}

// TestNoLostUpdates has the party and the mediator change one position
// concurrently by read-modify-write with If-Match: every change lands.
func TestNoLostUpdates(t *testing.T) {
	f := newFixture(t)
	const writers, each = 6, 10
	var wg sync.WaitGroup
	var mu sync.Mutex
	retries := 0
	for w := range writers {
		role := []string{"M", "A"}[w%2]
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range each {
				for {
					code, body, h := f.do(t, role, "GET", "/api/negotiations/"+nid+"/positions/ua", "", "")
					if code != 200 {
						t.Errorf("get: %d %s", code, body)
						return
					}
					var doc negotiation.PositionDoc
					json.Unmarshal([]byte(body), &doc)
					doc.Positions[0].Points[0].Weight++
					code, body, _ = f.do(t, role, "PUT", "/api/negotiations/"+nid+"/positions/ua", "application/json", jsonOf(t, doc), "If-Match", h.Get("ETag"))
					if code == 412 {
						mu.Lock()
						retries++
						mu.Unlock()
						continue
					}
					if code != 200 {
						t.Errorf("put: %d %s", code, body)
						return
					}
					break
				}
			}
		}()
	}
	wg.Wait()
	sc, _ := scenario.Load(examples.DefaultName, examples.Default)
	var start float64
	for _, q := range sc.Positions {
		if q.Party == "ua" {
			start = q.Points[0].Weight
		}
	}
	_, body, _ := f.do(t, "A", "GET", "/api/negotiations/"+nid+"/positions/ua", "", "")
	var doc negotiation.PositionDoc
	json.Unmarshal([]byte(body), &doc)
	if got := doc.Positions[0].Points[0].Weight; got != start+writers*each {
		t.Errorf("lost updates: weight %v, expected %v (%d retries)", got, start+writers*each, retries)
	}
	t.Logf("%d writes, %d retries after 412", writers*each, retries)
}
