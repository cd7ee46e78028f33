package cli

import (
	"log/slog"
	"net/http"
	"path/filepath"

	"github.com/hashgate/hashgate/internal/destination/clients"
)

// googleTokenPath is where `hashgate auth google` stores its token.
func googleTokenPath(f *Factory) (string, error) {
	dir, err := xdgDir(f, "XDG_CONFIG_HOME", ".config")
	return filepath.Join(dir, "google-token.json"), err
}

// clientDeps hands client construction (package clients) the factory's
// HTTP client, environment and credential hooks.
func clientDeps(f *Factory) clients.Deps {
	httpClient := func() (*http.Client, error) {
		hc, err := f.HTTPClient()
		if err != nil || hc == nil {
			return hc, err
		}
		return withRequestLog(hc, func() *slog.Logger { return f.Logger }), nil
	}
	d := clients.Deps{HTTPClient: httpClient, Getenv: f.Getenv, GoogleTokenSource: f.GoogleTokenSource}
	if path, err := googleTokenPath(f); err == nil {
		d.GoogleTokenFile = path
	}
	return d
}

// storedGoogleToken is what `hashgate auth google` keeps.
type storedGoogleToken = clients.GoogleToken
