package clients

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"

	"golang.org/x/oauth2"
	googleoauth "golang.org/x/oauth2/google"

	"github.com/hashgate/hashgate/internal/config"
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
// Credentials.
func googleTokenSource(ctx context.Context, cfg *config.Config, d Deps) (oauth2.TokenSource, error) {
	if d.GoogleTokenSource != nil {
		return d.GoogleTokenSource(ctx, cfg)
	}
	g := cfg.Destinations.Google
	if g.CredentialsFile != "" {
		key, err := Secret(d.Getenv, "", g.CredentialsFile, "destinations.google.credentials_file")
		if err != nil {
			return nil, err
		}
		creds, err := googleoauth.CredentialsFromJSONWithTypeAndParams(ctx, []byte(key), googleoauth.ServiceAccount,
			googleoauth.CredentialsParams{Scopes: []string{google.Scope}})
		if err != nil {
			return nil, &config.Error{Key: "destinations.google.credentials_file", Problem: "not a service-account key file"}
		}
		return creds.TokenSource, nil
	}
	if path := d.GoogleTokenFile; path != "" && fileExists(path) {
		raw, err := Secret(d.Getenv, "", path, "hashgate auth google token")
		if err != nil {
			return nil, err
		}
		var st GoogleToken
		if err := json.Unmarshal([]byte(raw), &st); err != nil || st.RefreshToken == "" {
			return nil, fmt.Errorf("%s is not a token stored by hashgate auth google: run it again", path)
		}
		conf := &oauth2.Config{ClientID: st.ClientID, ClientSecret: st.ClientSecret, Scopes: []string{google.Scope},
			Endpoint: oauth2.Endpoint{AuthURL: googleoauth.Endpoint.AuthURL, TokenURL: st.TokenURL}}
		return conf.TokenSource(ctx, &oauth2.Token{RefreshToken: st.RefreshToken}), nil
	}
	creds, err := googleoauth.FindDefaultCredentials(ctx, google.Scope)
	if err != nil {
		return nil, &config.Error{Key: "destinations.google.credentials_file",
			Problem: "no Google credentials: name a service-account key file, run `hashgate auth google`, or set up Application Default Credentials"}
	}
	return creds.TokenSource, nil
}

func fileExists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}

// NewGoogle builds the Data Manager client with an authenticated transport
// over hc. `hashgate status` uses it directly for request status.
func NewGoogle(ctx context.Context, cfg *config.Config, d Deps, hc *http.Client) (*google.Client, error) {
	ts, err := googleTokenSource(ctx, cfg, d)
	if err != nil {
		return nil, err
	}
	authed := oauth2.NewClient(context.WithValue(context.WithoutCancel(ctx), oauth2.HTTPClient, hc), ts)
	g := cfg.Destinations.Google
	return google.New(ctx, google.Config{
		Endpoint:           g.Endpoint,
		OperatingAccount:   config.GoogleCustomerID(g.OperatingAccount),
		LoginAccount:       config.GoogleCustomerID(g.LoginAccount),
		ConversionActionID: g.ConversionActionID,
		ValidateOnly:       g.ValidateOnly,
		MaxEventAge:        eventAge(g.Sending),
		Timeout:            timeout(g.Sending),
	}, authed)
}

// StatusPlatform is the platform whose API reports, after an upload, how
// each request was processed (Data Manager requestStatus): `hashgate
// status` asks it about the last run's request ids.
const StatusPlatform = platform.Google
