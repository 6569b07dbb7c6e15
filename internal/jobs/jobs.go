// Package jobs runs parley's background work — analyses of large texts
// and simulated negotiations — in River, a job queue kept in the same database as the store
// (SQLite or PostgreSQL), so that a job survives a restart and, on
// PostgreSQL, can be worked by any replica.
package jobs

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"
	"github.com/riverqueue/river/riverdriver/riversqlite"
	"github.com/riverqueue/river/rivermigrate"
	"github.com/riverqueue/river/rivertype"

	"parley/internal/apperr"
	"parley/internal/store/sqlite"
)

// AnalysisArgs asks for the analysis of a version of a negotiation as one
// member sees it.
type AnalysisArgs struct {
	Negotiation string `json:"negotiation"`
	Version     string `json:"version"`
	// Account is the member who asked; the job's result is theirs alone.
	Account string `json:"account"`
}

// Kind implements river.JobArgs.
func (AnalysisArgs) Kind() string { return "parley.analysis" }

// SimulationArgs asks for simulated negotiations between automated
// strategies on a version, over the positions one member sees.
type SimulationArgs struct {
	Negotiation string `json:"negotiation"`
	Version     string `json:"version"`
	Account     string `json:"account"`
	// Strategies name one strategy per party (in the order of the
	// analysis's parties), repeated if shorter.
	Strategies []string `json:"strategies"`
	Rounds     int      `json:"rounds"`
	Reps       int      `json:"reps"`
	Seed       uint64   `json:"seed"`
}

// Kind implements river.JobArgs.
func (SimulationArgs) Kind() string { return "parley.simulation" }

// Args is what every job's arguments say: whose it is.
type Args interface {
	river.JobArgs
	owner() (negotiation, account string)
}

func (a AnalysisArgs) owner() (string, string)   { return a.Negotiation, a.Account }
func (a SimulationArgs) owner() (string, string) { return a.Negotiation, a.Account }

// Work is what the queue's workers do: one function per kind of job,
// each returning the job's result as JSON.
type Work struct {
	Analysis   func(ctx context.Context, args AnalysisArgs) (json.RawMessage, error)
	Simulation func(ctx context.Context, args SimulationArgs) (json.RawMessage, error)
}

type worker[T river.JobArgs] struct {
	river.WorkerDefaults[T]
	f func(ctx context.Context, args T) (json.RawMessage, error)
}

func (w *worker[T]) Work(ctx context.Context, job *river.Job[T]) error {
	out, err := w.f(ctx, job.Args)
	if err != nil {
		if k := apperr.KindOf(err); k != apperr.Internal {
			// A problem with the request itself: retrying will not help.
			return river.JobCancel(err)
		}
		return err
	}
	return river.RecordOutput(ctx, out)
}

// Job is a job as the API shows it.
type Job struct {
	ID       int64           `json:"id"`
	Kind     string          `json:"kind"`
	State    string          `json:"state"` // available, running, completed, cancelled, discarded, retryable …
	Created  time.Time       `json:"created"`
	Finished *time.Time      `json:"finished,omitempty"`
	Errors   []string        `json:"errors,omitempty"`
	Result   json.RawMessage `json:"result,omitempty"`
	// Negotiation and Account say whose job it is.
	Negotiation string `json:"-"`
	Account     string `json:"-"`
}

// Queue inserts and reads jobs and works them.
type Queue struct {
	insert func(ctx context.Context, args river.JobArgs) (int64, error)
	get    func(ctx context.Context, id int64) (*rivertype.JobRow, error)
	start  func(ctx context.Context) error
	stop   func(ctx context.Context) error
	close  func()
}

// Enqueue adds a job and returns its id.
func (q *Queue) Enqueue(ctx context.Context, args Args) (int64, error) {
	id, err := q.insert(ctx, args)
	if err != nil {
		return 0, apperr.Wrap("job.enqueue", apperr.Internal, err, "cannot queue the job")
	}
	return id, nil
}

