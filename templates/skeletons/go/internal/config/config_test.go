package config

import (
	"fmt"
	"log/slog"
	"strings"
	"testing"
	"time"
{%- if values.database %}

	"github.com/jackc/pgx/v5/pgconn"
{%- endif %}
)

// env returns a lookup function over a fixed environment.
func env(kv ...string) func(string) (string, bool) {
	m := map[string]string{}
	for i := 0; i+1 < len(kv); i += 2 {
		m[kv[i]] = kv[i+1]
	}
	return func(key string) (string, bool) {
		v, ok := m[key]
		return v, ok
	}
}

{%- if values.database %}

// dbEnv is the minimal database configuration, appended to other variables.
func dbEnv(kv ...string) func(string) (string, bool) {
	return env(append([]string{"DATABASE_URL", "postgres://app@db:5432/app"}, kv...)...)
}
{%- else %}

// dbEnv is env: this service has no database configuration.
func dbEnv(kv ...string) func(string) (string, bool) { return env(kv...) }
{%- endif %}

func TestLoad(t *testing.T) {
	defaults := Config{
		Port:            DefaultPort,
		LogLevel:        slog.LevelInfo,
		ShutdownTimeout: 15 * time.Second,
{%- if values.database %}
		DatabaseURL:     "postgres://app@db:5432/app",
{%- endif %}
	}
	with := func(change func(*Config)) Config {
		c := defaults
		change(&c)
		return c
	}
	tests := []struct {
		name    string
		env     func(string) (string, bool)
		want    Config
		wantErr []string // substrings, one per expected problem
	}{
		{name: "defaults", env: dbEnv(), want: defaults},
		{name: "port", env: dbEnv("PORT", "9090"), want: with(func(c *Config) { c.Port = 9090 })},
		{name: "spaces are trimmed", env: dbEnv("PORT", " 9090 "), want: with(func(c *Config) { c.Port = 9090 })},
		{name: "empty means default", env: dbEnv("PORT", "", "LOG_LEVEL", ""), want: defaults},
		{name: "log level", env: dbEnv("LOG_LEVEL", "debug"), want: with(func(c *Config) { c.LogLevel = slog.LevelDebug })},
		{name: "log level is case-insensitive", env: dbEnv("LOG_LEVEL", "WARN"), want: with(func(c *Config) { c.LogLevel = slog.LevelWarn })},
		{name: "shutdown", env: dbEnv("SHUTDOWN_DELAY", "5s", "SHUTDOWN_TIMEOUT", "1m"), want: with(func(c *Config) {
			c.ShutdownDelay = 5 * time.Second
			c.ShutdownTimeout = time.Minute
		})},
		{name: "port not a number", env: dbEnv("PORT", "http"), wantErr: []string{`PORT must be a number from 1 to 65535, got "http"`}},
		{name: "port out of range", env: dbEnv("PORT", "70000"), wantErr: []string{"PORT must be"}},
		{name: "port zero", env: dbEnv("PORT", "0"), wantErr: []string{"PORT must be"}},
		{name: "bad log level", env: dbEnv("LOG_LEVEL", "verbose"), wantErr: []string{`LOG_LEVEL must be one of debug, info, warn, error, got "verbose"`}},
		{name: "bad delay", env: dbEnv("SHUTDOWN_DELAY", "-1s"), wantErr: []string{"SHUTDOWN_DELAY"}},
		{name: "bad timeout", env: dbEnv("SHUTDOWN_TIMEOUT", "0s"), wantErr: []string{"SHUTDOWN_TIMEOUT"}},
		{name: "every problem is reported", env: dbEnv("PORT", "x", "LOG_LEVEL", "y"), wantErr: []string{"PORT", "LOG_LEVEL"}},
{%- if values.database %}
		{name: "no database settings", env: env(), wantErr: []string{"set DATABASE_URL, or DB_HOST, DB_NAME and DB_USER"}},
		{
			name: "DB_* variables of the CloudNativePG secret",
			env:  env("DB_HOST", "orders-db-rw", "DB_PORT", "5432", "DB_NAME", "app", "DB_USER", "app", "DB_PASSWORD", "s3cr3t"),
			want: with(func(c *Config) { c.DatabaseURL = "postgres://app:s3cr3t@orders-db-rw:5432/app?sslmode=require" }),
		},
		{
			name: "DB_* defaults and sslmode",
			env:  env("DB_HOST", "localhost", "DB_NAME", "app", "DB_USER", "app", "DB_SSLMODE", "disable"),
			want: with(func(c *Config) { c.DatabaseURL = "postgres://app@localhost:5432/app?sslmode=disable" }),
		},
		{
			name: "DATABASE_URL wins over DB_*",
			env:  env("DATABASE_URL", "postgres://u@h/d", "DB_HOST", "ignored"),
			want: with(func(c *Config) { c.DatabaseURL = "postgres://u@h/d" }),
		},
		{name: "DB_* incomplete", env: env("DB_HOST", "db"), wantErr: []string{"DB_NAME is required", "DB_USER is required"}},
		{name: "bad DB_PORT", env: env("DB_HOST", "db", "DB_NAME", "n", "DB_USER", "u", "DB_PORT", "pg"), wantErr: []string{"DB_PORT must be"}},
		{name: "bad DB_SSLMODE", env: env("DB_HOST", "db", "DB_NAME", "n", "DB_USER", "u", "DB_SSLMODE", "on"), wantErr: []string{"DB_SSLMODE must be one of"}},
		{name: "invalid DATABASE_URL", env: env("DATABASE_URL", "postgres://u:hunter2@h:notaport/d"), wantErr: []string{"DATABASE_URL is not a valid"}},
{%- endif %}
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Load(tt.env)
			if len(tt.wantErr) > 0 {
				if err == nil {
					t.Fatalf("Load() = %+v, want an error", got)
				}
				for _, want := range tt.wantErr {
					if !strings.Contains(err.Error(), want) {
						t.Errorf("error %q does not contain %q", err, want)
					}
				}
				if strings.Contains(err.Error(), "hunter2") {
					t.Errorf("error reveals the password: %q", err)
				}
				return
			}
			if err != nil {
				t.Fatalf("Load() error = %v", err)
			}
			if got != tt.want {
				t.Errorf("Load() = %#v\nwant     %#v", got, tt.want)
			}
		})
	}
}

