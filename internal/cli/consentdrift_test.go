package cli

import (
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The consent columns' drift check halted ordinary nights (a review):
// these are its nights that are no drift, and the one that is.

// TestOneZeroConsentColumnRefusing: consent.granted ["1"], as the example
// config has it, and a night whose rows all say "0": every patient
// refused in the column's obvious word. It stopped (exit 2); it passes,
// sending nothing. A word that is no refusal of "1" still stops.
func TestOneZeroConsentColumnRefusing(t *testing.T) {
	g, url := metaFake(t, nil)
	env := uploadEnv(t)
	cfg := metaConfig(t, url, "")
	os.WriteFile(cfg, []byte(mustReplace(t, mustRead(t, cfg), `granted: ["yes"]`, `granted: ["1"]`)), 0o600)
	if r := runWithHTTP(t, http.DefaultClient, env, "upload", "--config", cfg, consentExport(t, 10, func(int) string { return "1" })); r.code != 0 || len(g.Accepted()) != 10 {
		t.Fatalf("night 1: exit %d, meta %d\n%s", r.code, len(g.Accepted()), r.stderr)
	}
	requests := g.Requests()
	if r := runWithHTTP(t, http.DefaultClient, env, "upload", "--config", cfg, consentExport(t, 10, func(int) string { return "0" })); r.code != 0 || g.Requests() != requests {
		t.Fatalf("every row says 0: exit %d, %d requests more\n%s", r.code, g.Requests()-requests, r.stderr)
	}
	if r := runWithHTTP(t, http.DefaultClient, env, "upload", "--config", cfg, consentExport(t, 10, func(int) string { return "zqticked" })); r.code != 2 || g.Requests() != requests {
		t.Fatalf("words changed: exit %d\n%s", r.code, r.stderr)
	}
}

// TestConsentDriftOnlyWhereItWorked: a checkbox column whose blank means
// no, on a new setup whose destination never accepted anything, all
// blank: it stopped with no way out; it passes with one warning line. A
// small night (3 rows) after the column worked is no drift either.
func TestConsentDriftOnlyWhereItWorked(t *testing.T) {
	g, url := metaFake(t, nil)
	env := uploadEnv(t)
	cfg := metaConfig(t, url, "")
	r := runWithHTTP(t, http.DefaultClient, env, "upload", "--config", cfg, consentExport(t, 12, func(int) string { return "" }))
	if r.code != 0 || g.Requests() != 0 || strings.Count(r.stderr, "may have changed") != 1 || !strings.Contains(r.stderr, "consent_missing") {
		t.Fatalf("new setup, every cell blank: exit %d, %d requests\n%s", r.code, g.Requests(), r.stderr)
	}
	if r := runWithHTTP(t, http.DefaultClient, env, "upload", "--config", cfg, consentExport(t, 10, func(int) string { return "yes" })); r.code != 0 || len(g.Accepted()) != 10 {
		t.Fatalf("night 2: exit %d, meta %d\n%s", r.code, len(g.Accepted()), r.stderr)
	}
	requests := g.Requests()
	r = runWithHTTP(t, http.DefaultClient, env, "upload", "--config", cfg, consentExport(t, 3, func(int) string { return "zqticked" }))
	if r.code != 0 || g.Requests() != requests || strings.Count(r.stderr, "may have changed") != 0 {
		t.Fatalf("3 rows: exit %d\n%s", r.code, r.stderr)
	}
}

// TestOwnConsentColumnNobodyAgreedTo: Meta's own consent column
// (input.columns.consent_meta) all blank, nobody having agreed to Meta
// yet, stopped Google's upload too. Meta has never accepted an event, so
// it is a warning, night after night, and Google's conversions go.
func TestOwnConsentColumnNobodyAgreedTo(t *testing.T) {
	dm, gURL := googleFake(t, nil)
	g, mURL := metaFake(t, nil)
	env := googleEnv(t)
	cfg := bothConfig(t, gURL, mURL, "")
	os.WriteFile(cfg, []byte(mustReplace(t, mustRead(t, cfg), "    consent: consent\n", "    consent: consent\n    consent_meta: mconsent\n")), 0o600)
	night := func(n int) string {
		var b strings.Builder
		b.WriteString(strings.Replace(strings.SplitN(mustRead(t, consentExport(t, 1, func(int) string { return "yes" })), "\n", 2)[0], "consent", "consent,mconsent", 1) + "\n")
		for _, line := range strings.Split(strings.TrimSpace(mustRead(t, consentExport(t, n, func(int) string { return "yes" }))), "\n")[1:] {
			b.WriteString(line + ",\n")
		}
		p := filepath.Join(t.TempDir(), "split.csv")
		os.WriteFile(p, []byte(b.String()), 0o600)
		return p
	}
	for i, n := range []int{12, 14} {
		r := runGoogle(t, env, "", true, "upload", "--config", cfg, night(n))
		if r.code != 0 || len(dm.Accepted()) != n || g.Requests() != 0 {
			t.Fatalf("night %d: exit %d, google %d, meta requests %d\n%s", i+1, r.code, len(dm.Accepted()), g.Requests(), r.stderr)
		}
	}
}
