package main

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"parley/examples"
	"parley/internal/apperr"
	"parley/internal/jobs"
	"parley/internal/server"
	"parley/internal/store"
	"parley/internal/store/postgres"
	"parley/internal/store/sqlite"
	"parley/internal/web"
	"parley/scenario"
)

func init() {
	register(&command{
		name:    "serve",
		summary: "serve negotiations over HTTP: versions, positions, amendments",
		usage: `Usage: parley serve [flags]

Serves the negotiation API (docs/api.md, docs/server.md): a mediator shares
versions of the text with chosen parties, parties keep confidential
positions and propose amendments, and a sealed vote asks all to commit.

On first start parley loads its default scenario with demo accounts (a
mediator, one delegate per party and an observer) and prints a one-time
sign-in code for each; later starts print fresh codes.

Flags:
  --addr HOST:PORT     listen address (default 127.0.0.1:8080); an address
                       beyond loopback needs an administrator (--admin)
  --db PATH|URL        SQLite file (default parley.db) or postgres://…
  --admin NAME         make sure an administrator account NAME exists; its
                       password is $PARLEY_ADMIN_PASSWORD, else a one-time
                       sign-in code is printed
  --tls-cert FILE      serve HTTPS with this certificate …
  --tls-key FILE       … and key (session cookies are then Secure)
  --no-demo            do not load the demo negotiation or print its codes
  --log-level LEVEL    debug, info (default), warn or error

Examples:
  parley serve
  parley serve --addr 127.0.0.1:9000 --db /var/lib/parley/parley.db
  parley serve --db postgres://parley@db.internal/parley --addr 0.0.0.0:8443 \
      --admin alice --tls-cert cert.pem --tls-key key.pem
`,
		run: runServe,
	})
}

// serveConfig is the configuration of "parley serve".
type serveConfig struct {
	addr, db, admin    string
	tlsCert, tlsKey    string
	demo               bool
	logLevel           slog.Level
	adminPassword      string
	shutdownGrace      time.Duration
	ready              func(addr string) // called once listening (tests)
	stdout, logsWriter io.Writer
}

func runServe(ctx context.Context, e *env, args []string) error {
	c := commands["serve"]
	fs := newFlags(c, e)
	cfg := serveConfig{stdout: e.stdout, logsWriter: e.stderr, shutdownGrace: 10 * time.Second}
	fs.StringVar(&cfg.addr, "addr", "127.0.0.1:8080", "")
	fs.StringVar(&cfg.db, "db", "parley.db", "")
	fs.StringVar(&cfg.admin, "admin", "", "")
	fs.StringVar(&cfg.tlsCert, "tls-cert", "", "")
	fs.StringVar(&cfg.tlsKey, "tls-key", "", "")
	noDemo := fs.Bool("no-demo", false, "")
	level := fs.String("log-level", "info", "")
	rest, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(rest) > 0 {
		return usagef("serve takes no arguments, got %q", rest)
	}
	cfg.demo = !*noDemo
	if err := cfg.logLevel.UnmarshalText([]byte(*level)); err != nil {
		return usagef("--log-level must be debug, info, warn or error, got %q", *level)
	}
	if (cfg.tlsCert == "") != (cfg.tlsKey == "") {
		return usagef("--tls-cert and --tls-key go together")
	}
	if _, _, err := net.SplitHostPort(cfg.addr); err != nil {
		return usagef("--addr must be HOST:PORT: %v", err)
	}
	cfg.adminPassword = os.Getenv("PARLEY_ADMIN_PASSWORD")
	ctx, stop := signal.NotifyContext(ctx, syscall.SIGTERM, os.Interrupt)
	defer stop()
	return serve(ctx, cfg)
}

// openStore opens the database named by db: a postgres:// URL or a
// SQLite file.
func openStore(ctx context.Context, db string) (store.Store, string, error) {
	if strings.HasPrefix(db, "postgres://") || strings.HasPrefix(db, "postgresql://") {
		st, err := postgres.Open(ctx, db)
		return st, "PostgreSQL", err
	}
	st, err := sqlite.Open(ctx, db)
	return st, "SQLite " + db, err
}

