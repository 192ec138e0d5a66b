// Package postgrestest gives integration tests an isolated PostgreSQL schema.
package postgrestest

import (
	"context"
	"crypto/rand"
	"net/url"
	"os"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
)

// URL returns DATABASE_URL with search_path set to a new, empty schema that
// is dropped when the test ends, so tests neither see nor leave data. It
// skips the test when DATABASE_URL is not set.
func URL(t testing.TB) string {
	t.Helper()
	base := os.Getenv("DATABASE_URL")
	if base == "" {
		t.Skip("DATABASE_URL is not set; skipping the PostgreSQL integration test")
	}
	u, err := url.Parse(base)
	if err != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql") {
		t.Fatal("DATABASE_URL must be a postgres:// URL for the integration tests")
	}
	schema := "test_" + strings.ToLower(rand.Text())
	exec(t, base, "CREATE SCHEMA "+pgx.Identifier{schema}.Sanitize())
	t.Cleanup(func() { exec(t, base, "DROP SCHEMA "+pgx.Identifier{schema}.Sanitize()+" CASCADE") })

	q := u.Query()
	q.Set("search_path", schema) // sent as a run-time parameter at connection start
	u.RawQuery = q.Encode()
	return u.String()
}

func exec(t testing.TB, connString, sql string) {
	t.Helper()
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, connString)
	if err != nil {
		t.Fatalf("connecting to DATABASE_URL: %v", err)
	}
	defer func() { _ = conn.Close(ctx) }()
	if _, err := conn.Exec(ctx, sql); err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
}
