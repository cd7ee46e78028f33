package cli

import (
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/spf13/cobra"

	"github.com/hashgate/hashgate/internal/ledger"
)

// TestMain lets the test binary stand in for hashgate when a child process
// (a real bash running the completion script) calls it by name.
func TestMain(m *testing.M) {
	if os.Getenv("HASHGATE_TEST_AS_MAIN") == "1" {
		os.Exit(Main(context.Background(), os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
	}
	code := m.Run()
	removeBinary() // 50 MB in the temporary directory per run otherwise
	os.Exit(code)
}

// TestHelpGoesToStdout: help is what the user asked for, so `hashgate
// --help | less` shows it; nothing goes to stderr.
func TestHelpGoesToStdout(t *testing.T) {
	for _, args := range [][]string{{"--help"}, {"upload", "--help"}, {"help", "ledger", "stats"}, {"config"}, {"ledger", "-h"}} {
		r := runCLI(t, nil, "", args...)
		if r.code != 0 || !strings.Contains(r.stdout, "Usage:") || r.stderr != "" {
			t.Errorf("%v: exit %d, stdout %d bytes, stderr %q", args, r.code, len(r.stdout), r.stderr)
		}
	}
}

// TestErrorsGoToStderr: a usage error leaves stdout empty (it may be a file).
func TestErrorsGoToStderr(t *testing.T) {
	r := runCLI(t, nil, "", "upload", "--no-such-flag")
	if r.code != ExitUsage || r.stdout != "" || !strings.Contains(r.stderr, "unknown flag") {
		t.Fatalf("exit %d\nstdout %q\nstderr %q", r.code, r.stdout, r.stderr)
	}
}

func TestEveryCommandHasAnExample(t *testing.T) {
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		if !c.Hidden && c.Name() != "help" && strings.TrimSpace(c.Example) == "" {
			t.Errorf("%q has no Example", c.CommandPath())
		}
		for _, sub := range c.Commands() {
			walk(sub)
		}
	}
	walk(newRootCmd(NewFactory(nil, nil, nil)))
}

func TestSuggestions(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"uplaod"}, "did you mean upload?"},
		{[]string{"ledger", "stat"}, "did you mean stats?"},
		{[]string{"config", "valdate"}, "did you mean validate?"},
		{[]string{"upload", "--dryrun"}, "did you mean --dry-run?"},
		{[]string{"upload", "--quite"}, "did you mean --quiet?"},
	} {
		r := runCLI(t, nil, "", c.args...)
		if r.code != ExitUsage || !strings.Contains(r.stderr, c.want) {
			t.Errorf("%v: exit %d, stderr %q, want %q", c.args, r.code, r.stderr, c.want)
		}
	}
}

// TestUnknownConfigKeyNamesLineAndSuggests: a misspelt key is named with
// its file:line:column and the key it probably meant, for every level.
func TestUnknownConfigKeyNamesLineAndSuggests(t *testing.T) {
	example, err := os.ReadFile("../../configs/example.yaml")
	if err != nil {
		t.Fatal(err)
	}
	text := strings.Replace(string(example), "\ntimezone:", "\ntimezon:", 1)
	text = strings.Replace(text, "    consent_at:", "    consnet_at:", 1)
	text += "columns:\n  email: x\n"
	path := filepath.Join(t.TempDir(), "typo.yaml")
	if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	line := func(prefix string) string {
		for i, l := range strings.Split(text, "\n") {
			if strings.HasPrefix(l, prefix) {
				return path + ":" + strconv.Itoa(i+1) + ":" + strconv.Itoa(len(l)-len(strings.TrimLeft(l, " "))+1)
			}
		}
		t.Fatalf("no line %q", prefix)
		return ""
	}
	r := runCLI(t, nil, "", "config", "validate", "--config", path)
	for _, want := range []string{
		line("timezon:") + ": unknown key timezon (did you mean timezone?)",
		line("    consnet_at:") + ": unknown key input.columns.consnet_at (did you mean input.columns.consent_at?)",
		line("columns:") + ": unknown key columns (did you mean input.columns",
	} {
		if !strings.Contains(r.stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, r.stderr)
		}
	}
	if r.code != ExitUsage || strings.Contains(r.stderr, "invalid keys") {
		t.Errorf("exit %d, want 2 without viper's placeless message:\n%s", r.code, r.stderr)
	}
}

