package cli

import (
	"database/sql"
	"path/filepath"
	"strings"
	"testing"
)

// TestTheFirstNightAfterAnUpgradeGoesThrough: the ledger holds the
// patient keys' shape as hashgate of 2026-12-06 wrote it, "kind:n,min,max",
// its letter-led kind's range widened by a typo to 3–13. Before, read as
// a tenth or less of the keys on each length, every key of the clinic's
// departed: the first nightly upload after the upgrade stopped (exit 2,
// nothing sent), and every one after it. Now the ordinary nights go
// through, and a new numbering still stops.
func TestTheFirstNightAfterAnUpgradeGoesThrough(t *testing.T) {
	k := newKeyNights(t)
	k.night("before the upgrade", keyNight(t, "U1N", 2, 100, keysFrom("A%05d", 10000, 24)), 0, 24)
	db, err := sql.Open("sqlite", "file:"+filepath.Join(k.env["XDG_STATE_HOME"], "hashgate", "ledger.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	// What the older hashgate kept (and no nights beside it: their tag no
	// longer names the shape).
	if r, err := db.Exec("UPDATE meta SET value = '3:300,3,13' WHERE key LIKE 'patient_key_shape:%'"); err != nil {
		t.Fatal(err)
	} else if n, _ := r.RowsAffected(); n == 0 {
		t.Fatal("no patient key shape kept")
	}
	k.night("the first night after", keyNight(t, "U2N", 4, 200, keysFrom("A%05d", 10100, 24)), 0, 24)
	k.night("the second", keyNight(t, "U3N", 6, 300, keysFrom("A%05d", 10200, 24)), 0, 24)
	out := k.night("a new numbering", keyNight(t, "U4N", 8, 400, keysFrom("MRN-%05d", 1, 24)), ExitUsage, 0)
	if !strings.Contains(out, "changed shape") || !strings.Contains(out, "nothing was sent") {
		t.Errorf("the stop does not say what changed:\n%s", out)
	}
}
