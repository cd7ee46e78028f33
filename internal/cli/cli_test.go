package cli

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hashgate/hashgate/configs"
)

var update = flag.Bool("update", false, "rewrite golden files under testdata/golden")

const root = "../../testdata"

// result is one in-process run of hashgate.
type result struct {
	stdout, stderr string
	code           int
}

// runCLI runs hashgate in-process with buffers, the given environment only,
// a fixed clock and an HTTP client that fails the test if anything asks for
// it: no command tested here may touch the network.
func runCLI(t *testing.T, env map[string]string, stdin string, args ...string) result {
	t.Helper()
	var out, errOut bytes.Buffer
	f := testFactory(t, env, strings.NewReader(stdin), &out, &errOut)
	code := execute(context.Background(), f, args)
	return result{stdout: out.String(), stderr: errOut.String(), code: code}
}

// testFactory is runCLI's factory: the given streams and environment
// only, a fixed clock, no network.
func testFactory(t *testing.T, env map[string]string, stdin io.Reader, out, errOut io.Writer) *Factory {
	t.Helper()
	f := NewFactory(stdin, out, errOut)
	f.Now = func() time.Time { return time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC) }
	home := t.TempDir() // no test touches the real home's state or config
	f.Getenv = func(k string) string {
		switch k {
		case "HOME", "XDG_STATE_HOME", "XDG_CONFIG_HOME":
			if v, ok := env[k]; ok {
				return v
			}
			return home
		}
		return env[k]
	}
	f.Environ = func() []string {
		var kv []string
		for k, v := range env {
			kv = append(kv, k+"="+v)
		}
		return kv
	}
	f.HTTPClient = func() (*http.Client, error) {
		t.Errorf("a command asked for an HTTP client; dry-runs make no network call")
		return nil, errors.New("network disabled in tests")
	}
	return f
}

func golden(t *testing.T, name, got string) {
	t.Helper()
	goldenFile(t, filepath.Join(root, "golden", name), got)
}

// goldenFile compares got with the file at path, or rewrites it under -update.
func goldenFile(t *testing.T, path, got string) {
	t.Helper()
	name := filepath.Base(path)
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./internal/cli -update to create it)", err)
	}
	if got != string(want) {
		t.Errorf("%s differs from the golden file (go test ./internal/cli -update rewrites it after review)\n--- got ---\n%s\n--- want ---\n%s", name, got, want)
	}
}

var secretEnv = map[string]string{"HASHGATE_SECRET": "golden-test-secret"} // weak: dry-runs accept it

// TestDryRunGolden: the bundled example (every exclusion reason) through the
// example config and through a config with every identifier.
func TestDryRunGolden(t *testing.T) {
	for _, c := range []struct{ name, config string }{
		{"example", "../../configs/example.yaml"},
		{"full", root + "/golden/full.yaml"},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := runCLI(t, secretEnv, "", "upload", "--dry-run", "--config", c.config, root+"/example/appointments.csv")
			if r.code != ExitOK {
				t.Fatalf("exit %d, stderr:\n%s", r.code, r.stderr)
			}
			golden(t, c.name+".csv", r.stdout)
			golden(t, c.name+".summary.txt", r.stderr)
		})
	}
}

func TestDryRunCoversEveryExclusionReason(t *testing.T) {
	r := runCLI(t, secretEnv, "", "upload", "--dry-run", "--config", "../../configs/example.yaml", root+"/example/appointments.csv")
	for _, reason := range []string{
		"consent_missing", "consent_denied", "consent_scoped", "consent_revoked", "consent_after_event", "consent_time_missing",
		"status_not_converted", "invalid_time", "no_identifier", "duplicate_order",
		"missing_order_id", "malformed_row",
	} {
		if !strings.Contains(r.stderr, "    "+reason+" ") {
			t.Errorf("summary lacks exclusion reason %s:\n%s", reason, r.stderr)
		}
	}
}

