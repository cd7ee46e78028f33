package cli

import (
	"maps"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// An agency's review: 15 clinics' configs run as one Unix user from one
// crontab, none with a ledger.path (config init wrote none), so every
// config shares $XDG_STATE_HOME/hashgate/ledger.db; each clinic has its
// own HASHGATE_SECRET and its own accounts.

// clinicConfig is bothConfig for another clinic's accounts: its own Google
// operating account and Meta dataset (n tells them apart).
func clinicConfig(t *testing.T, gURL, mURL string, n int) string {
	t.Helper()
	p := bothConfig(t, gURL, mURL, "")
	body := mustRead(t, p)
	body = strings.Replace(body, `dataset_id: "998877"`, `dataset_id: "99887`+string(rune('0'+n))+`"`, 1)
	body = strings.Replace(body, "operating_account: 123-456-7890", "operating_account: 123-456-789"+string(rune('0'+n)), 1)
	if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestClinicsWithTheirOwnSecretsShareALedger: clinic A uploads (exit 0);
// clinic B, its own secret and accounts, then stopped, exit 2, told to
// run with "the secret of the last upload" — clinic A's — or to pass
// --accept-new-ids, after which A stopped the next night, and the two
// alternated for good; B's dry-run and config validate --upload had
// predicted nothing. The fingerprint is kept per destination now: each
// clinic's uploads go, night after night, and a changed secret still
// stops at a destination it delivered to, predicted by the dry-run and
// by config validate --upload.
func TestClinicsWithTheirOwnSecretsShareALedger(t *testing.T) {
	dm, gURL := googleFake(t, nil)
	g, mURL := metaFake(t, nil)
	g.OtherDatasets = []string{"998870", "998871"} // clinicConfig's
	envA := uploadEnv(t)                           // the default ledger, shared
	envB := maps.Clone(envA)
	envB["HASHGATE_SECRET"] = "clinic-b-secret-Lq3Vt8Xw1Zr6Np4Ks0"
	cfgA, cfgB := clinicConfig(t, gURL, mURL, 0), clinicConfig(t, gURL, mURL, 1)
	a, b := writeClinic(t, clinicDays("A", 9, 2)), writeClinic(t, clinicDays("B", 9, 2))
	night := func(who string, env map[string]string, cfg, export string, google int) {
		t.Helper()
		before := len(dm.Accepted())
		r := runGoogle(t, env, "", true, "upload", "--config", cfg, export)
		if r.code != 0 || len(dm.Accepted())-before != google {
			t.Fatalf("%s: exit %d, google %d new, want %d\n%s", who, r.code, len(dm.Accepted())-before, google, r.stderr)
		}
	}
	night("clinic A", envA, cfgA, a, 18)
	// B has sent nothing from this ledger: its dry-run and validation say
	// the ledger is another config's, and predict no stop.
	dry := runGoogle(t, envB, "", true, "upload", "--dry-run", "--config", cfgB, "--out", filepath.Join(t.TempDir(), "review.csv"), b)
	if dry.code != 0 || strings.Contains(dry.stderr, "stops (exit 2)") || !strings.Contains(dry.stderr, "give this config its own ledger.path before its first upload") {
		t.Errorf("clinic B's dry-run: exit %d\n%s", dry.code, dry.stderr)
	}
	if v := runGoogle(t, envB, "", true, "config", "validate", "--upload", "--config", cfgB); v.code != 0 || !strings.Contains(v.stderr, "another config's uploads") {
		t.Errorf("clinic B's validation: exit %d\n%s", v.code, v.stderr)
	}
	night("clinic B", envB, cfgB, b, 18)
	night("clinic A, the next night", envA, cfgA, a, 0)
	night("clinic B, the next night", envB, cfgB, b, 0)
	gReq, mReq := dm.Requests(), g.Requests()
	// B's secret changed: still stopped, at B's destinations, predicted.
	envB2 := maps.Clone(envB)
	const changed = "clinic-b-changed-Wq2Er5Ty8Ui1Op4As7"
	envB2["HASHGATE_SECRET"] = changed
	dry = runGoogle(t, envB2, "", true, "upload", "--dry-run", "--config", cfgB, "--out", filepath.Join(t.TempDir(), "review.csv"), b)
	if dry.code != 0 || !strings.Contains(dry.stderr, "an upload with this config stops (exit 2) before reading the export: secret:") {
		t.Errorf("the changed secret's dry-run: exit %d\n%s", dry.code, dry.stderr)
	}
	if v := runGoogle(t, envB2, "", true, "config", "validate", "--upload", "--config", cfgB); v.code != 2 || !strings.Contains(v.stderr, "is not the one this ledger's uploads to google and meta were made under") {
		t.Errorf("the changed secret's validation: exit %d\n%s", v.code, v.stderr)
	}
	r := runGoogle(t, envB2, "", true, "upload", "--config", cfgB, b)
	if r.code != 2 || dm.Requests() != gReq || g.Requests() != mReq || !strings.Contains(r.stderr, "secret: the secret (HASHGATE_SECRET) is not the one") {
		t.Fatalf("clinic B under a changed secret: exit %d, %d google and %d meta requests more\n%s", r.code, dm.Requests()-gReq, g.Requests()-mReq, r.stderr)
	}
	for _, out := range []string{r.stdout + r.stderr, dry.stdout + dry.stderr} {
		for _, secret := range []string{changed, envA["HASHGATE_SECRET"], envB["HASHGATE_SECRET"]} {
			if strings.Contains(out, secret) {
				t.Error("a secret is printed")
			}
		}
	}
	night("clinic A, after B's stop", envA, cfgA, a, 0)
}

// TestACopiedConfigIsToldWhoseAccountsItNames (session 24): clinic B's
// config, copied from clinic A's with its account ids unchanged, under the
// crontab's one secret and the default ledger, sent B's visits to A's
// Google account and Meta dataset from the first night, exit 0, unsaid.
// The ledger records which config files uploaded to each destination: B's
// dry-run, config validate --upload and upload name A's config, every
// night while it is there, until --accept-new-ids records a second config
// on purpose. A config moved away takes its destinations over unsaid. (A
// warning, not a stop: one clinic's configs may share a ledger and its
// destinations — a rerun under a second config, a config per platform.)
func TestACopiedConfigIsToldWhoseAccountsItNames(t *testing.T) {
	dm, gURL := googleFake(t, nil)
	g, mURL := metaFake(t, nil)
	env := uploadEnv(t)
	cfgA := clinicConfig(t, gURL, mURL, 0)
	g.OtherDatasets = []string{"998870"}
	cfgB := filepath.Join(t.TempDir(), "clinic-b.yaml")
	if err := os.WriteFile(cfgB, []byte(mustRead(t, cfgA)), 0o600); err != nil {
		t.Fatal(err)
	}
	// B's first night: today's visits alone, after every visit A sent, so
	// no check of the export's ids against the ledger can see them.
	a := writeClinic(t, clinicDays("A", 9, 2))
	b := writeClinic(t, []clinicVisit{{id: "B001", at: time.Date(2026, 11, 23, 10, 0, 0, 0, taipei), n: 100}, {id: "B002", at: time.Date(2026, 11, 23, 15, 0, 0, 0, taipei), n: 101}})
	if r := runGoogle(t, env, "", true, "upload", "--config", cfgA, a); r.code != 0 || len(dm.Accepted()) != 18 {
		t.Fatalf("clinic A: exit %d, google %d\n%s", r.code, len(dm.Accepted()), r.stderr)
	}
	said := "were made by another config, " + cfgA + ", which is still there, and never by this one"
	dry := runGoogle(t, env, "", true, "upload", "--dry-run", "--config", cfgB, "--out", filepath.Join(t.TempDir(), "review.csv"), b)
	if dry.code != 0 || !strings.Contains(dry.stderr, said) {
		t.Errorf("clinic B's dry-run: exit %d\n%s", dry.code, dry.stderr)
	}
	if v := runGoogle(t, env, "", true, "config", "validate", "--upload", "--config", cfgB); v.code != 0 || !strings.Contains(v.stderr, said) {
		t.Errorf("clinic B's validation: exit %d\n%s", v.code, v.stderr)
	}
	for night := range 2 {
		if r := runGoogle(t, env, "", true, "upload", "--config", cfgB, b); r.code != 0 || !strings.Contains(r.stderr, said) {
			t.Errorf("clinic B under A's copied config, night %d: exit %d\n%s", night+1, r.code, r.stderr)
		}
	}
	// A config moved away: the new path takes its destinations over.
	moved := filepath.Join(t.TempDir(), "clinic-a.yaml")
	if err := os.Rename(cfgA, moved); err != nil {
		t.Fatal(err)
	}
	if r := runGoogle(t, env, "", true, "upload", "--config", moved, a); r.code != 0 || strings.Contains(r.stderr, "another config") {
		t.Fatalf("clinic A's config, moved: exit %d\n%s", r.code, r.stderr)
	}
	// A second config on purpose says so in the config: recorded, unsaid
	// (before it, only --accept-new-ids silenced it, passing that night's
	// other stops as well).
	cfgC := filepath.Join(t.TempDir(), "clinic-c.yaml")
	if err := os.WriteFile(cfgC, []byte(mustRead(t, moved)+"\nledger:\n  shared_destinations: true\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if r := runGoogle(t, env, "", true, "upload", "--config", cfgC, a); r.code != 0 || strings.Contains(r.stderr, "another config") {
		t.Fatalf("a second config stating it shares: exit %d\n%s", r.code, r.stderr)
	}
	if r := runGoogle(t, env, "", true, "upload", "--config", cfgB, "--accept-new-ids", b); r.code != 0 || !strings.Contains(r.stderr, "the ledger now knows this config uploads there too") {
		t.Fatalf("a second config, accepted: exit %d\n%s", r.code, r.stderr)
	}
	if r := runGoogle(t, env, "", true, "upload", "--config", cfgB, b); r.code != 0 || strings.Contains(r.stderr, "another config") {
		t.Fatalf("the second config, the next night: exit %d\n%s", r.code, r.stderr)
	}
}
