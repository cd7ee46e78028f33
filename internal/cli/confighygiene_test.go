package cli

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestGrantedWordsThatSayNo: consent.granted listing a word that means no
// (revoked, no, yes - sms only, 不同意, unknown) is refused at config load,
// for every command, naming the key and the word (a config word, not
// patient data).
func TestGrantedWordsThatSayNo(t *testing.T) {
	for _, granted := range []string{"yes,revoked", "yes,no", "yes,yes - sms only", "yes,不同意", "yes,同意(僅簡訊)", "yes,撤回", "yes,unknown",
		// A mainland clinic's no-words (a review, 2026-12-07): a call or WeChat only, a cancelled
		// authorisation, kept in the country or from third parties, partial, unsigned.
		"yes,同意-仅微信", "yes,同意(微信)", "yes,同意仅电话", "yes,同意（仅电话回访）", "yes,取消授权", "yes,同意(境内)", "yes,同意但不外传",
		"yes,部分同意", "yes,未签署", "yes,同意(電話)", "yes,取消授權", "yes,同意但不外傳"} {
		env := map[string]string{"HASHGATE_CONSENT_GRANTED": granted}
		r := runCLI(t, env, "", "upload", "--dry-run", "--config", "../../configs/example.yaml", root+"/example/appointments.csv")
		if r.code != ExitUsage || !strings.Contains(r.stderr, "consent.granted: \""+strings.TrimPrefix(granted, "yes,")+"\" says no") || r.stdout != "" {
			t.Errorf("granted %q: exit %d\n%s", granted, r.code, r.stderr)
		}
	}
	// A channel word that may only say how the consent was taken (by phone)
	// is refused with the way out, which a denial's message does not give.
	r := runCLI(t, map[string]string{"HASHGATE_CONSENT_GRANTED": "yes,同意(电话确认)"}, "", "upload", "--dry-run", "--config", "../../configs/example.yaml", root+"/example/appointments.csv")
	if r.code != ExitUsage || !strings.Contains(r.stderr, "how the consent was taken") {
		t.Errorf("同意(电话确认): exit %d, no way out said\n%s", r.code, r.stderr)
	}
	if r := runCLI(t, map[string]string{"HASHGATE_CONSENT_GRANTED": "yes,不同意"}, "", "upload", "--dry-run", "--config", "../../configs/example.yaml", root+"/example/appointments.csv"); strings.Contains(r.stderr, "how the consent was taken") {
		t.Errorf("不同意: a denial given the channel's way out\n%s", r.stderr)
	}
}

// TestConfigNamesThatWouldRunAsFormulas: names that leave in files and
// bodies are refused at load when a spreadsheet would run them or a
// terminal would obey them.
func TestConfigNamesThatWouldRunAsFormulas(t *testing.T) {
	for _, c := range []struct{ env, value, key string }{
		{"HASHGATE_CONVERSION_EVENT_NAME", `=HYPERLINK("http://x","y")`, "conversion.event_name"},
		{"HASHGATE_CONVERSION_EVENT_NAME", "-2+3+cmd|' /C calc'!A0", "conversion.event_name"},
		{"HASHGATE_CONVERSION_EVENT_NAME", "Visit\x1b[2J", "conversion.event_name"},
		{"HASHGATE_DESTINATIONS_GOOGLE_CONVERSION_NAME", "@SUM(1)", "destinations.google.conversion_name"},
		{"HASHGATE_DESTINATIONS_GOOGLE_CONVERSION_NAME", "+Visit", "destinations.google.conversion_name"},
		{"HASHGATE_DESTINATIONS_META_TEST_EVENT_CODE", "\tTEST123", "destinations.meta.test_event_code"},
		{"HASHGATE_CONVERSION_CURRENCY", "XXX", "conversion.currency"},
	} {
		env := map[string]string{c.env: c.value}
		r := runCLI(t, env, "", "write", "--format", "google-ads-csv", "--config", "../../configs/example.yaml", root+"/example/appointments.csv")
		if r.code != ExitUsage || !strings.Contains(r.stderr, c.key+":") || r.stdout != "" {
			t.Errorf("%s=%q: exit %d\n%s", c.env, c.value, r.code, r.stderr)
		}
	}
}

