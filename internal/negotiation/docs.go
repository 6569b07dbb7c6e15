// Package negotiation is the negotiation as the server keeps it: a
// scenario of package scenario (its parties and text through versions,
// the parties' positions) with what happens around it — who has received
// which version and when, each position's history, amendments, comments,
// the status of each point, and sealed votes. Every piece is a record of
// package store holding a document of the model; nothing here is a second
// model. Every operation asks package access whether its reader may.
package negotiation

import (
	"time"

	"parley/scenario"
)

// Record kinds.
const (
	KindHead      = "head"      // the scenario without versions and positions
	KindVersion   = "version"   // a VersionDoc, id = version id
	KindPosition  = "position"  // a PositionDoc, id = party id
	KindAmendment = "amendment" // an Amendment, numbered
	KindComment   = "comment"   // a Comment, numbered
	KindStatus    = "status"    // a PointStatus, id = point id
	KindVote      = "vote"      // a Vote, numbered
	KindBallot    = "ballot"    // a Ballot, id = vote id + "/" + party id
	// KindReservation is a ReservationDoc, id = party id.
	KindReservation = "reservation"
)

// Share records that a version was shared with a party.
type Share struct {
	Party string    `json:"party"`
	At    time.Time `json:"at"`
	By    string    `json:"by"`
}

// VersionDoc is a version of the text with its publication and audience.
// A draft (Published nil) may be edited by the mediator; a published
// version never changes again, except that it may be shared with more
// parties.
type VersionDoc struct {
	Version   scenario.Version `json:"version"`
	Published *time.Time       `json:"published,omitempty"`
	Audience  []Share          `json:"audience"`
}

// PositionDoc holds all of one party's positions (several when they are
// dated). Each change is a new revision of the record, so the history of
// a party's views is the record's history.
type PositionDoc struct {
	Positions []scenario.Position `json:"positions"`
}

// Amendment kinds.
const (
	AmendWording  = "wording"  // new wording of an option
	AmendOption   = "option"   // a new option for the point
	AmendDeletion = "deletion" // drop the point
	AmendCritique = "critique" // a critique, no text
)

// Amendment statuses.
const (
	Proposed = "proposed"
	Accepted = "accepted"
	Rejected = "rejected"
	Folded   = "folded" // folded into a later draft
)

// Amendment is a party's proposal against a point of a version.
type Amendment struct {
	Version string `json:"version"`
	Point   string `json:"point"`
	Kind    string `json:"kind"`
	// Option is the option reworded (kind wording) or the new option's id
	// (kind option).
	Option string    `json:"option,omitempty"`
	Text   string    `json:"text,omitempty"`
	Reason string    `json:"reason,omitempty"`
	Party  string    `json:"party"`
	Author string    `json:"author"`
	At     time.Time `json:"at"`
	Status string    `json:"status"`
	// Decision is the mediator's reason, required for a rejection.
	Decision  string     `json:"decision,omitempty"`
	DecidedAt *time.Time `json:"decided_at,omitempty"`
	// FoldedInto is the draft the amendment was folded into.
	FoldedInto string `json:"folded_into,omitempty"`
	Published  bool   `json:"published"`
}

// Comment is a remark on a point, in a thread.
type Comment struct {
	Point     string    `json:"point"`
	Parent    string    `json:"parent,omitempty"` // the comment it answers
	Body      string    `json:"body"`
	Party     string    `json:"party,omitempty"` // empty for the mediator
	Author    string    `json:"author"`
	At        time.Time `json:"at"`
	Published bool      `json:"published"`
}

// PointStatus is where a point stands now, whatever its versions say.
type PointStatus struct {
	Point  string          `json:"point"`
	Status scenario.Status `json:"status"`
	At     time.Time       `json:"at"`
	By     string          `json:"by"`
}

// Vote kinds.
const (
	VoteVersion = "version" // on a version as written
	VotePackage = "package" // on an explicit package
)

// Vote is a call for sealed commitment.
type Vote struct {
	Kind     string            `json:"kind"`
	Version  string            `json:"version"`
	Package  map[string]string `json:"package,omitempty"`
	Question string            `json:"question,omitempty"`
	// Parties must all answer before any answer is revealed.
	Parties []string  `json:"parties"`
	At      time.Time `json:"at"`
	By      string    `json:"by"`
}

// Ballot is one party's sealed answer to a vote, and the packages it
// privately marks as acceptable.
type Ballot struct {
	Vote       string              `json:"vote"`
	Party      string              `json:"party"`
	Answer     *bool               `json:"answer,omitempty"`
	Acceptable []map[string]string `json:"acceptable,omitempty"`
	At         time.Time           `json:"at"`
}
