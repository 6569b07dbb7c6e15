// Package genius reads and writes the research formats of automated
// negotiation: GENIUS XML (a negotiation_template domain and utility_space
// profiles) and GeniusWeb JSON (a domain and LinearAdditiveUtilitySpace
// profiles).
//
// Load turns a domain and its profiles into an analysis.Problem with the
// platforms' own semantics: GENIUS divides a discrete evaluation by the
// largest evaluation of its issue, evaluates integer and real issues with
// their linear evaluators clipped to [0,1], uses the issue weights as given,
// caps a utility at 1 and reads the reservation value and discount factor
// of each profile; GeniusWeb uses its value utilities and weights as given
// (the weights must add up to exactly 1), interpolates number utilities
// rounded to 8 decimals, and takes the utility of the reservation bid as
// the reservation value. Real issues are discretised into a fixed number
// of steps, and Domain.Notes says so. Nonlinear (hyperRectangle) profiles
// are evaluated exactly, package by package, when the outcome space is
// small enough to enumerate, and refused with an error otherwise. What a
// platform cannot read, or would read other than it says, is refused with
// an error.
//
// For linear profiles Load also builds a parley scenario (one point per
// issue, one position per profile with explicit utilities), and WriteGenius
// and WriteGeniusWeb turn a scenario back into the research formats, so
// that an import followed by an export and a new import gives the same
// analysis.
package genius