{%- if values.database %}

// Passwords with URL-special characters survive the round trip through the URL.
func TestDatabasePasswordIsEscaped(t *testing.T) {
	const password = "p@ss:w/rd?#% é"
	cfg, err := Load(env("DB_HOST", "db", "DB_NAME", "app", "DB_USER", "app", "DB_PASSWORD", password))
	if err != nil {
		t.Fatal(err)
	}
	pc, err := pgconn.ParseConfig(cfg.DatabaseURL)
	if err != nil {
		t.Fatal(err)
	}
	if pc.Password != password || pc.Host != "db" || pc.Database != "app" || pc.User != "app" {
		t.Errorf("parsed %s@%s/%s with password %q", pc.User, pc.Host, pc.Database, pc.Password)
	}
}
{%- endif %}

// The configuration is logged at start-up: it must never show the password.
func TestConfigLogValueHidesSecrets(t *testing.T) {
{%- if values.database %}
	cfg, err := Load(dbEnv("DATABASE_URL", "postgres://app:hunter2@db:5432/app"))
{%- else %}
	cfg, err := Load(dbEnv())
{%- endif %}
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{cfg.String(), fmt.Sprintf("%v %+v", cfg, cfg), cfg.LogValue().String()} {
		if strings.Contains(s, "hunter2") {
			t.Errorf("password in %q", s)
		}
		if !strings.Contains(s, fmt.Sprint(DefaultPort)) {
			t.Errorf("port missing from %q", s)
		}
	}
{%- if values.database %}
	if s := cfg.LogValue().String(); !strings.Contains(s, "db") || !strings.Contains(s, "app") {
		t.Errorf("database host and name missing from %q", s)
	}
{%- endif %}
}