// Job returns a job (NotFound if there is none).
func (q *Queue) Job(ctx context.Context, id int64) (*Job, error) {
	row, err := q.get(ctx, id)
	if errors.Is(err, river.ErrNotFound) {
		return nil, apperr.E("job.get", apperr.NotFound, "no job %d", id)
	}
	if err != nil {
		return nil, apperr.Wrap("job.get", apperr.Internal, err, "cannot read the job")
	}
	j := &Job{ID: row.ID, Kind: row.Kind, State: string(row.State), Created: row.CreatedAt, Finished: row.FinalizedAt}
	var owner struct{ Negotiation, Account string }
	if err := json.Unmarshal(row.EncodedArgs, &owner); err != nil {
		return nil, apperr.Wrap("job.get", apperr.Internal, err, "cannot read the job")
	}
	j.Negotiation, j.Account = owner.Negotiation, owner.Account
	for _, e := range row.Errors {
		j.Errors = append(j.Errors, e.Error)
	}
	if row.State == rivertype.JobStateCompleted {
		j.Result = row.Output()
	}
	return j, nil
}

// Start begins working jobs.
func (q *Queue) Start(ctx context.Context) error { return q.start(ctx) }

// Stop waits for running jobs to finish (until ctx ends) and stops.
func (q *Queue) Stop(ctx context.Context) error {
	err := q.stop(ctx)
	q.close()
	return err
}

// Options tune a queue.
type Options struct {
	// Queue is the name of River's queue to insert into and work (default
	// River's default queue). Processes sharing a database work each
	// other's jobs only within one queue.
	Queue string
	Log   *slog.Logger
}

func (o Options) queue() string {
	if o.Queue == "" {
		return river.QueueDefault
	}
	return o.Queue
}

func newQueue[TTx any](ctx context.Context, driver riverdriver.Driver[TTx], work Work, opt Options, workers int, poll time.Duration) (*river.Client[TTx], error) {
	log := opt.Log
	if log == nil {
		log = slog.Default()
	}
	m, err := rivermigrate.New(driver, &rivermigrate.Config{Logger: log})
	if err != nil {
		return nil, err
	}
	if _, err := m.Migrate(ctx, rivermigrate.DirectionUp, nil); err != nil {
		return nil, fmt.Errorf("job queue migration: %w", err)
	}
	ws := river.NewWorkers()
	if work.Analysis != nil {
		river.AddWorker(ws, &worker[AnalysisArgs]{f: work.Analysis})
	}
	if work.Simulation != nil {
		river.AddWorker(ws, &worker[SimulationArgs]{f: work.Simulation})
	}
	return river.NewClient(driver, &river.Config{
		Queues:            map[string]river.QueueConfig{opt.queue(): {MaxWorkers: workers}},
		Workers:           ws,
		Logger:            log,
		JobTimeout:        5 * time.Minute,
		FetchPollInterval: poll,
		MaxAttempts:       3,
	})
}

// OpenSQLite opens the job queue in the SQLite file of the store. River
// gets a connection of its own.
func OpenSQLite(ctx context.Context, file string, work Work, opt Options) (*Queue, error) {
	db, err := sql.Open("sqlite", sqlite.WriterDSN(file))
	if err != nil {
		return nil, err
	}
	db.SetMaxOpenConns(1) // River's advice for SQLite
	c, err := newQueue(ctx, riversqlite.New(db), work, opt, 1, 200*time.Millisecond)
	if err != nil {
		db.Close()
		return nil, err
	}
	return &Queue{
		insert: func(ctx context.Context, a river.JobArgs) (int64, error) {
			r, err := c.Insert(ctx, a, &river.InsertOpts{Queue: opt.queue()})
			if err != nil {
				return 0, err
			}
			return r.Job.ID, nil
		},
		get: c.JobGet, start: c.Start, stop: c.Stop, close: func() { db.Close() },
	}, nil
}

// OpenPostgres opens the job queue in the PostgreSQL database of the
// store; every replica works jobs.
func OpenPostgres(ctx context.Context, dsn string, work Work, opt Options) (*Queue, error) {
	pool, err := pgxpool.New(ctx, dsn)
	if err != nil {
		return nil, err
	}
	c, err := newQueue(ctx, riverpgxv5.New(pool), work, opt, 2, time.Second)
	if err != nil {
		pool.Close()
		return nil, err
	}
	return &Queue{
		insert: func(ctx context.Context, a river.JobArgs) (int64, error) {
			r, err := c.Insert(ctx, a, &river.InsertOpts{Queue: opt.queue()})
			if err != nil {
				return 0, err
			}
			return r.Job.ID, nil
		},
		get: c.JobGet, start: c.Start, stop: c.Stop, close: pool.Close,
	}, nil
}
