package analysis

import (
	"encoding/json"

	"parley/round"
)

// MarshalJSON writes the report with its fractional numbers rounded to
// round.Digits digits, as every analysis output writes them (0.64, not
// 0.6399999999999999); integers are written as they are.
func (r ImprovementReport) MarshalJSON() ([]byte, error) {
	type plain ImprovementReport // without this method
	b, err := json.Marshal(plain(r))
	if err != nil {
		return nil, err
	}
	return round.AppendJSON(make([]byte, 0, len(b)), b), nil
}

// MarshalJSON writes the change with its fractional numbers rounded to
// round.Digits digits, as ImprovementReport's MarshalJSON does: "parley
// diff --json" writes it on its own.
func (vc VersionChange) MarshalJSON() ([]byte, error) {
	type plain VersionChange // without this method
	b, err := json.Marshal(plain(vc))
	if err != nil {
		return nil, err
	}
	return round.AppendJSON(make([]byte, 0, len(b)), b), nil
}
