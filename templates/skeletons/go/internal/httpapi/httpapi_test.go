package httpapi

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"

	"${{ values.goModule }}/internal/items"
	"${{ values.goModule }}/internal/logging"
	"${{ values.goModule }}/internal/metrics"
)

// testServer is the handler under test with its log output and metrics.
type testServer struct {
	handler http.Handler
	logs    *bytes.Buffer
	reg     *prometheus.Registry
}

func newTestServer(t *testing.T, store items.Store, ready func(context.Context) error) *testServer {
	t.Helper()
	logs := &bytes.Buffer{}
	reg := metrics.NewRegistry("test")
	h := New(Options{
		Logger:   logging.New(logs, slog.LevelInfo),
		Metrics:  metrics.NewHTTP(reg),
		Gatherer: reg,
		Items:    store,
		Ready:    ready,
	})
	return &testServer{handler: h, logs: logs, reg: reg}
}

// do sends a request and returns the recorded response.
func (ts *testServer) do(method, target, contentType, body string, header ...string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(method, target, strings.NewReader(body))
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	rec := httptest.NewRecorder()
	ts.handler.ServeHTTP(rec, req)
	return rec
}

// logLines returns the JSON log records written so far.
func (ts *testServer) logLines(t *testing.T) []map[string]any {
	t.Helper()
	var lines []map[string]any
	for _, line := range bytes.Split(bytes.TrimSpace(ts.logs.Bytes()), []byte("\n")) {
		if len(line) == 0 {
			continue
		}
		var m map[string]any
		if err := json.Unmarshal(line, &m); err != nil {
			t.Fatalf("log line is not JSON: %s", line)
		}
		lines = append(lines, m)
	}
	return lines
}

func decode[T any](t *testing.T, rec *httptest.ResponseRecorder) T {
	t.Helper()
	if ct := rec.Header().Get("Content-Type"); ct != "application/json" {
		t.Fatalf("Content-Type = %q, want application/json", ct)
	}
	var v T
	if err := json.Unmarshal(rec.Body.Bytes(), &v); err != nil {
		t.Fatalf("decoding %s: %v", rec.Body, err)
	}
	return v
}

func TestHealthz(t *testing.T) {
	// Liveness must not depend on readiness (the database).
	ts := newTestServer(t, items.NewMemoryStore(), func(context.Context) error { return errors.New("db down") })
	rec := ts.do(http.MethodGet, "/healthz", "", "")
	if rec.Code != http.StatusOK {
		t.Fatalf("status = %d, want 200", rec.Code)
	}
	if got := decode[map[string]string](t, rec); got["status"] != "ok" {
		t.Errorf("body = %v", got)
	}
}

func TestReadyz(t *testing.T) {
	tests := []struct {
		name  string
		ready func(context.Context) error
		want  int
	}{
		{name: "no check", ready: nil, want: http.StatusOK},
		{name: "ready", ready: func(context.Context) error { return nil }, want: http.StatusOK},
		{name: "not ready", ready: func(context.Context) error { return errors.New("db down") }, want: http.StatusServiceUnavailable},
		{name: "check has a deadline", ready: func(ctx context.Context) error {
			if _, ok := ctx.Deadline(); !ok {
				return errors.New("no deadline")
			}
			return nil
		}, want: http.StatusOK},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ts := newTestServer(t, items.NewMemoryStore(), tt.ready)
			rec := ts.do(http.MethodGet, "/readyz", "", "")
			if rec.Code != tt.want {
				t.Fatalf("status = %d, want %d", rec.Code, tt.want)
			}
			// The reason goes to the logs, not to the caller.
			if strings.Contains(rec.Body.String(), "db down") {
				t.Errorf("body reveals the error: %s", rec.Body)
			}
		})
	}
}

func TestItemsAPI(t *testing.T) {
	ts := newTestServer(t, items.NewMemoryStore(), nil)

	if got := decode[map[string][]items.Item](t, ts.do(http.MethodGet, "/api/items", "", "")); got["items"] == nil || len(got["items"]) != 0 {
		t.Fatalf("empty list = %v, want items: []", got)
	}

	rec := ts.do(http.MethodPost, "/api/items", "application/json; charset=utf-8", `{"name":"  apple "}`)
	if rec.Code != http.StatusCreated {
		t.Fatalf("create: status = %d, body %s", rec.Code, rec.Body)
	}
	created := decode[items.Item](t, rec)
	if created.ID != 1 || created.Name != "apple" || created.CreatedAt.IsZero() {
		t.Fatalf("created = %+v", created)
	}
	if loc := rec.Header().Get("Location"); loc != "/api/items/1" {
		t.Errorf("Location = %q", loc)
	}
	ts.do(http.MethodPost, "/api/items", "application/json", `{"name":"pear"}`)

	rec = ts.do(http.MethodGet, "/api/items/1", "", "")
	if rec.Code != http.StatusOK || decode[items.Item](t, rec).Name != "apple" {
		t.Fatalf("get: status %d, body %s", rec.Code, rec.Body)
	}
	if got := decode[map[string][]items.Item](t, ts.do(http.MethodGet, "/api/items", "", ""))["items"]; len(got) != 2 {
		t.Fatalf("list = %+v, want 2 items", got)
	}
	if got := decode[map[string][]items.Item](t, ts.do(http.MethodGet, "/api/items?limit=1", "", ""))["items"]; len(got) != 1 || got[0].Name != "apple" {
		t.Fatalf("list limit=1 = %+v", got)
	}
}

