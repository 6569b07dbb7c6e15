package genius

import (
	"bytes"
	"fmt"
	"strconv"

	"github.com/go-json-experiment/json/jsontext"

	"parley/scenario"
)

// The bytes the scenario of an import spends on each value of an issue, in
// its YAML form (the JSON form takes more): besides the option's id and
// text, the fixed part of its two lines in the text,
//
//	"              - id: " and "                text: " with their line ends,
//
// and for each party the fixed part of its stance line in the positions,
//
//	"          - {option: " ", stance: " ", utility: " "}" and its line end.
//
// A stance is at least 6 bytes (accept, object) and a utility at least 1.
// TestSizeFloor checks that the floor never exceeds what scenario.Marshal
// writes.
const (
	textOptionBytes = 14 + len("- id: ") + 1 + 16 + len("text: ") + 1
	stanceLineBytes = 10 + len("- {option: ") + len(", stance: ") + len(", utility: ") + len("}") + 1
	minStanceBytes  = 6
	minUtilityBytes = 1
)

// sizeBudget refuses a domain whose scenario would take more than limit
// bytes while the domain is read, before the profiles are: each issue
// adds a floor of the bytes its values take in the scenario of parties
// parties, and the issue that takes the sum past the limit is refused.
type sizeBudget struct {
	limit   int64
	parties int
	used    int64
}

// newBudget returns the budget of an import of limit bytes (nil, no
// budget, for limit 0) over the given number of profiles.
func newBudget(limit, parties int) *sizeBudget {
	if limit <= 0 {
		return nil
	}
	return &sizeBudget{limit: int64(limit), parties: max(parties, 1)}
}

// add counts an issue and reports whether the scenario may still fit.
// A nil budget refuses nothing.
func (b *sizeBudget) add(is *issue) bool {
	if b == nil {
		return true
	}
	b.used += issueFloor(is, -1, b.parties, nil)
	return b.used <= b.limit
}

// refusal is the message for an issue that takes the scenario past the
// limit, for the errorf of the issue's element.
func (b *sizeBudget) refusal(is *issue) (string, []any) {
	return refusal, []any{len(is.values), b.parties, float64(b.used) / (1 << 20), b.limit >> 20}
}

// refusal says which limit a domain passes: the size of a scenario file
// (docs/format.md).
const refusal = "with the %d values of this issue, the scenario of %d parties would take at least %.1f MiB, more than the %d MiB a scenario file may take: import a smaller domain (fewer values or --real-steps)"

// issueFloor returns the least the scenario spends on the values of an
// issue: their option ids (made as scenario makes them) and texts, and a
// stance line per party. With profiles, their stances and utilities count
// at their length; without, at the least they can take.
func issueFloor(is *issue, i, parties int, profiles []*profile) int64 {
	seen := make(idents, len(is.values))
	var n int64
	for j, v := range is.values {
		id := int64(len(ident(v, seen)))
		n += int64(textOptionBytes) + id + int64(len(v))
		n += int64(parties) * (int64(stanceLineBytes) + id)
		if profiles == nil {
			n += int64(parties) * (minStanceBytes + minUtilityBytes)
			continue
		}
		for _, p := range profiles {
			u := p.evals[i][j]
			n += int64(len(stanceOf(u)) + len(strconv.FormatFloat(u, 'g', -1, 64)))
		}
	}
	return n
}

// checkScenarioSize refuses, once the profiles are read and before the
// scenario is built, a domain whose scenario would take more than limit
// bytes by a floor that counts each stance and utility at its length.
func (sp *space) checkScenarioSize(limit int) error {
	if limit <= 0 || len(sp.profiles) == 0 {
		return nil
	}
	for _, p := range sp.profiles {
		if p.nonlinear != nil || len(p.evals) != len(sp.issues) {
			return nil // no scenario is written
		}
	}
	var used int64
	for i, is := range sp.issues {
		used += issueFloor(is, i, len(sp.profiles), sp.profiles)
		if used > int64(limit) {
			file := ""
			if len(sp.files) > 0 {
				file = sp.files[0]
			}
			return &Error{File: file, Msg: fmt.Sprintf("issue %s: "+refusal, strconv.Quote(scenario.Clip(is.name)), len(is.values), len(sp.profiles), float64(used)/(1<<20), limit>>20)}
		}
	}
	return nil
}

// sniffJSON tells a GeniusWeb domain from a profile by the top-level keys
// only, skipping the values without building them; 0 for anything else,
// which reading the file then explains.
func sniffJSON(data []byte) jsonRole {
	d := jsontext.NewDecoder(bytes.NewBuffer(bytes.TrimPrefix(data, []byte("\uFEFF"))),
		jsontext.AllowDuplicateNames(true), jsontext.AllowInvalidUTF8(true))
	if t, err := d.ReadToken(); err != nil || t.Kind() != '{' {
		return 0
	}
	var role jsonRole
	for d.PeekKind() != '}' {
		t, err := d.ReadToken()
		if err != nil || t.Kind() != '"' {
			return 0
		}
		switch t.String() {
		case "parley":
			return 0
		case "issuesValues":
			role = jsonDomain
		case "LinearAdditiveUtilitySpace":
			if role == 0 {
				role = jsonProfile
			}
		}
		if err := d.SkipValue(); err != nil {
			return 0
		}
	}
	return role
}
