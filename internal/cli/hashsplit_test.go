package cli

import (
	"strings"
	"testing"
)

// TestHashSplitsACellAsUploadDoes: hash answered not_possible_number for
// "13912345678（本人）" — a mainland mobile with a note — which upload
// splits from its note and sends (a review). hash now splits each line as
// upload splits a cell: one answer per value.
func TestHashSplitsACellAsUploadDoes(t *testing.T) {
	r := runCLI(t, nil, "", "hash", "--for", "google", "--field", "phone", "--region", "CN", "13912345678（本人）", "13912345678 / 13812345678")
	lines := strings.Split(strings.TrimSpace(r.stdout), "\n")
	if r.code != 0 || len(lines) != 3 || !strings.HasPrefix(lines[0], "+8613912345678\t") || !strings.HasPrefix(lines[1], "+8613912345678\t") ||
		!strings.HasPrefix(lines[2], "+8613812345678\t") {
		t.Fatalf("exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	// A line of no value keeps its answer.
	if r := runCLI(t, nil, "", "hash", "--for", "google", "--field", "phone", "--region", "CN", " "); r.code != ExitFailure || !strings.Contains(r.stdout, "empty") {
		t.Fatalf("blank: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
}
