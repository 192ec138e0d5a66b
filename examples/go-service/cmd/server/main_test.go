package main

import (
	"bytes"
	"context"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestRunRejectsUnknownCommands(t *testing.T) {
	for _, args := range [][]string{{"frobnicate"}, {"serve", "extra"}} {
		err := run(t.Context(), args, func(string) (string, bool) { return "", false }, io.Discard)
		if err == nil || !strings.Contains(err.Error(), "usage: server") {
			t.Errorf("run(%q) error = %v, want the usage", args, err)
		}
	}
}

func TestRunRejectsInvalidConfiguration(t *testing.T) {
	lookup := func(key string) (string, bool) {
		if key == "PORT" {
			return "not-a-port", true
		}
		return "", false
	}
	err := run(t.Context(), nil, lookup, io.Discard)
	if err == nil || !strings.Contains(err.Error(), "invalid configuration") || !strings.Contains(err.Error(), "PORT") {
		t.Fatalf("run() error = %v, want an invalid configuration error naming PORT", err)
	}
}

// syncBuffer is a bytes.Buffer safe for the server goroutine and the test.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// TestRunServesAndShutsDown starts the whole service on a free port, checks
// its endpoints, and stops it the way SIGTERM does.
func TestRunServesAndShutsDown(t *testing.T) {
	env := map[string]string{"PORT": strconv.Itoa(freePort(t))}
	lookup := func(key string) (string, bool) {
		v, ok := env[key]
		return v, ok
	}
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	logs := &syncBuffer{}
	done := make(chan error, 1)
	go func() { done <- run(ctx, nil, lookup, logs) }()

	base := "http://127.0.0.1:" + env["PORT"]
	waitFor(t, base+"/healthz", done)
	for path, want := range map[string]string{
		"/readyz":    `"status":"ok"`,
		"/api/items": `"items":[]`,
		"/metrics":   `service_build_info{go_version=`,
	} {
		resp, err := http.Get(base + path)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK || !strings.Contains(string(body), want) {
			t.Errorf("GET %s: status %d, body %.200s; want 200 containing %s", path, resp.StatusCode, body, want)
		}
	}

	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("run() after shutdown = %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("run() did not return after cancellation")
	}
	for _, want := range []string{`"msg":"starting"`, `"version":"dev"`, `"msg":"stopped"`} {
		if !strings.Contains(logs.String(), want) {
			t.Errorf("logs lack %s:\n%s", want, logs)
		}
	}
}

func freePort(t *testing.T) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

// waitFor polls url until it answers 200, failing if run returns first.
func waitFor(t *testing.T, url string, done <-chan error) {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for time.Now().Before(deadline) {
		select {
		case err := <-done:
			t.Fatalf("run() returned early: %v", err)
		default:
		}
		if resp, err := http.Get(url); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("%s did not become healthy", url)
}
