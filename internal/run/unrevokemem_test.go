package run

import (
	"context"
	"fmt"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/hashgate/hashgate/internal/eventid"
	"github.com/hashgate/hashgate/internal/ledger"
	"github.com/hashgate/hashgate/internal/pipeline"
)

// TestUnrevokeListStaysFlat: `ledger unrevoke --patients -` read the
// keys into a map and a slice of every listed patient's digests before
// it opened the ledger: 218 MB at 3M keys (memory review, session 21).
// When it opens the ledger (every key read), 150,000 listed patients now
// hold under 3 MB of heap, where they held about 6.5; and it still forgets
// the listed patients remembered — under their folded key, or as an older
// hashgate did under one spelling or two — counted once each.
func TestUnrevokeListStaysFlat(t *testing.T) {
	if testing.Short() {
		t.Skip("150,000 keys")
	}
	ctx := context.Background()
	cfg := testConfig(t)
	cfg.Input.Columns.PatientKey = "pk"
	cfg.Secret = "unrevoke-memory-test-secret-4Fq9Lx2Wm7Kp"
	d := eventid.NewDeriver(cfg.Secret)
	lpath := filepath.Join(t.TempDir(), "ledger.db")
	led, err := ledger.Open(ctx, lpath, ledger.Options{})
	if err != nil {
		t.Fatal(err)
	}
	// Remembered: P1 under its folded key, P2 as an older hashgate did
	// (LegacyDigest), QR3 so under two spellings, and Q9, not listed.
	legacy, _ := pipeline.LegacyDigest(d, "P2")
	qr3, _ := pipeline.LegacyDigest(d, "QR3")
	qR3, _ := pipeline.LegacyDigest(d, "Qr3")
	remembered := map[uint64]int64{pipeline.RememberedDigest(d, "P1"): 0, legacy: 0, qr3: 0, qR3: 0, pipeline.RememberedDigest(d, "Q9"): 0}
	if _, err := led.AddRevokedPatients(ctx, "20261123T020000Z-a1b2c3", func(add func(uint64, int64) error) error {
		for k, v := range remembered {
			if err := add(k, v); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if err := led.SetRevokedKey(ctx, d.RevokedKeyCheck("pk")); err != nil {
		t.Fatal(err)
	}
	led.Close()

	const n = 150_000
	var b strings.Builder
	b.WriteString("P1\np1\nP2\nQR3\nQr3\n")
	for i := range n {
		fmt.Fprintf(&b, "K%d\n", i)
	}
	list := b.String()
	env, _, _ := testEnv(t, list)
	var grew int64
	before := liveHeap()
	u, err := UnrevokePatients(ctx, env, cfg, lpath, "-", false, func() (*ledger.Ledger, error) {
		grew = int64(liveHeap()) - int64(before)
		return ledger.Open(ctx, lpath, ledger.Options{})
	})
	if err != nil {
		t.Fatal(err)
	}
	if u.Listed != n+3 || u.Forgot != 3 {
		t.Errorf("listed %d, forgot %d; want %d and 3", u.Listed, u.Forgot, n+3)
	}
	const bound = 3 << 20
	if grew > bound {
		t.Errorf("%d keys listed: %d KB of heap held when the ledger is opened; want at most %d KB", n, grew>>10, bound>>10)
	}
	runtime.KeepAlive(list)
}
