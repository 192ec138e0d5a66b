-- Migrations run in file-name order, each once, inside one transaction, by
-- `server migrate` before a release's pods start (see migrate.go). Never edit an
-- applied migration: add a new file, backward compatible with the release before.
CREATE TABLE items (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name       text        NOT NULL CHECK (char_length(name) BETWEEN 1 AND 200),
    created_at timestamptz NOT NULL DEFAULT now()
);
