package cli

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"os"
	"time"

	"golang.org/x/oauth2"
	"golang.org/x/term"

	"github.com/hashgate/hashgate/internal/config"
	"github.com/hashgate/hashgate/internal/conversion"
	"github.com/hashgate/hashgate/internal/destination"
	"github.com/hashgate/hashgate/internal/destination/clients"
	"github.com/hashgate/hashgate/internal/platform"
	"github.com/hashgate/hashgate/internal/run"
)

// IO is the process's standard streams. stdout carries data only; people
// read stderr.
type IO struct {
	In     io.Reader
	Out    io.Writer
	ErrOut io.Writer
}

// Factory injects everything a command touches outside itself, so every
// command runs in-process in tests with buffers, a fixed clock and a fake
// HTTP transport.
type Factory struct {
	IO IO
	// Now is the clock.
	Now func() time.Time
	// Logger writes structured diagnostics to stderr. It never receives raw
	// values: rows and identifiers implement slog.LogValuer as "[redacted]".
	Logger *slog.Logger
	// HTTPClient is built on first use. Dry-runs never call it.
	HTTPClient func() (*http.Client, error)
	// Getenv reads the environment (config overrides, secrets).
	Getenv func(string) string
	// Environ lists the environment's names and values, only to warn of
	// HASHGATE_ names no setting has (warnUnknownEnv); nil checks nothing.
	// Main sets it to the process's: tests that inject Getenv inject this
	// beside it, or leave it nil.
	Environ func() []string
	// Sleep waits between retries; tests make it instant. nil: real time.
	Sleep func(ctx context.Context, d time.Duration) error
	// IsTerminal reports whether stderr is a terminal (progress display).
	IsTerminal func() bool
	// StdinIsTerminal reports whether standard input is a terminal: a
	// command with no export argument then refuses to wait for one typed
	// there (exit 2), and "-" says on stderr that it reads it. nil: no.
	StdinIsTerminal func() bool
	// GoogleTokenSource, when set, replaces Google credential discovery
	// (tests give a static token).
	GoogleTokenSource func(ctx context.Context, cfg *config.Config) (oauth2.TokenSource, error)
}

// NewFactory returns the factory for a real process.
func NewFactory(stdin io.Reader, stdout, stderr io.Writer) *Factory {
	return &Factory{
		IO:     IO{In: stdin, Out: stdout, ErrOut: stderr},
		Now:    time.Now,
		Logger: slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelWarn})),
		// 60 s bounds token requests and `hashgate auth`; each destination
		// raises it to its timeout_seconds (clients.perRequest).
		HTTPClient: func() (*http.Client, error) { return &http.Client{Timeout: 60 * time.Second}, nil },
		Getenv:     os.Getenv,
		IsTerminal: func() bool {
			fh, ok := stderr.(*os.File)
			return ok && term.IsTerminal(int(fh.Fd()))
		},
		StdinIsTerminal: func() bool {
			fh, ok := stdin.(*os.File)
			return ok && term.IsTerminal(int(fh.Fd()))
		},
	}
}

// noExport refuses a command given no export argument while standard
// input is a terminal: it would wait there, silent, for an export nobody
// is typing. Piped or redirected, standard input is read as before.
func (f *Factory) noExport(args []string) error {
	if len(args) > 0 || f.StdinIsTerminal == nil || !f.StdinIsTerminal() {
		return nil
	}
	return &UsageError{Err: errors.New(`no export given, and standard input is a terminal: name the export file, or pipe it in ("-" reads standard input)`)}
}

// env hands a use case (package run) the factory's pieces as plain values.
// root is nil for commands without the shared flags.
func (f *Factory) env(root *rootOptions) *run.Env {
	return &run.Env{
		In: f.IO.In, Out: f.IO.Out, ErrOut: f.IO.ErrOut,
		Now: f.Now, Logger: f.Logger, Sleep: f.Sleep, IsTerminal: f.IsTerminal, StdinIsTerminal: f.StdinIsTerminal,
		StateDir: func() (string, error) { return stateDir(f) },
		NewClient: func(ctx context.Context, cfg *config.Config, p platform.Platform) (destination.Client, error) {
			return clients.New(ctx, cfg, p, clientDeps(f))
		},
		Preflight: func(cfg *config.Config, p platform.Platform) func(*conversion.Conversion, time.Time) string {
			return clients.Preflight(cfg, p)
		},
		CheckCredentials: func(ctx context.Context, cfg *config.Config, p platform.Platform) error {
			return clients.Check(ctx, cfg, p, clientDeps(f))
		},
		Version: version(),
		Quiet:   root != nil && root.Quiet,
		// The environment's alone: no config key reads it (never the file).
		PreviousSecret: getenv(f, run.PreviousSecretEnv),
		ConfigFile:     configFileOf(f, root),
		ConfigAbs:      configAbsOf(f, root),
	}
}

// configAbsOf is the absolute path of the config file the command reads,
// for its report and the ledger's lock file (run.Env.ConfigAbs).
func configAbsOf(f *Factory, root *rootOptions) string {
	_, abs := namedConfig(f, root, readsConfig)
	return abs
}

// configFileOf is the config file the command loads, for the outputs'
// check (run.Env.ConfigFile): "" for commands without the shared flags.
func configFileOf(f *Factory, root *rootOptions) string {
	if root == nil {
		return ""
	}
	path, _ := configPath(f, root.ConfigPath, root.configChanged)
	return path
}

// getenv is f.Getenv(name), "" without one.
func getenv(f *Factory, name string) string {
	if f.Getenv == nil {
		return ""
	}
	return f.Getenv(name)
}