func TestVersion(t *testing.T) {
	r := runCLI(t, nil, "", "--version")
	if r.code != 0 || !strings.HasPrefix(r.stdout, "hashgate ") || r.stderr != "" {
		t.Fatalf("--version: exit %d, %q %q", r.code, r.stdout, r.stderr)
	}
	r = runCLI(t, nil, "", "version", "--json")
	var v map[string]any
	if err := json.Unmarshal([]byte(r.stdout), &v); err != nil || r.code != 0 {
		t.Fatalf("version --json: exit %d, %v\n%s", r.code, err, r.stdout)
	}
	for _, k := range []string{"version", "go_version", "os", "arch"} {
		if _, ok := v[k]; !ok {
			t.Errorf("version --json lacks %q: %s", k, r.stdout)
		}
	}
	assertSnakeCase(t, r.stdout)
}

var jsonKey = regexp.MustCompile(`"([^"\\]+)":`)
var snakeCase = regexp.MustCompile(`^[a-z][a-z0-9]*(_[a-z0-9]+)*$`)

// assertSnakeCase fails on any object key in doc that is not snake_case.
func assertSnakeCase(t *testing.T, doc string) {
	t.Helper()
	for _, m := range jsonKey.FindAllStringSubmatch(doc, -1) {
		if !snakeCase.MatchString(m[1]) {
			t.Errorf("JSON key %q is not snake_case", m[1])
		}
	}
}

func TestInspectJSONIsSnakeCase(t *testing.T) {
	r := runCLI(t, nil, "", "inspect", "--json", root+"/example/appointments.csv")
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	assertSnakeCase(t, r.stdout)
	if !strings.Contains(r.stdout, `"header_line":`) {
		t.Errorf("inspect --json lacks header_line:\n%s", r.stdout)
	}
}

func TestConfigValidate(t *testing.T) {
	r := runCLI(t, nil, "", "config", "validate", "--config", "../../configs/example.yaml")
	if r.code != 0 || r.stdout != "" || !strings.Contains(r.stderr, "is valid") {
		t.Fatalf("example config: exit %d\n%s", r.code, r.stderr)
	}
	r = runCLI(t, nil, "", "config", "validate", "--upload", "--config", "../../configs/example.yaml")
	if r.code != ExitUsage || !strings.Contains(r.stderr, "secret: required for uploads") {
		t.Fatalf("--upload without a secret: exit %d\n%s", r.code, r.stderr)
	}
	bad := filepath.Join(t.TempDir(), "bad.yaml")
	os.WriteFile(bad, []byte("timezone: Mars/Olympus\n"), 0o600)
	r = runCLI(t, nil, "", "config", "validate", "--config", bad)
	for _, want := range []string{"timezone: unknown IANA time zone", "input.columns.order_id: required", "consent.granted: required"} {
		if !strings.Contains(r.stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, r.stderr)
		}
	}
	if r.code != ExitUsage {
		t.Errorf("exit %d, want 2", r.code)
	}
	// No file, the whole config in the environment: what was validated
	// is said to be that, not ./hashgate.yaml (a review of the CLI).
	env := map[string]string{"HASHGATE_TIMEZONE": "Asia/Taipei", "HASHGATE_REGION": "TW", "HASHGATE_INPUT_COLUMNS_ORDER_ID": "id",
		"HASHGATE_INPUT_COLUMNS_APPOINTMENT_AT": "at", "HASHGATE_INPUT_COLUMNS_CONSENT": "consent", "HASHGATE_INPUT_COLUMNS_EMAIL": "email", "HASHGATE_INPUT_COLUMNS_PHONE": "phone",
		"HASHGATE_CONSENT_GRANTED": "yes", "HASHGATE_CONSENT_REQUIRE_TIMESTAMP": "false", "HASHGATE_CONVERSION_STATUSES": "completed",
		"HASHGATE_INPUT_COLUMNS_STATUS": "status", "HASHGATE_DESTINATIONS_META_ENABLED": "true"}
	r = runCLI(t, env, "", "config", "validate")
	if r.code != 0 || !strings.Contains(r.stderr, "the configuration from the environment (no hashgate.yaml) is valid") {
		t.Errorf("a config from the environment: exit %d\n%s", r.code, r.stderr)
	}
}

