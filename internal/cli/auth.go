package cli

import (
	"bufio"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
	"golang.org/x/oauth2"
	googleoauth "golang.org/x/oauth2/google"

	"github.com/hashgate/hashgate/internal/destination"
	"github.com/hashgate/hashgate/internal/destination/clients"
	"github.com/hashgate/hashgate/internal/destination/google"
	"github.com/hashgate/hashgate/internal/outfile"
)

// AuthOptions are the inputs of `hashgate auth google`.
type AuthOptions struct {
	f     *Factory
	root  *rootOptions
	flags *pflag.FlagSet
	// ClientFile is the OAuth client (type "installed") downloaded from the
	// Google Cloud console.
	ClientFile string
}

func newAuthCmd(f *Factory, root *rootOptions) *cobra.Command {
	cmd := &cobra.Command{
		Use:     "auth",
		Short:   "Obtain platform credentials once, for unattended runs",
		Example: `  hashgate auth google --client client_secret.json`,
		Args:    subcommandArgs,
		RunE:    func(c *cobra.Command, _ []string) error { return c.Help() },
	}
	opts := &AuthOptions{f: f, root: root}
	g := &cobra.Command{
		Use:   "google --client FILE",
		Short: "Authorise hashgate for Google's Data Manager API (installed-app OAuth flow)",
		Long: `auth google runs Google's installed-app OAuth flow once and stores the refresh
token (mode 0600) under $XDG_CONFIG_HOME/hashgate/google-token.json, for nightly
runs without a person. It asks for the datamanager scope only.

It prints a consent URL. Open it in a browser on this machine and the browser
comes back to a one-time listener on 127.0.0.1; on another machine, paste
the code (or the whole address the browser ended on) here instead.

Service accounts and Application Default Credentials need no auth step:
set destinations.google.credentials_file, or leave it empty for ADC.`,
		Example: `  hashgate auth google --client client_secret.json
  hashgate auth google --client client_secret.json --config /etc/hashgate/hashgate.yaml`,
		Args: usageArgs(cobra.NoArgs),
		RunE: func(c *cobra.Command, _ []string) error {
			opts.flags = c.Flags()
			return authGoogleRun(c.Context(), opts)
		},
	}
	g.Flags().StringVar(&opts.ClientFile, "client", "", "OAuth client JSON (type installed) from the Google Cloud console")
	cmd.AddCommand(g)
	return cmd
}

