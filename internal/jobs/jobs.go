// Package jobs runs parley's background work — analyses of large texts,
// simulated negotiations and tournaments of strategies — in River, a job queue kept in the same database as the store
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
	"sync"
	"sync/atomic"
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

// TournamentArgs asks for a round robin of automated strategies on a
// version, over the positions one member sees: every assignment of the
// strategies to the parties, Reps times each.
type TournamentArgs struct {
	Negotiation string   `json:"negotiation"`
	Version     string   `json:"version"`
	Account     string   `json:"account"`
	Strategies  []string `json:"strategies"`
	Rounds      int      `json:"rounds"`
	Reps        int      `json:"reps"`
	Seed        uint64   `json:"seed"`
}

// Kind implements river.JobArgs.
func (TournamentArgs) Kind() string { return "parley.tournament" }

// Args is what every job's arguments say: whose it is.
type Args interface {
	river.JobArgs
	owner() (negotiation, account string)
}

func (a AnalysisArgs) owner() (string, string)   { return a.Negotiation, a.Account }
func (a SimulationArgs) owner() (string, string) { return a.Negotiation, a.Account }
func (a TournamentArgs) owner() (string, string) { return a.Negotiation, a.Account }

// The kinds of job, as the API names them: what a client sends to queue
// one and reads back in Job.Kind.
const (
	KindAnalysis   = "analysis"
	KindSimulation = "simulation"
	KindTournament = "tournament"
)

// apiKinds maps River's name of each kind of job (the Kind of its
// arguments, prefixed so as not to clash with other users of the queue) to
// the API's.
var apiKinds = map[string]string{
	AnalysisArgs{}.Kind():   KindAnalysis,
	SimulationArgs{}.Kind(): KindSimulation,
	TournamentArgs{}.Kind(): KindTournament,
}

// kinds are the kinds of job this package runs, as River names them.
var kinds = []string{AnalysisArgs{}.Kind(), SimulationArgs{}.Kind(), TournamentArgs{}.Kind()}

// kindOf returns the API's name of a kind River names k.
func kindOf(k string) string {
	if n, ok := apiKinds[k]; ok {
		return n
	}
	return k
}

// Progress is how far a running job has got, in the units of its work
// (negotiations played, for a simulation or a tournament).
type Progress struct {
	Done  int `json:"done"`
	Total int `json:"total"`
}

// progressEvery is how often, at most, a job's progress is written to the
// database.
const progressEvery = 500 * time.Millisecond

// Work is what the queue's workers do: one function per kind of job,
// each returning the job's result as JSON. Simulations and tournaments
// report their progress as they go (progress may be called from several
// goroutines at once).
type Work struct {
	Analysis   func(ctx context.Context, args AnalysisArgs) (json.RawMessage, error)
	Simulation func(ctx context.Context, args SimulationArgs, progress func(done, total int)) (json.RawMessage, error)
	Tournament func(ctx context.Context, args TournamentArgs, progress func(done, total int)) (json.RawMessage, error)
}

// updater writes a running job's output; it is set once the River client
// exists.
type updater struct {
	update func(ctx context.Context, id int64, output any) error
}

type worker[T river.JobArgs] struct {
	river.WorkerDefaults[T]
	f       func(ctx context.Context, args T, progress func(done, total int)) (json.RawMessage, error)
	timeout time.Duration
	out     *updater
}

// without adapts work that reports no progress.
func without[T any](f func(ctx context.Context, args T) (json.RawMessage, error)) func(context.Context, T, func(int, int)) (json.RawMessage, error) {
	return func(ctx context.Context, args T, _ func(int, int)) (json.RawMessage, error) { return f(ctx, args) }
}

// Timeout implements river.Worker: 0 leaves River's default.
func (w *worker[T]) Timeout(*river.Job[T]) time.Duration { return w.timeout }

func (w *worker[T]) Work(ctx context.Context, job *river.Job[T]) error {
	// Progress goes into the job's output while it runs, written at most
	// every progressEvery and never twice at once; the result replaces it.
	var mu sync.Mutex
	var last time.Time
	var total atomic.Int64 // the last total reported; 0 for none
	progress := func(done, n int) {
		total.Store(int64(n))
		if !mu.TryLock() {
			return
		}
		defer mu.Unlock()
		if time.Since(last) < progressEvery && done < n {
			return
		}
		last = time.Now()
		w.out.update(ctx, job.ID, map[string]Progress{"progress": {done, n}})
	}
	out, err := w.f(ctx, job.Args, progress)
	if err == nil && ctx.Err() != nil {
		// Cancelled or timed out with a partial result: not completed.
		err = ctx.Err()
	}
	if err != nil {
		if k := apperr.KindOf(err); k != apperr.Internal {
			// A problem with the request itself: retrying will not help.
			return river.JobCancel(err)
		}
		return err
	}
	if n := int(total.Load()); n > 0 {
		// Work that reported progress keeps it, all done, beside its result.
		return river.RecordOutput(ctx, completed{Progress: &Progress{n, n}, Result: out})
	}
	return river.RecordOutput(ctx, completed{Result: out})
}

// completed is the output of a completed job: its result and, for work
// that reports it, its progress (done = total). A job completed before
// progress was kept has its result alone as output.
type completed struct {
	Progress *Progress       `json:"progress,omitempty"`
	Result   json.RawMessage `json:"result"`
}

// completedOf reads a completed job's output: the result and the progress
// of an output written as completed, or the whole output as the result.
func completedOf(out []byte) completed {
	var keys map[string]json.RawMessage
	if json.Unmarshal(out, &keys) == nil {
		if _, ok := keys["result"]; ok {
			onlyOurs := true
			for k := range keys {
				onlyOurs = onlyOurs && (k == "result" || k == "progress")
			}
			var c completed
			if onlyOurs && json.Unmarshal(out, &c) == nil {
				return c
			}
		}
	}
	return completed{Result: out}
}

