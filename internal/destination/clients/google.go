package clients

import (
	"context"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"

	"golang.org/x/oauth2"
	googleoauth "golang.org/x/oauth2/google"

	"github.com/hashgate/hashgate/internal/config"
	"github.com/hashgate/hashgate/internal/destination"
	"github.com/hashgate/hashgate/internal/destination/google"
	"github.com/hashgate/hashgate/internal/platform"
)

// GoogleToken is what `hashgate auth google` keeps (mode 0600) so nightly
// runs can refresh access without a person.
type GoogleToken struct {
	ClientID     string `json:"client_id"`
	ClientSecret string `json:"client_secret"`
	TokenURL     string `json:"token_uri"`
	RefreshToken string `json:"refresh_token"`
}

// googleTokenSource finds Google credentials, asking only for the
// datamanager scope: a service-account key file when configured, else the
// token stored by `hashgate auth google`, else Application Default
// Credentials. It builds the token source itself (x/oauth2, never the
// API client's own credential options), so a refused token reaches the
// client as an *oauth2.RetrieveError it can read (docs/research/contract-notes.md G6.3,
// G6.4). hint says which credential is in use and how to renew it.
func googleTokenSource(ctx context.Context, cfg *config.Config, d Deps) (ts oauth2.TokenSource, hint string, err error) {
	if d.GoogleTokenSource != nil {
		ts, err := d.GoogleTokenSource(ctx, cfg)
		return holding(ts), "check the test's token source", err
	}
	g := cfg.Destinations.Google
	if g.CredentialsFile != "" {
		const key = "destinations.google.credentials_file"
		raw, err := Secret(d.Getenv, "", g.CredentialsFile, key)
		if err != nil {
			return nil, "", err
		}
		err = checkServiceAccountKey([]byte(raw))
		if err == nil {
			err = checkTokenURI([]byte(raw))
		}
		if err != nil {
			return nil, "", &config.Error{Key: key, Problem: fmt.Sprintf("%s: %v; download a new key (Cloud console → IAM → Service accounts → Keys → Add key → JSON)", g.CredentialsFile, err)}
		}
		creds, err := googleoauth.CredentialsFromJSONWithTypeAndParams(ctx, []byte(raw), googleoauth.ServiceAccount,
			googleoauth.CredentialsParams{Scopes: []string{google.Scope}})
		if err != nil {
			return nil, "", &config.Error{Key: key, Problem: g.CredentialsFile + ": not a service-account key file"}
		}
		holdJSONSecrets([]byte(raw))
		return holding(creds.TokenSource), fmt.Sprintf("the service-account key %s (%s) may have been deleted or disabled: create a new key and name it there", g.CredentialsFile, key), nil
	}
	if path := d.GoogleTokenFile; path != "" && fileExists(path) {
		raw, err := Secret(d.Getenv, "", path, "hashgate auth google token")
		if err != nil {
			return nil, "", err
		}
		var st GoogleToken
		if err := json.Unmarshal([]byte(raw), &st); err != nil || st.RefreshToken == "" {
			return nil, "", &config.Error{Key: "destinations.google.credentials_file", Problem: fmt.Sprintf("%s is not a token stored by hashgate auth google: run `hashgate auth google` again", path)}
		}
		destination.HoldSecret(st.ClientSecret, st.RefreshToken)
		if err := TokenURIProblem(st.TokenURL); err != nil {
			return nil, "", &config.Error{Key: "destinations.google.credentials_file", Problem: fmt.Sprintf("%s: %v: run `hashgate auth google` again", path, err)}
		}
		conf := &oauth2.Config{ClientID: st.ClientID, ClientSecret: st.ClientSecret, Scopes: []string{google.Scope},
			Endpoint: oauth2.Endpoint{AuthURL: googleoauth.Endpoint.AuthURL, TokenURL: st.TokenURL}}
		return holding(conf.TokenSource(ctx, &oauth2.Token{RefreshToken: st.RefreshToken})),
			fmt.Sprintf("run `hashgate auth google` again to replace the token in %s (and publish the OAuth app from \"Testing\" to \"In production\", or its tokens expire every 7 days)", path), nil
	}
	if err := checkDefaultCredentialsFile(d); err != nil {
		return nil, "", err
	}
	creds, err := googleoauth.FindDefaultCredentials(ctx, google.Scope)
	if err != nil {
		return nil, "", &config.Error{Key: "destinations.google.credentials_file",
			Problem: "no Google credentials: name a service-account key file, run `hashgate auth google`, or set up Application Default Credentials"}
	}
	holdJSONSecrets(creds.JSON)
	return holding(creds.TokenSource), "renew Application Default Credentials (gcloud auth application-default login --scopes=https://www.googleapis.com/auth/datamanager,https://www.googleapis.com/auth/cloud-platform), or name a key in destinations.google.credentials_file", nil
}

