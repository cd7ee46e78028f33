package cli

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestNoRawPersonalDataInTheUploadsTrail: the canary export uploaded for
// real, to both platforms' fakes, and then everything an upload leaves
// behind or a person reads afterwards — the request bodies, every file of
// the state directory (the ledger's database and its journal, the run
// reports, last-run.json), the --json and --report reports, and the
// output of status, ledger list (a run's events too) and ledger stats —
// holds none of its personal values. TestNoRawPersonalDataLeaves plays
// the dry-run and the errors; a privacy officer's review found that no
// canary had been uploaded and then looked for in the ledger or the
// reports (2026-12-06).
func TestNoRawPersonalDataInTheUploadsTrail(t *testing.T) {
	cs := canaries(t)
	dm, gURL := googleFake(t, nil)
	g, mURL := metaFake(t, nil)
	cfg := mustRead(t, root+"/canary/config.yaml")
	at := strings.Index(cfg, "destinations:")
	if at < 0 {
		t.Fatal("the canary config has no destinations")
	}
	// The fee column's value goes to both platforms: Meta takes no
	// Purchase without one, and an amount is one more path to leak by.
	cfg = strings.Replace(cfg[:at], "conversion:\n", "conversion:\n  value: actual\n", 1) + fmt.Sprintf(`destinations:
  google:
    enabled: true
    identifiers: [email, phone]
    endpoint: %s
    operating_account: 123-456-7890
    conversion_action_id: "555000111"
  meta:
    enabled: true
    identifiers: [email, phone, first_name, last_name, external_id]
    graph_url: %s
    dataset_id: "998877"
privacy:
  allow_actual_value: true
`, gURL, mURL)
	cfgPath := filepath.Join(t.TempDir(), "canary.yaml")
	if err := os.WriteFile(cfgPath, []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	export := root + "/canary/export.csv"
	env := uploadEnv(t)
	report := filepath.Join(t.TempDir(), "report.json")
	var outputs []string
	run := func(args ...string) result {
		t.Helper()
		r := runGoogle(t, env, "", true, append([]string{"--log-level", "debug"}, args...)...)
		outputs = append(outputs, strings.Join(args, " ")+"\n"+r.stdout+r.stderr)
		return r
	}
	// --backfill: the canary visits are three weeks old, past what a
	// ledger's first upload sends Meta.
	r := run("upload", "--config", cfgPath, "--backfill", "--json", "--report", report, export)
	// Exit 3: a row whose fee is no number is held back from Meta
	// (purchase_without_value) — one more message to look in.
	if (r.code != 0 && r.code != 3) || len(dm.Accepted()) == 0 || len(g.Accepted()) == 0 {
		t.Fatalf("exit %d, google %d, meta %d accepted: the canary must reach both platforms\n%s",
			r.code, len(dm.Accepted()), len(g.Accepted()), r.stderr)
	}
	// The patient keys reach the code that could leak them: Meta's
	// external_id is sent, and ZQPK0009's withdrawal is remembered in the
	// ledger (under a keyed digest, never the key).
	if !strings.Contains(r.stdout, `"withdrawals_remembered": 1`) || !strings.Contains(strings.Join(g.Sent(), ""), `"external_id"`) {
		t.Fatalf("the canary's patient keys were not used: no withdrawal counted, or no external_id sent\n%s", r.stdout)
	}
	run("upload", "--config", cfgPath, export) // a second night: nothing new
	run("status", "--config", cfgPath)
	run("status", "--config", cfgPath, "--json")
	run("ledger", "stats", "--config", cfgPath, "--json")
	list := run("ledger", "list", "--config", cfgPath)
	ids := regexp.MustCompile(`(?m)^\S+`).FindAllString(list.stdout, -1)
	if len(ids) < 2 {
		t.Fatalf("ledger list names no runs:\n%s%s", list.stdout, list.stderr)
	}
	for _, id := range ids[1:] { // the first word is the header's
		run("ledger", "list", "--config", cfgPath, "--run", id)
	}
	for i, o := range outputs {
		assertNoCanary(t, fmt.Sprintf("output %d (%s)", i, strings.SplitN(o, "\n", 2)[0]), o, cs)
	}
	// Sent: the URL with its query string and the headers too, not only
	// the body.
	for i, req := range append(dm.Sent(), g.Sent()...) {
		assertNoCanary(t, fmt.Sprintf("request %d", i), req, cs)
	}
	assertNoCanary(t, "--report file", mustRead(t, report), cs)
	files := 0
	err := filepath.WalkDir(env["XDG_STATE_HOME"], func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		files++
		assertNoCanary(t, "state file "+p, mustRead(t, p), cs)
		return nil
	})
	if err != nil || files < 2 {
		t.Fatalf("state directory: %d files, %v", files, err)
	}
}
