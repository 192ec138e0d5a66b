package postgres

import (
	"context"
	"embed"
	"fmt"
	"io/fs"
	"path"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5/pgxpool"
)

// migrations are the schema changes, applied in file-name order. A file is
// named <version>_<description>.sql with a unique, increasing version.
//
//go:embed migrations/*.sql
var migrations embed.FS

// migrationLock is the key of the advisory lock that serialises migrations
// when two runs overlap (a retried Job, a person running migrate by hand).
const migrationLock int64 = 7_312_546_890_231_761

// migration is one file of migrations/.
type migration struct {
	version int64
	name    string
	file    string
}

// loadMigrations lists the embedded migrations in order, checking their names.
func loadMigrations() ([]migration, error) {
	files, err := fs.Glob(migrations, "migrations/*.sql")
	if err != nil {
		return nil, err
	}
	list := make([]migration, 0, len(files))
	seen := map[int64]string{}
	for _, file := range files {
		name := path.Base(file)
		prefix, _, _ := strings.Cut(name, "_")
		version, err := strconv.ParseInt(prefix, 10, 64)
		if err != nil {
			return nil, fmt.Errorf("migration %s: the name must start with a number and _", name)
		}
		if other, dup := seen[version]; dup {
			return nil, fmt.Errorf("migrations %s and %s have the same version", other, name)
		}
		seen[version] = name
		list = append(list, migration{version: version, name: name, file: file})
	}
	return list, nil
}

// Migrate applies the migrations that the database has not seen yet, all in
// one transaction, and returns the names of those it applied. Running it
// again is a no-op. In Kubernetes it runs once per release, in the chart's
// migration Job (`server migrate`), before the release's pods start: the
// service itself never migrates.
func Migrate(ctx context.Context, pool *pgxpool.Pool) ([]string, error) {
	list, err := loadMigrations()
	if err != nil {
		return nil, err
	}
	tx, err := pool.Begin(ctx)
	if err != nil {
		return nil, fmt.Errorf("migrating: %w", err)
	}
	// Rollback is a no-op after Commit.
	defer func() { _ = tx.Rollback(context.WithoutCancel(ctx)) }()

	if _, err := tx.Exec(ctx, "SELECT pg_advisory_xact_lock($1)", migrationLock); err != nil {
		return nil, fmt.Errorf("migrating: taking the migration lock: %w", err)
	}
	if _, err := tx.Exec(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		version    bigint PRIMARY KEY,
		name       text NOT NULL,
		applied_at timestamptz NOT NULL DEFAULT now()
	)`); err != nil {
		return nil, fmt.Errorf("migrating: creating schema_migrations: %w", err)
	}

	applied := []string{}
	for _, m := range list {
		var done bool
		if err := tx.QueryRow(ctx, "SELECT EXISTS (SELECT 1 FROM schema_migrations WHERE version = $1)", m.version).Scan(&done); err != nil {
			return nil, fmt.Errorf("migration %s: %w", m.name, err)
		}
		if done {
			continue
		}
		sql, err := migrations.ReadFile(m.file)
		if err != nil {
			return nil, err
		}
		// Without arguments pgx uses the simple protocol, which allows several statements.
		if _, err := tx.Exec(ctx, string(sql)); err != nil {
			return nil, fmt.Errorf("migration %s: %w", m.name, err)
		}
		if _, err := tx.Exec(ctx, "INSERT INTO schema_migrations (version, name) VALUES ($1, $2)", m.version, m.name); err != nil {
			return nil, fmt.Errorf("migration %s: recording it: %w", m.name, err)
		}
		applied = append(applied, m.name)
	}
	if err := tx.Commit(ctx); err != nil {
		return nil, fmt.Errorf("migrating: committing: %w", err)
	}
	return applied, nil
}

// Pending returns the names of the migrations this build has that the
// database has not applied yet (all of them on an empty database).
func Pending(ctx context.Context, pool *pgxpool.Pool) ([]string, error) {
	list, err := loadMigrations()
	if err != nil {
		return nil, err
	}
	var exists bool
	if err := pool.QueryRow(ctx, "SELECT to_regclass('schema_migrations') IS NOT NULL").Scan(&exists); err != nil {
		return nil, fmt.Errorf("reading the schema version: %w", err)
	}
	applied := map[int64]bool{}
	if exists {
		rows, err := pool.Query(ctx, "SELECT version FROM schema_migrations")
		if err != nil {
			return nil, fmt.Errorf("reading the schema version: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			var version int64
			if err := rows.Scan(&version); err != nil {
				return nil, err
			}
			applied[version] = true
		}
		if err := rows.Err(); err != nil {
			return nil, fmt.Errorf("reading the schema version: %w", err)
		}
	}
	pending := []string{}
	for _, m := range list {
		if !applied[m.version] {
			pending = append(pending, m.name)
		}
	}
	return pending, nil
}