func TestItemsAPIErrors(t *testing.T) {
	tests := []struct {
		name, method, target, contentType, body string
		want                                    int
		wantError                               string
	}{
		{"no content type", "POST", "/api/items", "", `{"name":"a"}`, 415, "Content-Type"},
		{"form content type", "POST", "/api/items", "application/x-www-form-urlencoded", "name=a", 415, "Content-Type"},
		{"invalid JSON", "POST", "/api/items", "application/json", `{"name":`, 400, "invalid JSON"},
		{"unknown field", "POST", "/api/items", "application/json", `{"name":"a","colour":"red"}`, 400, "unknown field"},
		{"two objects", "POST", "/api/items", "application/json", `{"name":"a"}{"name":"b"}`, 400, "single JSON object"},
		{"empty name", "POST", "/api/items", "application/json", `{"name":" "}`, 400, "name is required"},
		{"too large", "POST", "/api/items", "application/json", `{"name":"` + strings.Repeat("a", 2<<20) + `"}`, 413, "at most"},
		{"bad id", "GET", "/api/items/abc", "", "", 400, "positive integer"},
		{"zero id", "GET", "/api/items/0", "", "", 400, "positive integer"},
		{"missing item", "GET", "/api/items/42", "", "", 404, "not found"},
		{"bad limit", "GET", "/api/items?limit=0", "", "", 400, "limit"},
		{"limit too big", "GET", "/api/items?limit=101", "", "", 400, "limit"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ts := newTestServer(t, items.NewMemoryStore(), nil)
			rec := ts.do(tt.method, tt.target, tt.contentType, tt.body)
			if rec.Code != tt.want {
				t.Fatalf("status = %d, want %d (body %s)", rec.Code, tt.want, rec.Body)
			}
			if got := decode[map[string]string](t, rec)["error"]; !strings.Contains(got, tt.wantError) {
				t.Errorf("error = %q, want it to contain %q", got, tt.wantError)
			}
		})
	}
}

// failingStore fails every call, like a store whose database is gone.
type failingStore struct{}

var errStore = errors.New("connection refused")

func (failingStore) List(context.Context, int) ([]items.Item, error) { return nil, errStore }
func (failingStore) Get(context.Context, int64) (items.Item, error)  { return items.Item{}, errStore }
func (failingStore) Create(context.Context, string) (items.Item, error) {
	return items.Item{}, errStore
}

func TestStoreFailureIsLoggedNotRevealed(t *testing.T) {
	ts := newTestServer(t, failingStore{}, nil)
	rec := ts.do(http.MethodGet, "/api/items", "", "", "X-Request-Id", "abc-123")
	if rec.Code != http.StatusInternalServerError {
		t.Fatalf("status = %d, want 500", rec.Code)
	}
	if got := decode[map[string]string](t, rec)["error"]; got != "internal error" {
		t.Errorf("error = %q, want %q", got, "internal error")
	}
	lines := ts.logLines(t)
	if len(lines) != 2 {
		t.Fatalf("want an error line and an access line, got %v", lines)
	}
	if lines[0]["msg"] != "listing items failed" || lines[0]["error"] != errStore.Error() || lines[0]["request_id"] != "abc-123" {
		t.Errorf("error line = %v", lines[0])
	}
	if lines[1]["level"] != "ERROR" || lines[1]["status"] != float64(500) {
		t.Errorf("access line = %v", lines[1])
	}
}

