// Package config reads the service configuration from environment variables and
// validates it once at start-up, so that a misconfigured pod fails fast with a
// message naming every bad variable instead of misbehaving later.
package config

import (
	"errors"
	"fmt"
	"log/slog"
{%- if values.database %}
	"net"
	"net/url"
{%- endif %}
	"strconv"
	"strings"
	"time"
{%- if values.database %}

	"github.com/jackc/pgx/v5/pgconn"
{%- endif %}
)

// DefaultPort is the port the service listens on when PORT is not set.
const DefaultPort = ${{ values.port }}

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
{%- if values.database %}
	// DatabaseURL is a pgx connection string. It can contain the password:
	// never log it (Config implements slog.LogValuer and fmt.Stringer for that).
	DatabaseURL string
{%- endif %}
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
{%- if values.database %}

	dsn, dbErrs := databaseURL(lookup, get)
	cfg.DatabaseURL = dsn
	errs = append(errs, dbErrs...)
{%- endif %}

	if len(errs) > 0 {
		return Config{}, errors.Join(errs...)
	}
	return cfg, nil
}
{%- if values.database %}

// sslModes are the sslmode values libpq and pgx accept.
var sslModes = map[string]bool{
	"disable": true, "allow": true, "prefer": true,
	"require": true, "verify-ca": true, "verify-full": true,
}

// databaseURL returns DATABASE_URL when it is set, and otherwise builds a URL
// from the DB_* variables, which the Helm chart fills from the keys of the
// CloudNativePG application secret (host, port, dbname, username, password).
func databaseURL(lookup func(string) (string, bool), get func(string) string) (string, []error) {
	if v := get("DATABASE_URL"); v != "" {
		if _, err := pgconn.ParseConfig(v); err != nil {
			// The parser's message can quote the connection string, password included.
			return "", []error{errors.New("DATABASE_URL is not a valid PostgreSQL connection string " +
				"(details withheld because they could contain the password)")}
		}
		return v, nil
	}

	host, name, user := get("DB_HOST"), get("DB_NAME"), get("DB_USER")
	if host == "" && name == "" && user == "" {
		return "", []error{errors.New("set DATABASE_URL, or DB_HOST, DB_NAME and DB_USER " +
			"(DB_PORT, DB_PASSWORD and DB_SSLMODE are optional)")}
	}
	var errs []error
	for _, v := range []struct{ key, value string }{{"DB_HOST", host}, {"DB_NAME", name}, {"DB_USER", user}} {
		if v.value == "" {
			errs = append(errs, fmt.Errorf("%s is required when DATABASE_URL is not set", v.key))
		}
	}
	port := get("DB_PORT")
	if port == "" {
		port = "5432"
	} else if p, err := strconv.Atoi(port); err != nil || p < 1 || p > 65535 {
		errs = append(errs, fmt.Errorf("DB_PORT must be a number from 1 to 65535, got %q", port))
	}
	// CloudNativePG serves TLS by default; "require" encrypts without plaintext fallback.
	sslMode := get("DB_SSLMODE")
	if sslMode == "" {
		sslMode = "require"
	} else if !sslModes[sslMode] {
		errs = append(errs, fmt.Errorf("DB_SSLMODE must be one of disable, allow, prefer, require, verify-ca, verify-full, got %q", sslMode))
	}
	if len(errs) > 0 {
		return "", errs
	}

	u := url.URL{
		Scheme:   "postgres",
		User:     url.User(user),
		Host:     net.JoinHostPort(host, port),
		Path:     "/" + name,
		RawQuery: url.Values{"sslmode": {sslMode}}.Encode(),
	}
	// The password is used as is (not trimmed); url.UserPassword escapes it.
	if password, _ := lookup("DB_PASSWORD"); password != "" {
		u.User = url.UserPassword(user, password)
	}
	return u.String(), nil
}
{%- endif %}

// LogValue lists the settings for logs, without secrets.
func (c Config) LogValue() slog.Value {
	attrs := []slog.Attr{
		slog.Int("port", c.Port),
		slog.String("log_level", c.LogLevel.String()),
		slog.String("shutdown_delay", c.ShutdownDelay.String()),
		slog.String("shutdown_timeout", c.ShutdownTimeout.String()),
	}
{%- if values.database %}
	if pc, err := pgconn.ParseConfig(c.DatabaseURL); err == nil {
		attrs = append(attrs, slog.Group("database",
			slog.String("host", pc.Host),
			slog.Int("port", int(pc.Port)),
			slog.String("name", pc.Database),
			slog.String("user", pc.User),
		))
	}
{%- endif %}
	return slog.GroupValue(attrs...)
}

// String keeps fmt and %v from printing secrets.
func (c Config) String() string {
	return c.LogValue().String()
}
