package server

import (
	"encoding/json"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestDecisionReply checks that every answer carrying an amendment says
// what the mediator decided under "decision" and why under
// "decision_reason", apart from the proposer's "reason".
func TestDecisionReply(t *testing.T) {
	f := newFixture(t)
	ua, ru := f.ids["ua-amendment"], f.ids["ru-amendment"]
	decided := func(t *testing.T, what, body string) map[string]any {
		t.Helper()
		var m map[string]any
		if err := json.Unmarshal([]byte(body), &m); err != nil {
			t.Fatalf("%s: %v: %s", what, err, trim(body))
		}
		return m
	}
	fields := func(m map[string]any) map[string]any {
		out := map[string]any{}
		for _, k := range []string{"status", "decision", "decision_reason", "reason", "folded_into"} {
			if v, ok := m[k]; ok {
				out[k] = v
			}
		}
		return out
	}

	// Undecided: no decision, no decision_reason.
	got := fields(decided(t, "proposed", first(f.must(t, 200, "M", "GET", "/amendments/"+ua, ""))))
	if diff := cmp.Diff(map[string]any{"status": "proposed", "reason": "ua critique"}, got); diff != "" {
		t.Errorf("a proposed amendment (-want +got):\n%s", diff)
	}

	tests := []struct {
		id, body string
		want     map[string]any
	}{
		{ua, `{"decision":"reject","reason":"out of scope"}`,
			map[string]any{"status": "rejected", "decision": "reject", "decision_reason": "out of scope", "reason": "ua critique"}},
		{ru, `{"decision":"accept"}`,
			map[string]any{"status": "accepted", "decision": "accept", "reason": "SECRET-RU-AMENDMENT"}},
	}
	for _, tt := range tests {
		got := fields(decided(t, tt.body, first(f.must(t, 200, "M", "POST", "/amendments/"+tt.id+"/decision", tt.body))))
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("%s: the decision's reply (-want +got):\n%s", tt.body, diff)
		}
		// The same family of replies: one amendment, the list, publishing.
		got = fields(decided(t, "get", first(f.must(t, 200, "M", "GET", "/amendments/"+tt.id, ""))))
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("%s: GET the amendment (-want +got):\n%s", tt.body, diff)
		}
		var list []map[string]any
		if err := json.Unmarshal([]byte(first(f.must(t, 200, "M", "GET", "/amendments", ""))), &list); err != nil {
			t.Fatal(err)
		}
		found := false
		for _, a := range list {
			if a["id"] == tt.id {
				found = true
				if diff := cmp.Diff(tt.want, fields(a)); diff != "" {
					t.Errorf("%s: the list (-want +got):\n%s", tt.body, diff)
				}
			}
		}
		if !found {
			t.Errorf("amendment %s is not in the list", tt.id)
		}
		got = fields(decided(t, "publish", first(f.must(t, 200, "M", "POST", "/amendments/"+tt.id+"/publish", ""))))
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("%s: publishing (-want +got):\n%s", tt.body, diff)
		}
	}
}

// TestFoldReply checks a fold's reply: the decision, its reason and the
// draft it went into.
func TestFoldReply(t *testing.T) {
	f := newFixture(t)
	body := `{"decision":"fold","into":"d-secret","reason":"taken up"}`
	var got amendmentView
	if err := json.Unmarshal([]byte(first(f.must(t, 200, "M", "POST", "/amendments/"+f.ids["ua-amendment"]+"/decision", body))), &got); err != nil {
		t.Fatal(err)
	}
	if got.Decision != "fold" || got.DecisionReason != "taken up" || got.FoldedInto != "d-secret" || got.Reason != "ua critique" {
		t.Errorf("fold: decision %q, decision_reason %q, folded_into %q, reason %q", got.Decision, got.DecisionReason, got.FoldedInto, got.Reason)
	}
}

// TestAmendmentSchema checks a decided amendment's reply against the
// OpenAPI description of it: every field described, every required field
// there, and decision one of the described values.
func TestAmendmentSchema(t *testing.T) {
	f := newFixture(t)
	var doc struct {
		Components struct {
			Schemas map[string]struct {
				Properties map[string]struct {
					Enum []string `json:"enum"`
				} `json:"properties"`
				Required []string `json:"required"`
			} `json:"schemas"`
		} `json:"components"`
	}
	_, body, _ := f.do(t, "M", "GET", "/api/openapi.json", "", "")
	if err := json.Unmarshal([]byte(body), &doc); err != nil {
		t.Fatal(err)
	}
	schema, ok := doc.Components.Schemas["AmendmentView"]
	if !ok {
		t.Fatal("no AmendmentView schema")
	}
	var got map[string]any
	reply := first(f.must(t, 200, "M", "POST", "/amendments/"+f.ids["ua-amendment"]+"/decision", `{"decision":"reject","reason":"out of scope"}`))
	if err := json.Unmarshal([]byte(reply), &got); err != nil {
		t.Fatal(err)
	}
	for k := range got {
		if _, ok := schema.Properties[k]; !ok {
			t.Errorf("the reply's field %q is not in the schema", k)
		}
	}
	for _, k := range schema.Required {
		if _, ok := got[k]; !ok {
			t.Errorf("the reply lacks the required field %q", k)
		}
	}
	if d, _ := got["decision"].(string); !slices.Contains(schema.Properties["decision"].Enum, d) {
		t.Errorf("decision %q is not one of %v", d, schema.Properties["decision"].Enum)
	}
}
