package cli

import (
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// consentExport writes n visits of the days before fixedNow whose consent
// cell is consent(i).
func consentExport(t *testing.T, n int, consent func(i int) string) string {
	t.Helper()
	var b strings.Builder
	b.WriteString("id,at,status,email,phone,first,last,consent\n")
	for i := range n {
		fmt.Fprintf(&b, "C%03d,2026-11-%02d 10:00,completed,zqcw%d@example.com,0912-444-%03d,Zqcwfirst%d,Zqcwlast%d,%s\n", i, 18+i%5, i, i, i, i, consent(i))
	}
	p := filepath.Join(t.TempDir(), "consent.csv")
	if err := os.WriteFile(p, []byte(b.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestChangedConsentWordsStop: night 1 uploads with marketing consent
// written "yes"; night 2's export writes it another way (the clinic
// system's upgrade), or leaves the column empty. Every row was excluded
// (consent_not_granted 10, consent_missing 15) with exit 0, and nothing
// at all with --quiet. Where the column worked before (night 1's
// acceptances in the ledger) the run stops before anything is sent (exit
// 2), naming the key and the first cell's position — never the value —
// and the way past it, --accept-new-ids; a dry run warns.
func TestChangedConsentWordsStop(t *testing.T) {
	g, url := metaFake(t, nil)
	env := uploadEnv(t)
	cfg := metaConfig(t, url, "")
	if r := runWithHTTP(t, http.DefaultClient, env, "upload", "--config", cfg, consentExport(t, 10, func(int) string { return "yes" })); r.code != 0 || len(g.Accepted()) != 10 {
		t.Fatalf("night 1: exit %d, meta %d\n%s", r.code, len(g.Accepted()), r.stderr)
	}
	requests := g.Requests()
	// Two unknown words beside a known refusal: none is granted.
	ticked := consentExport(t, 10, func(i int) string {
		switch i % 3 {
		case 0:
			return "zqticked"
		case 1:
			return "ZqTicked " // the same word, folded
		}
		return "zqmarked"
	})
	for _, args := range [][]string{{"upload"}, {"upload", "--quiet"}} {
		r := runWithHTTP(t, http.DefaultClient, env, append(append(args, "--config", cfg), ticked)...)
		if r.code != 2 || g.Requests() != requests {
			t.Fatalf("%v, words changed: exit %d, %d requests more\n%s", args, r.code, g.Requests()-requests, r.stderr)
		}
		for _, want := range []string{"consent.granted:", "consent.csv:2:", `column "consent" (input.columns.consent)`, "none of the 10 rows", "2 distinct value(s)", "nothing was sent", "--accept-new-ids"} {
			if !strings.Contains(r.stderr, want) {
				t.Errorf("%v: the stop does not say %q:\n%s", args, want, r.stderr)
			}
		}
		if strings.Contains(strings.ToLower(r.stdout+r.stderr), "zqticked") || strings.Contains(r.stdout+r.stderr, "zqmarked") {
			t.Errorf("%v: the stop prints a consent value:\n%s", args, r.stderr)
		}
	}
	// A dry run sends nothing and asks no ledger: one warning line, the
	// value still unshown.
	r := runWithHTTP(t, http.DefaultClient, env, "upload", "--dry-run", "--out", filepath.Join(t.TempDir(), "review.csv"), "--config", cfg, ticked)
	if r.code != 0 || strings.Count(r.stderr, "may have changed") != 1 || strings.Contains(strings.ToLower(r.stderr), "zqticked") {
		t.Fatalf("dry run, words changed: exit %d\n%s", r.code, r.stderr)
	}
	// The column emptied.
	emptied := consentExport(t, 15, func(int) string { return "" })
	r = runWithHTTP(t, http.DefaultClient, env, "upload", "--config", cfg, emptied)
	if r.code != 2 || g.Requests() != requests || !strings.Contains(r.stderr, "input.columns.consent:") || !strings.Contains(r.stderr, "every one of the 15 rows is empty") ||
		!strings.Contains(r.stderr, "--accept-new-ids") {
		t.Fatalf("consent column emptied: exit %d\n%s", r.code, r.stderr)
	}
	// A person who checked passes the stop, as the message says.
	for _, night := range []string{ticked, emptied} {
		if r := runWithHTTP(t, http.DefaultClient, env, "upload", "--accept-new-ids", "--config", cfg, night); r.code != 0 || g.Requests() != requests ||
			!strings.Contains(r.stderr, "stops=consent_words") {
			t.Fatalf("--accept-new-ids: exit %d, %d requests more\n%s", r.code, g.Requests()-requests, r.stderr)
		}
	}
}

// TestEveryPatientRefusingIsNoFault: default-deny stays the rule — a night
// on which every patient refused or withdrew, in words the policy knows
// (blank cells beside them), sends nothing and exits 0; so does a night
// with one granted row among unknown words.
func TestEveryPatientRefusingIsNoFault(t *testing.T) {
	g, url := metaFake(t, nil)
	env := uploadEnv(t)
	cfg := metaConfig(t, url, "")
	// Night 1: the column works, so the nights after are judged.
	if r := runWithHTTP(t, http.DefaultClient, env, "upload", "--config", cfg, consentExport(t, 10, func(int) string { return "yes" })); r.code != 0 || len(g.Accepted()) != 10 {
		t.Fatalf("night 1: exit %d, meta %d\n%s", r.code, len(g.Accepted()), r.stderr)
	}
	requests := g.Requests()
	refused := consentExport(t, 12, func(i int) string { return []string{"no", "revoked", "不同意", "", "yes - sms only"}[i%5] })
	r := runWithHTTP(t, http.DefaultClient, env, "upload", "--config", cfg, refused)
	if r.code != 0 || g.Requests() != requests || !strings.Contains(r.stderr, "0 used") {
		t.Fatalf("every patient refused: exit %d, %d requests more\n%s", r.code, g.Requests()-requests, r.stderr)
	}
	oneYes := consentExport(t, 12, func(i int) string {
		if i == 11 {
			return "yes"
		}
		return "zqticked"
	})
	if r := runWithHTTP(t, http.DefaultClient, env, "upload", "--config", cfg, oneYes); r.code != 0 || len(g.Accepted()) != 11 {
		t.Fatalf("one granted among unknown words: exit %d, meta %d\n%s", r.code, len(g.Accepted()), r.stderr)
	}
}

// TestCheckJudgesConsentFixturesRowByRow: a check fixture may hold only
// words the config does not know — that is what it tests — and check
// judges it by its expect cells, not by the stop an upload makes.
func TestCheckJudgesConsentFixturesRowByRow(t *testing.T) {
	cfg := metaConfig(t, "http://127.0.0.1:1", "")
	var b strings.Builder
	b.WriteString("id,at,status,email,phone,first,last,consent,expect\n")
	for i := range 4 {
		fmt.Fprintf(&b, "F%d,2026-11-20 10:00,completed,zqfx%d@example.com,0912-333-%03d,Zqf,Zql,zqticked,exclude:consent_not_granted\n", i, i, i)
	}
	fixture := filepath.Join(t.TempDir(), "fixture.csv")
	if err := os.WriteFile(fixture, []byte(b.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	if r := runCLI(t, uploadEnv(t), "", "check", "--config", cfg, fixture); r.code != 0 || !strings.Contains(r.stderr, "4 matched, 0 mismatched") {
		t.Fatalf("check: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	// The CI fixtures of testdata/consent pass as they did (make consent-check);
	// withdrawn.csv: a withdrawal in any words on a later row withholds the
	// patient's earlier visit (consent_revoked_patient).
	for _, c := range [][2]string{{"configs/example.yaml", "testdata/consent/example.csv"}, {"testdata/consent/split.yaml", "testdata/consent/split.csv"},
		{"testdata/consent/withdrawn.yaml", "testdata/consent/withdrawn.csv"}} {
		r := runCLI(t, uploadEnv(t), "", "check", "--config", filepath.Join("..", "..", c[0]), filepath.Join("..", "..", c[1]))
		if r.code != 0 || !strings.Contains(r.stderr, " 0 mismatched") {
			t.Errorf("check %s: exit %d\n%s%s", c[1], r.code, r.stdout, r.stderr)
		}
	}
}
