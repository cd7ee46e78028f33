package run

import (
	"fmt"
	"testing"

	"github.com/hashgate/hashgate/internal/export"
)

// TestEncodingToSetIsAUsageExit: an export whose encoding cannot be
// decided (a WPS re-save to GBK or Big5 under a config that leaves
// input.encoding auto) is refused before anything is sent, and a setting
// mends it: exit 2, as a config error, not 1. A file that cannot be read
// (no header) stays 1.
func TestEncodingToSetIsAUsageExit(t *testing.T) {
	set := &export.Error{File: "e.csv", Line: 2, Column: 31, Setting: "input.encoding", Reason: "cannot be decided between big5 and gb18030"}
	if got := Code(fmt.Errorf("read: %w", set)); got != ExitUsage {
		t.Errorf("an encoding to set: exit %d, want %d", got, ExitUsage)
	}
	if got := Code(&export.Error{File: "e.csv", Reason: "no header"}); got != ExitFailure {
		t.Errorf("an unreadable file: exit %d, want %d", got, ExitFailure)
	}
}
