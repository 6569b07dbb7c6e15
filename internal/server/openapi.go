package server

import (
	"net/http"
	"regexp"
	"strings"
	"sync"

	"parley/internal/jobs"
)

var pathParam = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`\{([a-z]+)\}`) })

// paramDocs describes the path parameters.
var paramDocs = map[string]string{
	"n":     "negotiation id",
	"v":     "version id",
	"party": "party id",
	"a":     "amendment id",
	"c":     "comment id",
	"point": "point id",
	"vote":  "vote id",
	"job":   "job id",
}

// replies describe the 200 answers of the routes that have a schema for
// them, by method and path.
var replies = map[string]any{
	"GET " + prefix + "/jobs":                     map[string]any{"type": "array", "items": map[string]any{"$ref": "#/components/schemas/QueuedJob"}},
	"GET " + prefix + "/jobs/{job}":               map[string]any{"$ref": "#/components/schemas/QueuedJob"},
	"POST " + prefix + "/jobs/{job}/cancel":       map[string]any{"$ref": "#/components/schemas/QueuedJob"},
	"GET " + prefix + "/amendments":               map[string]any{"type": "array", "items": map[string]any{"$ref": "#/components/schemas/AmendmentView"}},
	"GET " + prefix + "/amendments/{a}":           map[string]any{"$ref": "#/components/schemas/AmendmentView"},
	"POST " + prefix + "/amendments/{a}/decision": map[string]any{"$ref": "#/components/schemas/AmendmentView"},
	"POST " + prefix + "/amendments/{a}/publish":  map[string]any{"$ref": "#/components/schemas/AmendmentView"},
}