func TestRequestID(t *testing.T) {
	ts := newTestServer(t, items.NewMemoryStore(), nil)

	rec := ts.do(http.MethodGet, "/api/items", "", "", "X-Request-Id", "7f0c1b2e-aaaa-bbbb-cccc-0123456789ab")
	if got := rec.Header().Get("X-Request-Id"); got != "7f0c1b2e-aaaa-bbbb-cccc-0123456789ab" {
		t.Errorf("valid incoming id not kept: %q", got)
	}
	generated := ts.do(http.MethodGet, "/api/items", "", "").Header().Get("X-Request-Id")
	if !validRequestID(generated) {
		t.Errorf("generated id %q is not valid", generated)
	}
	replaced := ts.do(http.MethodGet, "/api/items", "", "", "X-Request-Id", "bad id\nwith newline").Header().Get("X-Request-Id")
	if !validRequestID(replaced) || replaced == generated {
		t.Errorf("invalid incoming id replaced by %q", replaced)
	}

	// Every request is logged with its id.
	lines := ts.logLines(t)
	want := []string{"7f0c1b2e-aaaa-bbbb-cccc-0123456789ab", generated, replaced}
	if len(lines) != len(want) {
		t.Fatalf("got %d log lines, want %d", len(lines), len(want))
	}
	for i, line := range lines {
		if line["msg"] != "request" || line["request_id"] != want[i] || line["route"] != "/api/items" || line["status"] != float64(200) {
			t.Errorf("log line %d = %v", i, line)
		}
	}
}

func TestProbesAreNotLoggedAtInfo(t *testing.T) {
	ts := newTestServer(t, items.NewMemoryStore(), nil)
	ts.do(http.MethodGet, "/healthz", "", "")
	ts.do(http.MethodGet, "/readyz", "", "")
	ts.do(http.MethodGet, "/metrics", "", "")
	if lines := ts.logLines(t); len(lines) != 0 {
		t.Errorf("probe requests logged at info: %v", lines)
	}
}

func TestMetricsMiddleware(t *testing.T) {
	ts := newTestServer(t, items.NewMemoryStore(), nil)
	ts.do(http.MethodGet, "/api/items", "", "")
	ts.do(http.MethodGet, "/api/items", "", "")
	ts.do(http.MethodPost, "/api/items", "application/json", `{"name":"a"}`)
	ts.do(http.MethodGet, "/api/items/1", "", "")
	ts.do(http.MethodGet, "/api/items/2", "", "")  // 404 of a matched route
	ts.do(http.MethodGet, "/no/such/path", "", "") // no route: one shared label
	ts.do(http.MethodGet, "/another/path", "", "")
	ts.do("PROPFIND", "/api/items", "", "") // 405, unusual method

	want := `
# HELP http_requests_total HTTP requests handled, by method, route pattern and status code.
# TYPE http_requests_total counter
http_requests_total{method="GET",route="/api/items",status="200"} 2
http_requests_total{method="GET",route="/api/items/{id}",status="200"} 1
http_requests_total{method="POST",route="/api/items",status="201"} 1
http_requests_total{method="GET",route="/api/items/{id}",status="404"} 1
http_requests_total{method="GET",route="unmatched",status="404"} 2
http_requests_total{method="OTHER",route="unmatched",status="405"} 1
`
	if err := testutil.GatherAndCompare(ts.reg, strings.NewReader(want), "http_requests_total"); err != nil {
		t.Error(err)
	}
	if n, err := testutil.GatherAndCount(ts.reg, "http_request_duration_seconds"); err != nil || n != 6 {
		t.Errorf("http_request_duration_seconds series = %d (err %v), want 6", n, err)
	}

	// /metrics serves the registry, including the runtime collectors.
	rec := ts.do(http.MethodGet, "/metrics", "", "")
	body := rec.Body.String()
	for _, s := range []string{
		`http_requests_total{method="POST",route="/api/items",status="201"} 1`,
		`http_request_duration_seconds_bucket{method="GET",route="/api/items",status="200",le="+Inf"} 2`,
		`service_build_info{`,
		`go_goroutines `,
		`process_cpu_seconds_total `,
	} {
		if !strings.Contains(body, s) {
			t.Errorf("/metrics lacks %q", s)
		}
	}
}

func TestPanicIsRecovered(t *testing.T) {
	ts := newTestServer(t, items.NewMemoryStore(), nil)
	s := &server{Options{Logger: logging.New(ts.logs, slog.LevelInfo), Metrics: metrics.NewHTTP(prometheus.NewRegistry())}}
	h := s.observe(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { panic("boom") }))

	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/", nil))
	if rec.Code != http.StatusInternalServerError {
		t.Fatalf("status = %d, want 500", rec.Code)
	}
	lines := ts.logLines(t)
	if len(lines) != 2 || lines[0]["panic"] != "boom" || lines[1]["status"] != float64(500) {
		t.Errorf("log lines = %v", lines)
	}
}

func TestRouteLabel(t *testing.T) {
	tests := map[string]string{
		"":                     "unmatched",
		"GET /api/items/{id}":  "/api/items/{id}",
		"POST  /api/items":     "/api/items",
		"/static/":             "/static/",
		"GET example.com/path": "example.com/path",
	}
	for pattern, want := range tests {
		if got := routeLabel(pattern); got != want {
			t.Errorf("routeLabel(%q) = %q, want %q", pattern, got, want)
		}
	}
}
