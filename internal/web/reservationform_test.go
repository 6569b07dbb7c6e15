package web

import (
	"errors"
	"net/url"
	"testing"

	"parley/internal/apperr"
)

// FuzzReservationForm feeds the reservation form any body: it never
// panics, accepts only a value in [0,1], and refuses
// anything else with an invalid-input error naming the field.
func FuzzReservationForm(f *testing.F) {
	for _, s := range []string{"value=0.3", "value=0.37&shared=on&rev=4", "value=1.5", "value=NaN", "value=-0", "value=%20.5%20&rev=-3", "value=1e-400", "value=0x1p-2", "rev=9999999999999999999999"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		q, err := url.ParseQuery(raw)
		if err != nil {
			return
		}
		doc, _, err := reservationForm(q, "reservation value of ru")
		if err != nil {
			var ae *apperr.Error
			if !errors.As(err, &ae) || ae.Kind != apperr.Invalid || len(ae.Fields) != 1 || ae.Fields[0].Path != "reservation value of ru" {
				t.Errorf("%q: error %v does not name the field", raw, err)
			}
			return
		}
		if !(doc.Value >= 0 && doc.Value <= 1) {
			t.Errorf("%q: accepted value %v", raw, doc.Value)
		}
		if doc.Shared != (q.Get("shared") == "on") {
			t.Errorf("%q: shared is %v", raw, doc.Shared)
		}
	})
}
