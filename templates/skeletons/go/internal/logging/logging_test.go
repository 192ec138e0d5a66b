package logging

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"testing"
)

func TestRequestIDOnEveryRecordOfARequest(t *testing.T) {
	var buf bytes.Buffer
	logger := New(&buf, slog.LevelInfo).With("component", "test")

	ctx := WithRequestID(context.Background(), "req-123")
	logger.InfoContext(ctx, "in a request")
	logger.Info("outside a request")
	logger.DebugContext(ctx, "below the level")

	lines := bytes.Split(bytes.TrimSpace(buf.Bytes()), []byte("\n"))
	if len(lines) != 2 {
		t.Fatalf("want 2 log lines, got %d: %s", len(lines), buf.String())
	}
	var first, second map[string]any
	if err := json.Unmarshal(lines[0], &first); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(lines[1], &second); err != nil {
		t.Fatal(err)
	}
	if first["request_id"] != "req-123" || first["component"] != "test" {
		t.Errorf("first line = %v, want request_id req-123 and component test", first)
	}
	if _, ok := second["request_id"]; ok {
		t.Errorf("second line = %v, want no request_id", second)
	}
}

func TestRequestIDFromEmptyContext(t *testing.T) {
	if got := RequestID(context.Background()); got != "" {
		t.Errorf("RequestID() = %q, want empty", got)
	}
}
