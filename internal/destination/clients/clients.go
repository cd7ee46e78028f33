// Package clients builds each platform's destination.Client from the
// configuration: credentials, the authenticated transport and the Spec's
// limits. The list of platforms with a client is explicit (constructors
// below), as restic's backend list is: no init() registration, so what a
// build can send to is read in one place.
package clients

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"os"
	"strings"
	"time"

	"golang.org/x/oauth2"

	"github.com/hashgate/hashgate/internal/config"
	"github.com/hashgate/hashgate/internal/conversion"
	"github.com/hashgate/hashgate/internal/destination"
	"github.com/hashgate/hashgate/internal/destination/google"
	"github.com/hashgate/hashgate/internal/destination/meta"
	"github.com/hashgate/hashgate/internal/platform"
)

// Deps is what building a client touches outside the config.
type Deps struct {
	// HTTPClient is the base client, built on first use.
	HTTPClient func() (*http.Client, error)
	// Getenv reads the environment (access tokens).
	Getenv func(string) string
	// GoogleTokenFile is where `hashgate auth google` keeps its token.
	GoogleTokenFile string
	// GoogleTokenSource, when set, replaces Google credential discovery
	// (tests give a static token).
	GoogleTokenSource func(ctx context.Context, cfg *config.Config) (oauth2.TokenSource, error)
}

// constructor builds one platform's client over the base HTTP client.
type constructor func(ctx context.Context, cfg *config.Config, d Deps, hc *http.Client) (destination.Client, error)

// constructors is the explicit list of platforms hashgate can send to.
var constructors = [platform.Count]constructor{
	platform.Google: newGoogleClient,
	platform.Meta:   newMetaClient,
}

// New builds the client of platform p.
func New(ctx context.Context, cfg *config.Config, p platform.Platform, d Deps) (destination.Client, error) {
	// The event-id secret is a credential the process holds: no platform
	// text may carry it (destination.HoldSecret).
	destination.HoldSecret(cfg.Secret)
	hc, err := d.HTTPClient()
	if err != nil {
		return nil, err
	}
	hc = destination.NoRedirects(hc)
	if int(p) >= len(constructors) || constructors[p] == nil {
		return nil, fmt.Errorf("no client for %s", p)
	}
	return constructors[p](ctx, cfg, d, hc)
}

// PreflightFunc is a platform's pre-flight check: "" when the conversion
// may be sent, else the reason it would be held back.
type PreflightFunc func(c *conversion.Conversion, now time.Time) string

// preflights is each platform's check without a client: no credential,
// no network. Dry-runs predict with it what an upload would hold back.
var preflights = [platform.Count]func(cfg *config.Config, maxAge time.Duration) PreflightFunc{
	platform.Google: func(_ *config.Config, maxAge time.Duration) PreflightFunc {
		return func(c *conversion.Conversion, now time.Time) string { return google.Preflight(c, now, maxAge) }
	},
	platform.Meta: func(cfg *config.Config, maxAge time.Duration) PreflightFunc {
		zero := cfg.Destinations.Meta.SendZeroValue
		return func(c *conversion.Conversion, now time.Time) string { return meta.Preflight(c, now, maxAge, zero) }
	},
}

// Preflight returns platform p's pre-flight check under cfg.
func Preflight(cfg *config.Config, p platform.Platform) PreflightFunc {
	if int(p) >= len(preflights) || preflights[p] == nil {
		return func(*conversion.Conversion, time.Time) string { return "" }
	}
	return preflights[p](cfg, eventAge(cfg.Sending(p)))
}

// eventAge and timeout turn a Sending block into durations.
func eventAge(s config.Sending) time.Duration {
	return time.Duration(s.MaxEventAgeDays) * 24 * time.Hour
}

func timeout(s config.Sending) time.Duration { return time.Duration(s.TimeoutSeconds) * time.Second }

// perRequest returns hc, or a copy of it whose overall Timeout is no
// shorter than d, the destination's configured per-request timeout
// (timeout_seconds). The platform clients bound each request with a
// context deadline of d; the base client's own Timeout (the factory's, 60
// s, a floor for token and `hashgate auth` requests) would otherwise cut
// every request at the shorter of the two, silently: Google's default is
// 120 s, so an ingest answered in 61-120 s would time out, be retried and
// end unanswered. A zero Timeout (none) is kept.
func perRequest(hc *http.Client, d time.Duration) *http.Client {
	if hc == nil || hc.Timeout == 0 || hc.Timeout >= d {
		return hc
	}
	c := *hc
	c.Timeout = d
	return &c
}

// MetaTokenEnv carries Meta's access token; the config file never does.
const MetaTokenEnv = "HASHGATE_META_ACCESS_TOKEN"

