package negotiation

import (
	"context"
	"time"

	"parley/internal/apperr"
)

// Names returns the display name of each account id, for pages and
// answers that say who did something: the name people know (mediator,
// ukraine) rather than the account's id. An account without a name, or
// one the store no longer has, is named by its id.
func (s *Service) Names(ctx context.Context, ids ...string) (map[string]string, error) {
	out := make(map[string]string, len(ids))
	for _, id := range ids {
		if _, ok := out[id]; ok || id == "" {
			continue
		}
		a, err := s.Store.Account(ctx, id)
		switch {
		case apperr.Is(err, apperr.NotFound):
			out[id] = id
		case err != nil:
			return nil, err
		case a.Name == "":
			out[id] = id
		default:
			out[id] = a.Name
		}
	}
	return out, nil
}

// Today is the date on the service's clock, in UTC and the scenario's
// date format (YYYY-MM-DD): the date a new draft takes unless its author
// gives one.
func (s *Service) Today() string {
	return s.now().UTC().Format(time.DateOnly)
}