// ADCEnv names the file Application Default Credentials read first.
const ADCEnv = "GOOGLE_APPLICATION_CREDENTIALS"

// checkDefaultCredentialsFile holds the file Application Default
// Credentials would read — GOOGLE_APPLICATION_CREDENTIALS, else gcloud's
// application_default_credentials.json, where x/oauth2's
// FindDefaultCredentials looks (golang.org/x/oauth2/google, default.go) —
// to the rules of a key named in credentials_file: not readable by group
// or others, and a token_uri that is https (or http to loopback). Without
// it a 0644 key given by the variable was "valid" where the same file in
// credentials_file is refused (security review, 2026-12-07). What the
// credentials are is left to FindDefaultCredentials; no file (the
// metadata server) is not checked here.
//
// The errors are keyed by the ADC source — the variable, or "Application
// Default Credentials" for gcloud's file — not by credentials_file, a key
// the config did not set (they read "GOOGLE_APPLICATION_CREDENTIALS:
// destinations.google.credentials_file: …", sending the reader to a key
// that was not there: a security review's leftover).
func checkDefaultCredentialsFile(d Deps) error {
	path, from := d.Getenv(ADCEnv), ADCEnv
	if path == "" {
		home := d.Getenv("HOME")
		if home == "" {
			return nil
		}
		path, from = filepath.Join(home, ".config", "gcloud", "application_default_credentials.json"), "Application Default Credentials"
		if !fileExists(path) {
			return nil
		}
	}
	raw, err := Secret(d.Getenv, "", path, from)
	if err != nil {
		return err
	}
	if err := checkTokenURI([]byte(raw)); err != nil {
		return &config.Error{Key: from, Problem: fmt.Sprintf("%s: %v", path, err)}
	}
	return nil
}

// checkTokenURI refuses a credentials file whose token_uri — where the
// signed assertion or the refresh token and client secret are sent
// (Google's key files carry "token_uri": "https://oauth2.googleapis.com/token";
// x/oauth2/google reads the field, JWTTokenURL when it is absent) — is
// not an address the endpoints could be.
func checkTokenURI(raw []byte) error {
	var k struct {
		TokenURI string `json:"token_uri"`
	}
	if json.Unmarshal(raw, &k) != nil || k.TokenURI == "" {
		return nil
	}
	return TokenURIProblem(k.TokenURI)
}

// TokenURIProblem applies the endpoints' rule (config.EndpointProblem:
// https, or plain http to loopback only) to a token endpoint: over plain
// http to another host a refresh token, a client secret or a signed
// assertion would cross the network in clear text.
func TokenURIProblem(u string) error {
	if p := config.EndpointProblem(u); p != "" {
		return fmt.Errorf("token_uri %s", p)
	}
	return nil
}

// holdingTokenSource registers every token its source issues with
// destination.HoldSecret before anyone uses it, so an endpoint that echoes
// the bearer token (or the refresh token) cannot get it printed.
type holdingTokenSource struct{ ts oauth2.TokenSource }

func (h holdingTokenSource) Token() (*oauth2.Token, error) {
	t, err := h.ts.Token()
	if t != nil {
		destination.HoldSecret(t.AccessToken, t.RefreshToken)
	}
	return t, err
}

