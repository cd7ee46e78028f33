package cli

import (
	"strings"
	"testing"

	"github.com/hashgate/hashgate/internal/report"
)

// TestUploadHelpNamesEveryStop (the day's docs review): upload --help's
// list of the stops --accept-new-ids passes lacked order_id_rounded, and
// the exit-2 list lacked long ids a spreadsheet rounded and an encoding
// that must be set. The flag's help names every stop by the run report's
// name (accepted_stops).
func TestUploadHelpNamesEveryStop(t *testing.T) {
	r := runCLI(t, nil, "", "upload", "--help")
	if r.code != 0 {
		t.Fatalf("upload --help: exit %d\n%s", r.code, r.stderr)
	}
	help := strings.Join(strings.Fields(r.stdout), " ")
	for _, stop := range report.AcceptableStops {
		if !strings.Contains(help, stop) {
			t.Errorf("upload --help does not name the stop %s that --accept-new-ids passes", stop)
		}
	}
	for _, want := range []string{"spreadsheet rounded to 15 digits, an export whose encoding must be set (input.encoding)"} {
		if !strings.Contains(help, want) {
			t.Errorf("upload --help's exit codes lack %q", want)
		}
	}
}