func TestDryRunFromStdinAndQuiet(t *testing.T) {
	in, err := os.ReadFile(root + "/example/appointments.csv")
	if err != nil {
		t.Fatal(err)
	}
	fromFile := runCLI(t, secretEnv, "", "upload", "--dry-run", "--config", "../../configs/example.yaml", root+"/example/appointments.csv")
	fromStdin := runCLI(t, secretEnv, string(in), "upload", "--dry-run", "--quiet", "--config", "../../configs/example.yaml", "-")
	if fromStdin.code != 0 || fromStdin.stdout != fromFile.stdout {
		t.Fatalf("stdin run differs from file run (exit %d)", fromStdin.code)
	}
	if fromStdin.stderr != "" {
		t.Errorf("--quiet printed %q", fromStdin.stderr)
	}
}

func TestDryRunWithoutSecretUsesDemoKeyAndSaysSo(t *testing.T) {
	r := runCLI(t, nil, "", "upload", "--dry-run", "--config", "../../configs/example.yaml", root+"/example/appointments.csv")
	if r.code != 0 || !strings.Contains(r.stderr, "demo key") {
		t.Fatalf("exit %d; stderr must name the demo key:\n%s", r.code, r.stderr)
	}
	withSecret := runCLI(t, secretEnv, "", "upload", "--dry-run", "--config", "../../configs/example.yaml", root+"/example/appointments.csv")
	if withSecret.stdout == r.stdout {
		t.Error("event ids do not depend on the secret")
	}
}

func TestDryRunOutFileIsPrivateAndAtomic(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "review.csv")
	r := runCLI(t, secretEnv, "", "upload", "--dry-run", "--config", "../../configs/example.yaml", "--out", out, root+"/example/appointments.csv")
	if r.code != 0 || r.stdout != "" {
		t.Fatalf("exit %d, stdout %q", r.code, r.stdout)
	}
	st, err := os.Stat(out)
	if err != nil {
		t.Fatal(err)
	}
	if st.Mode().Perm() != 0o600 {
		t.Errorf("review CSV mode %v, want 0600", st.Mode().Perm())
	}
	// A run that fails half-way leaves the previous file untouched and no temp file.
	before, _ := os.ReadFile(out)
	bad := filepath.Join(dir, "bad.csv")
	os.WriteFile(bad, []byte("appointment_id,appointment_time,status,patient_first,patient_last,email,mobile,marketing_consent,consent_time,fee,currency,gclid,postal_code,city,country\nA1,2026-11-02 09:30,completed,A,B,a@example.com,0912345678,yes,2026-10-01,1,TWD,,1,c,TW\nA2,\"unterminated\n"), 0o600)
	r = runCLI(t, secretEnv, "", "upload", "--dry-run", "--config", "../../configs/example.yaml", "--out", out, bad)
	if r.code == 0 {
		t.Fatal("a broken export succeeded")
	}
	after, _ := os.ReadFile(out)
	if !bytes.Equal(before, after) {
		t.Error("a failed run changed the existing review file")
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 2 {
		t.Errorf("temp files left behind: %v", entries)
	}
}

func TestExitCodes(t *testing.T) {
	ex := root + "/example/appointments.csv"
	cfg := "../../configs/example.yaml"
	cases := []struct {
		name string
		args []string
		code int
		msg  string
	}{
		{"upload without account settings", []string{"upload", "--config", cfg, ex}, ExitUsage, "destinations.meta.dataset_id: required"},
		{"upload with --out", []string{"upload", "--out", "x.csv", "--config", cfg, ex}, ExitUsage, "--out goes with --dry-run"},
		{"unknown flag", []string{"upload", "--bogus"}, ExitUsage, "bogus"},
		{"unknown command", []string{"uplaod"}, ExitUsage, "unknown command"},
		{"too many args", []string{"upload", "--dry-run", "--config", cfg, ex, ex}, ExitUsage, "upload takes [EXPORT|-]; received 2 arguments"},
		{"missing config file named explicitly", []string{"upload", "--dry-run", "--config", "nope.yaml", ex}, ExitUsage, "nope.yaml"},
		{"missing export", []string{"upload", "--dry-run", "--config", cfg, "nope.csv"}, ExitFailure, "nope.csv"},
		{"out overwrites input", []string{"upload", "--dry-run", "--config", cfg, "--out", ex, ex}, ExitUsage, "overwrite"},
		{"bad log level", []string{"--log-level", "loud", "version"}, ExitUsage, "log-level"},
		{"hash rejects", []string{"hash", "--for", "google", "--field", "email", "not-an-email"}, ExitFailure, "1 of 1"},
		{"hash unknown field", []string{"hash", "--for", "google", "--field", "ssn", "x"}, ExitUsage, "--field"},
		{"hash field google lacks", []string{"hash", "--for", "google", "--field", "city", "Taipei"}, ExitUsage, "does not take city"},
		{"hash without --for", []string{"hash", "--field", "email", "a@b.co"}, ExitUsage, "for"},
		{"version", []string{"version"}, ExitOK, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := runCLI(t, secretEnv, "", c.args...)
			if r.code != c.code {
				t.Fatalf("exit %d, want %d; stderr:\n%s", r.code, c.code, r.stderr)
			}
			if !strings.Contains(r.stderr, c.msg) {
				t.Errorf("stderr lacks %q:\n%s", c.msg, r.stderr)
			}
		})
	}
}

