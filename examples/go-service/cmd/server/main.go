// Command server runs the orders-api HTTP service.
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

	"github.com/example-org/orders-api/internal/config"
	"github.com/example-org/orders-api/internal/httpapi"
	"github.com/example-org/orders-api/internal/items"
	"github.com/example-org/orders-api/internal/logging"
	"github.com/example-org/orders-api/internal/metrics"
)

// version is set at build time: go build -ldflags "-X main.version=1.2.3".
var version = "dev"

// serviceName names the service in logs and database sessions.
const serviceName = "orders-api"

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
// shut down, or until it fails.
func run(ctx context.Context, args []string, lookupEnv func(string) (string, bool), logOutput io.Writer) error {
	if len(args) > 0 && (args[0] != "serve" || len(args) > 1) {
		return fmt.Errorf("usage: server [serve], got %q", args)
	}
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
	logger.Info("starting", "service", serviceName, "version", ver, "go_version", runtime.Version(), "config", cfg)

	reg := metrics.NewRegistry(ver)
	var draining atomic.Bool

	store := items.NewMemoryStore()
	ready := func(context.Context) error {
		if draining.Load() {
			return errShuttingDown
		}
		return nil
	}

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
