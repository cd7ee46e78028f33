package ledger

import (
	"bytes"
	"context"
	"encoding/hex"
	"path/filepath"
	"testing"

	"github.com/hashgate/hashgate/internal/eventid"
	"github.com/hashgate/hashgate/internal/platform"
)

func packed(t *testing.T, id eventid.ID) [idLen]byte {
	t.Helper()
	b, err := hex.DecodeString(string(id))
	if err != nil || len(b) != idLen {
		t.Fatalf("id %q: %v", id, err)
	}
	return [idLen]byte(b)
}

// TestEraseKeepsTheWithdrawalAndLeavesNoBytes: erasure deletes what the
// ledger holds of a patient's events — a request of hers alone goes, hers
// among another patient's are zeroed in place (positions stay), her
// aliases go — and keeps her withdrawal, for every appointment, writing it
// when none was remembered. The erased ids' bytes are in neither ledger.db
// nor its write-ahead log afterwards; another patient's event is untouched.
func TestEraseKeepsTheWithdrawalAndLeavesNoBytes(t *testing.T) {
	ctx := context.Background()
	now := t0
	path := filepath.Join(t.TempDir(), "ledger.db")
	l := open(t, path, clock(&now))
	run, err := l.StartRun(ctx, RunInfo{ToolVersion: "test"})
	if err != nil {
		t.Fatal(err)
	}
	hers, other := evIDs("HER", 2), evIDs("OTHER", 1)
	send(t, l, run, meta, []eventid.ID{hers[0], other[0]}, StateAccepted, "")
	send(t, l, run, meta, hers[1:], StateAccepted, "")
	h1 := packed(t, hers[1])
	if _, err := l.db.ExecContext(ctx, `INSERT INTO id_aliases (destination, id, legacy, at) SELECT id, ?, ?, 0 FROM destinations`, h1[:], bytes.Repeat([]byte{7}, idLen)); err != nil {
		t.Fatal(err)
	}
	// Patient 11 withdrew from a day on (earlier visits allowed); 22 never
	// withdrew in an export: both are erased.
	if _, err := l.AddRevokedPatients(ctx, run, func(add func(uint64, int64) error) error { return add(11, 1700000000) }); err != nil {
		t.Fatal(err)
	}
	got, err := l.Erase(ctx, []ErasePatient{{Digest: 11}, {Digest: 22, Legacy: 23}, {Digest: 22}}, [][idLen]byte{packed(t, hers[0]), h1})
	if err != nil {
		t.Fatal(err)
	}
	want := Erased{Kept: 1, Written: 1, Events: 2, Requests: 1, Aliases: 1, Checkpointed: true}
	if got != want {
		t.Fatalf("erased %+v, want %+v", got, want)
	}
	rev, err := l.RevokedPatients(ctx)
	if err != nil || rev == nil {
		t.Fatal(err)
	}
	defer rev.Close()
	for _, d := range []uint64{11, 22} {
		if from, ok, err := rev.Get(d); err != nil || !ok || from != 0 {
			t.Errorf("patient %d: remembered %v from %d (%v); want withdrawn from every appointment", d, ok, from, err)
		}
	}
	dests := map[platform.Platform]Destination{platform.Meta: meta}
	if n := filterPasses(t, l, dests, platform.Meta, t0, other); n != 0 {
		t.Error("the other patient's event, in a request with an erased one, is no longer known as sent")
	}
	var n int
	if err := l.db.QueryRowContext(ctx, `SELECT count(*) FROM requests`).Scan(&n); err != nil || n != 1 {
		t.Fatalf("%d requests left (%v), want 1", n, err)
	}
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	file := ledgerBytes(t, path)
	for i, id := range hers {
		p := packed(t, id)
		if bytes.Contains(file, p[:]) || bytes.Contains(file, []byte(id)) {
			t.Errorf("erased event %d is still readable in the ledger's files", i)
		}
	}
	if o := packed(t, other[0]); !bytes.Contains(file, o[:]) {
		t.Error("the other patient's event is gone from the file")
	}
}
