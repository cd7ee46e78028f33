// Package run holds hashgate's use cases: prepare a run from a validated
// config, then dry-run, upload, write a platform file or check fixtures.
// Each cobra command in internal/cli parses its flags, loads the config and
// makes one call here.
//
// run imports nothing of cli, cobra or viper, and no net/http: it receives
// what it touches outside the process as plain values (Env) — streams,
// clock, logger, the state directory and a function that builds a
// platform's client.
package run

import (
	"context"
	"io"
	"log/slog"
	"time"

	"github.com/hashgate/hashgate/internal/config"
	"github.com/hashgate/hashgate/internal/conversion"
	"github.com/hashgate/hashgate/internal/destination"
	"github.com/hashgate/hashgate/internal/platform"
)

// Env is everything a use case touches outside itself.
type Env struct {
	In     io.Reader
	Out    io.Writer // data only
	ErrOut io.Writer // for people
	Now    func() time.Time
	// Logger writes diagnostics to stderr; it never receives raw values.
	Logger *slog.Logger
	// Sleep waits between retries; tests make it instant. nil: real time.
	Sleep func(ctx context.Context, d time.Duration) error
	// IsTerminal reports whether stderr is a terminal (progress display).
	IsTerminal func() bool
	// StdinIsTerminal reports whether standard input is a terminal: an
	// export read from it is announced on stderr (openStdin). nil: no.
	StdinIsTerminal func() bool
	// StateDir is $XDG_STATE_HOME/hashgate: ledger, reports, last run.
	StateDir func() (string, error)
	// ConfigFile is the config file the command loads ("": none). No
	// output replaces it (ownFile).
	ConfigFile string
	// ConfigAbs is the absolute path of the config file read ("": none,
	// every setting from the environment): the run report's "config" and
	// the ledger lock file's holder name it, to tell one clinic's run
	// from another's that gave the same relative --config.
	ConfigAbs string
	// NewClient builds platform p's API client (package clients).
	NewClient func(ctx context.Context, cfg *config.Config, p platform.Platform) (destination.Client, error)
	// Preflight returns platform p's pre-flight check (package clients):
	// dry-runs predict with it what an upload would hold back. nil: no
	// prediction.
	Preflight func(cfg *config.Config, p platform.Platform) func(c *conversion.Conversion, now time.Time) string
	// CheckCredentials runs platform p's credential checks without
	// building a client (package clients: token present, files readable
	// and 0600, key file parses). nil: nothing to check (tests).
	CheckCredentials func(ctx context.Context, cfg *config.Config, p platform.Platform) error
	// Version is the tool's version, kept in reports and the ledger.
	Version string
	// Quiet: print nothing but errors.
	Quiet bool
	// PreviousSecret is HASHGATE_PREVIOUS_SECRET ("": none): the secret
	// the ledger's withdrawals were remembered under before a rotation
	// (prevsecret.go). Never logged.
	PreviousSecret string
}
