package cli

import (
	"database/sql"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestUnrevokeListedPatients: a patient who withdrew consent and has since
// given it again (the privacy officer holds the new form) stayed out of
// every later upload: `unrevoke --run` forgets a whole night's
// withdrawals, other patients' genuine ones with it, and every night that
// saw the withdrawal keeps it. `unrevoke --patients FILE` forgets the
// listed patients' withdrawals, whichever runs saw them, and no one
// else's; the file is read as consent.revocations_file is (a BOM, zeros a
// spreadsheet trimmed), and nothing printed names a patient.
func TestUnrevokeListedPatients(t *testing.T) {
	dm, gURL := googleFake(t, nil)
	_, mURL := metaFake(t, nil)
	env := uploadEnv(t)
	cfg := twComposite(t, gURL, mURL, nil)
	withdrawA := "00007001,病患a,115/10/20,上午 09:00,已完成,0912-700-001,撤回,1500\n"
	withdrawB := "00007002,病患b,115/10/20,上午 10:00,已完成,0912-700-002,撤回,1500\n"
	for night := range 2 { // two runs remember each withdrawal
		if r := runGoogle(t, env, "", true, "upload", "--config", cfg, twExport(t, withdrawA+withdrawB)); r.code != 0 {
			t.Fatalf("night %d: exit %d\n%s", night+1, r.code, r.stderr)
		}
	}
	list := filepath.Join(t.TempDir(), "reconsented.txt")
	// Notepad's BOM, a comment, the patient as a spreadsheet shows the
	// chart number (zeros trimmed), and a key no upload remembered.
	if err := os.WriteFile(list, []byte("\uFEFF# re-consented 2026-11-30\r\n7001\r\nZ999999\r\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	r := runGoogle(t, env, "", true, "ledger", "unrevoke", "--config", cfg, "--patients", list)
	// Said every time: used as an erasure, unrevoke sent the patient again.
	if r.code != 0 || !strings.Contains(r.stderr, "forgot the withdrawal of 1 of the 2 listed patient(s)") || !strings.Contains(r.stderr, "re-enables sending") {
		t.Fatalf("unrevoke --patients: exit %d\n%s", r.code, r.stderr)
	}
	for _, key := range []string{"7001", "00007001", "Z999999", "00007002"} {
		if strings.Contains(r.stdout+r.stderr, key) {
			t.Errorf("unrevoke printed a patient key (%q)", key)
		}
	}
	laterA := "00007001,病患a,115/10/25,上午 10:00,已完成,0912-700-001,同意,1500\n"
	laterB := "00007002,病患b,115/10/25,上午 11:00,已完成,0912-700-002,同意,1500\n"
	before := len(dm.Accepted())
	r = runGoogle(t, env, "", true, "upload", "--config", cfg, twExport(t, laterA+laterB))
	if r.code != 0 || len(dm.Accepted())-before != 1 || !strings.Contains(r.stderr, "consent_revoked_patient 1") {
		t.Fatalf("night 3: exit %d, google +%d; want the re-consented patient's visit sent and the other still withdrawn\n%s", r.code, len(dm.Accepted())-before, r.stderr)
	}

	t.Run("refusals", func(t *testing.T) {
		cases := []struct {
			name, body, secret, want string
			code                     int
		}{
			{"a spreadsheet's CSV", "00007002,病患b\n", "", "reconsented.txt:1:9: more than one value", ExitUsage},
			{"no key listed", "# nobody yet\n", "", "lists no patient key", ExitUsage},
			{"another secret", "00007002\n", "another-upload-secret-8Kq2Wz7Lp4Rv1Ty6", "secret:", ExitUsage},
			{"a comment after the key", "00007002 # re-consented\n", "", "reconsented.txt:1:10: a comment after the value", ExitUsage},
			{"two keys on a line", "00007002 00007003\n", "", "reconsented.txt:1:9: white space", ExitUsage},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				if err := os.WriteFile(list, []byte(c.body), 0o600); err != nil {
					t.Fatal(err)
				}
				e := map[string]string{}
				for k, v := range env {
					e[k] = v
				}
				if c.secret != "" {
					e["HASHGATE_SECRET"] = c.secret
				}
				r := runGoogle(t, e, "", true, "ledger", "unrevoke", "--config", cfg, "--patients", list)
				if r.code != c.code || !strings.Contains(r.stderr, c.want) || strings.Contains(r.stderr, "00007002") {
					t.Errorf("exit %d; want %d and %q, no key\n%s", r.code, c.code, c.want, r.stderr)
				}
			})
		}
		// Nothing refused forgot anything: patient B is still withdrawn.
		before := len(dm.Accepted())
		if r := runGoogle(t, env, "", true, "upload", "--config", cfg, twExport(t, strings.Replace(laterB, "11:00", "11:30", 1))); r.code != 0 || len(dm.Accepted()) != before {
			t.Fatalf("after the refusals: exit %d, google +%d (want patient B still withdrawn)\n%s", r.code, len(dm.Accepted())-before, r.stderr)
		}
		if r := runGoogle(t, env, "", true, "ledger", "unrevoke", "--config", cfg, "--patients", list, "--run", "x"); r.code != ExitUsage {
			t.Errorf("--patients with --run: exit %d\n%s", r.code, r.stderr)
		}
	})
	// From standard input, two spellings of one patient are one.
	if r := runGoogle(t, env, "00007002\n7002\n", true, "ledger", "unrevoke", "--config", cfg, "--patients", "-"); r.code != 0 || !strings.Contains(r.stderr, "forgot the withdrawal of 1 of the 1 listed patient(s)") {
		t.Errorf("--patients -: exit %d\n%s", r.code, r.stderr)
	}
}

// TestUnrevokeJudgesBeforeItOpens (review of 53d8483): unrevoke --patients
// took the run lock and upgraded the ledger's schema before it read its
// file, so a refused file left an older hashgate's ledger upgraded (one
// way: the cron job's hashgate refuses it). Everything that can refuse is
// judged first; a ledger of an older schema is not upgraded by unrevoke;
// a directory is named quoted, never as given.
func TestUnrevokeJudgesBeforeItOpens(t *testing.T) {
	_, gURL := googleFake(t, nil)
	_, mURL := metaFake(t, nil)
	env := uploadEnv(t)
	cfg := twComposite(t, gURL, mURL, nil)
	if r := runGoogle(t, env, "", true, "upload", "--config", cfg, twExport(t, "00007001,病患a,115/10/20,上午 09:00,已完成,0912-700-001,撤回,1500\n")); r.code != 0 {
		t.Fatalf("night 1: exit %d\n%s", r.code, r.stderr)
	}
	lpath := filepath.Join(env["XDG_STATE_HOME"], "hashgate", "ledger.db")
	db, err := sql.Open("sqlite", "file:"+lpath)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	version := func() (v int) {
		if err := db.QueryRow("PRAGMA user_version").Scan(&v); err != nil {
			t.Fatal(err)
		}
		return v
	}
	// A schema 9 ledger: without the columns of schemas 10 to 13.
	for _, q := range []string{"ALTER TABLE revoked_patients DROP COLUMN from_day", "ALTER TABLE requests DROP COLUMN sent_to", "ALTER TABLE requests DROP COLUMN sent_times", "ALTER TABLE requests DROP COLUMN test", "PRAGMA user_version = 9"} {
		if _, err := db.Exec(q); err != nil {
			t.Fatal(q, err)
		}
	}
	dir := filepath.Join(t.TempDir(), "keys\x1b[31mred")
	if err := os.Mkdir(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name, stdin, file, want string
		code                    int
	}{
		{"a spreadsheet's CSV", "00007001,病患a\n", "-", "stdin:1:9: more than one value", ExitUsage},
		{"a directory", "", dir, `"` + strings.ReplaceAll(dir, "\x1b", `\x1b`) + `": is a directory`, ExitUsage},
		{"an older schema", "00007001\n", "-", "older than this hashgate's", ExitUsage},
	} {
		r := runGoogle(t, env, c.stdin, true, "ledger", "unrevoke", "--config", cfg, "--patients", c.file)
		if r.code != c.code || !strings.Contains(r.stderr, c.want) || strings.Contains(r.stderr, "\x1b") {
			t.Errorf("%s: exit %d; want %d and %q\n%s", c.name, r.code, c.code, c.want, r.stderr)
		}
		if v := version(); v != 9 {
			t.Fatalf("%s: the refused unrevoke upgraded the ledger to schema %d", c.name, v)
		}
	}
	// A ledger of schema 8 kept no fingerprint: neither unrevoke nor the
	// upload says "another secret"; both say what to do.
	if _, err := db.Exec("DELETE FROM meta WHERE key = 'revoked_key'"); err != nil {
		t.Fatal(err)
	}
	r := runGoogle(t, env, "00007001\n", true, "ledger", "unrevoke", "--config", cfg, "--patients", "-")
	if r.code != ExitUsage || !strings.Contains(r.stderr, "before it kept a fingerprint") {
		t.Errorf("no fingerprint, unrevoke: exit %d\n%s", r.code, r.stderr)
	}
	later := twExport(t, "00007001,病患a,115/10/25,上午 10:00,已完成,0912-700-001,同意,1500\n")
	if r := runGoogle(t, env, "", true, "upload", "--config", cfg, later); r.code != ExitUsage || !strings.Contains(r.stderr, "before it kept a fingerprint") {
		t.Errorf("no fingerprint, upload: exit %d\n%s", r.code, r.stderr)
	}
	if r := runGoogle(t, env, "", true, "upload", "--accept-new-ids", "--config", cfg, later); r.code != 0 || !strings.Contains(r.stderr, "consent_revoked_patient 1") {
		t.Errorf("no fingerprint, --accept-new-ids: exit %d; want the patient still kept out\n%s", r.code, r.stderr)
	}
	if r := runGoogle(t, env, "00007001\n", true, "ledger", "unrevoke", "--config", cfg, "--patients", "-"); r.code != 0 || !strings.Contains(r.stderr, "forgot the withdrawal of 1 of the 1") {
		t.Errorf("after the upload kept the fingerprint: exit %d\n%s", r.code, r.stderr)
	}
}
