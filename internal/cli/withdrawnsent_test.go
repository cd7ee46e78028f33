package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hashgate/hashgate/internal/destination/destinationtest"
)

// wExport writes visits W1..W3 with the consent cells given.
func wExport(t *testing.T, consents ...string) string {
	t.Helper()
	var b strings.Builder
	b.WriteString("id,at,status,email,phone,first,last,consent\n")
	for i, c := range consents {
		b.WriteString("W" + string(rune('1'+i)) + ",2026-11-2" + string(rune('0'+i)) + " 10:00,completed,zqw" + string(rune('1'+i)) + "@example.com,0912-300-00" + string(rune('1'+i)) + ",Zqw,Zqw," + c + "\n")
	}
	p := filepath.Join(t.TempDir(), "w.csv")
	if err := os.WriteFile(p, []byte(b.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestVisitsWithdrawnAfterTheyWereSentAreReported: W1 and W2 went to
// Google and Meta; then W1's consent is revoked in the export and W2 is
// listed in the revocations file. Both platforms keep them — neither API
// hashgate uses can retract a conversion — and the privacy officer was told only
// "excluded": the summary now says how many each platform holds, the
// report by reason.
func TestVisitsWithdrawnAfterTheyWereSentAreReported(t *testing.T) {
	clk := &simClock{t: fixedNow}
	dm := &destinationtest.DataManager{Token: googleBearer, Now: clk.Now}
	gURL := dm.Start(t).URL + "/"
	g := &destinationtest.Graph{Token: metaToken, APIVersion: "v25.0", DatasetID: "998877", Now: clk.Now}
	cfg := bothConfig(t, gURL, g.Start(t).URL, "")
	env := uploadEnv(t)
	first := runAt(t, clk, env, "upload", "--config", cfg, wExport(t, "yes", "yes", "yes"))
	if first.code != 0 || strings.Contains(first.stderr, "withdrawn after") {
		t.Fatalf("first upload exit %d\n%s", first.code, first.stderr)
	}
	rev := filepath.Join(t.TempDir(), "revoked.txt")
	if err := os.WriteFile(rev, []byte("W2\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	os.WriteFile(cfg, []byte(strings.Replace(mustRead(t, cfg), "consent:\n", "consent:\n  revocations_file: "+rev+"\n", 1)), 0o600)
	clk.Advance(24 * time.Hour)
	rep := filepath.Join(t.TempDir(), "run.json")
	second := runAt(t, clk, env, "upload", "--config", cfg, "--report", rep, wExport(t, "revoked", "yes", "yes"))
	if !strings.Contains(second.stderr, "withdrawn after they were sent: google 2, meta 2 (hashgate cannot retract them") {
		t.Errorf("exit %d\n%s", second.code, second.stderr)
	}
	raw := strings.Join(strings.Fields(mustRead(t, rep)), "")
	if strings.Count(raw, `"withdrawn_after_sent":{"consent_revoked":1,"consent_revoked_list":1}`) != 2 {
		t.Errorf("report:\n%s", mustRead(t, rep))
	}
	// A row withdrawn before it was ever sent is not among them.
	clk.Advance(24 * time.Hour)
	third := runAt(t, clk, env, "upload", "--config", cfg, wExport(t, "revoked", "yes", "yes", "revoked"))
	if !strings.Contains(third.stderr, "withdrawn after they were sent: google 2, meta 2 (") {
		t.Errorf("third night:\n%s", third.stderr)
	}
}
