package cli

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/hashgate/hashgate/internal/signals"
)

// TestOnlyAnUploadSaysRequestsInFlightAreResent: the second signal's line
// speaks of requests in flight resent by the next run only for a command
// that sends them, an upload without --dry-run (signals.Sending); a
// dry-run, channels or inspect has none, and says only that it stopped.
func TestOnlyAnUploadSaysRequestsInFlightAreResent(t *testing.T) {
	cfg := "../../configs/example.yaml"
	for _, c := range []struct {
		args  []string
		sends bool
	}{
		{[]string{"upload", "--dry-run", "--config", cfg, root + "/example/appointments.csv"}, false},
		{[]string{"inspect", root + "/example/appointments.csv"}, false},
		{[]string{"channels", "--config", chPath("en.yaml"), chPath("export-en.csv")}, false},
		// Refused for want of account settings, after it began as an upload.
		{[]string{"upload", "--config", cfg, root + "/example/appointments.csv"}, true},
	} {
		ctx, sending := signals.WithNote(context.Background())
		var out, errOut bytes.Buffer
		f := testFactory(t, secretEnv, strings.NewReader(""), &out, &errOut)
		execute(ctx, f, c.args)
		if sending() != c.sends {
			t.Errorf("%s: marked sending %v, want %v", strings.Join(c.args, " "), sending(), c.sends)
		}
	}
}
