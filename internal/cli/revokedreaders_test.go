package cli

import (
	"context"
	"database/sql"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestDryRunAndWriteKnowRememberedWithdrawals: a patient withdrew on a
// row an upload read; the next night's export no longer holds that row.
// The upload keeps the patient's later visit out — and so must the two
// commands that send nothing themselves: the dry-run, whose review CSV is
// what the privacy officer reads as "what would be sent", and `write`,
// whose file a person uploads by hand. Before, both read the export alone
// and showed or wrote the withdrawn patient's visit.
func TestDryRunAndWriteKnowRememberedWithdrawals(t *testing.T) {
	_, gURL := googleFake(t, nil)
	_, mURL := metaFake(t, nil)
	env := uploadEnv(t)
	cfg := twComposite(t, gURL, mURL, func(s string) string {
		return strings.Replace(s, `conversion_action_id: "555000111"`, "conversion_action_id: \"555000111\"\n    conversion_name: Clinic visit", 1)
	})
	withdraws := "A007001,病患w,115/10/20,上午 09:00,已完成,0912-700-001,撤回,1500\n"
	later := "A007001,病患w,115/10/25,上午 10:00,已完成,0912-700-001,同意,1500\n"
	other := "A007002,病患o,115/10/26,上午 11:00,已完成,0912-700-002,同意,1500\n"
	night2 := twExport(t, later+other)

	// Before any upload there is no ledger: both commands see the export
	// alone, and neither makes a ledger.
	dry := runGoogle(t, env, "", true, "upload", "--dry-run", "--config", cfg, night2)
	if dry.code != 0 || dataRows(dry.stdout) != 4 {
		t.Fatalf("dry-run before any upload: exit %d, %d rows (want both visits, for both destinations)\n%s", dry.code, dataRows(dry.stdout), dry.stderr)
	}
	if _, err := os.Stat(filepath.Join(env["XDG_STATE_HOME"], "hashgate", "ledger.db")); err == nil {
		t.Fatal("a dry-run made a ledger")
	}

	if r := runGoogle(t, env, "", true, "upload", "--config", cfg, twExport(t, withdraws+later+other)); r.code != 0 {
		t.Fatalf("night 1: exit %d\n%s", r.code, r.stderr)
	}
	dry = runGoogle(t, env, "", true, "upload", "--dry-run", "--config", cfg, night2)
	if dry.code != 0 || dataRows(dry.stdout) != 2 || !strings.Contains(dry.stderr, "consent_revoked_patient 1") {
		t.Errorf("dry-run on night 2: exit %d, %d rows; want the other patient's visit alone, one consent_revoked_patient\n%s\n%s", dry.code, dataRows(dry.stdout), dry.stdout, dry.stderr)
	}
	for _, format := range []string{"google-ads-csv", "meta-offline-csv"} {
		w := runGoogle(t, env, "", true, "write", "--format", format, "--config", cfg, night2)
		if w.code != 0 || !strings.Contains(w.stderr, "consent_revoked_patient 1") {
			t.Errorf("write %s on night 2: exit %d; want the withdrawn patient's visit left out, counted\n%s\n%s", format, w.code, w.stdout, w.stderr)
		}
	}

	// Under the public demo key (no secret), the remembered digests match
	// no one: the dry-run says so instead of showing the visit as if
	// nothing were known.
	demo := map[string]string{}
	for k, v := range env {
		demo[k] = v
	}
	delete(demo, "HASHGATE_SECRET")
	dry = runGoogle(t, demo, "", true, "upload", "--dry-run", "--config", cfg, night2)
	if dry.code != 0 || !strings.Contains(dry.stderr, "withdrew consent") || !strings.Contains(dry.stderr, "HASHGATE_SECRET") {
		t.Errorf("dry-run without the uploads' secret: exit %d; want a warning naming HASHGATE_SECRET\n%s", dry.code, dry.stderr)
	}

	// A manual-upload file under another secret would carry the withdrawn
	// patient: it stops, as the upload does, naming the secret, and writes
	// nothing.
	other2 := map[string]string{}
	for k, v := range env {
		other2[k] = v
	}
	other2["HASHGATE_SECRET"] = "another-upload-secret-8Kq2Wz7Lp4Rv1Ty6"
	w := runGoogle(t, other2, "", true, "write", "--format", "google-ads-csv", "--config", cfg, night2)
	if w.code != ExitUsage || w.stdout != "" || !strings.Contains(w.stderr, "secret:") || !strings.Contains(w.stderr, "withdrew consent") {
		t.Errorf("write under another secret: exit %d, stdout %d bytes; want exit 2 naming the secret, nothing written\n%s", w.code, len(w.stdout), w.stderr)
	}
}

// dataRows counts the review CSV's rows after its header (one per
// conversion and destination).
func dataRows(csv string) int {
	n := strings.Count(strings.TrimRight(csv, "\n"), "\n")
	if strings.TrimSpace(csv) == "" {
		return 0
	}
	return n
}

// TestReadingRememberedWithdrawalsChangesNothing (review of 71f669b): the
// dry-run and write opened the ledger as an upload does, which migrated an
// older schema (trying a new hashgate with a dry-run upgraded the ledger
// for good, and the cron job's older hashgate refused it), waited on a
// writing upload to do it, made a readable ledger private, and turned an
// empty file into a ledger; a ledger they could not read failed the
// dry-run; and the warnings went to a log --quiet silences, not the
// report. Now they read through SQLite's read-only mode and change
// nothing; what they could not apply is in the summary and the report.
func TestReadingRememberedWithdrawalsChangesNothing(t *testing.T) {
	setup := func(t *testing.T) (env map[string]string, cfg, lpath, night2 string) {
		_, gURL := googleFake(t, nil)
		_, mURL := metaFake(t, nil)
		env = uploadEnv(t)
		cfg = twComposite(t, gURL, mURL, func(s string) string {
			return strings.Replace(s, `conversion_action_id: "555000111"`, "conversion_action_id: \"555000111\"\n    conversion_name: Clinic visit", 1)
		})
		withdraws := "A007001,病患w,115/10/20,上午 09:00,已完成,0912-700-001,撤回,1500\n"
		later := "A007001,病患w,115/10/25,上午 10:00,已完成,0912-700-001,同意,1500\n"
		other := "A007002,病患o,115/10/26,上午 11:00,已完成,0912-700-002,同意,1500\n"
		if r := runGoogle(t, env, "", true, "upload", "--config", cfg, twExport(t, withdraws+later+other)); r.code != 0 {
			t.Fatalf("night 1: exit %d\n%s", r.code, r.stderr)
		}
		return env, cfg, filepath.Join(env["XDG_STATE_HOME"], "hashgate", "ledger.db"), twExport(t, later+other)
	}
	sqlite := func(t *testing.T, path string, stmts ...string) int {
		t.Helper()
		db, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(10000)")
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		for _, s := range stmts {
			if _, err := db.Exec(s); err != nil {
				t.Fatal(s, err)
			}
		}
		var v int
		if err := db.QueryRow("PRAGMA user_version").Scan(&v); err != nil {
			t.Fatal(err)
		}
		return v
	}
	dryReport := func(t *testing.T, env map[string]string, cfg, export string, extra ...string) (result, map[string]any) {
		t.Helper()
		rep := filepath.Join(t.TempDir(), "report.json")
		args := append([]string{"upload", "--dry-run", "--report", rep, "--out", filepath.Join(t.TempDir(), "review.csv"), "--config", cfg}, extra...)
		r := runGoogle(t, env, "", true, append(args, export)...)
		var m map[string]any
		if b, err := os.ReadFile(rep); err != nil || json.Unmarshal(b, &m) != nil {
			t.Fatalf("no report (%v): exit %d\n%s", err, r.code, r.stderr)
		}
		return r, m
	}

	t.Run("an older schema is read, not migrated, beside a writer", func(t *testing.T) {
		env, cfg, lpath, night2 := setup(t)
		sqlite(t, lpath, "ALTER TABLE revoked_patients DROP COLUMN from_day", "ALTER TABLE requests DROP COLUMN sent_to", "ALTER TABLE requests DROP COLUMN sent_times", "ALTER TABLE requests DROP COLUMN test", "PRAGMA user_version = 9")
		// An upload of the older hashgate, mid-transaction.
		db, err := sql.Open("sqlite", "file:"+lpath)
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		conn, err := db.Conn(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close()
		if _, err := conn.ExecContext(context.Background(), "BEGIN IMMEDIATE; INSERT INTO meta (key, value) VALUES ('x', 'y')"); err != nil {
			t.Fatal(err)
		}
		r, rep := dryReport(t, env, cfg, night2)
		if r.code != 0 || rep["withdrawals_known"] != 1.0 || rep["excluded"].(map[string]any)["consent_revoked_patient"] != 1.0 {
			t.Errorf("dry-run on a schema-9 ledger beside a writer: exit %d, report %v\n%s", r.code, rep, r.stderr)
		}
		conn.ExecContext(context.Background(), "ROLLBACK")
		if v := sqlite(t, lpath); v != 9 {
			t.Errorf("the dry-run migrated the ledger: schema 9 → %d", v)
		}
	})
	t.Run("no companion files are left", func(t *testing.T) {
		// SQLite opening a WAL ledger read-only made -wal and -shm and left
		// them: another user's, they stopped the owner's next upload.
		env, cfg, lpath, night2 := setup(t)
		for _, f := range []string{lpath + "-wal", lpath + "-shm"} {
			if _, err := os.Stat(f); err == nil {
				t.Fatalf("setup: %s is there after the upload", f)
			}
		}
		for _, args := range [][]string{{"upload", "--dry-run"}, {"write", "--format", "google-ads-csv"}} {
			r := runGoogle(t, env, "", true, append(args, "--config", cfg, night2)...)
			if r.code != 0 || !strings.Contains(r.stderr, "withdrawals the uploads remember: 1 patient(s)") {
				t.Fatalf("%v: exit %d\n%s", args, r.code, r.stderr)
			}
		}
		for _, f := range []string{lpath + "-wal", lpath + "-shm"} {
			if _, err := os.Stat(f); err == nil {
				t.Errorf("a read left %s behind", filepath.Base(f))
			}
		}
	})
	t.Run("a readable ledger keeps its mode", func(t *testing.T) {
		env, cfg, lpath, night2 := setup(t)
		if err := os.Chmod(lpath, 0o640); err != nil {
			t.Fatal(err)
		}
		for _, args := range [][]string{{"upload", "--dry-run"}, {"write", "--format", "google-ads-csv"}} {
			if r := runGoogle(t, env, "", true, append(args, "--config", cfg, night2)...); r.code != 0 {
				t.Fatalf("%v: exit %d\n%s", args, r.code, r.stderr)
			}
		}
		if st, err := os.Stat(lpath); err != nil || st.Mode().Perm() != 0o640 {
			t.Errorf("the ledger's mode changed: %v %v", st.Mode(), err)
		}
	})
	for _, c := range []struct {
		name  string
		stmts []string
		bytes []byte
	}{
		{name: "corrupt", bytes: []byte(strings.Repeat("not a database\n", 100))},
		{name: "newer schema", stmts: []string{"PRAGMA user_version = 99"}},
	} {
		t.Run("a ledger that cannot be read: "+c.name, func(t *testing.T) {
			env, cfg, lpath, night2 := setup(t)
			if c.bytes != nil {
				os.Remove(lpath + "-wal")
				os.Remove(lpath + "-shm")
				if err := os.WriteFile(lpath, c.bytes, 0o600); err != nil {
					t.Fatal(err)
				}
			} else {
				sqlite(t, lpath, c.stmts...)
			}
			r, rep := dryReport(t, env, cfg, night2, "--quiet")
			if why, _ := rep["withdrawals_unknown"].(string); r.code != 0 || !strings.Contains(why, "could not be read") {
				t.Errorf("dry-run: exit %d, withdrawals_unknown %q; want it to go on and say so in the report\n%s", r.code, why, r.stderr)
			}
			if w := runGoogle(t, env, "", true, "write", "--format", "google-ads-csv", "--config", cfg, night2); w.code != ExitFailure || w.stdout != "" {
				t.Errorf("write: exit %d, %d bytes; want exit 1 and no file\n%s", w.code, len(w.stdout), w.stderr)
			}
		})
	}
	t.Run("an empty file stays empty", func(t *testing.T) {
		env, cfg, lpath, night2 := setup(t)
		os.Remove(lpath + "-wal")
		os.Remove(lpath + "-shm")
		if err := os.WriteFile(lpath, nil, 0o600); err != nil {
			t.Fatal(err)
		}
		if r := runGoogle(t, env, "", true, "upload", "--dry-run", "--config", cfg, night2); r.code != 0 {
			t.Fatalf("exit %d\n%s", r.code, r.stderr)
		}
		if st, err := os.Stat(lpath); err != nil || st.Size() != 0 {
			t.Errorf("the empty ledger file became %d bytes (%v)", st.Size(), err)
		}
	})
	t.Run("--quiet: the demo key's and another secret's warnings are in the report", func(t *testing.T) {
		env, cfg, _, night2 := setup(t)
		demo := map[string]string{}
		for k, v := range env {
			demo[k] = v
		}
		delete(demo, "HASHGATE_SECRET")
		r, rep := dryReport(t, demo, cfg, night2, "--quiet")
		if why, _ := rep["withdrawals_unknown"].(string); r.code != 0 || r.stderr != "" || !strings.Contains(why, "demo key") || !strings.Contains(why, "HASHGATE_SECRET") {
			t.Errorf("demo key, --quiet: exit %d, withdrawals_unknown %q\n%s", r.code, why, r.stderr)
		}
		demo["HASHGATE_SECRET"] = "another-upload-secret-8Kq2Wz7Lp4Rv1Ty6"
		r, rep = dryReport(t, demo, cfg, night2)
		if why, _ := rep["withdrawals_unknown"].(string); r.code != 0 || !strings.Contains(why, "an upload with this config stops (exit 2)") || !strings.Contains(r.stderr, why) {
			t.Errorf("another secret: exit %d, withdrawals_unknown %q; want the upload's stop predicted, on stderr too\n%s", r.code, why, r.stderr)
		}
	})
	t.Run("write says when it found no ledger", func(t *testing.T) {
		env, cfg, _, night2 := setup(t)
		env["XDG_STATE_HOME"] = t.TempDir() // cron's state is elsewhere
		w := runGoogle(t, env, "", true, "write", "--format", "google-ads-csv", "--config", cfg, night2)
		if w.code != 0 || !strings.Contains(w.stderr, "no ledger at") || !strings.Contains(w.stderr, "ledger.path") {
			t.Errorf("write without a ledger: exit %d\n%s", w.code, w.stderr)
		}
	})
}
