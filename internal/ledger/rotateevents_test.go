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
