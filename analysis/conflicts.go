package analysis

import "sort"

// Conflict is an issue on which no option is acceptable to all: the red
// lines (and linkages) of the parties collide there.
type Conflict struct {
	// Points are the points of the issue (several when linkages join them).
	Points []string `json:"points"`
	// Parties are the holders of the constraints that block the options.
	Parties []string `json:"parties"`
	// Options lists every option with what blocks it.
	Options []BlockedOption `json:"options"`
}

// BlockedOption is an option and the constraints that block it.
type BlockedOption struct {
	// Choices maps each point of the issue to the option's choice.
	Choices  map[string]string `json:"choices"`
	Blockers []Constraint      `json:"blocked_by"`
}

// Conflicts returns the issues of p on which every option is blocked. The
// text is feasible, some package acceptable to all, when there are none.
func Conflicts(p *Problem) []Conflict {
	var out []Conflict
	for _, is := range p.Issues {
		blocked := true
		for _, o := range is.Options {
			if len(o.Blockers) == 0 {
				blocked = false
				break
			}
		}
		if !blocked {
			continue
		}
		c := Conflict{Points: is.Points}
		holders := make(map[string]bool)
		for _, o := range is.Options {
			bo := BlockedOption{Choices: make(map[string]string)}
			for j, pt := range is.Points {
				bo.Choices[pt] = o.Choices[j]
			}
			for _, b := range o.Blockers {
				con := p.Constraints[b]
				bo.Blockers = append(bo.Blockers, con)
				holders[con.Party] = true
			}
			c.Options = append(c.Options, bo)
		}
		c.Parties = orderedParties(p, holders)
		out = append(out, c)
	}
	return out
}

// orderedParties lists the holders in the order of p.Parties, with "all"
// (linkages every party holds) last.
func orderedParties(p *Problem, holders map[string]bool) []string {
	var out []string
	for _, id := range p.Parties {
		if holders[id] {
			out = append(out, id)
		}
	}
	var rest []string
	for h := range holders {
		found := false
		for _, id := range out {
			found = found || id == h
		}
		if !found {
			rest = append(rest, h)
		}
	}
	sort.Strings(rest)
	return append(out, rest...)
}