func TestHelpListsExitCodes(t *testing.T) {
	r := runCLI(t, nil, "", "--help")
	for _, want := range []string{"0 ", "1 ", "2 ", "3 ", "130"} {
		if !strings.Contains(r.stdout, "  "+want) {
			t.Errorf("help lacks exit code %q", want)
		}
	}
}

// TestHashHonoursConfigRegion: hash reads a national number with the
// config's region, as upload does, and without any region rejects it
// instead of hashing another country's number.
func TestHashHonoursConfigRegion(t *testing.T) {
	cfg := filepath.Join(root, "..", "configs", "example.yaml") // region: TW
	r := runCLI(t, nil, "", "--config", cfg, "hash", "--for", "google", "--field", "phone", "0912-345-678")
	if r.code != 0 || !strings.HasPrefix(r.stdout, "+886912345678\t") {
		t.Errorf("with --config: exit %d, stdout %q, stderr %q", r.code, r.stdout, r.stderr)
	}
	r = runCLI(t, map[string]string{"HASHGATE_CONFIG": cfg}, "", "hash", "--for", "google", "--field", "phone", "--region", "US", "0912-345-678")
	if strings.HasPrefix(r.stdout, "+886") {
		t.Errorf("--region must win over the config: exit %d, stdout %q", r.code, r.stdout)
	}
	r = runCLI(t, nil, "", "hash", "--for", "google", "--field", "phone", "0912-345-678")
	if r.code != ExitFailure || r.stdout != "-\t-\tphone_region_needed\n" {
		t.Errorf("without a region: exit %d, stdout %q", r.code, r.stdout)
	}
	// Without a config file only the region's variable is read: another,
	// malformed, is none of hash's business (a review).
	r = runCLI(t, map[string]string{"HASHGATE_REGION": "TW", "HASHGATE_DESTINATIONS_META_ENABLED": "maybe"}, "", "hash", "--for", "google", "--field", "phone", "0912-345-678")
	if r.code != 0 || !strings.HasPrefix(r.stdout, "+886912345678\t") {
		t.Errorf("a malformed unrelated variable: exit %d, stdout %q, stderr %q", r.code, r.stdout, r.stderr)
	}
	// A region typed in lower case reads national numbers as the code
	// does (it validated, then every national number was refused: a
	// review).
	r = runCLI(t, map[string]string{"HASHGATE_REGION": "tw"}, "", "hash", "--for", "google", "--field", "phone", "0912-345-678")
	if r.code != 0 || !strings.HasPrefix(r.stdout, "+886912345678\t") {
		t.Errorf("HASHGATE_REGION=tw: exit %d, stdout %q, stderr %q", r.code, r.stdout, r.stderr)
	}
	// No config file, the region in the environment, as an upload reads
	// it (it was ignored: a review of the CLI against its docs).
	r = runCLI(t, map[string]string{"HASHGATE_REGION": "TW"}, "", "hash", "--for", "google", "--field", "phone", "0912-345-678")
	if r.code != 0 || !strings.HasPrefix(r.stdout, "+886912345678\t") {
		t.Errorf("HASHGATE_REGION without a config file: exit %d, stdout %q, stderr %q", r.code, r.stdout, r.stderr)
	}
}

