package cli

import (
	"encoding/json"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hashgate/hashgate/internal/report"
)

// staleReport writes last night's successful report where --report points,
// so a test can see that a failing run replaces it.
func staleReport(t *testing.T) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "last.json")
	if err := os.WriteFile(p, []byte(`{"exit_code": 0, "rows_read": 120}`), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func readReport(t *testing.T, path string) report.Summary {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var s report.Summary
	if err := json.Unmarshal(b, &s); err != nil {
		t.Fatalf("%s: %v\n%s", path, err, b)
	}
	return s
}

// TestReportWrittenOnEveryExit: runs that fail before the pipeline — a
// missing export, a config error, a missing credential, a usage mistake —
// replace the --report file with their exit code and cause, and --json
// prints the same report.
func TestReportWrittenOnEveryExit(t *testing.T) {
	badConfig := filepath.Join(t.TempDir(), "bad.yaml")
	os.WriteFile(badConfig, []byte("timezone: Mars/Olympus\n"), 0o600)
	noToken := uploadEnv(t)
	delete(noToken, metaTokenEnv)
	for _, c := range []struct {
		name  string
		env   map[string]string
		args  []string
		code  int
		cause string
	}{
		{"missing export", secretEnv, []string{"upload", "--dry-run", "--config", "../../configs/example.yaml", "/nonexistent/export.csv"},
			ExitFailure, "/nonexistent/export.csv"},
		{"config error", secretEnv, []string{"upload", "--dry-run", "--config", badConfig, root + "/example/appointments.csv"},
			ExitUsage, "timezone: unknown IANA time zone"},
		{"missing token", noToken, []string{"upload", "--config", metaConfig(t, "http://127.0.0.1:1", ""), exportFile(t, 3, "")},
			ExitUsage, "HASHGATE_META_ACCESS_TOKEN"},
		{"usage", secretEnv, []string{"upload", "--out", "x.csv", "--config", "../../configs/example.yaml", root + "/example/appointments.csv"},
			ExitUsage, "--out goes with --dry-run"},
	} {
		t.Run(c.name, func(t *testing.T) {
			rep := staleReport(t)
			run := func(args ...string) result {
				if c.name == "missing token" { // builds a client: a real transport
					return runWithHTTP(t, http.DefaultClient, c.env, args...)
				}
				return runCLI(t, c.env, "", args...)
			}
			r := run(append(c.args[:1:1], append([]string{"--report", rep}, c.args[1:]...)...)...)
			if r.code != c.code {
				t.Fatalf("exit %d, want %d\n%s", r.code, c.code, r.stderr)
			}
			s := readReport(t, rep)
			if s.ExitCode != c.code || !strings.Contains(s.Cause, c.cause) {
				t.Errorf("report: exit_code %d, cause %q; want %d and %q", s.ExitCode, s.Cause, c.code, c.cause)
			}
			if s.FinishedAt.IsZero() {
				t.Error("report has no finished_at")
			}
			j := run(append(c.args[:1:1], append([]string{"--json"}, c.args[1:]...)...)...)
			var js report.Summary
			if err := json.Unmarshal([]byte(j.stdout), &js); err != nil && c.name != "usage" {
				t.Errorf("--json: %v\n%s", err, j.stdout)
			} else if err == nil && (js.ExitCode != j.code || js.Cause == "") {
				t.Errorf("--json report: exit_code %d (exit %d), cause %q", js.ExitCode, j.code, js.Cause)
			}
		})
	}
}

// TestReportNamingTheInputIsNotOverwritten: a refused --report path is
// never written, even to report the refusal.
func TestReportNamingTheInputIsNotOverwritten(t *testing.T) {
	export := exportFile(t, 2, "")
	before, _ := os.ReadFile(export)
	r := runCLI(t, secretEnv, "", "upload", "--dry-run", "--report", export, "--config", metaConfig(t, "http://127.0.0.1:1", ""), export)
	after, _ := os.ReadFile(export)
	if r.code != ExitUsage || string(before) != string(after) {
		t.Fatalf("exit %d; export changed: %v\n%s", r.code, string(before) != string(after), r.stderr)
	}
}

// TestHeaderOnlyExportFails: an export with no data row exits 1 — an empty
// nightly export means the clinic's export broke — unless
// input.allow_empty says it is normal.
func TestHeaderOnlyExportFails(t *testing.T) {
	export := filepath.Join(t.TempDir(), "empty.csv")
	example, err := os.ReadFile(root + "/example/appointments.csv")
	if err != nil {
		t.Fatal(err)
	}
	header, _, _ := strings.Cut(string(example), "\n")
	os.WriteFile(export, []byte(header+"\n"), 0o600)
	rep := staleReport(t)
	r := runCLI(t, secretEnv, "", "upload", "--dry-run", "--report", rep, "--config", "../../configs/example.yaml", export)
	if r.code != ExitFailure || !strings.Contains(r.stderr, "no data rows") {
		t.Fatalf("dry-run: exit %d, want 1\n%s", r.code, r.stderr)
	}
	if s := readReport(t, rep); s.ExitCode != ExitFailure || !strings.Contains(s.Cause, "no data rows") || s.RowsRead != 0 {
		t.Errorf("report: %+v", s)
	}
	env := map[string]string{"HASHGATE_SECRET": "s", "HASHGATE_INPUT_ALLOW_EMPTY": "true"}
	if r := runCLI(t, env, "", "upload", "--dry-run", "--config", "../../configs/example.yaml", export); r.code != 0 {
		t.Errorf("allow_empty: exit %d\n%s", r.code, r.stderr)
	}
	// An upload of an empty export fails the same way, sending nothing.
	g, url := metaFake(t, nil)
	r = runWithHTTP(t, http.DefaultClient, uploadEnv(t), "upload", "--config", metaConfig(t, url, ""), exportFile(t, 0, ""))
	if r.code != ExitFailure || len(g.Accepted()) != 0 || !strings.Contains(r.stderr, "no data rows") {
		t.Errorf("upload: exit %d\n%s", r.code, r.stderr)
	}
}

// TestAllTooOldIsAFailure: an upload where every conversion is too old for
// the platform sent nothing; it exits 1, not 3, and says why. The dry-run
// said so beforehand.
func TestAllTooOldIsAFailure(t *testing.T) {
	var old strings.Builder
	for i := 0; i < 4; i++ {
		old.WriteString("OLD" + string(rune('A'+i)) + ",2026-08-01 10:00,completed,zqold" + string(rune('a'+i)) + "@example.com,0912-999-00" + string(rune('0'+i)) + ",Zq,Zq,yes\n")
	}
	export := exportFile(t, 0, old.String())
	env := uploadEnv(t)
	g, url := metaFake(t, nil)
	cfg := metaConfig(t, url, "")

	d := runWithHTTP(t, http.DefaultClient, env, "upload", "--dry-run", "--config", cfg, export)
	if d.code != 0 || !strings.Contains(d.stderr, "an upload would quarantine them (event_too_old): meta 4 of 4 (over 60 days), all of them") {
		t.Errorf("dry-run: exit %d\n%s", d.code, d.stderr)
	}
	rep := staleReport(t)
	r := runWithHTTP(t, http.DefaultClient, env, "upload", "--report", rep, "--config", cfg, export)
	if r.code != ExitFailure || len(g.Accepted()) != 0 {
		t.Fatalf("exit %d, want 1\n%s", r.code, r.stderr)
	}
	if !strings.Contains(r.stderr, "no conversion was ingested: meta quarantined 4 (event_too_old 4)") {
		t.Errorf("stderr does not say why:\n%s", r.stderr)
	}
	if s := readReport(t, rep); s.ExitCode != ExitFailure || !strings.Contains(s.Cause, "event_too_old") {
		t.Errorf("report: exit_code %d cause %q", s.ExitCode, s.Cause)
	}
}

// TestOfflineUploadNamesTheConnectionError: with the platform unreachable,
// the retries end as retries_exhausted with the cause in the summary and
// the report, and --log-level debug shows each request (method, host,
// status or cause, latency) without a path, query or body.
func TestOfflineUploadNamesTheConnectionError(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close() // nothing listens here now: connections are refused
	rep := staleReport(t)
	r := runWithHTTP(t, http.DefaultClient, uploadEnv(t), "upload", "--log-level", "debug", "--report", rep,
		"--config", metaConfig(t, "http://"+addr, ""), exportFile(t, 3, ""))
	if r.code != ExitFailure {
		t.Fatalf("exit %d, want 1\n%s", r.code, r.stderr)
	}
	want := "connection refused (" + addr + "), after 10 attempts"
	if !strings.Contains(r.stderr, "cause: "+want) || !strings.Contains(r.stderr, "retries_exhausted") {
		t.Errorf("summary does not name the connection error %q:\n%s", want, r.stderr)
	}
	s := readReport(t, rep)
	if len(s.Uploads) != 1 || s.Uploads[0].Cause != want || !strings.Contains(s.Cause, want) {
		t.Errorf("report: cause %q, destinations %+v", s.Cause, s.Uploads)
	}
	if n := strings.Count(r.stderr, `msg="http request" method=POST host=`+addr); n != 10 {
		t.Errorf("%d request lines at debug level, want 10:\n%s", n, r.stderr)
	}
	for _, stage := range []string{"config loaded", "export opened", "run started", "destination ready", "request failed; retrying"} {
		if !strings.Contains(r.stderr, stage) {
			t.Errorf("debug log lacks the stage %q", stage)
		}
	}
	for _, leak := range []string{metaToken, "access_token", "zqpatient", "/events", "998877"} {
		if strings.Contains(r.stderr, leak) {
			t.Errorf("debug log holds %q", leak)
		}
	}
}

// TestEveryRowCountsIsSaid: without a status column every row counts, and
// every run's summary says so.
func TestEveryRowCountsIsSaid(t *testing.T) {
	cfg := filepath.Join(t.TempDir(), "nostatus.yaml")
	body, _ := os.ReadFile("../../configs/example.yaml")
	text := strings.Replace(string(body), "    status: status\n", "", 1)
	text = strings.Replace(text, "  statuses: [\"completed\"]\n", "", 1)
	os.WriteFile(cfg, []byte(text), 0o600)
	r := runCLI(t, secretEnv, "", "upload", "--dry-run", "--config", cfg, root+"/example/appointments.csv")
	if r.code != 0 || !strings.Contains(r.stderr, "no status column (input.columns.status): every row counts as a visit") {
		t.Errorf("exit %d\n%s", r.code, r.stderr)
	}
	// Naming statuses without the column is refused, naming both keys.
	bad := strings.Replace(string(body), "    status: status\n", "", 1)
	os.WriteFile(cfg, []byte(bad), 0o600)
	r = runCLI(t, secretEnv, "", "config", "validate", "--config", cfg)
	if r.code != ExitUsage || !strings.Contains(r.stderr, "conversion.statuses: is set but input.columns.status is not") {
		t.Errorf("statuses without a status column: exit %d\n%s", r.code, r.stderr)
	}
}

// TestStatusColumnMatchingNoStatusIsRefused: a mapped status column none of
// whose values is one of conversion.statuses would exclude every row, every
// night, silently; the run is refused naming both keys.
func TestStatusColumnMatchingNoStatusIsRefused(t *testing.T) {
	cfg := filepath.Join(t.TempDir(), "wrong-words.yaml")
	body, _ := os.ReadFile("../../configs/example.yaml")
	os.WriteFile(cfg, []byte(strings.Replace(string(body), `statuses: ["completed"]`, `statuses: ["已完成"]`, 1)), 0o600)
	rep := staleReport(t)
	r := runCLI(t, secretEnv, "", "upload", "--dry-run", "--report", rep, "--config", cfg, root+"/example/appointments.csv")
	if r.code != ExitUsage {
		t.Fatalf("exit %d, want 2\n%s", r.code, r.stderr)
	}
	for _, want := range []string{"conversion.statuses: none of the", `input.columns.status ("status")`, `["已完成"]`} {
		if !strings.Contains(r.stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, r.stderr)
		}
	}
	if s := readReport(t, rep); s.ExitCode != ExitUsage || s.StatusRows == 0 || s.StatusMatched != 0 {
		t.Errorf("report: exit_code %d, status_rows %d, status_matched %d", s.ExitCode, s.StatusRows, s.StatusMatched)
	}
}
