package server

import (
	"net/http"
	"strings"
	"testing"

	"parley/internal/apperr"
	"parley/internal/negotiation"
	"parley/scenario"
)

// FuzzDecode feeds arbitrary bodies and content types to the request
// decoders: they must return a value or an application error of a client
// kind, never panic or fail as internal.
func FuzzDecode(f *testing.F) {
	f.Add("application/json", `{"point":"territory","body":"x"}`)
	f.Add("application/json", `{"positions":[{"party":"ua","points":[{"point":"p","weight":1,"options":[{"option":"a","stance":"accept","utility":0.5}]}]}]}`)
	f.Add("application/json; charset=utf-8", `{"kind":"package","version":"v4","package":{"a":"b"}}`)
	f.Add("application/json", `{"value":0.4,"shared":true}`)
	f.Add("text/plain", "x")
	f.Add("application/json", "{\"body\":\"\xff\"}")
	f.Add("application/json", `{"answer":true,"acceptable":[{"a":"b"}]} {}`)
	f.Fuzz(func(t *testing.T, ctype, body string) {
		targets := []func() any{
			func() any { return new(commentRequest) },
			func() any { return new(negotiation.PositionDoc) },
			func() any { return new(scenario.Version) },
			func() any { return new(voteRequest) },
			func() any { return new(ballotRequest) },
			func() any { return new(amendmentRequest) },
			func() any { return new(decisionRequest) },
			func() any { return new(loginRequest) },
			func() any { return new(inviteRequest) },
			func() any { return new(importRequest) },
			func() any { return new(negotiation.ReservationDoc) },
			func() any { return new(jobRequest) },
		}
		for _, mk := range targets {
			r, _ := http.NewRequest("POST", "/", strings.NewReader(body))
			r.Header.Set("Content-Type", ctype)
			err := decodeJSON(r, mk())
			if err == nil {
				continue
			}
			switch apperr.KindOf(err) {
			case apperr.Invalid, apperr.Unsupported, apperr.TooLarge:
			default:
				t.Fatalf("decode %q as %q: error of kind %v: %v", body, ctype, apperr.KindOf(err), err)
			}
		}
	})
}

// FuzzJobRequest decodes a job request and checks it as a simulation and
// as a tournament: a client's mistake is always Invalid, never a panic.
func FuzzJobRequest(f *testing.F) {
	f.Add(`{"kind":"tournament","version":"v1","strategies":["boulware","conceder","tft"],"rounds":200,"reps":2}`)
	f.Add(`{"kind":"simulation","version":"v1","strategies":["boulware"],"rounds":-1,"reps":1000,"seed":18446744073709551615}`)
	f.Add(`{"kind":"tournament","strategies":["tft","tft"]}`)
	f.Fuzz(func(t *testing.T, body string) {
		r, _ := http.NewRequest("POST", "/", strings.NewReader(body))
		r.Header.Set("Content-Type", "application/json")
		var req jobRequest
		if err := decodeJSON(r, &req); err != nil {
			return
		}
		for _, check := range []func(jobRequest) error{
			func(q jobRequest) error { _, err := simulationArgs(q); return err },
			func(q jobRequest) error { _, err := tournamentArgs(q); return err },
		} {
			if err := check(req); err != nil && apperr.KindOf(err) != apperr.Invalid {
				t.Fatalf("%s: error of kind %v: %v", body, apperr.KindOf(err), err)
			}
		}
	})
}
