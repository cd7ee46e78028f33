package cli

import (
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A clinic changes its practice-management software mid-year; the nightly
// upload keeps its config, ledger and secret (a review). The rolling
// export holds the old system's rows (consent "yes", status "completed")
// beside the new one's (consent "Y", status "Checked Out"): one granted
// old row disarmed the whole-export stops, and the new system's visits
// were withheld with exit 0 for as long as the old rows stayed in the
// export. The part of the export new to the ledger — the rows dated after
// the newest event already delivered — is judged as a run of only those
// rows would be.

// migExport writes a rolling export: the old system's 20 rows, dated
// 2026-11-16 to 19 (Taipei), and the new system's rows dated 20 to 22,
// each "consent|status" or "consent|status|day".
func driftExport(t *testing.T, news []string) string {
	t.Helper()
	var b strings.Builder
	b.WriteString("id,at,status,email,phone,first,last,consent\n")
	for i := range 20 {
		fmt.Fprintf(&b, "O%03d,2026-11-%02d 10:%02d,completed,zqmo%d@example.com,0912-555-%03d,Zqmofirst%d,Zqmolast%d,yes\n", i, 16+i%4, i, i, i, i, i)
	}
	for i, n := range news {
		f := strings.Split(n, "|")
		day := fmt.Sprint(20 + i%3)
		if len(f) > 2 {
			day = f[2]
		}
		fmt.Fprintf(&b, "N%03d,2026-11-%s 11:%02d,%s,zqmn%d@example.com,0912-666-%03d,Zqmnfirst%d,Zqmnlast%d,%s\n", i, day, i, f[1], i, i, i, i, f[0])
	}
	p := filepath.Join(t.TempDir(), "rolling.csv")
	if err := os.WriteFile(p, []byte(b.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// repeat is n copies of "consent|status".
func driftRepeat(n int, s string) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = s
	}
	return out
}

// migNights uploads the old system's night (its first: --backfill, the
// rows being days old), and returns the config, the
// env and the fake, its 20 events accepted.
func driftNights(t *testing.T, extra string) (string, map[string]string, func() (int, int)) {
	t.Helper()
	g, url := metaFake(t, nil)
	env := uploadEnv(t)
	cfg := metaConfig(t, url, extra)
	if r := runWithHTTP(t, http.DefaultClient, env, "upload", "--backfill", "--config", cfg, driftExport(t, nil)); r.code != 0 || len(g.Accepted()) != 20 {
		t.Fatalf("old system's night: exit %d, meta %d\n%s", r.code, len(g.Accepted()), r.stderr)
	}
	return cfg, env, func() (int, int) { return g.Requests(), len(g.Accepted()) }
}

// TestNewSystemConsentWordsStop: the rolling night holding both systems'
// rows exited 0 with consent_not_granted 12; it stops (exit 2,
// consent.granted), naming the part of the export it judged, printing no
// word, sending nothing; --accept-new-ids is the way past it.
func TestNewSystemConsentWordsStop(t *testing.T) {
	cfg, env, meta := driftNights(t, "")
	requests, _ := meta()
	mixed := driftExport(t, driftRepeat(12, "Y|completed"))
	r := runWithHTTP(t, http.DefaultClient, env, "upload", "--config", cfg, mixed)
	if n, _ := meta(); r.code != 2 || n != requests {
		t.Fatalf("mixed night, new consent words: exit %d, %d requests more\n%s", r.code, n-requests, r.stderr)
	}
	for _, want := range []string{"consent.granted:", "rolling.csv:22:", "the 12 rows dated after 2026-11-19", "1 distinct value(s)", "nothing was sent", "--accept-new-ids"} {
		if !strings.Contains(r.stderr, want) {
			t.Errorf("the stop does not say %q:\n%s", want, r.stderr)
		}
	}
	if strings.Contains(r.stderr+r.stdout, ",Y") || strings.Contains(r.stderr, `"Y"`) {
		t.Errorf("the stop prints a consent value:\n%s", r.stderr)
	}
	r = runWithHTTP(t, http.DefaultClient, env, "upload", "--accept-new-ids", "--config", cfg, mixed)
	if _, acc := meta(); r.code != 0 || acc != 20 || !strings.Contains(r.stderr, "stops=consent_words") {
		t.Fatalf("--accept-new-ids: exit %d, meta %d\n%s", r.code, acc, r.stderr)
	}
}

// TestNewSystemStatusWordsStop: the same with the new system's status
// "Checked Out": status_not_converted 12 with exit 0; it stops (exit 2,
// conversion.statuses) before anything is sent.
func TestNewSystemStatusWordsStop(t *testing.T) {
	cfg, env, meta := driftNights(t, "")
	requests, _ := meta()
	mixed := driftExport(t, driftRepeat(12, "yes|Checked Out"))
	r := runWithHTTP(t, http.DefaultClient, env, "upload", "--config", cfg, mixed)
	if n, _ := meta(); r.code != 2 || n != requests {
		t.Fatalf("mixed night, new status words: exit %d, %d requests more\n%s", r.code, n-requests, r.stderr)
	}
	for _, want := range []string{"conversion.statuses:", "the 12 rows dated after 2026-11-19", "nothing was sent", "--accept-new-ids"} {
		if !strings.Contains(r.stderr, want) {
			t.Errorf("the stop does not say %q:\n%s", want, r.stderr)
		}
	}
	if strings.Contains(r.stderr+r.stdout, "Checked Out") {
		t.Errorf("the stop prints a status value:\n%s", r.stderr)
	}
	r = runWithHTTP(t, http.DefaultClient, env, "upload", "--accept-new-ids", "--config", cfg, mixed)
	if _, acc := meta(); r.code != 0 || acc != 20 || !strings.Contains(r.stderr, "stops=status_words") {
		t.Fatalf("--accept-new-ids: exit %d, meta %d\n%s", r.code, acc, r.stderr)
	}
}

// TestOrdinaryNightAfterDeliveries: the new rows hold known words, a few
// unknown ones beside them (a typo, a no-show, a word nobody listed): the
// night goes, as it always did.
func TestOrdinaryNightAfterDeliveries(t *testing.T) {
	cfg, env, meta := driftNights(t, "")
	news := append(driftRepeat(10, "yes|completed"), "zqtypo|completed", "yes|Checked Out", "no|completed", "Y|Checked Out")
	r := runWithHTTP(t, http.DefaultClient, env, "upload", "--config", cfg, driftExport(t, news))
	if _, acc := meta(); r.code != 0 || acc != 30 {
		t.Fatalf("ordinary night: exit %d, meta %d\n%s", r.code, acc, r.stderr)
	}
	// A small night: 3 new rows, in words nobody listed, are no drift.
	r = runWithHTTP(t, http.DefaultClient, env, "upload", "--config", cfg, driftExport(t, append(news, driftRepeat(3, "yes|Checked Out|23")...)))
	if _, acc := meta(); r.code != 0 || acc != 30 {
		t.Fatalf("3 new rows: exit %d, meta %d\n%s", r.code, acc, r.stderr)
	}
	// Known refusals and no-shows alone in the new part: no drift either.
	cfg, env, meta = driftNights(t, "")
	os.WriteFile(cfg, []byte(mustReplace(t, mustRead(t, cfg), "statuses: [completed]", "statuses: [completed]\n  no_show_statuses: [no-show]")), 0o600)
	news = append(driftRepeat(10, "yes|no-show"), "no|no-show", "no|no-show")
	r = runWithHTTP(t, http.DefaultClient, env, "upload", "--config", cfg, driftExport(t, news))
	if n, _ := meta(); r.code != 0 {
		t.Fatalf("refusals and no-shows: exit %d, %d requests\n%s", r.code, n, r.stderr)
	}
	// A weekend: no visit since the last night, the export holding the
	// coming week's appointments, not yet visits, in a word no list
	// holds. The part judged ends at the run's clock.
	cfg, env, meta = driftNights(t, "")
	r = runWithHTTP(t, http.DefaultClient, env, "upload", "--config", cfg, driftExport(t, driftRepeat(12, "yes|scheduled|25")))
	if _, acc := meta(); r.code != 0 || acc != 20 {
		t.Fatalf("appointments to come: exit %d, meta %d\n%s", r.code, acc, r.stderr)
	}
}
