// Package httpapi is the HTTP interface of the service: health checks,
// Prometheus metrics and the example items API, behind a middleware that
// assigns request ids, logs every request and records RED metrics.
package httpapi

import (
	"context"
	"log/slog"
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/example-org/orders-api/internal/items"
	"github.com/example-org/orders-api/internal/metrics"
)

// Options are the dependencies of the handler.
type Options struct {
	Logger   *slog.Logger
	Metrics  *metrics.HTTP
	Gatherer prometheus.Gatherer // served on /metrics
	Items    items.Store
	// Ready reports whether the service can take traffic; nil means always.
	Ready func(context.Context) error
}

type server struct {
	Options
}

// readyTimeout bounds a readiness check, below the usual probe timeout.
const readyTimeout = 2 * time.Second

// New returns the service's HTTP handler.
func New(opts Options) http.Handler {
	s := &server{opts}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", s.healthz)
	mux.HandleFunc("GET /readyz", s.readyz)
	mux.Handle("GET /metrics", promhttp.HandlerFor(opts.Gatherer, promhttp.HandlerOpts{
		ErrorLog: slog.NewLogLogger(opts.Logger.Handler(), slog.LevelError),
	}))
	mux.HandleFunc("GET /api/items", s.listItems)
	mux.HandleFunc("POST /api/items", s.createItem)
	mux.HandleFunc("GET /api/items/{id}", s.getItem)
	return s.observe(mux)
}

// healthz is the liveness check: the process serves HTTP. It must not depend
// on the database, or a database outage would restart every pod.
func (s *server) healthz(w http.ResponseWriter, _ *http.Request) {
	writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
}

// readyz is the readiness check: the service can handle requests now.
func (s *server) readyz(w http.ResponseWriter, r *http.Request) {
	if s.Ready != nil {
		ctx, cancel := context.WithTimeout(r.Context(), readyTimeout)
		defer cancel()
		if err := s.Ready(ctx); err != nil {
			s.Logger.WarnContext(r.Context(), "not ready", "error", err)
			writeJSON(w, http.StatusServiceUnavailable, map[string]string{"status": "unavailable"})
			return
		}
	}
	writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
}
