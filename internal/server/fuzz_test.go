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
