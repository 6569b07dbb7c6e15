package analysis

import (
	"context"

	"parley/scenario"
)

// Report is the analysis of one version of a scenario: the numeric Result
// and the agreement map of the text.
type Report struct {
	Scenario   string `json:"scenario"`
	Title      string `json:"title"`
	Version    string `json:"version"`
	Disclaimer string `json:"disclaimer,omitempty"`
	*Result
	Agreement []PointAgreement `json:"agreement"`
	// TextAnalysis is what the analysis says about the text itself; nil
	// for research domains.
	*TextAnalysis
}

// PointAgreement is where the parties stand on one point.
type PointAgreement struct {
	Point    string            `json:"point"`
	Number   int               `json:"number"`
	Title    string            `json:"title"`
	Block    string            `json:"block"`
	Category string            `json:"category,omitempty"`
	Status   scenario.Status   `json:"status,omitempty"`
	Options  []OptionAgreement `json:"options"`
	// Agreed is true when some option is acceptable to all.
	Agreed bool `json:"agreed"`
}

// OptionAgreement is each party's stance on one option.
type OptionAgreement struct {
	Option string `json:"option"`
	Text   string `json:"text"`
	// Stances maps each party with a position on the point to its stance.
	Stances map[string]scenario.Stance `json:"stances"`
	// AcceptableToAll is true when no counted party has a red line on the
	// option (one lifted by a what-if change does not count).
	AcceptableToAll bool `json:"acceptable_to_all"`
	// BlockedBy lists the counted parties with a red line on the option.
	BlockedBy []string `json:"blocked_by"`
}

// AnalyzeScenario compiles version versionID of s (the last when empty),
// with the positions held at its date and the parties that bargain
// counted, and analyses it, text analysis included.
func AnalyzeScenario(ctx context.Context, s *scenario.Scenario, versionID string, opt Options) (*Report, error) {
	c, err := CompileVersion(s, versionID, CompileOptions{})
	if err != nil {
		return nil, err
	}
	res, err := Analyze(ctx, c.Problem, opt)
	if err != nil {
		return nil, err
	}
	t, err := AnalyzeText(ctx, s, c, res, TextOptions{})
	if err != nil {
		return nil, err
	}
	return NewVersionReport(s, c, res, t), nil
}

// NewReport adds to res, the analysis of version versionID of s (the last
// when empty), what the scenario says about it: its title, disclaimer and
// agreement map.
func NewReport(s *scenario.Scenario, versionID string, res *Result) *Report {
	v, _ := s.Version(versionID)
	return &Report{
		Scenario:   s.ID,
		Title:      s.Title,
		Version:    v.ID,
		Disclaimer: s.Disclaimer,
		Result:     res,
		Agreement:  AgreementMap(s, v, res.Parties),
	}
}

// AgreementMap returns, for every point of v that is not dropped, each
// party's stance on each option and the options acceptable to all.
func AgreementMap(s *scenario.Scenario, v *scenario.Version, parties []string) []PointAgreement {
	return agreementMap(v, s.PositionsAt(v.Date), parties, nil)
}

// agreementMap is AgreementMap with the positions held; blocks, when not
// nil, tells which red lines count (those of counted parties, not lifted).
func agreementMap(v *scenario.Version, held []*scenario.Position, parties []string, blocks func(party, point, option string) bool) []PointAgreement {
	stances := make(map[string]map[string]map[string]scenario.Stance) // point → option → party
	for _, pos := range held {
		for _, pp := range pos.Points {
			if stances[pp.Point] == nil {
				stances[pp.Point] = make(map[string]map[string]scenario.Stance)
			}
			for _, os := range pp.Options {
				if stances[pp.Point][os.Option] == nil {
					stances[pp.Point][os.Option] = make(map[string]scenario.Stance)
				}
				stances[pp.Point][os.Option][pos.Party] = os.Stance
			}
		}
	}
	taking := make(map[string]bool)
	for _, id := range parties {
		taking[id] = true
	}
	var out []PointAgreement
	for _, b := range v.Blocks {
		for _, pt := range b.Points {
			if pt.Status == scenario.StatusDropped {
				continue
			}
			pa := PointAgreement{Point: pt.ID, Number: pt.Number, Title: pt.Title, Block: b.ID, Category: pt.Category, Status: pt.Status}
			for _, o := range pt.Options {
				oa := OptionAgreement{Option: o.ID, Text: o.Text, Stances: map[string]scenario.Stance{}, BlockedBy: []string{}}
				for _, id := range parties {
					st, ok := stances[pt.ID][o.ID][id]
					if !ok || !taking[id] {
						continue
					}
					oa.Stances[id] = st
					if st == scenario.RedLine && (blocks == nil || blocks(id, pt.ID, o.ID)) {
						oa.BlockedBy = append(oa.BlockedBy, id)
					}
				}
				oa.AcceptableToAll = len(oa.BlockedBy) == 0
				pa.Agreed = pa.Agreed || oa.AcceptableToAll
				pa.Options = append(pa.Options, oa)
			}
			out = append(out, pa)
		}
	}
	return out
}