// checks are each platform's credential checks without a client or an
// HTTP client: what `config validate --upload` and an upload's preflight
// run before anything is written. The constructors read the credentials
// through the same functions.
var checks = [platform.Count]func(ctx context.Context, cfg *config.Config, d Deps) error{
	platform.Google: func(ctx context.Context, cfg *config.Config, d Deps) error {
		_, _, err := googleTokenSource(ctx, cfg, d)
		return err
	},
	platform.Meta: func(_ context.Context, cfg *config.Config, d Deps) error {
		_, _, err := metaSecrets(cfg, d)
		return err
	},
}

// Check runs platform p's credential checks — a token present, token, key
// and secret files readable and not readable by others, a Google key file
// that parses — without building a client. It makes no request.
func Check(ctx context.Context, cfg *config.Config, p platform.Platform, d Deps) error {
	if int(p) >= len(checks) || checks[p] == nil {
		return fmt.Errorf("no client for %s", p)
	}
	return checks[p](ctx, cfg, d)
}

// metaSecrets reads Meta's access token and app secret.
func metaSecrets(cfg *config.Config, d Deps) (token, appSecret string, err error) {
	m := cfg.Destinations.Meta
	token, err = Secret(d.Getenv, MetaTokenEnv, m.AccessTokenFile, "destinations.meta.access_token_file")
	if err != nil {
		return "", "", err
	}
	if token == "" {
		return "", "", &config.Error{Key: "destinations.meta.access_token_file", Problem: "no Meta access token: set " + MetaTokenEnv + " or name a file (mode 0600)"}
	}
	if m.AppSecretFile != "" {
		if appSecret, err = Secret(d.Getenv, "", m.AppSecretFile, "destinations.meta.app_secret_file"); err != nil {
			return "", "", err
		}
	}
	return token, appSecret, nil
}

func newMetaClient(_ context.Context, cfg *config.Config, d Deps, hc *http.Client) (destination.Client, error) {
	m := cfg.Destinations.Meta
	token, appSecret, err := metaSecrets(cfg, d)
	if err != nil {
		return nil, err
	}
	hc = perRequest(hc, timeout(m.Sending))
	c, err := meta.New(meta.Config{
		GraphURL: m.GraphURL, APIVersion: m.APIVersion, DatasetID: m.DatasetID,
		AccessToken: token, AppSecret: appSecret, TestEventCode: m.TestEventCode,
		Credentials:    metaCredentials(d.Getenv, m.AccessTokenFile),
		MaxEventAge:    eventAge(m.Sending),
		LimitedDataUse: m.LimitedDataUse, LDUCountry: m.LDUCountry, LDUState: m.LDUState,
		SendZeroValue: m.SendZeroValue,
		Timeout:       timeout(m.Sending),
	}, hc)
	if err != nil {
		return nil, &config.Error{Key: "destinations.meta", Problem: err.Error()}
	}
	return c, nil
}

// metaCredentials says where the token in use came from, for messages
// about a refused one.
// The file named in the config wins over the variable (Secret).
func metaCredentials(_ func(string) string, file string) string {
	if file != "" {
		return "the token came from " + file + " (destinations.meta.access_token_file)"
	}
	return "the token came from " + MetaTokenEnv
}

func newGoogleClient(ctx context.Context, cfg *config.Config, d Deps, hc *http.Client) (destination.Client, error) {
	return NewGoogle(ctx, cfg, d, hc)
}

// Secret reads a secret from file when one is named, else from the
// environment variable env (when not empty). A file named in the config
// wins over the variable, as README documents: naming a file is a
// deliberate choice for this deployment, and the file's permissions are
// checked, while a variable can be inherited by accident from a shell that
// exported another account's token. The file must not be readable by
// group or others. Errors name the key and the file, never the secret.
func Secret(getenv func(string) string, env, file, key string) (string, error) {
	if file == "" {
		if env != "" {
			v := strings.TrimSpace(getenv(env))
			destination.HoldSecret(v)
			return v, nil
		}
		return "", nil
	}
	st, err := os.Stat(file)
	if err != nil {
		var pe *os.PathError
		if errors.As(err, &pe) {
			err = pe.Err
		}
		return "", &config.Error{Key: key, Problem: fmt.Sprintf("%s: %v", file, err)}
	}
	if st.Mode().Perm()&0o077 != 0 {
		// A mounted Kubernetes secret is 0644 and read-only by default:
		// chmod cannot fix it there, the volume's defaultMode can (the
		// closing review).
		return "", &config.Error{Key: key, Problem: fmt.Sprintf("%s is readable by others (mode %04o): chmod 600 it (a mounted Kubernetes secret: set the volume's defaultMode to 0400)", file, st.Mode().Perm())}
	}
	b, err := os.ReadFile(file)
	if err != nil {
		return "", &config.Error{Key: key, Problem: fmt.Sprintf("%s: cannot read", file)}
	}
	v := strings.TrimSpace(string(b))
	destination.HoldSecret(v)
	return v, nil
}
