package analysis

import (
	"parley/scenario"
)

// maxJointOptions bounds the number of option combinations of points joined
// by linkages into one issue.
const maxJointOptions = 1 << 20

// Compile reduces version versionID of a scenario (the last version when
// empty) to the Problem of the parties that bargain, with the positions
// held at the version's date: CompileVersion with no options. Points whose
// status is dropped are left out. Points joined by linkages become one
// issue whose options are the combinations of their options; a combination
// that breaks a linkage is blocked by it.
func Compile(s *scenario.Scenario, versionID string) (*Problem, error) {
	c, err := CompileVersion(s, versionID, CompileOptions{})
	if err != nil {
		return nil, err
	}
	return c.Problem, nil
}

// breaks reports whether the chosen options break the linkage.
func breaks(lk scenario.Linkage, chosen map[string]string) bool {
	if chosen[lk.If.Point] != lk.If.Option {
		return false
	}
	took := chosen[lk.Then.Point] == lk.Then.Option
	if lk.Kind == scenario.Excludes {
		return took
	}
	return !took
}
