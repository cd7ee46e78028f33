package cli

import (
	"strings"
	"testing"

	"github.com/hashgate/hashgate/internal/eventid"
)

func TestSecretPrintsAStrongFreshKey(t *testing.T) {
	a, b := runCLI(t, nil, "", "secret"), runCLI(t, nil, "", "secret")
	if a.code != ExitOK || b.code != ExitOK {
		t.Fatalf("exit %d, %d: %s", a.code, b.code, a.stderr)
	}
	ka, kb := strings.TrimSpace(a.stdout), strings.TrimSpace(b.stdout)
	if ka == kb || strings.Count(a.stdout, "\n") != 1 {
		t.Fatalf("stdout %q, %q", a.stdout, b.stdout)
	}
	if err := eventid.CheckKey(ka); err != nil {
		t.Errorf("the generated secret is refused: %v", err)
	}
	if !strings.Contains(a.stderr, "HASHGATE_SECRET") || strings.Contains(a.stderr, ka) {
		t.Errorf("stderr: %q", a.stderr)
	}
	if q := runCLI(t, nil, "", "--quiet", "secret"); q.stderr != "" {
		t.Errorf("--quiet printed %q", q.stderr)
	}
}
