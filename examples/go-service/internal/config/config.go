// Package config reads the service configuration from environment variables and
// validates it once at start-up, so that a misconfigured pod fails fast with a
// message naming every bad variable instead of misbehaving later.
package config

import (
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"time"
)

// DefaultPort is the port the service listens on when PORT is not set.
const DefaultPort = 8080

// Config is the validated service configuration.
type Config struct {
	// Port is the TCP port for the API, health checks and metrics.
	Port int
	// LogLevel is the minimum level of the JSON logs.
	LogLevel slog.Level
	// ShutdownDelay is how long the service keeps serving, while reporting
	// not-ready, after SIGTERM: time for endpoints to stop routing to it.
	ShutdownDelay time.Duration
	// ShutdownTimeout bounds how long in-flight requests may take to finish.
	ShutdownTimeout time.Duration
}

// Load reads the configuration with lookup (os.LookupEnv in production) and
// reports all invalid or missing variables at once.
func Load(lookup func(string) (string, bool)) (Config, error) {
	get := func(key string) string {
		v, _ := lookup(key)
		return strings.TrimSpace(v)
	}
	cfg := Config{
		Port:            DefaultPort,
		LogLevel:        slog.LevelInfo,
		ShutdownTimeout: 15 * time.Second,
	}
	var errs []error

	if v := get("PORT"); v != "" {
		port, err := strconv.Atoi(v)
		if err != nil || port < 1 || port > 65535 {
			errs = append(errs, fmt.Errorf("PORT must be a number from 1 to 65535, got %q", v))
		} else {
			cfg.Port = port
		}
	}
	if v := get("LOG_LEVEL"); v != "" {
		if err := cfg.LogLevel.UnmarshalText([]byte(v)); err != nil {
			errs = append(errs, fmt.Errorf("LOG_LEVEL must be one of debug, info, warn, error, got %q", v))
		}
	}
	if v := get("SHUTDOWN_DELAY"); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil || d < 0 {
			errs = append(errs, fmt.Errorf("SHUTDOWN_DELAY must be a duration such as 5s (0 or more), got %q", v))
		} else {
			cfg.ShutdownDelay = d
		}
	}
	if v := get("SHUTDOWN_TIMEOUT"); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil || d <= 0 {
			errs = append(errs, fmt.Errorf("SHUTDOWN_TIMEOUT must be a positive duration such as 15s, got %q", v))
		} else {
			cfg.ShutdownTimeout = d
		}
	}

	if len(errs) > 0 {
		return Config{}, errors.Join(errs...)
	}
	return cfg, nil
}

// LogValue lists the settings for logs, without secrets.
func (c Config) LogValue() slog.Value {
	attrs := []slog.Attr{
		slog.Int("port", c.Port),
		slog.String("log_level", c.LogLevel.String()),
		slog.String("shutdown_delay", c.ShutdownDelay.String()),
		slog.String("shutdown_timeout", c.ShutdownTimeout.String()),
	}
	return slog.GroupValue(attrs...)
}

// String keeps fmt and %v from printing secrets.
func (c Config) String() string {
	return c.LogValue().String()
}
