package items

import (
	"context"
	"sync"
	"time"
)

// MemoryStore keeps items in process memory. Its data is lost on restart and
// not shared between replicas: fine for tests and demos, not for real data.
type MemoryStore struct {
	mu    sync.RWMutex
	items []Item
}

// NewMemoryStore returns an empty MemoryStore.
func NewMemoryStore() *MemoryStore {
	return &MemoryStore{}
}

// List implements Store.
func (s *MemoryStore) List(_ context.Context, limit int) ([]Item, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	n := min(limit, len(s.items))
	return append([]Item{}, s.items[:n]...), nil
}

// Get implements Store.
func (s *MemoryStore) Get(_ context.Context, id int64) (Item, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	// Ids are 1, 2, 3, … in insertion order.
	if id < 1 || id > int64(len(s.items)) {
		return Item{}, ErrNotFound
	}
	return s.items[id-1], nil
}

// Create implements Store.
func (s *MemoryStore) Create(_ context.Context, name string) (Item, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	item := Item{ID: int64(len(s.items)) + 1, Name: name, CreatedAt: time.Now().UTC()}
	s.items = append(s.items, item)
	return item, nil
}
