// Command server runs the ${{ values.name }} HTTP service.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"runtime"
	"strconv"
	"sync/atomic"
	"syscall"
	"time"

	"${{ values.goModule }}/internal/config"
	"${{ values.goModule }}/internal/httpapi"
{%- if not values.database %}
	"${{ values.goModule }}/internal/items"
{%- endif %}
	"${{ values.goModule }}/internal/logging"
	"${{ values.goModule }}/internal/metrics"
{%- if values.database %}
	"${{ values.goModule }}/internal/postgres"
{%- endif %}
)

// version is set at build time: go build -ldflags "-X main.version=1.2.3".
var version = "dev"

// serviceName names the service in logs and database sessions.
const serviceName = "${{ values.name }}"

{%- if values.database %}

// databaseWait is how long start-up waits for PostgreSQL, which is often
// still starting when it is deployed together with the service. It is shorter
// than the chart's startup probe budget (30 x 2s): the service exits with its
// own error message before the kubelet restarts it.
const databaseWait = 45 * time.Second
{%- endif %}

{%- if values.database %}

// migrate applies the pending schema migrations and logs what it applied.
func migrate(ctx context.Context, databaseURL string, logger *slog.Logger) error {
	logger.Info("migrating", "service", serviceName, "version", version)
	pool, err := postgres.Connect(ctx, databaseURL, serviceName+"-migrate", databaseWait, logger)
	if err != nil {
		return err
	}
	defer pool.Close()
	applied, err := postgres.Migrate(ctx, pool)
	if err != nil {
		return err
	}
	logger.Info("database schema up to date", "applied_migrations", applied)
	return nil
}
{%- endif %}

// errShuttingDown makes /readyz fail while the server drains.
var errShuttingDown = errors.New("shutting down")

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	// After the first signal, a second one kills the process at once.
	context.AfterFunc(ctx, stop)

	if err := run(ctx, os.Args[1:], os.LookupEnv, os.Stdout); err != nil {
		// Also reached for invalid configuration, before LOG_LEVEL is known.
		slog.New(slog.NewJSONHandler(os.Stderr, nil)).Error("server failed",
			"service", serviceName, "version", version, "error", err)
		os.Exit(1)
	}
}

// run starts the service and blocks until ctx is cancelled and the server has
// shut down, or until it fails.{% if values.database %} With the argument "migrate" it applies the
// pending schema migrations and returns instead (the chart's migration Job runs
// it before each release's pods start).{% endif %}
func run(ctx context.Context, args []string, lookupEnv func(string) (string, bool), logOutput io.Writer) error {
{%- if values.database %}
	command := "serve"
	if len(args) > 0 {
		command = args[0]
	}
	if (command != "serve" && command != "migrate") || len(args) > 1 {
		return fmt.Errorf("usage: server [serve|migrate], got %q", args)
	}
{%- else %}
	if len(args) > 0 && (args[0] != "serve" || len(args) > 1) {
		return fmt.Errorf("usage: server [serve], got %q", args)
	}
{%- endif %}
	cfg, err := config.Load(lookupEnv)
	if err != nil {
		return fmt.Errorf("invalid configuration: %w", err)
	}
	logger := logging.New(logOutput, cfg.LogLevel)
	slog.SetDefault(logger)
	ver := version
	if ver == "" {
		ver = "dev"
	}
{%- if values.database %}
	if command == "migrate" {
		return migrate(ctx, cfg.DatabaseURL, logger)
	}
{%- endif %}
	logger.Info("starting", "service", serviceName, "version", ver, "go_version", runtime.Version(), "config", cfg)

	reg := metrics.NewRegistry(ver)
	var draining atomic.Bool
{%- if values.database %}

	pool, err := postgres.Connect(ctx, cfg.DatabaseURL, serviceName, databaseWait, logger)
	if err != nil {
		return err
	}
	defer pool.Close()
	// The service never migrates: the migration Job did before this release's pods
	// started. A schema without this build's migrations means it did not run.
	pending, err := postgres.Pending(ctx, pool)
	if err != nil {
		return err
	}
	if len(pending) > 0 {
		return fmt.Errorf("the database lacks migrations %v of this build: run `server migrate` first (in Kubernetes the chart's migration Job does)", pending)
	}
	store := postgres.NewItemStore(pool)
	ready := func(ctx context.Context) error {
		if draining.Load() {
			return errShuttingDown
		}
		return pool.Ping(ctx)
	}
{%- else %}

	store := items.NewMemoryStore()
	ready := func(context.Context) error {
		if draining.Load() {
			return errShuttingDown
		}
		return nil
	}
{%- endif %}

	srv := &http.Server{
		Addr: net.JoinHostPort("", strconv.Itoa(cfg.Port)),
		Handler: httpapi.New(httpapi.Options{
			Logger:   logger,
			Metrics:  metrics.NewHTTP(reg),
			Gatherer: reg,
			Items:    store,
			Ready:    ready,
		}),
		// Timeouts keep slow or idle clients from holding connections forever.
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      30 * time.Second,
		IdleTimeout:       120 * time.Second,
		ErrorLog:          slog.NewLogLogger(logger.Handler(), slog.LevelWarn),
	}
	ln, err := net.Listen("tcp", srv.Addr)
	if err != nil {
		return fmt.Errorf("listening on port %d: %w", cfg.Port, err)
	}
	serveErr := make(chan error, 1)
	go func() { serveErr <- srv.Serve(ln) }()
	logger.Info("listening", "addr", ln.Addr().String())

	select {
	case err := <-serveErr:
		return fmt.Errorf("serving HTTP: %w", err)
	case <-ctx.Done():
	}

	// Report not-ready first and keep serving for ShutdownDelay, so that
	// Kubernetes and the mesh stop routing here before connections are refused.
	logger.Info("shutting down", "delay", cfg.ShutdownDelay.String(), "timeout", cfg.ShutdownTimeout.String())
	draining.Store(true)
	time.Sleep(cfg.ShutdownDelay)

	shutdownCtx, cancel := context.WithTimeout(context.Background(), cfg.ShutdownTimeout)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		_ = srv.Close()
		return fmt.Errorf("graceful shutdown: %w", err)
	}
	logger.Info("stopped")
	return nil
}
