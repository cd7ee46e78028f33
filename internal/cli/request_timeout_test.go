package cli

import (
	"bytes"
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"golang.org/x/oauth2"

	"github.com/hashgate/hashgate/internal/config"
)

// TestConfiguredTimeoutOutlastsTheBaseClients: timeout_seconds is the
// per-request timeout that applies, even when it is longer than the base
// HTTP client's own Timeout (the factory's 60 s, scaled down here to 300
// ms): Google's default is 120 s, and an ingest answered after the base
// client's timeout but within the configured one is an ingest, not a
// timeout retried until it ends unanswered.
func TestConfiguredTimeoutOutlastsTheBaseClients(t *testing.T) {
	const base, answerAfter = 300 * time.Millisecond, 700 * time.Millisecond
	slow := func(int, http.ResponseWriter, *http.Request) bool {
		time.Sleep(answerAfter)
		return false // then the fake answers as the platform would
	}
	dm, gURL := googleFake(t, slow)
	g, mURL := metaFake(t, slow)
	cfg := bothConfig(t, gURL, mURL, "    timeout_seconds: 2\n")

	var out, errOut bytes.Buffer
	f := NewFactory(strings.NewReader(""), &out, &errOut)
	f.Now = func() time.Time { return fixedNow }
	env := googleEnv(t)
	f.Getenv = func(k string) string { return env[k] }
	f.HTTPClient = func() (*http.Client, error) { return &http.Client{Timeout: base}, nil }
	f.Sleep = func(ctx context.Context, _ time.Duration) error { return ctx.Err() }
	f.GoogleTokenSource = func(context.Context, *config.Config) (oauth2.TokenSource, error) {
		return oauth2.StaticTokenSource(&oauth2.Token{AccessToken: googleBearer}), nil
	}
	code := execute(context.Background(), f, []string{"upload", "--config", cfg, exportFile(t, 3, "")})
	if code != 0 || len(dm.Accepted()) != 3 || len(g.Accepted()) != 3 {
		t.Fatalf("exit %d, google %d, meta %d accepted\n%s", code, len(dm.Accepted()), len(g.Accepted()), errOut.String())
	}
	if n := dm.Requests(); n != 1 {
		t.Errorf("%d requests to Google, want 1: the configured timeout did not apply\n%s", n, errOut.String())
	}
	if n := g.Requests(); n != 1 {
		t.Errorf("%d requests to Meta, want 1\n%s", n, errOut.String())
	}
}
