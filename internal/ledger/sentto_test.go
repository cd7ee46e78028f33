package ledger

import (
	"context"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/hashgate/hashgate/internal/conversion"
	"github.com/hashgate/hashgate/internal/platform"
)

// routed is google with SentTo naming, as the Google client does, the
// visits' action and, when the batch holds a booking, the bookings'.
func routed() map[platform.Platform]Destination {
	d := google
	d.SentTo = func(batch []*conversion.Conversion) []string {
		to := []string{"555000111"}
		for _, c := range batch {
			if c.Booking {
				return append(to, "555000222")
			}
		}
		return to
	}
	return map[platform.Platform]Destination{platform.Google: d}
}

// TestARequestRecordsWhereItWent: the conversion actions a request named
// are recorded with it and handed to the status reader (Unpolled.SentTo)
// — what it was sent to, whatever the config says by the time its status
// is read; a destination that does not say records nothing (nil), and a
// name that could not be read back is refused before anything is sent.
func TestARequestRecordsWhereItWent(t *testing.T) {
	ctx := context.Background()
	now := t0
	l := open(t, filepath.Join(t.TempDir(), "l.db"), clock(&now))
	ids := evIDs("s", 3)
	b := visit(ids[1], now.Add(-time.Hour), 0)
	b.Booking = true
	deliver(t, l, routed(), []*conversion.Conversion{visit(ids[0], now.Add(-time.Hour), 1), b})
	deliver(t, l, routed(), []*conversion.Conversion{visit(ids[2], now.Add(-time.Hour), 1)})
	run, _ := l.StartRun(ctx, RunInfo{ToolVersion: "test"})
	send(t, l, run, google, evIDs("u", 1), StateAccepted, "") // no SentTo
	un, err := l.Unpolled(ctx, "google", now.Add(-time.Hour))
	if err != nil || len(un) != 3 {
		t.Fatalf("unpolled %+v %v", un, err)
	}
	for i, want := range [][]string{{"555000111", "555000222"}, {"555000111"}, nil} {
		if !slices.Equal(un[i].SentTo, want) || (want == nil) != (un[i].SentTo == nil) {
			t.Errorf("request %d sent to %q, want %q", i, un[i].SentTo, want)
		}
	}
	bad := google
	bad.SentTo = func([]*conversion.Conversion) []string { return []string{"1,2"} }
	rec := NewRecorder(ctx, l, run, map[platform.Platform]Destination{platform.Google: bad})
	if err := rec.Sending(platform.Google, []*conversion.Conversion{visit(evIDs("x", 1)[0], now, 1)}); err == nil {
		t.Error("a destination holding the separator was recorded")
	}
}

// TestMigrationToV11: a schema 10 ledger's requests have no sent_to (nil:
// the status reader takes every status Google answers for them), and a
// request sent after the upgrade records it.
func TestMigrationToV11(t *testing.T) {
	ctx := context.Background()
	now := t0
	path := filepath.Join(t.TempDir(), "l.db")
	all := migrations
	migrations = all[:10]
	l, err := Open(ctx, path, clock(&now))
	if err != nil {
		migrations = all
		t.Fatal(err)
	}
	deliver(t, l, routed(), []*conversion.Conversion{visit(evIDs("m", 1)[0], now.Add(-time.Hour), 1)})
	l.Close()
	migrations = all
	l = open(t, path, clock(&now))
	deliver(t, l, routed(), []*conversion.Conversion{visit(evIDs("n", 1)[0], now.Add(-time.Hour), 1)})
	un, err := l.Unpolled(ctx, "google", now.Add(-time.Hour))
	if err != nil || len(un) != 2 || un[0].SentTo != nil || !slices.Equal(un[1].SentTo, []string{"555000111"}) {
		t.Fatalf("after the upgrade %+v %v", un, err)
	}
}