func holding(ts oauth2.TokenSource) oauth2.TokenSource {
	if ts == nil {
		return nil
	}
	return holdingTokenSource{ts}
}

// holdJSONSecrets registers the secrets of a Google credentials file —
// a service-account key's private key and key id, an authorized user's
// client secret and refresh token — whichever it holds.
func holdJSONSecrets(raw []byte) {
	var k struct {
		PrivateKey   string `json:"private_key"`
		PrivateKeyID string `json:"private_key_id"`
		ClientSecret string `json:"client_secret"`
		RefreshToken string `json:"refresh_token"`
	}
	if json.Unmarshal(raw, &k) == nil {
		destination.HoldSecret(k.PrivateKey, k.PrivateKeyID, k.ClientSecret, k.RefreshToken)
		// A PEM key's body lines, in case one is echoed alone.
		for _, line := range strings.Split(k.PrivateKey, "\n") {
			destination.HoldSecret(line)
		}
	}
}

// checkServiceAccountKey parses the key the way the token source will, so
// a malformed file is a config error (exit 2) before any request rather
// than a failure at the first token fetch. It never quotes the file.
func checkServiceAccountKey(raw []byte) error {
	var k struct {
		Type        string `json:"type"`
		ClientEmail string `json:"client_email"`
		PrivateKey  string `json:"private_key"`
	}
	if err := json.Unmarshal(raw, &k); err != nil {
		return errors.New("not JSON")
	}
	switch {
	case k.Type != "service_account":
		return fmt.Errorf("type is %q, not service_account", k.Type)
	case k.ClientEmail == "":
		return errors.New("no client_email")
	}
	block, _ := pem.Decode([]byte(k.PrivateKey))
	if block == nil {
		return errors.New("private_key is not a PEM block")
	}
	if _, err := x509.ParsePKCS8PrivateKey(block.Bytes); err != nil {
		if _, err := x509.ParsePKCS1PrivateKey(block.Bytes); err != nil {
			return errors.New("private_key does not parse (PKCS #8 or PKCS #1)")
		}
	}
	return nil
}

func fileExists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}

// NewGoogle builds the Data Manager client with an authenticated transport
// over hc. `hashgate status` uses it directly for request status.
func NewGoogle(ctx context.Context, cfg *config.Config, d Deps, hc *http.Client) (*google.Client, error) {
	// Token requests go through hc too (x/oauth2 reads it from the
	// context), so they follow no redirect either; without it a service
	// account's or ADC's token source would use http.DefaultClient.
	g := cfg.Destinations.Google
	hc = perRequest(destination.NoRedirects(hc), timeout(g.Sending))
	ctx = context.WithValue(ctx, oauth2.HTTPClient, hc)
	ts, hint, err := googleTokenSource(ctx, cfg, d)
	if err != nil {
		return nil, err
	}
	authed := oauth2.NewClient(context.WithValue(context.WithoutCancel(ctx), oauth2.HTTPClient, hc), ts)
	return google.New(ctx, google.Config{
		Endpoint:           g.Endpoint,
		OperatingAccount:   config.GoogleCustomerID(g.OperatingAccount),
		LoginAccount:       config.GoogleCustomerID(g.LoginAccount),
		ConversionActionID: g.ConversionActionID,
		BookingActionID:    bookingAction(cfg),
		EventSource:        g.EventSource,
		Credentials:        hint,
		ValidateOnly:       g.ValidateOnly,
		MaxEventAge:        eventAge(g.Sending),
		Timeout:            timeout(g.Sending),
	}, authed)
}

// bookingAction is the conversion action bookings go to, "" when
// conversion.bookings is off.
func bookingAction(cfg *config.Config) string {
	if !cfg.Conversion.Bookings.Enabled {
		return ""
	}
	return cfg.Destinations.Google.BookingConversionActionID
}

// StatusPlatform is the platform whose API reports, after an upload, how
// each request was processed (Data Manager requestStatus): `hashgate
// status` asks it about the last run's request ids.
const StatusPlatform = platform.Google