// OpenAPI returns the OpenAPI 3.1 description of the routes.
func (s *Server) OpenAPI() map[string]any {
	paths := map[string]map[string]any{}
	for _, rt := range s.routes {
		op := map[string]any{
			"summary":     rt.summary,
			"operationId": operationID(rt),
			"responses": map[string]any{
				"2XX":     map[string]any{"description": "success"},
				"default": map[string]any{"description": "a problem", "content": map[string]any{"application/problem+json": map[string]any{"schema": map[string]any{"$ref": "#/components/schemas/Problem"}}}},
			},
		}
		var params []any
		for _, m := range pathParam().FindAllStringSubmatch(rt.path, -1) {
			params = append(params, map[string]any{"name": m[1], "in": "path", "required": true, "description": paramDocs[m[1]], "schema": map[string]any{"type": "string"}})
		}
		if params != nil {
			op["parameters"] = params
		}
		if rt.public {
			op["security"] = []any{}
		}
		if reply, ok := replies[rt.method+" "+rt.path]; ok {
			op["responses"].(map[string]any)["200"] = map[string]any{"description": "success", "content": map[string]any{"application/json": map[string]any{"schema": reply}}}
		}
		if rt.body != "" {
			ct := "application/json"
			if rt.body == "Scenario" {
				ct = "application/yaml"
			}
			op["requestBody"] = map[string]any{"required": true, "content": map[string]any{ct: map[string]any{"schema": map[string]any{"$ref": "#/components/schemas/" + rt.body}}}}
		}
		if paths[rt.path] == nil {
			paths[rt.path] = map[string]any{}
		}
		paths[rt.path][strings.ToLower(rt.method)] = op
	}
	obj := func(props map[string]any, required ...string) map[string]any {
		m := map[string]any{"type": "object", "properties": props, "additionalProperties": false}
		if required != nil {
			m["required"] = required
		}
		return m
	}
	str := map[string]any{"type": "string"}
	pkg := map[string]any{"type": "object", "additionalProperties": str, "description": "point id → option id"}
	return map[string]any{
		"openapi": "3.1.0",
		"info": map[string]any{"title": "parley", "version": "1",
			"description": "The negotiation API of parley serve. Errors are RFC 9457 problem details. See docs/api.md."},
		"paths":    paths,
		"security": []any{map[string]any{"bearer": []any{}}, map[string]any{"session": []any{}}},
		"components": map[string]any{
			"securitySchemes": map[string]any{
				"bearer":  map[string]any{"type": "http", "scheme": "bearer"},
				"session": map[string]any{"type": "apiKey", "in": "cookie", "name": sessionCookie, "description": "unsafe requests also need the X-CSRF-Token header"},
			},
			"schemas": map[string]any{
				"Problem": obj(map[string]any{"type": str, "title": str, "status": map[string]any{"type": "integer"}, "detail": str, "instance": str,
					"errors": map[string]any{"type": "array", "items": obj(map[string]any{"path": str, "detail": str})}}),
				"Login":     obj(map[string]any{"name": str, "password": str, "code": str, "token": map[string]any{"type": "boolean"}}),
				"Password":  obj(map[string]any{"password": str}, "password"),
				"Scenario":  map[string]any{"description": "a scenario file, as in docs/format.md (YAML or JSON)"},
				"Import":    obj(map[string]any{"id": str, "files": map[string]any{"type": "array", "items": obj(map[string]any{"name": str, "content": str}, "name", "content")}}, "files"),
				"Invite":    obj(map[string]any{"name": str, "role": map[string]any{"enum": []string{"mediator", "party", "observer"}}, "party": str}, "name", "role"),
				"Version":   map[string]any{"description": "a version of the text, as in docs/format.md", "type": "object"},
				"Share":     obj(map[string]any{"parties": map[string]any{"type": "array", "items": str}}, "parties"),
				"Positions": obj(map[string]any{"positions": map[string]any{"type": "array", "items": map[string]any{"description": "a position, as in docs/format.md"}}}, "positions"),
				"Amendment": obj(map[string]any{"version": str, "point": str, "kind": map[string]any{"enum": []string{"wording", "option", "deletion", "critique"}}, "option": str, "text": str, "reason": str}, "version", "point", "kind"),
				"AmendmentView": obj(map[string]any{
					"id": str, "version": str, "point": str, "kind": map[string]any{"enum": []string{"wording", "option", "deletion", "critique"}}, "option": str, "text": str,
					"reason":          map[string]any{"type": "string", "description": "the proposer's reason"},
					"party":           str,
					"author":          map[string]any{"type": "string", "description": "the proposing account's id"},
					"at":              map[string]any{"type": "string", "format": "date-time"},
					"status":          map[string]any{"enum": []string{"proposed", "accepted", "rejected", "folded"}},
					"decision":        map[string]any{"enum": []string{"accept", "reject", "fold"}, "description": "the mediator's decision, once made"},
					"decision_reason": map[string]any{"type": "string", "description": "the reason the mediator gave with the decision"},
					"decided_at":      map[string]any{"type": "string", "format": "date-time"},
					"folded_into":     map[string]any{"type": "string", "description": "the draft a folded amendment went into"},
					"published":       map[string]any{"type": "boolean"},
				}, "id", "version", "point", "kind", "party", "author", "at", "status", "published"),
				"Decision": obj(map[string]any{"decision": map[string]any{"enum": []string{"accept", "reject", "fold"}}, "reason": str, "into": str}, "decision"),
				"Comment":  obj(map[string]any{"point": str, "parent": str, "body": str}, "point", "body"),
				"Status":   obj(map[string]any{"status": map[string]any{"enum": []string{"open", "provisionally_agreed", "disputed", "dropped"}}}, "status"),
				"Event":    map[string]any{"description": "a timeline event, as in docs/format.md", "type": "object"},
				"Vote":     obj(map[string]any{"kind": map[string]any{"enum": []string{"version", "package"}}, "version": str, "package": pkg, "question": str}, "kind", "version"),
				"Job": obj(map[string]any{"kind": map[string]any{"enum": []string{jobs.KindAnalysis, jobs.KindSimulation, jobs.KindTournament}}, "version": str,
					"strategies": map[string]any{"type": "array", "items": str}, "rounds": map[string]any{"type": "integer"}, "reps": map[string]any{"type": "integer"}, "seed": map[string]any{"type": "integer"}}, "kind"),
				"QueuedJob": obj(map[string]any{
					"id":       map[string]any{"type": "integer"},
					"kind":     map[string]any{"enum": []string{jobs.KindAnalysis, jobs.KindSimulation, jobs.KindTournament}, "description": "as sent when the job was queued"},
					"state":    map[string]any{"type": "string", "description": "available, running, retryable, completed, cancelled, discarded …"},
					"created":  map[string]any{"type": "string", "format": "date-time"},
					"finished": map[string]any{"type": "string", "format": "date-time"},
					"errors":   map[string]any{"type": "array", "items": str},
					"progress": withDescription(obj(map[string]any{"done": map[string]any{"type": "integer"}, "total": map[string]any{"type": "integer"}}, "done", "total"),
						"negotiations played, for a simulation or a tournament: the last reported while it runs or once cancelled; done = total once completed"),
					"result": map[string]any{"type": "object", "description": "once completed; never in the list"},
				}, "id", "kind", "state", "created"),
				"Ballot":      obj(map[string]any{"answer": map[string]any{"type": "boolean"}, "acceptable": map[string]any{"type": "array", "items": pkg}}),
				"Reservation": obj(map[string]any{"value": map[string]any{"type": "number", "minimum": 0, "maximum": 1}, "shared": map[string]any{"type": "boolean"}}, "value"),
			},
		},
	}
}

func operationID(rt route) string {
	p := pathParam().ReplaceAllString(strings.TrimPrefix(rt.path, "/api"), "by-$1")
	p = strings.NewReplacer("/", "-", ".", "-").Replace(strings.Trim(p, "/"))
	if p == "" {
		p = "root"
	}
	return strings.ToLower(rt.method) + "-" + p
}

func (s *Server) openapi(w http.ResponseWriter, r *http.Request, c *call) error {
	writeJSON(w, http.StatusOK, s.OpenAPI())
	return nil
}

// withDescription returns schema m with a description.
func withDescription(m map[string]any, d string) map[string]any {
	m["description"] = d
	return m
}
