package ledger

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
)

// TestAnUnknownRunIsNotEchoed: the run id comes from a person's command
// line and may be anything pasted there; the error says no such run
// exists without repeating it.
func TestAnUnknownRunIsNotEchoed(t *testing.T) {
	now := t0
	l := open(t, filepath.Join(t.TempDir(), "l.db"), clock(&now))
	_, err := l.ForgetRevokedPatients(context.Background(), "zqcanary77@example.com")
	if err == nil || strings.Contains(err.Error(), "zqcanary77") || !strings.Contains(err.Error(), "no run") {
		t.Fatalf("unrevoke of an unknown run: %v", err)
	}
}
