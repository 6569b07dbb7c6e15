package server

import "net/http"

// prefix is the path of one negotiation.
const prefix = "/api/negotiations/{n}"

// table lists every route of the API.
func (s *Server) table() []route {
	return []route{
		{method: "GET", path: "/healthz", summary: "Liveness and database check", public: true, h: s.healthz},
		{method: "GET", path: "/metrics", summary: "Prometheus metrics", public: true, h: s.metricsHandler},
		{method: "GET", path: "/api/openapi.json", summary: "This API's OpenAPI 3.1 description", public: true, h: s.openapi},

		{method: "POST", path: "/api/login", summary: "Sign in with a name and password or a one-time code", public: true, body: "Login", h: s.login},
		{method: "POST", path: "/api/logout", summary: "End this session or revoke this token", h: s.logout},
		{method: "GET", path: "/api/me", summary: "The signed-in account", h: s.me},
		{method: "PUT", path: "/api/me/password", summary: "Set the signed-in account's password", body: "Password", h: s.setPassword},
		{method: "POST", path: "/api/tokens", summary: "Create an API token", h: s.createToken},

		{method: "GET", path: "/api/negotiations", summary: "The negotiations the caller is a member of", h: s.listNegotiations},
		{method: "POST", path: "/api/negotiations", summary: "Start a negotiation from a scenario file (YAML or JSON); the caller mediates", body: "Scenario", h: s.createNegotiation},
		{method: "POST", path: "/api/negotiations/import", summary: "Start a negotiation from a GENIUS or GeniusWeb domain and its profiles", body: "Import", h: s.importNegotiation},

		{method: "GET", path: prefix, summary: "The negotiation as the caller may see it", h: s.getNegotiation},
		{method: "GET", path: prefix + "/scenario.yaml", summary: "Export what the caller may see as a scenario file (YAML)", h: s.exportYAML},
		{method: "GET", path: prefix + "/scenario.json", summary: "Export what the caller may see as a scenario file (JSON)", h: s.exportJSON},
		{method: "GET", path: prefix + "/members", summary: "Members and their roles", h: s.listMembers},
		{method: "POST", path: prefix + "/members", summary: "Invite a member (mediator)", body: "Invite", h: s.invite},

		{method: "GET", path: prefix + "/versions", summary: "Versions the caller may see, with their audience", h: s.listVersions},
		{method: "POST", path: prefix + "/versions", summary: "Add a draft version (mediator)", body: "Version", h: s.createVersion},
		{method: "GET", path: prefix + "/versions/{v}", summary: "One version", h: s.getVersion},
		{method: "PUT", path: prefix + "/versions/{v}", summary: "Edit a draft (mediator; If-Match)", body: "Version", h: s.editVersion},
		{method: "POST", path: prefix + "/versions/{v}/publish", summary: "Publish a draft: it never changes again (mediator)", h: s.publishVersion},
		{method: "POST", path: prefix + "/versions/{v}/share", summary: "Share a published version with parties (mediator)", body: "Share", h: s.shareVersion},

		{method: "GET", path: prefix + "/positions", summary: "The positions the caller may see, by party", h: s.listPositions},
		{method: "GET", path: prefix + "/positions/{party}", summary: "A party's positions (ETag)", h: s.getPosition},
		{method: "PUT", path: prefix + "/positions/{party}", summary: "Replace a party's positions (the party or the mediator; If-Match)", body: "Positions", h: s.putPosition},
		{method: "GET", path: prefix + "/positions/{party}/history", summary: "Every change of a party's positions, dated, by whom", h: s.positionHistory},
		{method: "PUT", path: prefix + "/reservations/{party}", summary: "Set a party's reservation value, private unless shared (the party or the mediator; If-Match)", body: "Reservation", h: s.putReservation},

		{method: "GET", path: prefix + "/amendments", summary: "Amendments the caller may see", h: s.listAmendments},
		{method: "POST", path: prefix + "/amendments", summary: "Propose an amendment (a party)", body: "Amendment", h: s.propose},
		{method: "GET", path: prefix + "/amendments/{a}", summary: "One amendment", h: s.getAmendment},
		{method: "POST", path: prefix + "/amendments/{a}/decision", summary: "Accept, reject with a reason, or fold into a draft (mediator)", body: "Decision", h: s.decide},
		{method: "POST", path: prefix + "/amendments/{a}/publish", summary: "Show an amendment to every member (mediator)", h: s.publishAmendment},

		{method: "GET", path: prefix + "/comments", summary: "Comments the caller may see (?point=ID)", h: s.listComments},
		{method: "POST", path: prefix + "/comments", summary: "Comment on a point, or reply", body: "Comment", h: s.addComment},
		{method: "POST", path: prefix + "/comments/{c}/publish", summary: "Show a comment to every member (mediator)", h: s.publishComment},

		{method: "PUT", path: prefix + "/points/{point}/status", summary: "Set a point's status (mediator)", body: "Status", h: s.setStatus},
		{method: "GET", path: prefix + "/timeline", summary: "Meetings and rounds", h: s.getTimeline},
		{method: "POST", path: prefix + "/timeline", summary: "Add a meeting or round (mediator)", body: "Event", h: s.addEvent},

		{method: "GET", path: prefix + "/votes", summary: "Votes, sealed until every party has answered", h: s.listVotes},
		{method: "POST", path: prefix + "/votes", summary: "Call a vote on a version as written or a package (mediator)", body: "Vote", h: s.callVote},
		{method: "GET", path: prefix + "/votes/{vote}", summary: "One vote", h: s.getVote},
		{method: "POST", path: prefix + "/votes/{vote}/ballot", summary: "Answer a vote and mark acceptable packages, sealed (a party)", body: "Ballot", h: s.answer},

		{method: "GET", path: prefix + "/analysis", summary: "Analysis of a version over what the caller may see (?version=ID)", h: s.analysis},
		{method: "GET", path: prefix + "/jobs", summary: "The caller's background jobs here, newest first, without results", h: s.listJobs},
		{method: "POST", path: prefix + "/jobs", summary: "Queue an analysis, a simulation or a tournament as a background job (202; poll the job)", body: "Job", h: s.createJob},
		{method: "GET", path: prefix + "/jobs/{job}", summary: "A background job: its progress and, once completed, its result (the job's requester only)", h: s.getJob},
		{method: "POST", path: prefix + "/jobs/{job}/cancel", summary: "Cancel a background job that has not finished (the job's requester only)", h: s.cancelJob},
		{method: "GET", path: prefix + "/audit", summary: "The audit log (mediator; ?after=SEQ&limit=N)", h: s.audit},
	}
}

func (s *Server) healthz(w http.ResponseWriter, r *http.Request, c *call) error {
	if err := s.store.Ping(r.Context()); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
	return nil
}

func (s *Server) metricsHandler(w http.ResponseWriter, r *http.Request, c *call) error {
	s.metrics.write(w)
	return nil
}
