package analysis

import (
	"context"
	"errors"
	"testing"
	"time"
)

// TestCancellation starts long computations with a deadline of 50 ms: each
// must stop soon after it with the context's error. The allowance past the
// deadline is generous because test machines are shared; the promise is
// 100 ms on an idle one.
func TestCancellation(t *testing.T) {
	if testing.Short() {
		t.Skip("builds large problems")
	}
	for _, c := range []struct {
		name string
		// prep builds the problem, outside the clock, and returns the
		// computation.
		prep func() func(ctx context.Context) error
	}{
		{"exact frontier", func() func(context.Context) error {
			p := randomProblem(1, 4, 28, 4)
			return func(ctx context.Context) error {
				_, err := Frontier(ctx, p, FrontierOptions{Limit: 1 << 30})
				return err
			}
		}},
		{"five-party frontier", func() func(context.Context) error {
			p := randomProblem(1, 5, 28, 4)
			return func(ctx context.Context) error {
				_, err := Frontier(ctx, p, FrontierOptions{Epsilon: 0.01})
				return err
			}
		}},
		{"full analysis", func() func(context.Context) error {
			p := randomProblem(1, 4, 28, 4)
			return func(ctx context.Context) error {
				_, err := Analyze(ctx, p, Options{})
				return err
			}
		}},
		{"linked points", func() func(context.Context) error {
			p := linkedProblem(1, 3, 16, 4, 8)
			return func(ctx context.Context) error {
				_, err := Analyze(ctx, p, Options{})
				return err
			}
		}},
		{"weight sensitivity", func() func(context.Context) error {
			p := randomProblem(1, 4, 28, 4)
			sol, err := Solve(context.Background(), p, nil)
			if err != nil {
				t.Fatal(err)
			}
			return func(ctx context.Context) error {
				_, _, err := WeightSensitivity(ctx, p, nil, sol.Nash)
				return err
			}
		}},
	} {
		t.Run(c.name, func(t *testing.T) {
			run := c.prep()
			ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
			defer cancel()
			start := time.Now()
			err := run(ctx)
			took := time.Since(start)
			if err == nil && took < 50*time.Millisecond {
				return // done before the deadline
			}
			if !errors.Is(err, context.DeadlineExceeded) {
				t.Fatalf("error %v after %v, want the deadline's", err, took)
			}
			if took > 2*time.Second {
				t.Fatalf("stopped %v after the start, deadline 50ms", took)
			}
		})
	}
}
