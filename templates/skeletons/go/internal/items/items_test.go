package items

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
)

func TestValidateName(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		want    string
		wantErr string
	}{
		{name: "plain", in: "apple", want: "apple"},
		{name: "trimmed", in: "  apple \n", want: "apple"},
		{name: "longest", in: strings.Repeat("é", MaxNameLength), want: strings.Repeat("é", MaxNameLength)},
		{name: "empty", in: "", wantErr: "name is required"},
		{name: "blank", in: " \t ", wantErr: "name is required"},
		{name: "too long", in: strings.Repeat("a", MaxNameLength+1), wantErr: "at most 200 characters"},
		{name: "invalid UTF-8", in: "a\xffb", wantErr: "valid UTF-8"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ValidateName(tt.in)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("ValidateName(%q) error = %v, want it to contain %q", tt.in, err, tt.wantErr)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Fatalf("ValidateName(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
			}
		})
	}
}

func TestMemoryStore(t *testing.T) {
	ctx := context.Background()
	s := NewMemoryStore()

	if _, err := s.Get(ctx, 1); !errors.Is(err, ErrNotFound) {
		t.Fatalf("Get on empty store: err = %v, want ErrNotFound", err)
	}
	a, _ := s.Create(ctx, "a")
	b, _ := s.Create(ctx, "b")
	if a.ID != 1 || b.ID != 2 || a.CreatedAt.IsZero() {
		t.Fatalf("created %+v and %+v", a, b)
	}
	if got, err := s.Get(ctx, 2); err != nil || got != b {
		t.Fatalf("Get(2) = %+v, %v; want %+v", got, err, b)
	}
	if got, _ := s.List(ctx, 1); len(got) != 1 || got[0] != a {
		t.Fatalf("List(1) = %+v, want [a]", got)
	}
	if got, _ := s.List(ctx, 10); len(got) != 2 {
		t.Fatalf("List(10) = %+v, want 2 items", got)
	}
	if _, err := s.Get(ctx, 0); !errors.Is(err, ErrNotFound) {
		t.Fatalf("Get(0): err = %v, want ErrNotFound", err)
	}
}

// Run with -race: concurrent writers and readers must not race.
func TestMemoryStoreConcurrent(t *testing.T) {
	ctx := context.Background()
	s := NewMemoryStore()
	var wg sync.WaitGroup
	for range 20 {
		wg.Go(func() {
			if _, err := s.Create(ctx, "x"); err != nil {
				t.Error(err)
			}
			if _, err := s.List(ctx, 100); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	if got, _ := s.List(ctx, 100); len(got) != 20 {
		t.Fatalf("List = %d items, want 20", len(got))
	}
}