// TestLedgerAndStatusNeedOnlyTheirKeys: a config holding nothing but the
// ledger path (no export mapping) serves ledger stats and list; status does
// not ask for the export mapping either.
func TestLedgerAndStatusNeedOnlyTheirKeys(t *testing.T) {
	dir := t.TempDir()
	cfg := filepath.Join(dir, "ledger-only.yaml")
	os.WriteFile(cfg, []byte("ledger:\n  path: "+filepath.Join(dir, "ledger.db")+"\n"), 0o600)
	// No ledger there: the reading commands say so, and create none (an
	// empty one answered "0 runs" to a cron job pointed at the wrong
	// state directory: review, 2026-12-06).
	for _, args := range [][]string{{"ledger", "stats"}, {"ledger", "list"}, {"ledger", "forget", "--before", "2026-01-01"}, {"status"}} {
		r := runCLI(t, nil, "", append(args, "--config", cfg)...)
		if r.code != ExitFailure || !strings.Contains(r.stderr, "no ledger there") {
			t.Errorf("%v without a ledger: exit %d\n%s", args, r.code, r.stderr)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "ledger.db")); err == nil {
		t.Fatal("a reading command created the ledger")
	}
	emptyLedger(t, filepath.Join(dir, "ledger.db"))
	r := runCLI(t, nil, "", "ledger", "stats", "--json", "--config", cfg)
	if r.code != 0 {
		t.Fatalf("ledger stats: exit %d\n%s", r.code, r.stderr)
	}
	var st map[string]any
	if err := json.Unmarshal([]byte(r.stdout), &st); err != nil {
		t.Fatalf("ledger stats --json: %v\n%s", err, r.stdout)
	}
	if _, ok := st["schema_version"]; !ok {
		t.Errorf("ledger stats --json lacks schema_version: %s", r.stdout)
	}
	assertSnakeCase(t, r.stdout)
	r = runCLI(t, nil, "", "ledger", "list", "--json", "--config", cfg)
	if r.code != 0 || strings.TrimSpace(r.stdout) != "[]" {
		t.Fatalf("ledger list --json on an empty ledger: exit %d %q\n%s", r.code, r.stdout, r.stderr)
	}
	r = runCLI(t, nil, "", "status", "--config", cfg)
	if strings.Contains(r.stderr, "input.columns") || strings.Contains(r.stderr, "consent.granted") {
		t.Errorf("status asked for keys it does not use:\n%s", r.stderr)
	}
}

