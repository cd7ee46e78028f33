package cli

import (
	"errors"
	"net/http"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
)

// refusingTransport counts every request that reaches it and refuses it.
type refusingTransport struct{ n atomic.Int64 }

func (rt *refusingTransport) RoundTrip(*http.Request) (*http.Response, error) {
	rt.n.Add(1)
	return nil, errors.New("dry-run test: the network is closed")
}

// TestDryRunsReachNoDefaultTransport: "dry-run makes no network call" was
// guarded only by the test factory's HTTPClient hook (newFactory fails a
// test that asks for it). Code that reached http.DefaultClient or
// http.DefaultTransport itself — destination.NoRedirects(nil) does — would
// have passed: its request failed unseen. Here http.DefaultTransport is a
// transport that counts and refuses, for the canary export's dry-runs of
// both platforms (review CSV, --json, --validate is no dry-run). Not
// parallel: the transport is the process's, and the package's parallel
// tests (which upload to fakes through http.DefaultClient) start only
// once every sequential test has returned.
func TestDryRunsReachNoDefaultTransport(t *testing.T) {
	rt := &refusingTransport{}
	saved := http.DefaultTransport
	http.DefaultTransport = rt
	t.Cleanup(func() { http.DefaultTransport = saved })
	cfg := root + "/canary/config.yaml"
	export := root + "/canary/export.csv"
	out := filepath.Join(t.TempDir(), "review.csv")
	for _, args := range [][]string{
		{"upload", "--dry-run", "--config", cfg, export},
		{"upload", "--dry-run", "--json", "--config", cfg, "--out", out, export},
		{"--log-level", "debug", "upload", "--dry-run", "--config", cfg, "--backfill", export},
	} {
		r := runCLI(t, secretEnv, "", args...)
		if r.code != ExitOK && r.code != ExitPartial || !strings.Contains(r.stdout+r.stderr, "meta") {
			t.Fatalf("%v: exit %d\n%s", args, r.code, r.stderr)
		}
	}
	if n := rt.n.Load(); n != 0 {
		t.Fatalf("dry-runs made %d requests through http.DefaultTransport", n)
	}
}
