package httpapi

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strconv"

	"${{ values.goModule }}/internal/items"
)

const (
	// maxBodyBytes caps request bodies so that a client cannot exhaust memory.
	maxBodyBytes = 1 << 20
	// maxListLimit caps the page size of GET /api/items.
	maxListLimit = 100
)

// listItems serves GET /api/items[?limit=n].
func (s *server) listItems(w http.ResponseWriter, r *http.Request) {
	limit := maxListLimit
	if v := r.URL.Query().Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > maxListLimit {
			writeError(w, http.StatusBadRequest, fmt.Sprintf("limit must be a number from 1 to %d", maxListLimit))
			return
		}
		limit = n
	}
	list, err := s.Items.List(r.Context(), limit)
	if err != nil {
		s.internalError(w, r, "listing items", err)
		return
	}
	if list == nil {
		list = []items.Item{} // [] rather than null in JSON
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": list})
}

// getItem serves GET /api/items/{id}.
func (s *server) getItem(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id < 1 {
		writeError(w, http.StatusBadRequest, "id must be a positive integer")
		return
	}
	item, err := s.Items.Get(r.Context(), id)
	switch {
	case errors.Is(err, items.ErrNotFound):
		writeError(w, http.StatusNotFound, "item not found")
	case err != nil:
		s.internalError(w, r, "reading item", err)
	default:
		writeJSON(w, http.StatusOK, item)
	}
}

// createItem serves POST /api/items with a body like {"name": "apple"}.
func (s *server) createItem(w http.ResponseWriter, r *http.Request) {
	if mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type")); err != nil || mt != "application/json" {
		writeError(w, http.StatusUnsupportedMediaType, "Content-Type must be application/json")
		return
	}
	var in struct {
		Name string `json:"name"`
	}
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, maxBodyBytes))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&in); err != nil {
		if maxErr := (*http.MaxBytesError)(nil); errors.As(err, &maxErr) {
			writeError(w, http.StatusRequestEntityTooLarge, fmt.Sprintf("body must be at most %d bytes", maxBodyBytes))
			return
		}
		writeError(w, http.StatusBadRequest, "invalid JSON body: "+err.Error())
		return
	}
	if err := dec.Decode(&struct{}{}); !errors.Is(err, io.EOF) {
		writeError(w, http.StatusBadRequest, "body must contain a single JSON object")
		return
	}
	name, err := items.ValidateName(in.Name)
	if err != nil {
		writeError(w, http.StatusBadRequest, err.Error())
		return
	}
	item, err := s.Items.Create(r.Context(), name)
	if err != nil {
		s.internalError(w, r, "creating item", err)
		return
	}
	w.Header().Set("Location", "/api/items/"+strconv.FormatInt(item.ID, 10))
	writeJSON(w, http.StatusCreated, item)
}

// internalError logs err and answers 500 without revealing internals.
func (s *server) internalError(w http.ResponseWriter, r *http.Request, what string, err error) {
	s.Logger.ErrorContext(r.Context(), what+" failed", "error", err)
	writeError(w, http.StatusInternalServerError, "internal error")
}

func writeError(w http.ResponseWriter, status int, msg string) {
	writeJSON(w, status, map[string]string{"error": msg})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(status)
	// The status line is sent; an encoding error can only be a broken connection.
	_ = json.NewEncoder(w).Encode(v)
}
