package cli

import (
	"strings"
	"testing"
)

// TestCheckOnAFileWithoutAnExpectColumn: an export given to check where a
// fixture was meant has no expect column: the fixture is wrong, not the
// gate, so exit 2 as for a fixture without rows (cli.md: usage), not 1 as
// for a file that cannot be read; and no "0 rows, 0 matched" summary
// before the error, which said nothing of use (a newcomer's review,
// 2026-12-06). Beside a fixture that is judged, the summary counts that
// one's rows; beside a mismatch, the exit is 5.
func TestCheckOnAFileWithoutAnExpectColumn(t *testing.T) {
	export := root + "/example/appointments.csv"
	r := runCLI(t, nil, "", "check", "--config", "../../configs/example.yaml", export)
	if r.code != ExitUsage || strings.Contains(r.stderr, "hashgate check:") ||
		!strings.Contains(r.stderr, `column "expect" (the expect column of a check fixture) is not in the header`) ||
		!strings.Contains(r.stderr, `a fixture is an export with one more column, "expect"`) {
		t.Errorf("an export given as a fixture: exit %d, want 2 and no summary\n%s", r.code, r.stderr)
	}
	r = runCLI(t, nil, "", "check", "--json", "--config", "../../configs/example.yaml", export)
	if r.code != ExitUsage || !strings.Contains(r.stdout, `"kind": "no_expect_column"`) {
		t.Errorf("--json: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	r = runCLI(t, nil, "", "check", "--config", "../../configs/example.yaml", export, root+"/consent/example.csv")
	if r.code != ExitUsage || !strings.Contains(r.stderr, "hashgate check: 2 fixture(s), ") || strings.Contains(r.stderr, " 0 rows") {
		t.Errorf("beside a passing fixture: exit %d, want 2 with the judged rows counted\n%s", r.code, r.stderr)
	}
}
