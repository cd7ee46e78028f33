package cli

import (
	"net/http"
	"strings"
	"testing"
)

// TestAFlagsValueIsNeverEchoed: a value given to a flag may be anything a
// person pasted — an e-mail address, a patient's number — so an error
// names the flag and what it takes, never the value (a review:
// `ledger unrevoke --run` printed `no run "…@example.com" in the ledger`,
// and `ledger confirm --destination`, `hash --for` and `hash --field`
// quoted what they were given).
func TestAFlagsValueIsNeverEchoed(t *testing.T) {
	_, url := metaFake(t, nil)
	env := uploadEnv(t)
	cfg := metaConfig(t, url, "")
	if r := runWithHTTP(t, http.DefaultClient, env, "upload", "--config", cfg, exportFile(t, 3, "")); r.code != ExitOK {
		t.Fatalf("upload: exit %d\n%s", r.code, r.stderr)
	}
	const canary = "zqcanary77"
	for _, c := range []struct {
		args []string
		flag string
		want string // what the flag takes
	}{
		{[]string{"ledger", "unrevoke", "--config", cfg, "--run", canary + "@example.com"}, "--run", "20261123T020000Z-a1b2c3"},
		{[]string{"ledger", "confirm", "--config", cfg, "--run", "20261123T020000Z-a1b2c3", "--destination", canary + ":x"}, "--destination", "google, meta"},
		{[]string{"hash", "--for", canary, "--field", "email", "a@example.com"}, "--for", "google, meta"},
		{[]string{"hash", "--for", "meta", "--field", canary, "a@example.com"}, "--field", "email, phone"},
	} {
		r := runWithHTTP(t, http.DefaultClient, env, c.args...)
		if r.code != ExitUsage || strings.Contains(strings.ToLower(r.stderr+r.stdout), canary) || !strings.Contains(r.stderr, c.flag) || !strings.Contains(r.stderr, c.want) {
			t.Errorf("%s: exit %d; want 2, naming %s and %q, never the value\n%s%s", strings.Join(c.args[:2], " "), r.code, c.flag, c.want, r.stdout, r.stderr)
		}
	}
}
