package ledger

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/hashgate/hashgate/internal/conversion"
	"github.com/hashgate/hashgate/internal/eventid"
	"github.com/hashgate/hashgate/internal/platform"
)

// unfoldedLedger records single-column ids as hashgate did before schema
// 15 (as written): the requests fill writes are then marked as
// schemaV16's migration marks an older ledger's.
func unfoldedLedger(t testing.TB, now *time.Time, fill func(l *Ledger, run string)) *Ledger {
	t.Helper()
	l, err := Open(context.Background(), filepath.Join(t.TempDir(), "l.db"), clock(now))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	run, _ := l.StartRun(context.Background(), RunInfo{ToolVersion: "v14"})
	fill(l, run)
	if _, err := l.db.Exec(`UPDATE meta SET value = (SELECT CAST(max(id) AS TEXT) FROM requests) WHERE key = 'unfolded_ids_through'`); err != nil {
		t.Fatal(err)
	}
	return l
}

// TestUnfoldedIDsAreLookedUp: a ledger made before single-column ids were
// folded holds Ａ１００１'s id as written; tonight the row's event id is
// A1001's, and its legacy id the one the ledger holds: it is not sent
// again, and an unconfirmed one goes under the id the platform holds. The
// alias learnt finds it the night after, when the export writes A1001
// plainly (no legacy id). An ASCII id with no alias never loads the
// legacy events.
func TestUnfoldedIDsAreLookedUp(t *testing.T) {
	ctx := context.Background()
	now := t0
	written, held := evIDs("FULLWIDTH", 3), evIDs("HELD", 2)
	l := unfoldedLedger(t, &now, func(l *Ledger, run string) {
		send(t, l, run, meta, written, StateAccepted, "")
		send(t, l, run, meta, held, StateSent, "") // a crash: never answered
	})
	dests := map[platform.Platform]Destination{platform.Meta: meta}
	conv := func(id, legacy eventid.ID) *conversion.Conversion {
		return &conversion.Conversion{Platform: platform.Meta, EventID: id, LegacyID: legacy, Time: t0.AddDate(0, 0, -3)}
	}
	folded, plain := evIDs("FOLDED", 5), evIDs("ASCII", 4)

	var c collect
	f, err := NewFilter(ctx, l, dests, &c)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.UseUnfoldedIDs(ctx); err != nil {
		t.Fatal(err)
	}
	for _, id := range plain {
		f.Write(conv(id, ""))
	}
	if f.legacyHeld != nil {
		t.Error("ASCII ids loaded the events of the earlier spelling")
	}
	for i, id := range written {
		f.Write(conv(folded[i], id))
	}
	for i, id := range held {
		f.Write(conv(folded[3+i], id))
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	if f.Skipped(platform.Meta) != 3 || len(c.got) != 6 {
		t.Fatalf("skipped %d, passed %d; want 3 (sent under the spelling as written) and 6", f.Skipped(platform.Meta), len(c.got))
	}
	for _, cv := range c.got[4:] {
		if cv.EventID != held[0] && cv.EventID != held[1] {
			t.Errorf("an unconfirmed event goes as %s, not under the id the platform holds", cv.EventID)
		}
	}

	// The next night the export writes the ids plainly: no legacy id, and
	// the aliases still find them.
	var c2 collect
	f2, _ := NewFilter(ctx, l, dests, &c2)
	if err := f2.UseUnfoldedIDs(ctx); err != nil {
		t.Fatal(err)
	}
	for _, id := range folded[:3] {
		f2.Write(conv(id, ""))
	}
	f2.Close()
	if f2.Skipped(platform.Meta) != 3 || len(c2.got) != 0 {
		t.Fatalf("written plainly: skipped %d, passed %d; want 3 and 0", f2.Skipped(platform.Meta), len(c2.got))
	}
}

// TestANewLedgerMarksNoUnfoldedIDs: a ledger created at schema 16 holds
// no id made as written, so no lookup is dual.
func TestANewLedgerMarksNoUnfoldedIDs(t *testing.T) {
	now := t0
	l := open(t, filepath.Join(t.TempDir(), "l.db"), clock(&now))
	if through, err := l.unfoldedThrough(context.Background()); err != nil || through != 0 {
		t.Fatalf("unfolded_ids_through %d, %v; want 0", through, err)
	}
}
