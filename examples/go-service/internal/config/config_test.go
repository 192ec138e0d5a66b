package config

import (
	"fmt"
	"log/slog"
	"strings"
	"testing"
	"time"
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

// dbEnv is env: this service has no database configuration.
func dbEnv(kv ...string) func(string) (string, bool) { return env(kv...) }

func TestLoad(t *testing.T) {
	defaults := Config{
		Port:            DefaultPort,
		LogLevel:        slog.LevelInfo,
		ShutdownTimeout: 15 * time.Second,
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

// The configuration is logged at start-up: it must never show the password.
func TestConfigLogValueHidesSecrets(t *testing.T) {
	cfg, err := Load(dbEnv())
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
}
