// Package metrics defines the service's Prometheus metrics. It uses its own
// registry, not the global one, so that tests can build fresh instances.
package metrics

import (
	"runtime"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
)

// NewRegistry returns a registry with the Go runtime and process collectors
// and service_build_info, a constant 1 labelled with the build's version.
func NewRegistry(version string) *prometheus.Registry {
	reg := prometheus.NewRegistry()
	reg.MustRegister(
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{
			Name:        "service_build_info",
			Help:        "Build information of the running service; the value is always 1.",
			ConstLabels: prometheus.Labels{"version": version, "go_version": runtime.Version()},
		}, func() float64 { return 1 }),
	)
	return reg
}

// HTTP holds the RED metrics of the HTTP server. The route label is the
// matched ServeMux pattern, never the raw path, to keep cardinality bounded.
type HTTP struct {
	requests *prometheus.CounterVec
	duration *prometheus.HistogramVec
	inFlight prometheus.Gauge
}

// NewHTTP creates the HTTP metrics and registers them with reg.
func NewHTTP(reg prometheus.Registerer) *HTTP {
	labels := []string{"method", "route", "status"}
	m := &HTTP{
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "http_requests_total",
			Help: "HTTP requests handled, by method, route pattern and status code.",
		}, labels),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "http_request_duration_seconds",
			Help:    "Time to handle HTTP requests, by method, route pattern and status code.",
			Buckets: prometheus.DefBuckets,
		}, labels),
		inFlight: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "http_requests_in_flight",
			Help: "HTTP requests being handled.",
		}),
	}
	reg.MustRegister(m.requests, m.duration, m.inFlight)
	return m
}

// Start counts a request as in flight; call the returned function when it ends.
func (m *HTTP) Start() (done func()) {
	m.inFlight.Inc()
	return m.inFlight.Dec
}

// Observe records a finished request.
func (m *HTTP) Observe(method, route string, status int, elapsed time.Duration) {
	s := strconv.Itoa(status)
	m.requests.WithLabelValues(method, route, s).Inc()
	m.duration.WithLabelValues(method, route, s).Observe(elapsed.Seconds())
}