// TestMisspeltEnvironmentWarns: a HASHGATE_ variable no setting has is
// named on stderr with the nearest one that exists — a misspelt override
// was ignored without a word, and the run did what the file said — by
// name only, never its value; a variable that is a setting, and one far
// from every setting, get no suggestion of a wrong name.
func TestMisspeltEnvironmentWarns(t *testing.T) {
	const value = "canary-value-7Qx"
	env := map[string]string{
		"HASHGATE_CONVERSION_EVENT_NAM": value, // one letter short
		"HASHGATE_SECERT":               value, // two letters swapped
		"HASHGATE_WHATEVER_ELSE":        value, // nothing near
		"HASHGATE_CONVERSION_CURRENCY":  "TWD", // a setting
		"HASHGATE_BENCH_AS_HASHGATE":    "0",   // the bench harness's own
		"HASHGATE_QUIET":                "1",   // a flag no variable sets
	}
	r := runCLI(t, env, "", "upload", "--dry-run", "--config", "../../configs/example.yaml", root+"/example/appointments.csv")
	if r.code != 0 {
		t.Fatalf("exit %d\n%s", r.code, r.stderr)
	}
	for _, want := range []string{
		"name=HASHGATE_CONVERSION_EVENT_NAM did_you_mean=HASHGATE_CONVERSION_EVENT_NAME",
		"name=HASHGATE_SECERT did_you_mean=HASHGATE_SECRET",
		"name=HASHGATE_WHATEVER_ELSE\n",
		// Not "did you mean HASHGATE_SECRET" (a review of the CLI).
		"this setting is a flag only\" name=HASHGATE_QUIET flag=--quiet",
	} {
		if !strings.Contains(r.stderr, want) {
			t.Errorf("stderr does not say %q:\n%s", want, r.stderr)
		}
	}
	for _, not := range []string{value, "HASHGATE_CONVERSION_CURRENCY", "HASHGATE_BENCH", "name=HASHGATE_QUIET did_you_mean"} {
		if strings.Contains(r.stderr+r.stdout, not) {
			t.Errorf("output names %q:\n%s", not, r.stderr)
		}
	}
}

// TestFileNamesWithControlsAreQuoted: an export whose name holds a
// terminal escape or a bidirectional override is named Go-quoted, escapes
// visible, in the summary and in errors — never raw, where a terminal
// would obey it.
func TestFileNamesWithControlsAreQuoted(t *testing.T) {
	dir := t.TempDir()
	name := filepath.Join(dir, "appts\x1b[2J\u202evsc.csv")
	if err := os.WriteFile(name, []byte(mustRead(t, root+"/example/appointments.csv")), 0o600); err != nil {
		t.Fatal(err)
	}
	r := runCLI(t, nil, "", "upload", "--dry-run", "--config", "../../configs/example.yaml", name)
	first := r.stderr
	if r.code != 0 || !strings.Contains(r.stderr, strconv.Quote(name)) {
		t.Errorf("dry-run: exit %d, the summary does not name %s:\n%s", r.code, strconv.Quote(name), r.stderr)
	}
	missing := filepath.Join(dir, "gone\x1b]0;pwned\x07.csv")
	r = runCLI(t, nil, "", "upload", "--dry-run", "--config", "../../configs/example.yaml", missing)
	if r.code == 0 || !strings.Contains(r.stderr, strconv.Quote(missing)) {
		t.Errorf("missing export: exit %d, the error does not name %s:\n%s", r.code, strconv.Quote(missing), r.stderr)
	}
	for _, out := range []string{first, r.stderr} {
		if strings.ContainsAny(out, "\x1b\x07\u202e") {
			t.Errorf("a control character reached stderr: %q", out)
		}
	}
}
