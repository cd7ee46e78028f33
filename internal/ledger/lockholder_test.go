package ledger

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestALockedLedgerNamesItsHolder (D3, an agency's fifteen clinics on one
// default ledger): the run stopped by the lock learns which run holds it —
// its pid, config and start, from the lock file — and a lock file that
// names none (an older hashgate's) says "unknown" rather than failing.
func TestALockedLedgerNamesItsHolder(t *testing.T) {
	ctx := context.Background()
	p := filepath.Join(t.TempDir(), "ledger.db")
	started := time.Date(2026, 12, 7, 2, 0, 0, 0, time.FixedZone("CET", 3600))
	cfg := "/srv/clinics/south/hashgate.yaml"
	a, err := Open(ctx, p, Options{Config: cfg, Now: func() time.Time { return started }})
	if err != nil {
		t.Fatal(err)
	}
	_, err = Open(ctx, p, Options{Config: "/srv/clinics/north/hashgate.yaml"})
	var le *LockedError
	if !errors.Is(err, ErrLocked) || !errors.As(err, &le) || le.Holder == nil {
		t.Fatalf("second Open: %v, want a LockedError naming the holder", err)
	}
	want := fmt.Sprintf("pid %d, config %s, started 2026-12-07T01:00:00Z", os.Getpid(), cfg)
	if !strings.Contains(err.Error(), want) || !strings.Contains(err.Error(), p) {
		t.Errorf("the lock error does not name the holder (%s) and the ledger:\n%v", want, err)
	}
	a.Close()
	if b, err := os.ReadFile(p + ".lock"); err != nil || len(b) != 0 {
		t.Errorf("a released lock file still names its holder (%q, %v): a run reading it as the next locks it would name a run that ended", b, err)
	}

	// A lock held by a hashgate that writes no note.
	old, err := lockFile(p + ".lock")
	if err != nil {
		t.Fatal(err)
	}
	defer old.release()
	_, err = Open(ctx, p, Options{})
	if !errors.As(err, &le) || le.Holder != nil || !strings.Contains(err.Error(), "holder unknown") {
		t.Errorf("a lock file that names no holder: %v, want \"holder unknown\"", err)
	}
}

// TestAHolderNoteIsReadBestEffort: what is not a whole note — a line cut
// short, another program's text, a note larger than any hashgate writes —
// names no holder, and a note's config may hold any character.
func TestAHolderNoteIsReadBestEffort(t *testing.T) {
	p := filepath.Join(t.TempDir(), "l.lock")
	h := Holder{PID: 42, Config: "/x/a \"b\"\nc.yaml", Started: time.Unix(0, 0).UTC()}
	for _, c := range []struct {
		body string
		want bool
	}{
		{string(h.note()), true},
		{string(h.note()[:10]), false},
		{"locked by cron\n", false},
		{`{"pid":0,"started":"2026-12-07T02:00:00Z"}` + "\n", false},
		{"", false},
	} {
		if err := os.WriteFile(p, []byte(c.body), 0o600); err != nil {
			t.Fatal(err)
		}
		got := readHolder(p)
		if (got != nil) != c.want || (got != nil && *got != h) {
			t.Errorf("readHolder(%q) = %+v, want a holder: %v", c.body, got, c.want)
		}
	}
}
