package ledger

import (
	"context"
	"errors"
	"path/filepath"
	"testing"
	"time"

	"github.com/hashgate/hashgate/internal/conversion"
	"github.com/hashgate/hashgate/internal/platform"
)

// TestAnUnansweredTestRequestIsNeverUnconfirmed: a validation whose
// answer never came back is no real send left unanswered — not
// unconfirmed, not confirmable, not "sent" in the stats — while a real
// request left unanswered beside it still is all three.
func TestAnUnansweredTestRequestIsNeverUnconfirmed(t *testing.T) {
	ctx := context.Background()
	now := t0
	l := open(t, filepath.Join(t.TempDir(), "l.db"), clock(&now))
	test := meta
	test.Test = true
	tested, real := evIDs("T", 5), evIDs("R", 2)
	send(t, l, "validation", test, tested, StateSent, "")
	send(t, l, "night", meta, real, StateSent, "")
	now = now.Add(8 * 24 * time.Hour)
	dests := map[platform.Platform]Destination{platform.Meta: meta}
	un, err := l.Unconfirmed(ctx, dests, now.Add(-6*24*time.Hour))
	if err != nil || un.Len() != 2 || un.Has(platform.Meta, tested[0]) || !un.Has(platform.Meta, real[0]) {
		t.Fatalf("unconfirmed: %d (test event in it: %v) %v; want the 2 real ones", un.Len(), un.Has(platform.Meta, tested[0]), err)
	}
	st, err := l.Stats(ctx)
	if err != nil || st.Events[meta.Key][StateSent] != 2 || st.Events[meta.Key][StateValidated] != 5 {
		t.Fatalf("stats %+v %v", st.Events, err)
	}
	evs, err := l.Events(ctx, "validation")
	if err != nil || len(evs) != 5 || evs[0].State != StateValidated || evs[0].Reason != ReasonTestUnanswered {
		t.Fatalf("events of the validation %+v %v", evs, err)
	}
	for _, sel := range []string{"", "meta", meta.Key} {
		if got, err := l.Confirm(ctx, ConfirmSelect{RunID: "validation", Destination: sel}); !errors.Is(err, ErrValidationRun) || len(got) != 0 {
			t.Errorf("confirm the validation (destination %q): %v %v", sel, got, err)
		}
	}
	if got, err := l.Confirm(ctx, ConfirmSelect{RunID: "night"}); err != nil || got[meta.Key] != 2 {
		t.Fatalf("confirm the real night: %v %v", got, err)
	}
	// The real upload sends the validated events as new.
	if n := filterPasses(t, l, dests, platform.Meta, now.Add(-time.Hour), tested); n != 5 {
		t.Errorf("the real upload passes %d of the 5 validated events", n)
	}
}

// TestMigrationToV13: a schema 12 ledger's test requests are told apart
// where the ledger can tell them — a run and destination with a
// validated answer, a run whose stored report names a test mode or a
// validation — and a real request left unanswered stays unconfirmed.
func TestMigrationToV13(t *testing.T) {
	ctx := context.Background()
	now := t0
	path := filepath.Join(t.TempDir(), "l.db")
	all := migrations
	migrations = all[:12]
	l, err := Open(ctx, path, clock(&now))
	if err != nil {
		migrations = all
		t.Fatal(err)
	}
	test := meta
	test.Test = true
	answered, reported, validation, real := evIDs("A", 2), evIDs("P", 3), evIDs("V", 4), evIDs("R", 1)
	// A validation split in two: one half answered validated, the other lost.
	send(t, l, "answered", test, answered[:1], StateAccepted, "")
	send(t, l, "answered", test, answered[1:], StateSent, "")
	send(t, l, "reported", test, reported, StateSent, "")
	send(t, l, "validation", test, validation, StateSent, "")
	send(t, l, "night", meta, real, StateSent, "")
	for run, rep := range map[string]string{
		"reported":   `{"destinations":[{"destination":"meta","test_mode":"test_event_code","validated":0}]}`,
		"validation": `{"validation_run":true}`,
		"night":      `{"destinations":[{"destination":"meta","validated":0}]}`,
	} {
		if _, err := l.db.ExecContext(ctx, `INSERT INTO runs (id, started_at, tool_version, report) VALUES (?, ?, 'test', ?)`, run, now.Format(time.RFC3339Nano), rep); err != nil {
			migrations = all
			t.Fatal(err)
		}
	}
	l.Close()
	migrations = all
	l = open(t, path, clock(&now))
	now = now.Add(8 * 24 * time.Hour)
	un, err := l.Unconfirmed(ctx, map[platform.Platform]Destination{platform.Meta: meta}, now.Add(-6*24*time.Hour))
	if err != nil || un.Len() != 1 || !un.Has(platform.Meta, real[0]) {
		t.Fatalf("unconfirmed after the upgrade: %d %v; want the real one alone", un.Len(), err)
	}
	for _, run := range []string{"answered", "reported", "validation"} {
		if _, err := l.Confirm(ctx, ConfirmSelect{RunID: run}); !errors.Is(err, ErrValidationRun) {
			t.Errorf("confirm %s after the upgrade: %v", run, err)
		}
	}
}

// TestAnUnansweredTestRequestKeepsNoSentTime: a validation left
// unanswered delivered nothing Meta deduplicates against, so the real
// upload sends its events with tonight's time, kept from no request.
func TestAnUnansweredTestRequestKeepsNoSentTime(t *testing.T) {
	now := t0
	l := open(t, filepath.Join(t.TempDir(), "l.db"), clock(&now))
	ids := evIDs("V", 1)
	validated := now.Add(-26 * time.Hour)
	tonight := validated.Add(2 * time.Hour)
	tests := keeping()
	d := tests[platform.Meta]
	d.Test = true
	tests[platform.Meta] = d
	record(t, l, tests, []*conversion.Conversion{metaEvent(ids[0], validated)}, unanswered, "")
	got, n := filtered(t, l, keeping(), metaEvent(ids[0], tonight))
	if len(got) != 1 {
		t.Fatalf("passed %d, want the validated event", len(got))
	}
	if !got[0].Time.Equal(tonight) || n != (SentTimeCounts{}) {
		t.Fatalf("goes at %v, counts %+v; want tonight's %v, none kept", got[0].Time, n, tonight)
	}
}

// TestSendableAfterCountsNoValidation: forgetting a validation's
// unanswered request loses nothing a platform could take again — only
// the real deliveries the cut forgets are counted.
func TestSendableAfterCountsNoValidation(t *testing.T) {
	ctx := context.Background()
	now := t0
	l := open(t, filepath.Join(t.TempDir(), "l.db"), clock(&now))
	test := meta
	test.Test = true
	send(t, l, "validation", test, evIDs("V", 3), StateSent, "")
	send(t, l, "night", meta, evIDs("R", 2), StateSent, "")
	now = now.Add(48 * time.Hour)
	got, err := l.SendableAfter(ctx, now.Add(-12*time.Hour))
	if err != nil || got[meta.Key] != 2 {
		t.Fatalf("sendable after the cut: %v %v; want the 2 real ones", got, err)
	}
}
