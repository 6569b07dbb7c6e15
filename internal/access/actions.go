package access

// Action is something a reader may do in a negotiation.
type Action string

// The actions. Each has one entry in the rules table below.
const (
	ReadNegotiation  Action = "negotiation.read"
	ExportScenario   Action = "scenario.export" // filtered by Scenario
	ReadMembers      Action = "members.read"
	InviteMember     Action = "members.invite"
	ReadVersion      Action = "version.read" // the version's audience decides
	CreateVersion    Action = "version.create"
	EditVersion      Action = "version.edit"
	PublishVersion   Action = "version.publish"
	ShareVersion     Action = "version.share"
	ReadPosition     Action = "position.read" // owner, or shared
	WritePosition    Action = "position.write"
	ProposeAmendment Action = "amendment.propose"
	ReadAmendment    Action = "amendment.read" // author, or published
	DecideAmendment  Action = "amendment.decide"
	PublishAmendment Action = "amendment.publish"
	WriteComment     Action = "comment.write"
	ReadComment      Action = "comment.read" // author, or published
	PublishComment   Action = "comment.publish"
	SetPointStatus   Action = "point.status"
	ReadTimeline     Action = "timeline.read"
	WriteTimeline    Action = "timeline.write"
	CallVote         Action = "vote.call"
	ReadVote         Action = "vote.read" // answers stay sealed until all have answered
	AnswerVote       Action = "vote.answer"
	ReadAudit        Action = "audit.read"
	Analyze          Action = "analysis.read" // over what Scenario lets the reader see
)

// Resource is what an action applies to, when it matters: the party that
// owns it, and whether its owner shared it or the mediator published it.
type Resource struct {
	Owner     string
	Published bool
}

// condition narrows a role's right to some resources.
type condition int

const (
	never     condition = iota
	always              // every resource
	own                 // resources of the reader's own party
	ownOrOpen           // own, or shared/published
)

// rules is the decision for every action and role. Public readers (not
// members) may do nothing in a negotiation on a server.
var rules = map[Action]map[Role]condition{
	ReadNegotiation:  {Mediator: always, Party: always, Observer: always},
	ExportScenario:   {Mediator: always, Party: always, Observer: always},
	ReadMembers:      {Mediator: always, Party: always, Observer: always},
	InviteMember:     {Mediator: always},
	ReadVersion:      {Mediator: always, Party: always, Observer: always},
	CreateVersion:    {Mediator: always},
	EditVersion:      {Mediator: always},
	PublishVersion:   {Mediator: always},
	ShareVersion:     {Mediator: always},
	ReadPosition:     {Mediator: always, Party: ownOrOpen, Observer: ownOrOpen},
	WritePosition:    {Mediator: always, Party: own},
	ProposeAmendment: {Party: own},
	ReadAmendment:    {Mediator: always, Party: ownOrOpen, Observer: ownOrOpen},
	DecideAmendment:  {Mediator: always},
	PublishAmendment: {Mediator: always},
	WriteComment:     {Mediator: always, Party: own},
	ReadComment:      {Mediator: always, Party: ownOrOpen, Observer: ownOrOpen},
	PublishComment:   {Mediator: always},
	SetPointStatus:   {Mediator: always},
	ReadTimeline:     {Mediator: always, Party: always, Observer: always},
	WriteTimeline:    {Mediator: always},
	CallVote:         {Mediator: always},
	ReadVote:         {Mediator: always, Party: always, Observer: always},
	AnswerVote:       {Party: own},
	ReadAudit:        {Mediator: always},
	Analyze:          {Mediator: always, Party: always, Observer: always},
}

// Actions lists every action, for tests that must cover them all.
func Actions() []Action {
	as := make([]Action, 0, len(rules))
	for a := range rules {
		as = append(as, a)
	}
	return as
}

// Can reports whether r may do a to res. An action missing from the rules
// is refused.
func Can(r Reader, a Action, res Resource) bool {
	switch rules[a][r.Role] {
	case always:
		return true
	case own:
		return r.Role == Party && r.Party != "" && res.Owner == r.Party
	case ownOrOpen:
		return res.Published || (r.Role == Party && r.Party != "" && res.Owner == r.Party)
	}
	return false
}

// phrases say what each action does, for messages.
var phrases = map[Action]string{
	ReadNegotiation: "read this negotiation", ExportScenario: "export this negotiation",
	ReadMembers: "list the members", InviteMember: "invite members",
	ReadVersion: "read this version", CreateVersion: "draft versions", EditVersion: "edit drafts",
	PublishVersion: "publish versions", ShareVersion: "share versions",
	ReadPosition: "read this position", WritePosition: "change this party's positions",
	ProposeAmendment: "propose amendments", ReadAmendment: "read this amendment",
	DecideAmendment: "decide on amendments", PublishAmendment: "publish amendments",
	WriteComment: "comment here", ReadComment: "read this comment", PublishComment: "publish comments",
	SetPointStatus: "set the status of points", ReadTimeline: "read the timeline", WriteTimeline: "change the timeline",
	CallVote: "call votes", ReadVote: "read votes", AnswerVote: "answer votes",
	ReadAudit: "read the audit log", Analyze: "analyse",
}

// Phrase says what the action does, for example "read the audit log".
func (a Action) Phrase() string {
	if p, ok := phrases[a]; ok {
		return p
	}
	return string(a)
}
