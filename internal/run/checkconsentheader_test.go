package run

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hashgate/hashgate/internal/config"
	"github.com/hashgate/hashgate/internal/sink/platformcsv"
)

// TestCheckRefusesAConsentColumnThatIsNoConsent: Check itself refuses a
// config whose consent column is no consent ("Patient Arrived", an SMS
// opt-in), as the upload does, before any fixture is read. The command
// line refuses it earlier, when it loads the config (validateForRun), so
// only a caller of this package reaches Check with it: the full mutant run
// of session 23 found the refusal in Check untested once the load did it.
func TestCheckRefusesAConsentColumnThatIsNoConsent(t *testing.T) {
	fixture := filepath.Join(t.TempDir(), "fixture.csv")
	if err := os.WriteFile(fixture, []byte("id,at,email,phone,consent,expect\nA1,2026-11-20 10:00,p@example.com,,yes,include\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, h := range []string{"Patient Arrived", "SMS opt-in"} {
		cfg := testConfig(t)
		cfg.Input.Columns.Consent = h
		env, _, _ := testEnv(t, "")
		err := Check(context.Background(), env, CheckRequest{Config: cfg, Fixtures: []string{fixture}})
		var ce *config.Error
		if !errors.As(err, &ce) || !strings.Contains(ce.Key, "consent") {
			t.Errorf("consent column %q: %v, want the config error the upload gives", h, err)
		}
	}
}

// TestWriteRefusesAConsentColumnThatIsNoConsent: write reaches prepare
// without the upload's own early refusal, so prepare's is the one that
// holds for a caller of this package (the CLI refuses at load): a platform
// file is never written under a consent column that is no consent.
func TestWriteRefusesAConsentColumnThatIsNoConsent(t *testing.T) {
	dir := t.TempDir()
	export := filepath.Join(dir, "export.csv")
	if err := os.WriteFile(export, []byte("id,at,email,phone,consent\nA1,2026-11-20 10:00,p@example.com,,yes\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	cfg := fuzzConfig(t) // a config write accepts (conversion names, secret)
	cfg.Input.Columns.Consent = "Patient Arrived"
	env, _, _ := testEnv(t, "")
	out := filepath.Join(dir, "out.csv")
	err := Write(context.Background(), env, WriteRequest{Config: cfg, Format: platformcsv.Formats[0], Input: export, Out: out})
	var ce *config.Error
	if !errors.As(err, &ce) || !strings.Contains(ce.Key, "consent") {
		t.Errorf("write under a consent column that is no consent: %v, want the config error the upload gives", err)
	}
	if _, statErr := os.Stat(out); statErr == nil {
		t.Error("a platform file was written")
	}
}
