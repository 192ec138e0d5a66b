package metrics

import (
	"fmt"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus/testutil"
)

func TestBuildInfo(t *testing.T) {
	reg := NewRegistry("1.2.3")
	want := fmt.Sprintf(`
# HELP service_build_info Build information of the running service; the value is always 1.
# TYPE service_build_info gauge
service_build_info{go_version=%q,version="1.2.3"} 1
`, runtime.Version())
	if err := testutil.GatherAndCompare(reg, strings.NewReader(want), "service_build_info"); err != nil {
		t.Error(err)
	}
	// The runtime and process collectors are registered too.
	if n, err := testutil.GatherAndCount(reg, "go_goroutines"); err != nil || n != 1 {
		t.Errorf("go_goroutines: count %d, err %v", n, err)
	}
}

func TestObserve(t *testing.T) {
	reg := NewRegistry("test")
	m := NewHTTP(reg)

	done := m.Start()
	if got := testutil.ToFloat64(m.inFlight); got != 1 {
		t.Errorf("in flight = %v, want 1", got)
	}
	done()
	m.Observe("GET", "/api/items", 200, 30*time.Millisecond)
	m.Observe("GET", "/api/items", 200, 10*time.Millisecond)
	m.Observe("POST", "/api/items", 400, time.Millisecond)

	if got := testutil.ToFloat64(m.inFlight); got != 0 {
		t.Errorf("in flight = %v, want 0", got)
	}
	if got := testutil.ToFloat64(m.requests.WithLabelValues("GET", "/api/items", "200")); got != 2 {
		t.Errorf("GET 200 count = %v, want 2", got)
	}
	if got := testutil.ToFloat64(m.requests.WithLabelValues("POST", "/api/items", "400")); got != 1 {
		t.Errorf("POST 400 count = %v, want 1", got)
	}
	if n := testutil.CollectAndCount(m.duration); n != 2 {
		t.Errorf("duration series = %d, want 2", n)
	}
}
