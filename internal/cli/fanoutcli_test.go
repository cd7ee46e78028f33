package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// fanOutAlarm is the start of the alarm's line, tonight's or the ledger's.
const fanOutAlarm = "withdrew the rows of 39 other patient keys (39 rows withdrawn by identifier in all): a placeholder or the clinic's own contact? list it under input.not_patient_identifiers"

// TestARerunKeepsTheFanOutAlarm: the reviewer's placeholder night
// uploaded twice (a retry after exit 3, a second cron run). The second
// run finds the placeholder remembered and withdraws the same 39 by it;
// judged with the ledger's other identifiers and said only, it exited 0
// where the first exited 3. Both exit 3 now, saying the alarm, never the
// value.
func TestARerunKeepsTheFanOutAlarm(t *testing.T) {
	dm, gURL := googleFake(t, nil)
	g, mURL := metaFake(t, nil)
	env := uploadEnv(t)
	cfg, export := migConfig(t, gURL, mURL), migExport(t, placeholderNight())
	for run := range 2 {
		r := runGoogle(t, env, "", true, "upload", "--config", cfg, export)
		if r.code != 3 || len(dm.Accepted()) != 0 || len(g.Accepted()) != 0 || !strings.Contains(r.stderr, fanOutAlarm) {
			t.Fatalf("run %d: exit %d, google %d, meta %d; want 3, nothing sent and the alarm\n%s", run+1, r.code, len(dm.Accepted()), len(g.Accepted()), r.stderr)
		}
		placeholderCanary(t, env, r.stdout+r.stderr)
	}
}

// TestWriteExits3OnTheFanOutAlarm: `write` leaves the placeholder's 39
// rows out of its file as the upload leaves them unsent; it exited 0, and
// under --quiet printed nothing of it. It exits 3 now, the file written,
// the alarm said as its error under --quiet too.
func TestWriteExits3OnTheFanOutAlarm(t *testing.T) {
	env := uploadEnv(t)
	out := filepath.Join(t.TempDir(), "meta.csv")
	r := runCLI(t, env, "", "-q", "write", "--format", "meta-offline-csv", "--out", out, "--config", migConfig(t, "http://127.0.0.1:1", "http://127.0.0.1:1"), migExport(t, placeholderNight()))
	if r.code != 3 || !strings.Contains(r.stderr, fanOutAlarm) {
		t.Fatalf("write -q: exit %d, want 3 with the alarm\n%s", r.code, r.stderr)
	}
	if _, err := os.Stat(out); err != nil {
		t.Errorf("the file was not written: %v", err)
	}
	placeholderCanary(t, env, r.stdout+r.stderr)
}

// TestCheckSaysTheFanOutAlarm: a fixture of the placeholder night passes
// (each row's reason is what its expect cell says) and check printed
// nothing of the alarm an upload of it exits 3 on. It says it on stderr,
// under --quiet too, and in --json (identifier_fan_out, with the file);
// its exit code stays check's.
func TestCheckSaysTheFanOutAlarm(t *testing.T) {
	dir := t.TempDir()
	fixture := filepath.Join(dir, "fixture.csv")
	var b strings.Builder
	b.WriteString("id,at,status,email,phone,first,last,consent,pid,expect\n")
	for _, row := range strings.SplitAfter(strings.TrimSuffix(placeholderNight(), "\n"), "\n") {
		b.WriteString(strings.TrimSuffix(row, "\n") + ",exclude\n")
	}
	if err := os.WriteFile(fixture, []byte(b.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	cfg := migConfig(t, "http://127.0.0.1:1", "http://127.0.0.1:1")
	env := uploadEnv(t)
	for _, quiet := range []bool{false, true} {
		args := []string{"check", "--config", cfg, fixture}
		if quiet {
			args = append([]string{"-q"}, args...)
		}
		r := runCLI(t, env, "", args...)
		if r.code != ExitOK || !strings.Contains(r.stderr, "hashgate check: "+fixture) || !strings.Contains(r.stderr, fanOutAlarm+" (an upload of it exits 3)") {
			t.Errorf("check (quiet %v): exit %d\n%s%s", quiet, r.code, r.stdout, r.stderr)
		}
		placeholderCanary(t, env, r.stdout+r.stderr)
	}
	r := runCLI(t, env, "", "check", "--json", "--config", cfg, fixture)
	var rep struct {
		Fan []struct {
			File     string `json:"file"`
			Rows     int    `json:"rows_withdrawn"`
			Keys     int    `json:"other_patient_keys"`
			Tonight  bool   `json:"withdrawn_tonight"`
			Withdrew int    `json:"withdrawing_rows"`
		} `json:"identifier_fan_out"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &rep); err != nil || r.code != ExitOK || len(rep.Fan) != 1 || rep.Fan[0].Keys != 39 || rep.Fan[0].Rows != 39 || !rep.Fan[0].Tonight || rep.Fan[0].Withdrew != 1 || rep.Fan[0].File == "" {
		t.Errorf("check --json (%v): exit %d\n%s", err, r.code, r.stdout)
	}
	placeholderCanary(t, env, r.stdout+r.stderr)
}
