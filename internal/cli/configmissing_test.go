package cli

import (
	"strings"
	"testing"
)

// TestMissingConfigSaysHowToStartOne: a first command in a folder without
// hashgate.yaml and with no HASHGATE_* setting says the file is missing and
// how to start one — with hashgate itself: someone who installed with `go
// install` has no configs/example.yaml — in one line, exit 2. It used to
// point at configs/example.yaml and follow with four "required" errors
// about keys of the file that is not there (a newcomer's review,
// 2026-12-06). With settings in the environment, what they lack follows.
func TestMissingConfigSaysHowToStartOne(t *testing.T) {
	export := root + "/example/appointments.csv"
	for _, args := range [][]string{{"upload", "--dry-run", export}, {"check", export}} {
		r := runCLI(t, nil, "", args...)
		want := "hashgate: config hashgate.yaml: not found: start one from your export with `hashgate config init --from EXPORT --out hashgate.yaml` (or pass --config FILE)\n"
		if r.code != ExitUsage || r.stderr != want {
			t.Errorf("%v without a config: exit %d, stderr\n%s\nwant exit 2 and\n%s", args, r.code, r.stderr, want)
		}
	}
	r := runCLI(t, map[string]string{"HASHGATE_TIMEZONE": "Asia/Taipei"}, "", "upload", "--dry-run", export)
	if r.code != ExitUsage || !strings.Contains(r.stderr, "the settings in the environment (HASHGATE_*) do not make a whole config") ||
		!strings.Contains(r.stderr, "input.columns.order_id: required") || !strings.Contains(r.stderr, "hashgate config init --from EXPORT") {
		t.Errorf("a config partly in the environment: exit %d\n%s", r.code, r.stderr)
	}
}
