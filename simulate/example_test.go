package simulate_test

import (
	"context"
	"fmt"
	"log"

	"parley/analysis"
	"parley/simulate"
)

// Halfway holds out for its best package until half time, then settles for
// half of what it could gain over no agreement.
type Halfway struct {
	self *simulate.Self
	pkg  analysis.Package
}

func (h *Halfway) Begin(self *simulate.Self) error {
	h.self = self
	h.pkg = make(analysis.Package, len(self.Options))
	return nil
}

func (h *Halfway) Act(t *simulate.Turn) (simulate.Action, error) {
	best, _, ok := h.self.Max()
	if !ok {
		// Every package crosses one of its red lines.
		return simulate.Action{Move: simulate.Leave}, nil
	}
	target := best
	if t.Time >= 0.5 {
		floor := h.self.Floor(t.OfferTime)
		target = floor + (best-floor)/2
	}
	if t.Offer != nil && h.self.Utility(t.Offer) >= max(target, h.self.Floor(t.AgreeTime)) {
		return simulate.Action{Move: simulate.Accept}, nil
	}
	h.self.Nearest(target, h.pkg) // the package closest above the target
	return simulate.Action{Move: simulate.Offer, Package: h.pkg}, nil
}

// A buyer and a seller bargain over price and delivery.
func bargain() *analysis.Problem {
	opt := func(id string, buyer, seller float64) analysis.Option {
		return analysis.Option{Choices: []string{id}, Utility: []float64{buyer, seller}}
	}
	return &analysis.Problem{
		Parties:     []string{"buyer", "seller"},
		Reservation: []float64{0.2, 0.2},
		Issues: []analysis.Issue{
			{Points: []string{"price"}, Options: []analysis.Option{
				opt("low", 0.6, 0), opt("mid", 0.3, 0.3), opt("high", 0, 0.6)}},
			{Points: []string{"delivery"}, Options: []analysis.Option{
				opt("fast", 0.4, 0), opt("slow", 0, 0.4)}},
		},
	}
}

func Example_customStrategy() {
	d, err := simulate.NewDomain("bargain", bargain(), nil)
	if err != nil {
		log.Fatal(err)
	}
	conceder, err := simulate.Lookup("conceder")
	if err != nil {
		log.Fatal(err)
	}
	res, err := simulate.Negotiate(context.Background(), d,
		[]simulate.Strategy{&Halfway{}, conceder()}, simulate.Options{Rounds: 100, Seed: 1})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(res.End, "in round", res.Round)
	fmt.Println(d.Problem.Choices(res.Package))
	fmt.Printf("buyer %.2f, seller %.2f\n", res.Utilities[0], res.Utilities[1])
	// Output:
	// agreement in round 54
	// map[delivery:slow price:low]
	// buyer 0.60, seller 0.40
}

func ExampleTournament() {
	d, err := simulate.NewDomain("bargain", bargain(), nil)
	if err != nil {
		log.Fatal(err)
	}
	var entries []simulate.Entry
	for _, name := range []string{"boulware", "conceder"} {
		f, err := simulate.Lookup(name)
		if err != nil {
			log.Fatal(err)
		}
		entries = append(entries, simulate.Entry{Name: name, New: f})
	}
	entries = append(entries, simulate.Entry{Name: "halfway", New: func() simulate.Strategy { return &Halfway{} }})
	t := &simulate.Tournament{Domains: []*simulate.Domain{d}, Strategies: entries, Reps: 5, Rounds: 100, Seed: 1}
	rep, err := t.Run(context.Background())
	if err != nil {
		log.Fatal(err)
	}
	for _, a := range rep.ByStrategy {
		fmt.Printf("%-8s agreed %.2f, utility %.2f\n", a.Name, a.Agreement.Mean, a.Utility.Mean)
	}
	// Output:
	// boulware agreed 1.00, utility 0.53
	// conceder agreed 1.00, utility 0.40
	// halfway  agreed 0.67, utility 0.47
}
