package main

import (
	"parley/simulate"
)

// closedZone says why no negotiation over d can end in an agreement that
// every party prefers to none, or returns "" when one can.
func closedZone(d *simulate.Domain) string {
	ref := d.Reference
	if ref == nil {
		return ""
	}
	if len(ref.Frontier) == 0 {
		return "no package is acceptable to all parties, so every negotiation ends without agreement"
	}
	res := d.Problem.Reservation
	for _, u := range ref.Frontier {
		ok := true
		for k, v := range u {
			if k < len(res) && v < res[k]-1e-9 {
				ok = false
				break
			}
		}
		if ok {
			return ""
		}
	}
	if ref.Epsilon > 0 {
		return ""
	}
	return "no package acceptable to all gives every party its reservation value (the zone of agreement is closed): parties that never accept less than no agreement do not agree"
}
