// Package items is the example domain of the service: named items that the
// JSON API lists, reads and creates. Replace it with your own.
package items

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"
)

// MaxNameLength is the longest item name accepted, in characters.
const MaxNameLength = 200

// ErrNotFound is returned by Store.Get for an unknown id.
var ErrNotFound = errors.New("item not found")

// Item is a stored item.
type Item struct {
	ID        int64     `json:"id"`
	Name      string    `json:"name"`
	CreatedAt time.Time `json:"createdAt"`
}

// Store persists items.
type Store interface {
	// List returns up to limit items, oldest first.
	List(ctx context.Context, limit int) ([]Item, error)
	// Get returns the item with id, or ErrNotFound.
	Get(ctx context.Context, id int64) (Item, error)
	// Create stores a new item named name, which ValidateName has accepted.
	Create(ctx context.Context, name string) (Item, error)
}

// ValidateName returns name without surrounding spaces, or an error saying
// why it is not acceptable.
func ValidateName(name string) (string, error) {
	name = strings.TrimSpace(name)
	switch {
	case name == "":
		return "", errors.New("name is required")
	case !utf8.ValidString(name):
		return "", errors.New("name must be valid UTF-8")
	case utf8.RuneCountInString(name) > MaxNameLength:
		return "", fmt.Errorf("name must be at most %d characters", MaxNameLength)
	}
	return name, nil
}