func TestHashCommand(t *testing.T) {
	r := runCLI(t, nil, "", "hash", "--for", "meta", "--field", "phone", "--region", "TW", "0912-345-678")
	want := "886912345678\tcf676475cec2ee7b7591f39bdefe7ef3dca63b14c1cdba3b19ce4219cbda2b09\n"
	if r.code != 0 || r.stdout != want {
		t.Fatalf("exit %d, stdout %q, want %q", r.code, r.stdout, want)
	}
	// A postal code travels to Google unhashed, checked against its
	// country's format as upload checks it: without a country, upload
	// drops it, and so does hash.
	r = runCLI(t, nil, "", "hash", "--for", "google", "--field", "postal_code", "--country", "TW", " 10617 ")
	if r.stdout != "10617\t10617\n" {
		t.Errorf("unhashed Google postal code: %q", r.stdout)
	}
	r = runCLI(t, nil, "", "hash", "--for", "google", "--field", "postal_code", " 10617 ")
	if r.code != ExitFailure || r.stdout != "-\t-\tpostal_code_country_unknown\n" {
		t.Errorf("a Google postal code without a country: exit %d, %q", r.code, r.stdout)
	}
	// Values from stdin keep them out of shell history; a rejection is a line of its own.
	r = runCLI(t, nil, "Cloudy.SanFrancisco+shopping@gmail.com\n@example.com\n", "hash", "--for", "google", "--field", "email")
	want = "cloudysanfrancisco@gmail.com\t223ebda6f6889b1494551ba902d9d381daf2f642bae055888e96343d53e9f9c4\n-\t-\tinvalid_email\n"
	if r.code != ExitFailure || r.stdout != want {
		t.Fatalf("exit %d, stdout %q, want %q", r.code, r.stdout, want)
	}
}

func TestConfigPrecedence(t *testing.T) {
	dir := t.TempDir()
	cfg := filepath.Join(dir, "hashgate.yaml")
	base, err := os.ReadFile("../../configs/example.yaml")
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(cfg, base, 0o600)
	ex := root + "/example/appointments.csv"

	// The file says Asia/Taipei; the environment overrides it; a flag overrides both.
	fileRun := runCLI(t, secretEnv, "", "upload", "--dry-run", "--config", cfg, ex)
	env := map[string]string{"HASHGATE_SECRET": "golden-test-secret", "HASHGATE_TIMEZONE": "Europe/London"}
	envRun := runCLI(t, env, "", "upload", "--dry-run", "--config", cfg, ex)
	flagRun := runCLI(t, env, "", "upload", "--dry-run", "--config", cfg, "--timezone", "America/New_York", ex)
	for _, c := range []struct {
		r    result
		want string
	}{{fileRun, "2026-11-02T09:30:00+08:00"}, {envRun, "2026-11-02T09:30:00Z"}, {flagRun, "2026-11-02T09:30:00-05:00"}} {
		if c.r.code != 0 || !strings.Contains(c.r.stdout, c.want) {
			t.Errorf("want %s in output (exit %d):\n%s%s", c.want, c.r.code, c.r.stdout, c.r.stderr)
		}
	}
	// Lists from the environment are comma-separated and replace the file's
	// list; HASHGATE_CONFIG names the file. Granting only "yes" drops the
	// example's one "Y" row.
	env = map[string]string{"HASHGATE_CONFIG": cfg, "HASHGATE_DESTINATIONS_GOOGLE_ENABLED": "false", "HASHGATE_CONSENT_GRANTED": "yes,true"}
	r := runCLI(t, env, "", "upload", "--dry-run", ex)
	if r.code != 0 || strings.Contains(r.stdout, "\ngoogle,") || !strings.Contains(r.stderr, "meta 5") {
		t.Errorf("env lists/bools not applied (exit %d):\n%s", r.code, r.stderr)
	}
}

