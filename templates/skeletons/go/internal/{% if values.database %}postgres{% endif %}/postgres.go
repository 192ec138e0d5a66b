// Package postgres stores the service's data in PostgreSQL through a pgx
// connection pool; the schema is migrated by `server migrate` (see Migrate).
package postgres

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
)

// Connect opens a connection pool and waits up to wait for PostgreSQL to
// answer, retrying with backoff: when the database is deployed together with
// the service, it is often still starting.
func Connect(ctx context.Context, connString, appName string, wait time.Duration, logger *slog.Logger) (*pgxpool.Pool, error) {
	cfg, err := pgxpool.ParseConfig(connString)
	if err != nil {
		// The parser's message can quote the connection string, password included.
		return nil, errors.New("invalid database connection string")
	}
	// application_name shows which service a session belongs to in pg_stat_activity.
	if _, ok := cfg.ConnConfig.RuntimeParams["application_name"]; !ok {
		cfg.ConnConfig.RuntimeParams["application_name"] = appName
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("creating database pool: %w", err)
	}

	waitCtx, cancel := context.WithTimeout(ctx, wait)
	defer cancel()
	backoff := 250 * time.Millisecond
	for {
		err := pool.Ping(waitCtx)
		if err == nil {
			return pool, nil
		}
		logger.Warn("waiting for the database", "error", err, "retry_in", backoff.String())
		select {
		case <-waitCtx.Done():
			pool.Close()
			return nil, fmt.Errorf("database not reachable after %s: %w", wait, err)
		case <-time.After(backoff):
		}
		backoff = min(2*backoff, 5*time.Second)
	}
}
