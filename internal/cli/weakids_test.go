package cli

import (
	"net/http"
	"os"
	"strings"
	"testing"

	"github.com/hashgate/hashgate/internal/destination/destinationtest"
)

// TestMetaMixedExportSendsStrongRowsCountsWeak: Meta refuses an event
// whose only customer information is a last name (M18: "ln + ge", or a
// subset), and one such event fails its whole batch. Such a row is held
// back from Meta and counted as weak_identifiers; every other row of the
// export reaches Meta in one accepted request.
func TestMetaMixedExportSendsStrongRowsCountsWeak(t *testing.T) {
	g, url := metaFake(t, nil)
	weak := "W00001,2026-11-20 10:00,completed,,,,Zqweak,yes\n" + // a last name alone
		"W00002,2026-11-20 11:00,completed,,,Zqann,Zqlee,yes\n" // both names: valid
	r := runWithHTTP(t, http.DefaultClient, uploadEnv(t), "upload", "--config", metaConfig(t, url, ""), exportFile(t, 5, weak))
	if r.code != 0 {
		t.Fatalf("exit %d\n%s", r.code, r.stderr)
	}
	destinationtest.ExactlyOnce(t, g.Accepted(), 6)
	if b := g.AcceptedBatches(); len(b) != 1 {
		t.Errorf("batches %v, want 1", b)
	}
	if !strings.Contains(r.stderr, "weak_identifiers") {
		t.Errorf("the weak row is not counted:\n%s", r.stderr)
	}
	// The JSON run report counts it like any other exclusion.
	g2, url2 := metaFake(t, nil)
	j := runWithHTTP(t, http.DefaultClient, uploadEnv(t), "upload", "--json", "--config", metaConfig(t, url2, ""), exportFile(t, 5, weak))
	if j.code != 0 || !strings.Contains(j.stdout, `"weak_identifiers": 1`) {
		t.Errorf("exit %d, JSON report:\n%s", j.code, j.stdout)
	}
	destinationtest.ExactlyOnce(t, g2.Accepted(), 6)
}

// TestConfigValidateRefusesWeakMetaIdentifiers: a Meta identifier list
// that can make only events Meta refuses (a last name alone) is a config
// error naming the key, exit 2.
func TestConfigValidateRefusesWeakMetaIdentifiers(t *testing.T) {
	path := metaConfig(t, "https://graph.facebook.com", "")
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(strings.Replace(string(b), "identifiers: [email, phone, first_name, last_name]", "identifiers: [last_name]", 1)), 0o600); err != nil {
		t.Fatal(err)
	}
	r := runCLI(t, nil, "", "config", "validate", "--config", path)
	if r.code != 2 || !strings.Contains(r.stderr, "destinations.meta.identifiers") || !strings.Contains(r.stderr, "last_name alone") {
		t.Fatalf("exit %d\n%s", r.code, r.stderr)
	}
}
