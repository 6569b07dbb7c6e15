package server

import (
	"encoding/json"
	"strings"
	"testing"
)

// TestNamesInRecord checks that the audit log and the history of
// positions carry, beside each account id, the account's display name.
func TestNamesInRecord(t *testing.T) {
	f := newFixture(t)
	for _, c := range []struct {
		role, path, id, name string
	}{
		{"M", "/audit", "actor", "actor_name"},
		{"A", "/positions/ua/history", "by", "by_name"},
	} {
		out, _ := f.must(t, 200, c.role, "GET", c.path, "")
		var rows []map[string]any
		if err := json.Unmarshal([]byte(out), &rows); err != nil {
			t.Fatalf("%s: %v", c.path, err)
		}
		if len(rows) == 0 {
			t.Fatalf("%s: empty", c.path)
		}
		for _, r := range rows {
			id, _ := r[c.id].(string)
			want := "name-" + strings.TrimPrefix(id, "acct-")
			if r[c.name] != want {
				t.Errorf("%s: %q is %v, want %q", c.path, id, r[c.name], want)
			}
		}
	}
}
