package ledger

import (
	"context"
	"testing"
	"time"

	"github.com/hashgate/hashgate/internal/conversion"
	"github.com/hashgate/hashgate/internal/eventid"
	"github.com/hashgate/hashgate/internal/platform"
)

// TestDryRunHoldsWhatTheUploadHolds (metamorphic): on a ledger written
// under legacy ids — composite order ids made as written before schema 4,
// single-column ones before schema 16 — the dry-run's held count is the
// upload's. The dry-run looked up only a conversion's event id, while the
// upload looks up its legacy id too (Filter.dualLookup): after an order-id
// folding change the review said it would send what the upload holds.
func TestDryRunHoldsWhatTheUploadHolds(t *testing.T) {
	ctx := context.Background()
	dests := map[platform.Platform]Destination{platform.Meta: meta}
	for _, c := range []struct {
		name   string
		ledger func(testing.TB, *time.Time, func(*Ledger, string)) *Ledger
		use    func(*Filter) error
	}{
		{"composite ids as written (schema 4)", legacyLedger, func(f *Filter) error { return f.UseLegacyIDs(ctx) }},
		{"single-column ids unfolded (schema 16)", unfoldedLedger, func(f *Filter) error { return f.UseUnfoldedIDs(ctx) }},
	} {
		t.Run(c.name, func(t *testing.T) {
			now := t0
			oldAcc, oldSent, curAcc := evIDs("LA", 5), evIDs("LS", 3), evIDs("CA", 2)
			l := c.ledger(t, &now, func(l *Ledger, run string) {
				send(t, l, run, meta, oldAcc, StateAccepted, "")
				send(t, l, run, meta, oldSent, StateSent, "") // a crash: never answered
			})
			run, _ := l.StartRun(ctx, RunInfo{ToolVersion: "test"})
			send(t, l, run, meta, curAcc, StateAccepted, "") // after the change
			now = now.Add(time.Hour)
			cur, fresh := evIDs("CUR", 8), evIDs("NEW", 4)
			var convs []*conversion.Conversion
			add := func(id, legacy eventid.ID) {
				convs = append(convs, &conversion.Conversion{Platform: platform.Meta, EventID: id, LegacyID: legacy, Time: t0.AddDate(0, 0, -3)})
			}
			for i, id := range oldAcc {
				add(cur[i], id)
			}
			for i, id := range oldSent {
				add(cur[5+i], id)
			}
			for i, id := range fresh {
				add(id, evIDs("OLDNEW", 4)[i])
			}
			for _, id := range curAcc {
				add(id, "")
			}

			compare := func(night string, convs []*conversion.Conversion) {
				t.Helper()
				peek, err := PeekHeld(ctx, l.path, dests, TimeGuard{})
				if err != nil {
					t.Fatal(err)
				}
				for _, cv := range convs {
					cp := *cv
					if err := peek.Write(&cp); err != nil {
						t.Fatal(err)
					}
				}
				dryHeld, dryConvs := peek.Held(platform.Meta)
				peek.Close()

				var sent collect
				f, err := NewFilter(ctx, l, dests, &sent)
				if err != nil {
					t.Fatal(err)
				}
				if err := c.use(f); err != nil {
					t.Fatal(err)
				}
				for _, cv := range convs {
					cp := *cv
					if err := f.Write(&cp); err != nil {
						t.Fatal(err)
					}
				}
				if err := f.Close(); err != nil {
					t.Fatal(err)
				}
				if held := f.Skipped(platform.Meta); held != len(oldAcc)+len(curAcc) || dryHeld != held || dryConvs != len(convs) {
					t.Errorf("%s: the dry-run holds %d of %d, the upload %d of %d (want %d)", night, dryHeld, dryConvs, held, len(convs), len(oldAcc)+len(curAcc))
				}
			}
			compare("the first night", convs)
			// The export re-saved: its legacy ids are others now; the
			// aliases the upload learnt find the accepted still.
			for i := range oldAcc {
				convs[i].LegacyID = evIDs("RESAVED", 5)[i]
			}
			compare("re-saved", convs)
		})
	}
}