// Job is a job as the API shows it.
type Job struct {
	ID int64 `json:"id"`
	// Kind is the kind of job as the API names it: analysis, simulation
	// or tournament.
	Kind     string     `json:"kind"`
	State    string     `json:"state"` // available, running, completed, cancelled, discarded, retryable …
	Created  time.Time  `json:"created"`
	Finished *time.Time `json:"finished,omitempty"`
	Errors   []string   `json:"errors,omitempty"`
	// Progress is how far the work had got when last reported, for a
	// job that reports it; once completed, done = total.
	Progress *Progress       `json:"progress,omitempty"`
	Result   json.RawMessage `json:"result,omitempty"`
	// Negotiation and Account say whose job it is.
	Negotiation string `json:"-"`
	Account     string `json:"-"`
}

// Queue inserts and reads jobs and works them.
type Queue struct {
	insert func(ctx context.Context, args river.JobArgs) (int64, error)
	get    func(ctx context.Context, id int64) (*rivertype.JobRow, error)
	list   func(ctx context.Context, p *river.JobListParams) (*river.JobListResult, error)
	cancel func(ctx context.Context, id int64) (*rivertype.JobRow, error)
	name   string // River's queue
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
	return jobOf(row)
}

func jobOf(row *rivertype.JobRow) (*Job, error) {
	j := &Job{ID: row.ID, Kind: kindOf(row.Kind), State: string(row.State), Created: row.CreatedAt, Finished: row.FinalizedAt}
	var owner struct{ Negotiation, Account string }
	if err := json.Unmarshal(row.EncodedArgs, &owner); err != nil {
		return nil, apperr.Wrap("job.get", apperr.Internal, err, "cannot read the job")
	}
	j.Negotiation, j.Account = owner.Negotiation, owner.Account
	for _, e := range row.Errors {
		j.Errors = append(j.Errors, e.Error)
	}
	if row.State == rivertype.JobStateCompleted {
		c := completedOf(row.Output())
		j.Result, j.Progress = c.Result, c.Progress
	} else if out := row.Output(); out != nil {
		var p struct{ Progress *Progress }
		if json.Unmarshal(out, &p) == nil {
			j.Progress = p.Progress
		}
	}
	return j, nil
}

// MaxList is the most jobs List returns.
const MaxList = 100

// List returns the jobs of an account in a negotiation, newest first, at
// most MaxList of them.
func (q *Queue) List(ctx context.Context, negotiation, account string) ([]*Job, error) {
	// The arguments are JSON in both databases; ->> with a key reads a
	// field in PostgreSQL and SQLite alike.
	p := river.NewJobListParams().Queues(q.name).Kinds(kinds...).
		Where("args ->> 'negotiation' = @negotiation AND args ->> 'account' = @account", river.NamedArgs{"negotiation": negotiation, "account": account}).
		OrderBy(river.JobListOrderByID, river.SortOrderDesc).First(MaxList)
	res, err := q.list(ctx, p)
	if err != nil {
		return nil, apperr.Wrap("job.list", apperr.Internal, err, "cannot list the jobs")
	}
	js := []*Job{}
	for _, row := range res.Jobs {
		j, err := jobOf(row)
		if err != nil {
			return nil, err
		}
		js = append(js, j)
	}
	return js, nil
}

// Cancel cancels a job: one waiting never runs; one running has its
// context cancelled (at once on PostgreSQL, within seconds on SQLite,
// where River polls for it) and ends cancelled, with the progress it had
// made. A job that has finished is left as it is. It returns the job.
func (q *Queue) Cancel(ctx context.Context, id int64) (*Job, error) {
	row, err := q.cancel(ctx, id)
	if errors.Is(err, river.ErrNotFound) {
		return nil, apperr.E("job.cancel", apperr.NotFound, "no job %d", id)
	}
	if err != nil {
		return nil, apperr.Wrap("job.cancel", apperr.Internal, err, "cannot cancel the job")
	}
	return jobOf(row)
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
	out := &updater{update: func(context.Context, int64, any) error { return nil }}
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
		river.AddWorker(ws, &worker[AnalysisArgs]{f: without(work.Analysis), out: out})
	}
	if work.Simulation != nil {
		river.AddWorker(ws, &worker[SimulationArgs]{f: work.Simulation, out: out})
	}
	if work.Tournament != nil {
		river.AddWorker(ws, &worker[TournamentArgs]{f: work.Tournament, timeout: 30 * time.Minute, out: out})
	}
	c, err := river.NewClient(driver, &river.Config{
		Queues:            map[string]river.QueueConfig{opt.queue(): {MaxWorkers: workers}},
		Workers:           ws,
		Logger:            log,
		JobTimeout:        5 * time.Minute,
		FetchPollInterval: poll,
		MaxAttempts:       3,
	})
	if err != nil {
		return nil, err
	}
	out.update = func(ctx context.Context, id int64, output any) error {
		_, err := c.JobUpdate(ctx, id, &river.JobUpdateParams{Output: output})
		return err
	}
	return c, nil
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
		get: c.JobGet, list: c.JobList, cancel: c.JobCancel, name: opt.queue(),
		start: c.Start, stop: c.Stop, close: func() { db.Close() },
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
		get: c.JobGet, list: c.JobList, cancel: c.JobCancel, name: opt.queue(),
		start: c.Start, stop: c.Stop, close: pool.Close,
	}, nil
}
