package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestNoDestinationHidesNoOtherProblem: a config with every destination
// disabled (as config init writes a mainland clinic's) and a consent
// column that is no consent ("Patient Arrived") got only "enable at
// least one destination" from config validate and a dry-run; the consent
// column was named only once a destination was enabled, a second round
// trip. Both problems are named at once; neither needs a destination to
// be judged.
func TestNoDestinationHidesNoOtherProblem(t *testing.T) {
	export := openemrExport(t, []string{">", ">", "x", "?", "@"})
	r := runCLI(t, nil, "", "config", "init", "--from", export)
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	text := mustReplace(t, r.stdout, "\ntimezone: \"<ASK>\"", "\ntimezone: America/Chicago #")
	text = mustReplace(t, text, "    consent: \"ad_consent\"", "    consent: \"Patient Arrived\"")
	text = strings.ReplaceAll(text, "    enabled: true\n", "    enabled: false\n")
	cfg := filepath.Join(t.TempDir(), "hashgate.yaml")
	if err := os.WriteFile(cfg, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{
		{"config", "validate", "--config", cfg},
		{"upload", "--dry-run", "--config", cfg, export},
	} {
		r := runCLI(t, nil, "", args...)
		if r.code != 2 || !strings.Contains(r.stderr, "destinations: enable at least one") ||
			!strings.Contains(r.stderr, "input.columns.consent: \"Patient Arrived\" names an appointment status") {
			t.Errorf("%s: exit %d, want 2 naming both the destinations and the consent column:\n%s", args[:2], r.code, r.stderr)
		}
	}
}
