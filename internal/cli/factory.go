package cli

import (
	"context"
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
	// GoogleTokenSource, when set, replaces Google credential discovery
	// (tests give a static token).
	GoogleTokenSource func(ctx context.Context, cfg *config.Config) (oauth2.TokenSource, error)
}

// NewFactory returns the factory for a real process.
func NewFactory(stdin io.Reader, stdout, stderr io.Writer) *Factory {
	return &Factory{
		IO:         IO{In: stdin, Out: stdout, ErrOut: stderr},
		Now:        time.Now,
		Logger:     slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelWarn})),
		HTTPClient: func() (*http.Client, error) { return &http.Client{Timeout: 60 * time.Second}, nil },
		Getenv:     os.Getenv,
		IsTerminal: func() bool {
			fh, ok := stderr.(*os.File)
			return ok && term.IsTerminal(int(fh.Fd()))
		},
	}
}

// env hands a use case (package run) the factory's pieces as plain values.
// root is nil for commands without the shared flags.
func (f *Factory) env(root *rootOptions) *run.Env {
	return &run.Env{
		In: f.IO.In, Out: f.IO.Out, ErrOut: f.IO.ErrOut,
		Now: f.Now, Logger: f.Logger, Sleep: f.Sleep, IsTerminal: f.IsTerminal,
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
	}
}
