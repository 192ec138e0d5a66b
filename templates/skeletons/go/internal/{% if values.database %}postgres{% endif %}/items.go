package postgres

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"${{ values.goModule }}/internal/items"
)

// ItemStore is an items.Store in the items table.
type ItemStore struct {
	pool *pgxpool.Pool
}

var _ items.Store = (*ItemStore)(nil)

// NewItemStore returns an ItemStore using pool.
func NewItemStore(pool *pgxpool.Pool) *ItemStore {
	return &ItemStore{pool: pool}
}

func scanItem(row pgx.CollectableRow) (items.Item, error) {
	var it items.Item
	err := row.Scan(&it.ID, &it.Name, &it.CreatedAt)
	it.CreatedAt = it.CreatedAt.UTC()
	return it, err
}

// List implements items.Store.
func (s *ItemStore) List(ctx context.Context, limit int) ([]items.Item, error) {
	rows, err := s.pool.Query(ctx, "SELECT id, name, created_at FROM items ORDER BY id LIMIT $1", limit)
	if err != nil {
		return nil, fmt.Errorf("listing items: %w", err)
	}
	list, err := pgx.CollectRows(rows, scanItem)
	if err != nil {
		return nil, fmt.Errorf("listing items: %w", err)
	}
	return list, nil
}

// Get implements items.Store.
func (s *ItemStore) Get(ctx context.Context, id int64) (items.Item, error) {
	rows, err := s.pool.Query(ctx, "SELECT id, name, created_at FROM items WHERE id = $1", id)
	if err != nil {
		return items.Item{}, fmt.Errorf("reading item %d: %w", id, err)
	}
	it, err := pgx.CollectExactlyOneRow(rows, scanItem)
	if errors.Is(err, pgx.ErrNoRows) {
		return items.Item{}, items.ErrNotFound
	}
	if err != nil {
		return items.Item{}, fmt.Errorf("reading item %d: %w", id, err)
	}
	return it, nil
}

// Create implements items.Store.
func (s *ItemStore) Create(ctx context.Context, name string) (items.Item, error) {
	rows, err := s.pool.Query(ctx, "INSERT INTO items (name) VALUES ($1) RETURNING id, name, created_at", name)
	if err != nil {
		return items.Item{}, fmt.Errorf("creating item: %w", err)
	}
	it, err := pgx.CollectExactlyOneRow(rows, scanItem)
	if err != nil {
		return items.Item{}, fmt.Errorf("creating item: %w", err)
	}
	return it, nil
}
