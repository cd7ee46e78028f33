package ledger

import (
	"context"
	"path/filepath"
	"runtime"
	"testing"
	"time"

	"github.com/hashgate/hashgate/internal/destination"
	"github.com/hashgate/hashgate/internal/eventid"
	"github.com/hashgate/hashgate/internal/platform"
)

// TestUnansweredEventsKeepTheHeapFlat: what an upload reads of a ledger
// holding 100,000 events sent and never answered — the Filter's sent
// times (Meta keeps them) and the dedup window's UnconfirmedHeld, two cuts
// — is read as it streams, into keysets and sorted arrays outside the
// heap: about 50 bytes an event allocated (the driver's copy of each
// record's ids and times). Until session 21 each cut kept a map of the
// open events to their request, and the sent times a map too: 151 MB at
// 1M events, 210 bytes an event allocated here (50 since).
func TestUnansweredEventsKeepTheHeapFlat(t *testing.T) {
	ctx := context.Background()
	now := t0
	l := open(t, filepath.Join(t.TempDir(), "l.db"), clock(&now))
	night, _ := l.StartRun(ctx, RunInfo{ToolVersion: "test"})
	const n, per = 100000, 1000
	all := evIDs("U", n)
	keep := meta
	keep.KeepSentTime, keep.DedupWindow = true, 7*24*time.Hour
	for i := 0; i < n-per; i += per {
		send(t, l, night, keep, all[i:i+per], StateSent, "")
	}
	// A later night accepted the first thousand, held the next thousand
	// back as too old after they were sent, and sent the last thousand,
	// held back as too old since: open at the last cut only.
	now = now.Add(24 * time.Hour)
	later, _ := l.StartRun(ctx, RunInfo{ToolVersion: "test"})
	send(t, l, later, keep, all[:per], StateAccepted, "")
	send(t, l, later, keep, all[n-per:], StateSent, "")
	for _, held := range [][]eventid.ID{all[per : 2*per], all[n-per:]} {
		if err := l.NotSent(ctx, later, keep, held, StateQuarantined, destination.ReasonTooOld); err != nil {
			t.Fatal(err)
		}
	}
	now = now.Add(24 * time.Hour)
	dests := map[platform.Platform]Destination{platform.Meta: keep}
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	f, err := NewFilter(ctx, l, dests, &collect{})
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	ms, since, err := l.UnconfirmedHeld(ctx, dests, []string{destination.ReasonTooOld, destination.ReasonBeforeFirstUpload},
		now.Add(-36*time.Hour), now.Add(time.Millisecond))
	runtime.ReadMemStats(&after)
	if err != nil {
		t.Fatal(err)
	}
	if perEvent := float64(after.TotalAlloc-before.TotalAlloc) / n; perEvent > 100 {
		t.Errorf("an upload's reads allocated %.0f bytes an unanswered event, want at most 100: they hold the ledger's", perEvent)
	}
	// The same answers: the accepted thousand settled, the rest open at
	// both cuts, the thousand held since noted, and a sent time for each
	// open one.
	if ms[0].Len() != n-2*per || ms[1].Len() != n-per || since[0].Len() != 2*per || since[1].Len() != 0 {
		t.Errorf("open %d and %d, held since %d and %d; want %d, %d, %d, 0", ms[0].Len(), ms[1].Len(), since[0].Len(), since[1].Len(), n-2*per, n-per, 2*per)
	}
	if ms[1].Has(platform.Meta, all[0]) || !ms[1].Has(platform.Meta, all[per]) || ms[0].Has(platform.Meta, all[n-1]) || !ms[1].Has(platform.Meta, all[n-1]) ||
		!since[0].Has(platform.Meta, all[per]) || !since[0].Has(platform.Meta, all[n-1]) || since[0].Has(platform.Meta, all[2*per]) {
		t.Error("the wrong events marked")
	}
	if got := f.sent.at.len(); got != n {
		t.Errorf("%d sent times kept, want %d", got, n)
	}
}