// TestBashCompletionInRealBash sources `hashgate completion bash` in a real
// bash and completes "hashgate up" to "upload"; the script calls hashgate
// back, here the test binary itself (TestMain).
func TestBashCompletionInRealBash(t *testing.T) {
	bash, err := exec.LookPath("bash")
	if err != nil {
		t.Skip("no bash on PATH")
	}
	r := runCLI(t, nil, "", "completion", "bash")
	if r.code != 0 || !strings.Contains(r.stdout, "__start_hashgate") || r.stderr != "" {
		t.Fatalf("completion bash: exit %d, %d bytes on stdout, stderr %q", r.code, len(r.stdout), r.stderr)
	}
	dir := t.TempDir()
	script := filepath.Join(dir, "hashgate.bash")
	os.WriteFile(script, []byte(r.stdout), 0o600)
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	shim := "#!/bin/sh\nHASHGATE_TEST_AS_MAIN=1 exec " + shellQuote(self) + " \"$@\"\n"
	if err := os.WriteFile(filepath.Join(dir, "hashgate"), []byte(shim), 0o700); err != nil {
		t.Fatal(err)
	}
	complete := func(line string) []string {
		t.Helper()
		// cobra's script relies on the bash-completion package for
		// _get_comp_words_by_ref, as every distribution's bash does; where
		// it is not installed, a minimal stand-in sets the same four words.
		prog := `if [ -r /usr/share/bash-completion/bash_completion ]; then
  source /usr/share/bash-completion/bash_completion
else
  _get_comp_words_by_ref() {
    cur="${COMP_WORDS[COMP_CWORD]}"; prev="${COMP_WORDS[COMP_CWORD-1]}"
    words=("${COMP_WORDS[@]}"); cword=$COMP_CWORD
  }
fi
compopt() { :; } # only works while bash itself runs a completion
source "$1"
COMP_LINE="$2"; COMP_POINT=${#COMP_LINE}
read -r -a COMP_WORDS <<< "$COMP_LINE"
[[ "$COMP_LINE" == *" " ]] && COMP_WORDS+=("")
COMP_CWORD=$(( ${#COMP_WORDS[@]} - 1 ))
__start_hashgate hashgate "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}"
printf '%s\n' "${COMPREPLY[@]}"`
		cmd := exec.Command(bash, "--norc", "--noprofile", "-c", prog, "bash", script, line)
		cmd.Env = []string{"PATH=" + dir + string(os.PathListSeparator) + os.Getenv("PATH"), "HOME=" + dir}
		var stderr strings.Builder
		cmd.Stderr = &stderr
		out, err := cmd.Output()
		if err != nil || stderr.Len() > 0 {
			t.Fatalf("bash: %v\n%s", err, stderr.String())
		}
		return strings.Fields(string(out))
	}
	if got := complete("hashgate up"); len(got) != 1 || got[0] != "upload" {
		t.Errorf(`"hashgate up" completes to %q, want [upload]`, got)
	}
	if got := complete("hashgate ledger st"); len(got) != 1 || got[0] != "stats" {
		t.Errorf(`"hashgate ledger st" completes to %q, want [stats]`, got)
	}
	if got := complete("hashgate upload --dry"); len(got) != 1 || got[0] != "--dry-run" {
		t.Errorf(`"hashgate upload --dry" completes to %q, want [--dry-run]`, got)
	}
}

func shellQuote(s string) string { return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'" }

// emptyLedger creates an empty ledger at path, as a first upload does.
func emptyLedger(t *testing.T, path string) {
	t.Helper()
	l, err := ledger.Open(context.Background(), path, ledger.Options{})
	if err != nil {
		t.Fatal(err)
	}
	l.Close()
}

// TestARelativeStateDirectoryIsRefused: a relative XDG_STATE_HOME (or
// ledger.path) is read from the working directory, so the same cron line
// run from another directory opened another, empty ledger and sent every
// visit again (a review). The XDG spec requires absolute paths: both stop,
// exit 2, before anything is read or sent.
func TestARelativeStateDirectoryIsRefused(t *testing.T) {
	env := uploadEnv(t)
	env["XDG_STATE_HOME"] = "relst"
	for _, args := range [][]string{
		{"ledger", "stats", "--config", "../../configs/example.yaml"},
		{"status", "--config", "../../configs/example.yaml"},
		{"upload", "--dry-run", "--config", "../../testdata/ledger/tw-composite.yaml", "../../testdata/ledger/tw-composite.csv"},
	} {
		r := runCLI(t, env, "", args...)
		if r.code != ExitUsage || !strings.Contains(r.stderr, "XDG_STATE_HOME is a relative path") {
			t.Errorf("%s with a relative XDG_STATE_HOME: exit %d\n%s", args[0], r.code, r.stderr)
		}
	}
	if _, err := os.Stat("relst"); err == nil {
		os.RemoveAll("relst")
		t.Errorf("a relative XDG_STATE_HOME made a directory in the working directory")
	}
	cfg := filepath.Join(t.TempDir(), "hashgate.yaml")
	os.WriteFile(cfg, []byte(mustReplace(t, mustRead(t, "../../configs/example.yaml"), "  path: \"\"", "  path: state/ledger.db")), 0o600)
	r := runCLI(t, uploadEnv(t), "", "upload", "--dry-run", "--config", cfg, root+"/example/appointments.csv")
	if r.code != ExitUsage || !strings.Contains(r.stderr, "ledger.path") || !strings.Contains(r.stderr, "absolute") {
		t.Errorf("a relative ledger.path: exit %d\n%s", r.code, r.stderr)
	}
}
