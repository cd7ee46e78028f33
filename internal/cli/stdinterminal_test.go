package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// runOnTerminal is runCLI with standard input reported a terminal (or
// not), typed in advance.
func runOnTerminal(t *testing.T, terminal bool, env map[string]string, stdin string, args ...string) result {
	t.Helper()
	var out, errOut bytes.Buffer
	f := testFactory(t, env, strings.NewReader(stdin), &out, &errOut)
	f.StdinIsTerminal = func() bool { return terminal }
	code := execute(context.Background(), f, args)
	return result{stdout: out.String(), stderr: errOut.String(), code: code}
}

// TestNoExportOnATerminalIsAUsageError: upload and write without an
// export argument read standard input; on a terminal they waited there,
// silent, for an export nobody was typing (a review). They exit 2 and say
// how to give one; the report says so too. Piped, no argument still reads
// standard input.
func TestNoExportOnATerminalIsAUsageError(t *testing.T) {
	cfg := "../../configs/example.yaml"
	const hint = `no export given, and standard input is a terminal: name the export file, or pipe it in ("-" reads standard input)`
	rep := filepath.Join(t.TempDir(), "report.json")
	r := runOnTerminal(t, true, secretEnv, "", "upload", "--dry-run", "--config", cfg, "--report", rep)
	if r.code != ExitUsage || r.stderr != "hashgate: "+hint+configNote(t, cfg)+"\n" || r.stdout != "" {
		t.Errorf("upload: exit %d\nstdout %q\nstderr %q", r.code, r.stdout, r.stderr)
	}
	var got struct {
		ExitCode int    `json:"exit_code"`
		Cause    string `json:"cause"`
	}
	if b, err := os.ReadFile(rep); err != nil || json.Unmarshal(b, &got) != nil || got.ExitCode != ExitUsage || got.Cause != hint {
		t.Errorf("report: %+v, %v", got, err)
	}
	env := map[string]string{"HASHGATE_SECRET": goldenSecret, "HASHGATE_DESTINATIONS_GOOGLE_CONVERSION_NAME": "Clinic visit"}
	r = runOnTerminal(t, true, env, "", "write", "--format", "google-ads-csv", "--config", cfg)
	if r.code != ExitUsage || !strings.Contains(r.stderr, hint) {
		t.Errorf("write: exit %d\n%s", r.code, r.stderr)
	}

	example, err := os.ReadFile(root + "/example/appointments.csv")
	if err != nil {
		t.Fatal(err)
	}
	piped := runOnTerminal(t, false, secretEnv, string(example), "upload", "--dry-run", "--config", cfg)
	named := runCLI(t, secretEnv, "", "upload", "--dry-run", "--config", cfg, root+"/example/appointments.csv")
	if piped.code != ExitOK || piped.stdout != named.stdout {
		t.Errorf("no argument, piped: exit %d, review differs from the named file's\n%s", piped.code, piped.stderr)
	}
}

// TestDashOnATerminalSaysItReadsStandardInput: "-" given on a terminal
// is a person typing (or about to paste) an export: one line on stderr
// says that hashgate reads it, and how to end it — for upload as for the
// other commands reading an export — but not with --quiet, nor when
// standard input is a pipe.
func TestDashOnATerminalSaysItReadsStandardInput(t *testing.T) {
	cfg := "../../configs/example.yaml"
	example, err := os.ReadFile(root + "/example/appointments.csv")
	if err != nil {
		t.Fatal(err)
	}
	notice := "hashgate: reading the export from standard input (end it with Ctrl-D)\n"
	if runtime.GOOS == "windows" {
		notice = "hashgate: reading the export from standard input (end it with Ctrl-Z, Enter)\n"
	}
	r := runOnTerminal(t, true, secretEnv, string(example), "upload", "--dry-run", "--config", cfg, "-")
	if r.code != ExitOK || !strings.HasPrefix(r.stderr, notice) || strings.Count(r.stderr, notice) != 1 {
		t.Errorf("upload -: exit %d\n%s", r.code, r.stderr)
	}
	r = runOnTerminal(t, true, nil, string(example), "inspect", "-")
	if r.code != ExitOK || r.stderr != notice || !strings.HasPrefix(r.stdout, "file:      stdin\n") {
		t.Errorf("inspect -: exit %d\nstdout %q\nstderr %q", r.code, r.stdout, r.stderr)
	}
	r = runOnTerminal(t, true, secretEnv, string(example), "upload", "--dry-run", "--quiet", "--config", cfg, "-")
	if r.code != ExitOK || r.stderr != "" {
		t.Errorf("upload --quiet -: exit %d, stderr %q", r.code, r.stderr)
	}
	r = runOnTerminal(t, true, nil, string(example), "--quiet", "inspect", "-")
	if r.code != ExitOK || r.stderr != "" {
		t.Errorf("--quiet inspect -: exit %d, stderr %q", r.code, r.stderr)
	}
	r = runOnTerminal(t, false, secretEnv, string(example), "upload", "--dry-run", "--config", cfg, "-")
	if r.code != ExitOK || strings.Contains(r.stderr, "reading the export") {
		t.Errorf("piped: exit %d\n%s", r.code, r.stderr)
	}
}
