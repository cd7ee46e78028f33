package cli

import (
	"strings"
	"testing"
)

// TestStatusArgumentsNameNoValue: status checks its arguments before the
// config and the credentials. A request id outside the grammar of request
// ids (it is printed back and sent to Google) and a negative --budget or
// --since exit 2, name the argument, and print none of what was given — a
// canary, terminal escapes, a forged log line.
func TestStatusArgumentsNameNoValue(t *testing.T) {
	const canary = "ZQcanary0912"
	for _, tc := range []struct {
		args []string
		name string
	}{
		{[]string{"status", canary + " \x1b[2J"}, "argument 1"},
		{[]string{"status", "6d3f9c1e-1b2a-4c5d-8e9f-0a1b2c3d4e5f", canary + "\nlevel=ERROR msg=forged"}, "argument 2"},
		{[]string{"status", strings.Repeat("A", 129) + canary}, "argument 1"},
		{[]string{"status", "--budget", "-5s"}, "--budget"},
		{[]string{"status", "--since", "-1h"}, "--since"},
	} {
		r := runCLI(t, nil, "", tc.args...)
		if r.code != ExitUsage || !strings.Contains(r.stderr, tc.name) {
			t.Errorf("%q: exit %d, want %d naming %s\n%s", tc.args, r.code, ExitUsage, tc.name, r.stderr)
		}
		if out := r.stdout + r.stderr; strings.Contains(out, canary) || strings.Contains(out, "\x1b") {
			t.Errorf("%q echoes what it was given:\n%s%s", tc.args, r.stdout, r.stderr)
		}
	}
}