// openJobs opens the job queue in the store's database.
func openJobs(ctx context.Context, cfg serveConfig, srv *server.Server) (*jobs.Queue, error) {
	level := cfg.logLevel
	if level < slog.LevelWarn {
		level = slog.LevelWarn
	}
	log := slog.New(slog.NewTextHandler(cfg.logsWriter, &slog.HandlerOptions{Level: level}))
	if strings.HasPrefix(cfg.db, "postgres://") || strings.HasPrefix(cfg.db, "postgresql://") {
		return jobs.OpenPostgres(ctx, cfg.db, srv.Work(), jobs.Options{Log: log})
	}
	return jobs.OpenSQLite(ctx, cfg.db, srv.Work(), jobs.Options{Log: log})
}

// loopback reports whether addr listens on loopback only.
func loopback(addr string) bool {
	host, _, _ := net.SplitHostPort(addr)
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

func serve(ctx context.Context, cfg serveConfig) error {
	log := slog.New(slog.NewTextHandler(cfg.logsWriter, &slog.HandlerOptions{Level: cfg.logLevel}))
	st, dbName, err := openStore(ctx, cfg.db)
	if err != nil {
		return err
	}
	defer st.Close()
	srv := server.New(st, server.Config{Secure: cfg.tlsCert != "", Log: log})
	q, err := openJobs(ctx, cfg, srv)
	if err != nil {
		return err
	}
	if err := q.Start(context.WithoutCancel(ctx)); err != nil {
		return fmt.Errorf("job queue: %w", err)
	}
	defer func() {
		sctx, cancel := context.WithTimeout(context.Background(), cfg.shutdownGrace)
		defer cancel()
		q.Stop(sctx)
	}()
	srv.SetJobs(q)
	srv.Mount(web.New(srv, web.Config{Log: log, StatusOf: server.StatusOf}))

	var notes []string
	if cfg.admin != "" {
		note, err := ensureAdmin(ctx, st, cfg.admin, cfg.adminPassword)
		if err != nil {
			return err
		}
		notes = append(notes, note)
	}
	if !loopback(cfg.addr) {
		if _, admins, err := st.Accounts(ctx); err != nil {
			return err
		} else if admins == 0 {
			return usagef("refusing to listen on %s, beyond loopback, without an administrator: add --admin NAME", cfg.addr)
		}
	}
	var demo []demoSignIn
	if cfg.demo {
		if demo, err = setUpDemo(ctx, st, srv); err != nil {
			return fmt.Errorf("demo negotiation: %w", err)
		}
	}

	ln, err := net.Listen("tcp", cfg.addr)
	if err != nil {
		return err
	}
	scheme := "http"
	hs := &http.Server{Handler: srv, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 60 * time.Second,
		WriteTimeout: 120 * time.Second, IdleTimeout: 120 * time.Second, MaxHeaderBytes: 64 << 10,
		ErrorLog: slog.NewLogLogger(log.Handler(), slog.LevelWarn)}
	if cfg.tlsCert != "" {
		cert, err := tls.LoadX509KeyPair(cfg.tlsCert, cfg.tlsKey)
		if err != nil {
			ln.Close()
			return badInput(fmt.Errorf("--tls-cert/--tls-key: %w", err))
		}
		hs.TLSConfig = &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}
		ln = tls.NewListener(ln, hs.TLSConfig)
		scheme = "https"
	}
	url := scheme + "://" + ln.Addr().String()
	fmt.Fprintf(cfg.stdout, "parley serve: %s (database: %s)\n", url, dbName)
	for _, n := range notes {
		fmt.Fprintln(cfg.stdout, n)
	}
	printDemo(cfg.stdout, url, demo)
	if cfg.ready != nil {
		cfg.ready(ln.Addr().String())
	}

	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	log.Info("shutting down: finishing requests in flight")
	sctx, cancel := context.WithTimeout(context.Background(), cfg.shutdownGrace)
	defer cancel()
	if err := hs.Shutdown(sctx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// ensureAdmin makes sure an administrator named name exists.
func ensureAdmin(ctx context.Context, st store.Store, name, password string) (string, error) {
	a, err := st.AccountByName(ctx, name)
	switch {
	case err == nil && !a.Admin:
		return "", usagef("--admin %s: an account of that name exists and is not an administrator", name)
	case err == nil:
		if password != "" {
			if err := st.SetPassword(ctx, a.ID, server.HashPassword(password)); err != nil {
				return "", err
			}
		}
		return fmt.Sprintf("administrator: %s", name), nil
	case !apperr.Is(err, apperr.NotFound):
		return "", err
	}
	a = &store.Account{ID: server.NewSecret("acc_")[:20], Name: name, Admin: true}
	if password != "" {
		a.PasswordHash = server.HashPassword(password)
	}
	if err := st.CreateAccount(ctx, a); err != nil {
		return "", err
	}
	if password != "" {
		return fmt.Sprintf("administrator %s created with the password in $PARLEY_ADMIN_PASSWORD", name), nil
	}
	code, _, err := server.IssueToken(ctx, st, a, store.TokenSignIn, 24*time.Hour)
	if err != nil {
		return "", err
	}
	return fmt.Sprintf("administrator %s created; one-time sign-in code: %s", name, code), nil
}

// demoAccounts are the demo negotiation's members: name, role, party.
var demoAccounts = [][3]string{
	{"mediator", "mediator", "us"},
	{"ukraine", "party", "ua"},
	{"russia", "party", "ru"},
	{"europe", "party", "e3"},
	{"observer", "observer", ""},
}

type demoSignIn struct{ name, role, party, code string }

// setUpDemo loads the default scenario with demo accounts if it is not
// there yet, and issues a fresh one-time sign-in code for each demo
// account.
func setUpDemo(ctx context.Context, st store.Store, srv *server.Server) ([]demoSignIn, error) {
	sc, err := scenario.Load(examples.DefaultName, examples.Default)
	if err != nil {
		return nil, err
	}
	accts := map[string]*store.Account{}
	for _, d := range demoAccounts {
		a, err := st.AccountByName(ctx, d[0])
		if apperr.Is(err, apperr.NotFound) {
			a = &store.Account{ID: "demo-" + d[0], Name: d[0]}
			err = st.CreateAccount(ctx, a)
		}
		if err != nil {
			return nil, err
		}
		accts[d[0]] = a
	}
	if _, err := st.Rev(ctx, sc.ID); apperr.Is(err, apperr.NotFound) {
		if _, err := srv.Service().Create(ctx, accts["mediator"], sc); err != nil {
			return nil, err
		}
		for _, d := range demoAccounts[1:] {
			m := store.Member{Account: accts[d[0]].ID, Role: d[1], Party: d[2]}
			if err := srv.Service().AddMember(ctx, accts["mediator"], sc.ID, m); err != nil {
				return nil, err
			}
		}
	} else if err != nil {
		return nil, err
	}
	var out []demoSignIn
	for _, d := range demoAccounts {
		code, _, err := server.IssueToken(ctx, st, accts[d[0]], store.TokenSignIn, 24*time.Hour)
		if err != nil {
			return nil, err
		}
		out = append(out, demoSignIn{d[0], d[1], d[2], code})
	}
	return out, nil
}

func printDemo(w io.Writer, url string, demo []demoSignIn) {
	if len(demo) == 0 {
		return
	}
	fmt.Fprintf(w, "\nDemo negotiation: %s/api/negotiations/ukraine-2025\n", url)
	fmt.Fprintf(w, "In a browser: %s/signin\n", url)
	fmt.Fprintln(w, "One-time sign-in codes (each works once, for 24 hours):")
	for _, d := range demo {
		who := d.role
		if d.party != "" {
			who += " for " + d.party
		}
		fmt.Fprintf(w, "  %-9s %-17s %s\n", d.name, who, d.code)
	}
	fmt.Fprintf(w, "\nExchange a code for an API token:\n  curl -s -H 'Content-Type: application/json' \\\n    -d '{\"code\":\"CODE\",\"token\":true}' %s/api/login\n", url)
}
