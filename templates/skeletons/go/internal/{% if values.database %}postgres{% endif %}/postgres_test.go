package postgres_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"${{ values.goModule }}/internal/httpapi"
	"${{ values.goModule }}/internal/items"
	"${{ values.goModule }}/internal/logging"
	"${{ values.goModule }}/internal/metrics"
	"${{ values.goModule }}/internal/postgres"
	"${{ values.goModule }}/internal/postgres/postgrestest"
)

var discard = slog.New(slog.DiscardHandler)

// connect returns a pool on a fresh schema; it skips without DATABASE_URL.
func connect(t *testing.T) *pgxpool.Pool {
	t.Helper()
	pool, err := postgres.Connect(t.Context(), postgrestest.URL(t), "integration-test", 10*time.Second, discard)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(pool.Close)
	return pool
}

func TestMigrateIsIdempotent(t *testing.T) {
	pool := connect(t)
	ctx := t.Context()

	if pending, err := postgres.Pending(ctx, pool); err != nil || len(pending) == 0 || pending[0] != "0001_create_items.sql" {
		t.Fatalf("Pending on an empty schema = %v, %v; want every migration, 0001_create_items.sql first", pending, err)
	}

	applied, err := postgres.Migrate(ctx, pool)
	if err != nil {
		t.Fatal(err)
	}
	if len(applied) == 0 || applied[0] != "0001_create_items.sql" {
		t.Fatalf("first run applied %v, want 0001_create_items.sql first", applied)
	}
	again, err := postgres.Migrate(ctx, pool)
	if err != nil || len(again) != 0 {
		t.Fatalf("second run applied %v (err %v), want nothing", again, err)
	}
	if pending, err := postgres.Pending(ctx, pool); err != nil || len(pending) != 0 {
		t.Fatalf("Pending after migrating = %v, %v; want none", pending, err)
	}
	var recorded int
	if err := pool.QueryRow(ctx, "SELECT count(*) FROM schema_migrations").Scan(&recorded); err != nil || recorded != len(applied) {
		t.Fatalf("schema_migrations has %d rows (err %v), want %d", recorded, err, len(applied))
	}
}

// Overlapping runs (a retried Job, a person running migrate by hand) are
// serialised by the advisory lock.
func TestConcurrentMigrations(t *testing.T) {
	pool := connect(t)
	var wg sync.WaitGroup
	errs := make(chan error, 5)
	for range 5 {
		wg.Go(func() {
			_, err := postgres.Migrate(t.Context(), pool)
			errs <- err
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
}

func TestItemStore(t *testing.T) {
	pool := connect(t)
	ctx := t.Context()
	if _, err := postgres.Migrate(ctx, pool); err != nil {
		t.Fatal(err)
	}
	store := postgres.NewItemStore(pool)

	if list, err := store.List(ctx, 10); err != nil || list == nil || len(list) != 0 {
		t.Fatalf("List on empty table = %v, %v; want empty, non-nil", list, err)
	}
	a, err := store.Create(ctx, "apple")
	if err != nil {
		t.Fatal(err)
	}
	b, err := store.Create(ctx, "pear")
	if err != nil {
		t.Fatal(err)
	}
	if a.ID == 0 || b.ID <= a.ID || a.Name != "apple" || time.Since(a.CreatedAt) > time.Minute {
		t.Fatalf("created %+v and %+v", a, b)
	}
	got, err := store.Get(ctx, a.ID)
	if err != nil || got != a {
		t.Fatalf("Get = %+v, %v; want %+v", got, err, a)
	}
	if _, err := store.Get(ctx, b.ID+1000); !errors.Is(err, items.ErrNotFound) {
		t.Fatalf("Get of a missing id: err = %v, want items.ErrNotFound", err)
	}
	if list, err := store.List(ctx, 1); err != nil || len(list) != 1 || list[0] != a {
		t.Fatalf("List(1) = %+v, %v; want [%+v]", list, err, a)
	}
	// The table enforces the same rule as items.ValidateName.
	if _, err := store.Create(ctx, strings.Repeat("x", items.MaxNameLength+1)); err == nil {
		t.Fatal("Create accepted a name longer than MaxNameLength")
	}
}

// TestItemsRoute exercises the example API end to end against PostgreSQL.
func TestItemsRoute(t *testing.T) {
	pool := connect(t)
	if _, err := postgres.Migrate(t.Context(), pool); err != nil {
		t.Fatal(err)
	}
	reg := metrics.NewRegistry("test")
	srv := httptest.NewServer(httpapi.New(httpapi.Options{
		Logger:   logging.New(io.Discard, slog.LevelInfo),
		Metrics:  metrics.NewHTTP(reg),
		Gatherer: reg,
		Items:    postgres.NewItemStore(pool),
		Ready:    func(ctx context.Context) error { return pool.Ping(ctx) },
	}))
	defer srv.Close()

	resp, err := http.Post(srv.URL+"/api/items", "application/json", bytes.NewBufferString(`{"name":"apple"}`))
	if err != nil {
		t.Fatal(err)
	}
	var created items.Item
	if err := json.NewDecoder(resp.Body).Decode(&created); err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusCreated || created.Name != "apple" {
		t.Fatalf("POST: status %d, item %+v", resp.StatusCode, created)
	}

	resp, err = http.Get(srv.URL + resp.Header.Get("Location"))
	if err != nil {
		t.Fatal(err)
	}
	var fetched items.Item
	if err := json.NewDecoder(resp.Body).Decode(&fetched); err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || fetched != created {
		t.Fatalf("GET Location: status %d, item %+v, want %+v", resp.StatusCode, fetched, created)
	}

	resp, err = http.Get(srv.URL + "/api/items")
	if err != nil {
		t.Fatal(err)
	}
	var list struct{ Items []items.Item }
	if err := json.NewDecoder(resp.Body).Decode(&list); err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if len(list.Items) != 1 || list.Items[0] != created {
		t.Fatalf("GET /api/items = %+v", list)
	}

	resp, err = http.Get(srv.URL + "/readyz")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("/readyz = %d with the database up", resp.StatusCode)
	}
}

// Connect gives up after the wait when nothing answers; no database needed.
func TestConnectGivesUp(t *testing.T) {
	start := time.Now()
	_, err := postgres.Connect(t.Context(), "postgres://user:secret@127.0.0.1:1/db?connect_timeout=1", "test", 500*time.Millisecond, discard)
	if err == nil {
		t.Fatal("Connect succeeded without a database")
	}
	if strings.Contains(err.Error(), "secret") {
		t.Errorf("error reveals the password: %v", err)
	}
	if elapsed := time.Since(start); elapsed > 5*time.Second {
		t.Errorf("Connect took %s, want about 500ms", elapsed)
	}
}
