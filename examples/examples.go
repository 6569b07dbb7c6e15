// Package examples holds the scenarios that ship inside the parley binary.
//
// Default is the scenario parley opens with: the 2025 US peace plan for the
// Russia–Ukraine war, from the 28-point plan of November 2025 to the 20-point
// framework of December 2025, each version with the package its text
// proposes; the positions of the United States, Ukraine, Russia and the
// European E3 as reported in the press, dated where they changed, each stance
// sourced and every inference marked; and the timeline of the talks. Its
// weights, utilities and reservation values are illustrative; the file says
// so in its disclaimer.
package examples

import _ "embed"

// DefaultName is the file name of the default scenario.
const DefaultName = "ukraine-2025.yaml"

// Default is the default scenario, in parley's YAML format.
//
//go:embed ukraine-2025.yaml
var Default []byte