func TestConfigErrorsNameTheKey(t *testing.T) {
	dir := t.TempDir()
	write := func(body string) string {
		p := filepath.Join(dir, "c.yaml")
		os.WriteFile(p, []byte(body), 0o600)
		return p
	}
	base, _ := os.ReadFile("../../configs/example.yaml")
	cases := []struct{ name, body, want string }{
		{"typo in a key", mustReplace(t, string(base), "require_timestamp:", "require_timestmap:"), "require_timestmap"},
		{"bad zone", mustReplace(t, string(base), "timezone: Asia/Taipei", "timezone: Asia/Taipe"), "timezone: unknown IANA time zone"},
		{"bad region", mustReplace(t, string(base), "region: TW", "region: TWN"), "region:"},
		{"bad value policy", mustReplace(t, string(base), "value: fixed", "value: exact"), "conversion.value: must be actual, bucket, fixed or none"},
		{"city to google", mustReplace(t, string(base), "identifiers: []\n", "identifiers: [email, city]\n"), "destinations.google.identifiers: google does not take city"},
		{"partial google address", mustReplace(t, string(base), "identifiers: []\n", "identifiers: [email, postal_code, country]\n"), "all four"},
		{"no consent values", mustReplace(t, string(base), `granted: ["yes", "y", "true", "1"]`, "granted: []"), "consent.granted: required"},
		{"header row", mustReplace(t, string(base), "header_row: 0", "header_row: abc"), "header_row"},
		{"yaml syntax", "input: [unclosed", "config"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := runCLI(t, secretEnv, "", "upload", "--dry-run", "--config", write(c.body), root+"/example/appointments.csv")
			if r.code != ExitUsage {
				t.Fatalf("exit %d, want 2; stderr:\n%s", r.code, r.stderr)
			}
			if !strings.Contains(r.stderr, c.want) {
				t.Errorf("stderr lacks %q:\n%s", c.want, r.stderr)
			}
			if r.stdout != "" {
				t.Errorf("config error wrote data: %q", r.stdout)
			}
		})
	}
}

func TestTimeWithoutZoneNamesTheKeyAndPosition(t *testing.T) {
	base, _ := os.ReadFile("../../configs/example.yaml")
	p := filepath.Join(t.TempDir(), "c.yaml")
	os.WriteFile(p, []byte(mustReplace(t, string(base), "timezone: Asia/Taipei", `timezone: ""`)), 0o600)
	r := runCLI(t, secretEnv, "", "upload", "--dry-run", "--config", p, root+"/example/appointments.csv")
	if r.code != ExitUsage || !strings.Contains(r.stderr, "timezone: "+root+"/example/appointments.csv:2:7:") {
		t.Fatalf("exit %d:\n%s", r.code, r.stderr)
	}
}

// TestPresetsLoadAndYieldToTheFile: every shipped preset is a valid
// configuration once a destination is enabled, and a key the user's file
// sets wins over the preset's.
func TestPresetsLoadAndYieldToTheFile(t *testing.T) {
	for _, name := range configs.Presets() {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			p := filepath.Join(dir, "c.yaml")
			body := "timezone: Asia/Taipei\ninput:\n  preset: " + name + "\n  columns:\n    status: my_status\ndestinations:\n  meta: {enabled: true, identifiers: [phone]}\n"
			if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
				t.Fatal(err)
			}
			f := NewFactory(strings.NewReader(""), io.Discard, io.Discard)
			f.Getenv = func(string) string { return "" }
			cfg, err := loadConfig(f, p, true, nil, nil)
			if err != nil {
				t.Fatalf("preset %s: %v", name, err)
			}
			if cfg.Input.Columns.Status != "my_status" {
				t.Errorf("the file's input.columns.status lost to the preset: %q", cfg.Input.Columns.Status)
			}
			if len(cfg.Input.Columns.OrderID) == 0 || len(cfg.Consent.Granted) == 0 {
				t.Errorf("preset left order_id or consent.granted empty: %+v", cfg.Input.Columns)
			}
		})
	}
	r := runCLI(t, nil, "", "upload", "--dry-run", "--config", writeTemp(t, "input:\n  preset: nosuch\n"), root+"/example/appointments.csv")
	if r.code != ExitUsage || !strings.Contains(r.stderr, "input.preset: unknown preset \"nosuch\" (known: cliniko, cn-clinic") {
		t.Errorf("unknown preset: exit %d\n%s", r.code, r.stderr)
	}
}

func writeTemp(t *testing.T, body string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "c.yaml")
	if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// goldenSecret keys the event ids of the golden files: strong enough for
// uploads and manual-upload files (eventid.CheckKey).
const goldenSecret = "golden-test-secret-7Kq2Vx9LmP4Rt8Wz"
