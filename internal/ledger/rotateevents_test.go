package ledger

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/hashgate/hashgate/internal/eventid"
)

// TestARotationOfTheEventKeyAloneIsRecordedForErase: a rotation under a
// config without a patient-key column (RotateEventKey) records what
// erase needs — the requests sent before it (SentBeforeRotation), the
// rotation before it (SentBeforeOlderRotation), the previous event-id key
// (PrevEventCheck) — and leaves the withdrawals and their fingerprints as
// they were: no withdrawal is marked the previous key's, none counted
// as waiting, the fingerprint unchanged.
func TestARotationOfTheEventKeyAloneIsRecordedForErase(t *testing.T) {
	ctx := context.Background()
	now := t0
	path := filepath.Join(t.TempDir(), "l.db")
	l := open(t, path, clock(&now))
	run := withdrawn(t, l, &now)
	if err := l.SetRevokedKey(ctx, "column-check"); err != nil {
		t.Fatal(err)
	}
	send(t, l, run, meta, []eventid.ID{eventid.ID("0123456789abcdef0123456789abcdef")}, StateAccepted, "")
	if before, err := l.SentBeforeRotation(ctx); err != nil || before {
		t.Fatalf("before any rotation: SentBeforeRotation %v, %v; want false", before, err)
	}
	now = now.Add(24 * time.Hour)
	if err := l.RotateEventKey(ctx, "events-a"); err != nil {
		t.Fatal(err)
	}
	if before, err := l.SentBeforeRotation(ctx); err != nil || !before {
		t.Fatalf("after the rotation: SentBeforeRotation %v, %v; want true (the night-1 request)", before, err)
	}
	if older, err := l.SentBeforeOlderRotation(ctx); err != nil || older {
		t.Fatalf("after one rotation: SentBeforeOlderRotation %v, %v; want false", older, err)
	}
	if u, err := l.RevokedUnderPreviousKey(ctx); err != nil || u.Patients+u.Identifiers != 0 {
		t.Fatalf("withdrawals under the previous key: %+v, %v; want none (no withdrawal fingerprint moved)", u, err)
	}
	if was, err := l.RevokedKey(ctx); err != nil || was != "column-check" {
		t.Fatalf("the withdrawals' fingerprint is %q, %v; want it unchanged", was, err)
	}
	if err := l.RotateEventKey(ctx, "events-b"); err != nil {
		t.Fatal(err)
	}
	if older, err := l.SentBeforeOlderRotation(ctx); err != nil || !older {
		t.Fatalf("after a second rotation: SentBeforeOlderRotation %v, %v; want true", older, err)
	}
	l.Close()
	w, err := ReadWithdrawals(ctx, path)
	w.Patients.Close()
	w.Identifiers.Close()
	w.Withdrawers.Close()
	if err != nil || w.PrevEventCheck != "events-b" || w.PrevCheck != "" || w.Check != "column-check" {
		t.Fatalf("read back: PrevEventCheck %q, PrevCheck %q, Check %q, %v; want events-b, none, column-check", w.PrevEventCheck, w.PrevCheck, w.Check, err)
	}
}

// TestARotationRecordedAgainIsOne: a night that records a rotation and
// then stops (an empty export, a stop of the export's own) keeps no new
// event-id fingerprint, so the next night's upload judges the same
// rotation again. Recorded twice, the first record became "the rotation
// before the last", and erase said the visits sent before it were two
// rotations out of reach — visits the previous secret reaches. The same
// previous event-id key is the same rotation: recorded once, after a
// rotation that moved the withdrawals' fingerprint too.
func TestARotationRecordedAgainIsOne(t *testing.T) {
	ctx := context.Background()
	for _, first := range []string{"events alone", "withdrawals too"} {
		now := t0
		l := open(t, filepath.Join(t.TempDir(), "l.db"), clock(&now))
		run := withdrawn(t, l, &now)
		send(t, l, run, meta, []eventid.ID{eventid.ID("0123456789abcdef0123456789abcdef")}, StateAccepted, "")
		var err error
		if first == "events alone" {
			err = l.RotateEventKey(ctx, "events-a")
		} else {
			err = l.RotateRevokedKey(ctx, "old-check", "new-check", "events-a")
		}
		if err != nil {
			t.Fatal(err)
		}
		now = now.Add(24 * time.Hour)
		if err := l.RotateEventKey(ctx, "events-a"); err != nil {
			t.Fatal(err)
		}
		if older, err := l.SentBeforeOlderRotation(ctx); err != nil || older {
			t.Errorf("%s, then the same rotation again: SentBeforeOlderRotation %v, %v; want false (one rotation)", first, older, err)
		}
		if before, err := l.SentBeforeRotation(ctx); err != nil || !before {
			t.Errorf("%s, then the same rotation again: SentBeforeRotation %v, %v; want true", first, before, err)
		}
	}
}
