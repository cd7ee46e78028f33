package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestABadReportStopsAnUploadBeforeItsCredentials: in a real upload the
// outputs were checked after the credential files had been read (a
// security review's leftover). With a Meta token file that cannot be
// read and a --report that is a link, the error is about --report, and
// the token file is not named.
func TestABadReportStopsAnUploadBeforeItsCredentials(t *testing.T) {
	dir := t.TempDir()
	victim := filepath.Join(dir, "victim.json")
	os.WriteFile(victim, []byte("{}"), 0o600)
	link := filepath.Join(dir, "report.json")
	os.Symlink(victim, link)
	env := uploadEnv(t)
	delete(env, metaTokenEnv)
	cfg := metaConfig(t, "https://graph.invalid", "    access_token_file: "+filepath.Join(dir, "no-such-token")+"\n")
	r := runCLI(t, env, "", "upload", "--config", cfg, "--report", link, exportFile(t, 3, ""))
	if r.code != ExitUsage || !strings.Contains(r.stderr, "--report") || strings.Contains(r.stderr, "access_token_file") {
		t.Errorf("exit %d, want %d naming --report and not the token file\n%s", r.code, ExitUsage, r.stderr)
	}
	if b, _ := os.ReadFile(victim); string(b) != "{}" {
		t.Errorf("the link's target was written: %q", b)
	}
}