func authGoogleRun(ctx context.Context, o *AuthOptions) error {
	f := o.f
	if o.ClientFile == "" {
		return &UsageError{Err: errors.New("--client FILE is required: the OAuth client (Desktop app) JSON from the Google Cloud console")}
	}
	raw, err := os.ReadFile(o.ClientFile)
	if err != nil {
		return &UsageError{Err: fmt.Errorf("--client: %w", err)}
	}
	conf, err := googleoauth.ConfigFromJSON(raw, google.Scope)
	if err != nil {
		return &UsageError{Err: fmt.Errorf("--client %s: not an OAuth client file", o.ClientFile)}
	}
	// The client secret and, below, the code and tokens are credentials
	// this process holds: no platform text may carry them.
	destination.HoldSecret(conf.ClientSecret)
	// The code exchange sends the code, the PKCE verifier and the client
	// secret to the client file's token_uri: refused, before the consent
	// URL is printed, where the uploads' refresh refuses it (a security
	// review: "http://anyhost/" was used as it stood). Console downloads
	// carry "token_uri": "https://oauth2.googleapis.com/token" (older ones
	// https://accounts.google.com/o/oauth2/token): e.g. the installed
	// client_secrets.json files in google-api-python-client's samples.
	if err := clients.TokenURIProblem(conf.Endpoint.TokenURL); err != nil {
		return &UsageError{Err: fmt.Errorf("--client %s: %w: the code and the client secret would be sent there; download the client file again from the Google Cloud console (Google's token_uri is https://oauth2.googleapis.com/token)", o.ClientFile, err)}
	}
	// Where the token will be stored is checked before the consent URL
	// is printed: a refusal after the person has consented costs them a
	// second consent (storeGoogleToken).
	path, err := googleTokenPath(f)
	if err != nil {
		return err
	}
	if err := outfile.CheckSecret(path); err != nil {
		return &UsageError{Err: fmt.Errorf("the token file: %w", err)}
	}
	// Its folders too, as the config's (checkConfigWritable): whoever
	// can write one can rename the token away and put their own refresh
	// token in its place, so uploads would go to their account.
	if dir, mode := outfile.UnsafeFolder(path); dir != "" {
		return &UsageError{Err: fmt.Errorf("the token file %s: %w", path, folderProblem(dir, mode, "the refresh token", "XDG_CONFIG_HOME"))}
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return fmt.Errorf("start the loopback listener: %w", err)
	}
	defer ln.Close()
	conf.RedirectURL = "http://" + ln.Addr().String() + "/"

	state, verifier := randomHex(16), oauth2.GenerateVerifier()
	codes := make(chan string, 2)
	srv := &http.Server{ReadHeaderTimeout: 10 * time.Second, Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		if q.Get("state") != state || q.Get("code") == "" {
			http.Error(w, "hashgate: this is not the answer to the consent request it started", http.StatusBadRequest)
			return
		}
		fmt.Fprintln(w, "hashgate is authorised. You can close this tab.")
		codes <- q.Get("code")
	})}
	go func() { _ = srv.Serve(ln) }()
	defer srv.Close()
	go func() { // or a pasted code / redirect address
		sc := bufio.NewScanner(f.IO.In)
		for sc.Scan() {
			line := strings.TrimSpace(sc.Text())
			if u, err := url.Parse(line); err == nil && u.Query().Get("code") != "" {
				if u.Query().Get("state") != state {
					continue
				}
				line = u.Query().Get("code")
			}
			if line != "" {
				codes <- line
				return
			}
		}
	}()

	authURL := conf.AuthCodeURL(state, oauth2.AccessTypeOffline, oauth2.S256ChallengeOption(verifier),
		oauth2.SetAuthURLParam("prompt", "consent"))
	fmt.Fprintf(f.IO.ErrOut, "Open this address in a browser and allow access for hashgate:\n\n  %s\n\n"+
		"Waiting for the browser to come back to %s — or paste the code here.\n", authURL, conf.RedirectURL)

	var code string
	select {
	case code = <-codes:
	case <-ctx.Done():
		return ctx.Err()
	}
	destination.HoldSecret(code, verifier)
	tok, err := conf.Exchange(context.WithValue(ctx, oauth2.HTTPClient, mustHTTP(f)), code, oauth2.VerifierOption(verifier))
	if tok != nil {
		destination.HoldSecret(tok.AccessToken, tok.RefreshToken)
	}
	if err != nil {
		return fmt.Errorf("exchange the code for a token: %s", oauthErrorSummary(err))
	}
	if tok.RefreshToken == "" {
		return errors.New("Google returned no refresh token: remove hashgate's access at myaccount.google.com/permissions and run auth again")
	}
	b, _ := json.MarshalIndent(storedGoogleToken{ClientID: conf.ClientID, ClientSecret: conf.ClientSecret,
		TokenURL: conf.Endpoint.TokenURL, RefreshToken: tok.RefreshToken}, "", "  ")
	if err := storeGoogleToken(path, b); err != nil {
		return fmt.Errorf("store the token: %w", err)
	}
	fmt.Fprintf(f.IO.ErrOut, "hashgate: token stored in %s (mode 0600); uploads to Google will use it.\n", path)
	return nil
}

// mustHTTP is the client of the token exchange: it follows no redirect
// (destination.NoRedirects), as platform requests do not.
func mustHTTP(f *Factory) *http.Client {
	if hc, err := f.HTTPClient(); err == nil && hc != nil {
		return destination.NoRedirects(hc)
	}
	return destination.NoRedirects(http.DefaultClient)
}

// oauthErrorSummary keeps token-endpoint answers (which may echo codes)
// out of messages, keeping only the OAuth error code — one of the RFC's
// codes, else "unknown" (google.OAuthCode).
func oauthErrorSummary(err error) string {
	var re *oauth2.RetrieveError
	if errors.As(err, &re) && re.Response != nil && re.Response.Request != nil {
		if rd := destination.Redirected(re.Response.StatusCode, re.Response.Request.URL.Host, re.Response.Header); rd != nil {
			return rd.Error()
		}
	}
	if errors.As(err, &re) && re.ErrorCode != "" {
		return google.OAuthCode(re.ErrorCode)
	}
	if errors.As(err, &re) {
		return fmt.Sprintf("HTTP %d", re.Response.StatusCode)
	}
	return "the token endpoint could not be reached"
}

// storeGoogleToken writes the token file as a secret (outfile.CreateSecret:
// a regular file only, created 0600 whatever the umask, never through a
// link, a FIFO or a device), its directory made 0700 when missing.
func storeGoogleToken(path string, b []byte) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return err
	}
	return outfile.WriteSecretFile(path, b)
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
