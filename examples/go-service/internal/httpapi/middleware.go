package httpapi

import (
	"crypto/rand"
	"fmt"
	"log/slog"
	"net/http"
	"runtime/debug"
	"strings"
	"time"

	"github.com/example-org/orders-api/internal/logging"
)

// requestIDHeader carries the request id. Istio's Envoy sidecars set it on
// every request, so reusing it ties these logs to the mesh's access logs.
const requestIDHeader = "X-Request-Id"

// observe assigns the request id, recovers panics, and logs and measures
// every request.
func (s *server) observe(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		id := r.Header.Get(requestIDHeader)
		if !validRequestID(id) {
			id = rand.Text()
		}
		w.Header().Set(requestIDHeader, id)
		// The mux sets r.Pattern on the request it is given: keep this pointer.
		r = r.WithContext(logging.WithRequestID(r.Context(), id))
		rec := &statusRecorder{ResponseWriter: w}
		done := s.Metrics.Start()
		defer done()

		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v) // the documented way to abort a response; let net/http handle it
				}
				s.Logger.ErrorContext(r.Context(), "panic while handling request",
					"panic", fmt.Sprint(v), "stack", string(debug.Stack()))
				if rec.status == 0 {
					writeError(rec, http.StatusInternalServerError, "internal error")
				} else {
					rec.status = http.StatusInternalServerError // the response is cut short
				}
			}
			s.finish(r, rec, start)
		}()
		next.ServeHTTP(rec, r)
	})
}

// finish records the metrics and the access log line of a request.
func (s *server) finish(r *http.Request, rec *statusRecorder, start time.Time) {
	elapsed := time.Since(start)
	status := rec.status
	if status == 0 {
		status = http.StatusOK // the handler wrote nothing
	}
	route := routeLabel(r.Pattern)
	s.Metrics.Observe(methodLabel(r.Method), route, status, elapsed)

	// Probes and scrapes arrive every few seconds: keep them out of info logs
	// unless they fail.
	level := slog.LevelInfo
	switch {
	case status >= 500:
		level = slog.LevelError
	case status < 400 && (route == "/healthz" || route == "/readyz" || route == "/metrics"):
		level = slog.LevelDebug
	}
	s.Logger.LogAttrs(r.Context(), level, "request",
		slog.String("method", r.Method),
		slog.String("path", r.URL.Path),
		slog.String("route", route),
		slog.Int("status", status),
		slog.Int64("bytes", rec.bytes),
		slog.Float64("duration_ms", float64(elapsed.Microseconds())/1000),
		slog.String("remote_addr", r.RemoteAddr),
		slog.String("user_agent", r.UserAgent()),
	)
}

// routeLabel turns a ServeMux pattern such as "GET /api/items/{id}" into the
// route label "/api/items/{id}"; the method has a label of its own. Requests
// that matched no pattern (404, 405) share one label.
func routeLabel(pattern string) string {
	if pattern == "" {
		return "unmatched"
	}
	if i := strings.IndexAny(pattern, " \t"); i >= 0 {
		return strings.TrimLeft(pattern[i:], " \t")
	}
	return pattern
}

// methodLabel keeps arbitrary client-sent methods from creating metric series.
func methodLabel(method string) string {
	switch method {
	case http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut, http.MethodPatch,
		http.MethodDelete, http.MethodOptions, http.MethodConnect, http.MethodTrace:
		return method
	}
	return "OTHER"
}

// validRequestID accepts ids of up to 128 characters from a conservative set,
// so that a client cannot inject arbitrary text into logs and headers.
func validRequestID(id string) bool {
	if id == "" || len(id) > 128 {
		return false
	}
	for _, c := range id {
		ok := c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' ||
			c == '-' || c == '_' || c == '.' || c == ':'
		if !ok {
			return false
		}
	}
	return true
}

// statusRecorder remembers the status code and counts the body bytes.
type statusRecorder struct {
	http.ResponseWriter
	status int
	bytes  int64
}

func (r *statusRecorder) WriteHeader(status int) {
	// 1xx responses are informational; the final status comes later.
	if r.status == 0 && status >= 200 {
		r.status = status
	}
	r.ResponseWriter.WriteHeader(status)
}

func (r *statusRecorder) Write(b []byte) (int, error) {
	if r.status == 0 {
		r.status = http.StatusOK
	}
	n, err := r.ResponseWriter.Write(b)
	r.bytes += int64(n)
	return n, err
}

// Unwrap lets http.ResponseController reach Flush and deadlines of the
// underlying writer.
func (r *statusRecorder) Unwrap() http.ResponseWriter {
	return r.ResponseWriter
}
