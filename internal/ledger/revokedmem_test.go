package ledger

import (
	"context"
	"path/filepath"
	"runtime"
	"testing"
)

// rememberMany makes the ledger at path remember n patients as withdrawn
// by one run, every third with a day, in one statement (the API would
// need a map of them, the thing under test).
func rememberMany(t *testing.T, l *Ledger, n int) {
	t.Helper()
	if _, err := l.db.Exec(`WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x+1 FROM c WHERE x < ?)
		INSERT INTO revoked_patients (digest, run_id, at, from_day) SELECT x*7919 - 1000000000, 'r1', 0, CASE WHEN x % 3 = 0 THEN 86400*x ELSE 0 END FROM c`, n); err != nil {
		t.Fatal(err)
	}
}

// liveHeap is the heap in use after a full collection.
func liveHeap() uint64 {
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return ms.HeapAlloc
}

// TestRememberedWithdrawalsStayFlat: an upload and a dry-run read the
// withdrawals the ledger remembers, which are never pruned; they were
// loaded into a map, 115 MB at 1M patients and 478 MB at 10M on every
// run (review, session 21). Read now, 100,000 of them hold under 1 MB
// (a 256 KB Bloom filter and a sparse index), where the map held about
// 3 MB.
func TestRememberedWithdrawalsStayFlat(t *testing.T) {
	if testing.Short() {
		t.Skip("remembers 100,000 patients")
	}
	ctx := context.Background()
	now := t0
	path := filepath.Join(t.TempDir(), "l.db")
	l := open(t, path, clock(&now))
	const n = 100_000
	rememberMany(t, l, n)
	const bound = 1 << 20 // bytes
	before := liveHeap()
	m, err := l.RevokedPatients(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if grew := int64(liveHeap()) - int64(before); grew > bound {
		t.Errorf("RevokedPatients of %d patients holds %d KB of heap; want at most %d KB", n, grew>>10, bound>>10)
	}
	runtime.KeepAlive(m)
	m = nil
	l.Close()

	before = liveHeap()
	w, err := ReadWithdrawals(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	if grew := int64(liveHeap()) - int64(before); grew > bound {
		t.Errorf("ReadWithdrawals of %d patients holds %d KB of heap; want at most %d KB", n, grew>>10, bound>>10)
	}
	runtime.KeepAlive(w)
}

// TestRevokedRecordsMerge: a run's revoking rows come one by one
// (pipeline.Revoking), a patient perhaps on several, dated and not; the
// ledger remembers each patient once for the run, from 0 over any day,
// else the earliest day — as the map the run kept before merged them —
// and says how many patients.
func TestRevokedRecordsMerge(t *testing.T) {
	ctx := context.Background()
	now := t0
	l := open(t, filepath.Join(t.TempDir(), "l.db"), clock(&now))
	recs := [][2]int64{{1, 5 * 86400}, {1, 3 * 86400}, {1, 4 * 86400}, {-2, 0}, {-2, 4 * 86400}, {3, 7 * 86400}, {3, 0}}
	n, err := l.AddRevokedPatients(ctx, "r1", func(add func(uint64, int64) error) error {
		for _, r := range recs {
			if err := add(uint64(r[0]), r[1]); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil || n != 3 {
		t.Fatalf("AddRevokedPatients: %d, %v; want 3 patients", n, err)
	}
	if n, err := l.AddRevokedPatients(ctx, "r2", func(func(uint64, int64) error) error { return nil }); err != nil || n != 0 {
		t.Errorf("nothing to remember: %d, %v", n, err)
	}
	m, err := l.RevokedPatients(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	for d, want := range map[int64]int64{1: 3 * 86400, -2: 0, 3: 0} {
		if from, ok, err := m.Get(uint64(d)); err != nil || !ok || from != want {
			t.Errorf("patient %d: from %d, %v; want %d", d, from, ok, want)
		}
	}
	if m.Len() != 3 {
		t.Errorf("%d patients remembered; want 3", m.Len())
	}
	// Another run reading patient 1 again, from a later day, is kept as
	// the run that read it again (schema 15) and leaves its day the
	// earliest: the later day would send her visits between the two.
	if _, err := l.AddRevokedPatients(ctx, "r3", func(add func(uint64, int64) error) error { return add(1, 9*86400) }); err != nil {
		t.Fatal(err)
	}
	m2, err := l.RevokedPatients(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer m2.Close()
	if from, ok, err := m2.Get(1); err != nil || !ok || from != 3*86400 {
		t.Errorf("patient 1 read again by another run from a later day: from %d, %v, %v; want %d", from, ok, err, 3*86400)
	}
}
