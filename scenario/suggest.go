package scenario

import (
	"fmt"
	"strings"
)

// didYouMean returns a hint naming the id of known closest to the unknown
// id name, as ` (did you mean "x"?)`, or "" when none is close.
func didYouMean[V any](name string, known map[string]V) string {
	if len(name) > 64 {
		return ""
	}
	best, bestDist := "", len(name)/2+1
	for id := range known {
		d := editDistance(strings.ToLower(name), strings.ToLower(id))
		if d < bestDist || (d == bestDist && best != "" && id < best) {
			best, bestDist = id, d
		}
	}
	if best == "" || best == name {
		return ""
	}
	return fmt.Sprintf(" (did you mean %q?)", best)
}

// DidYouMean returns a hint naming the id of ids closest to the unknown id
// name, as ` (did you mean "x"?)`, or "" when none is close.
func DidYouMean(name string, ids []string) string {
	m := make(map[string]bool, len(ids))
	for _, id := range ids {
		m[id] = true
	}
	return didYouMean(name, m)
}
