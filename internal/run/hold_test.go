package run

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hashgate/hashgate/internal/config"
	"github.com/hashgate/hashgate/internal/conversion"
	"github.com/hashgate/hashgate/internal/destination"
	"github.com/hashgate/hashgate/internal/identifier"
	"github.com/hashgate/hashgate/internal/platform"
)

// countingClient accepts every batch and counts the events it was sent.
type countingClient struct {
	p    platform.Platform
	mu   sync.Mutex
	sent int
	ids  map[string]int
}

func (c *countingClient) Platform() identifier.Platform                      { return c.p }
func (c *countingClient) MaxBatch() int                                      { return 2000 }
func (c *countingClient) Preflight(*conversion.Conversion, time.Time) string { return "" }
func (c *countingClient) Send(_ context.Context, batch []*conversion.Conversion) (destination.Receipt, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, cv := range batch {
		c.sent++
		c.ids[string(cv.EventID)]++
	}
	return destination.Receipt{Accepted: len(batch)}, nil
}

// uploadSetup is an upload of both platforms into counting clients, in
// batches of 500, with a ledger of its own.
func uploadSetup(t *testing.T) (*Env, *config.Config, map[platform.Platform]*countingClient) {
	env, _, _ := testEnv(t, "")
	clients := map[platform.Platform]*countingClient{}
	env.NewClient = func(_ context.Context, _ *config.Config, p platform.Platform) (destination.Client, error) {
		c := &countingClient{p: p, ids: map[string]int{}}
		clients[p] = c
		return c, nil
	}
	env.Sleep = func(ctx context.Context, _ time.Duration) error { return ctx.Err() }
	cfg := testConfig(t)
	cfg.Secret = "hold-test-secret-9Qw2Er7Ty4Ui1Op6As3Df"
	cfg.Ledger.Path = filepath.Join(t.TempDir(), "ledger.db")
	cfg.Destinations.Google.OperatingAccount, cfg.Destinations.Google.ConversionActionID = "123-456-7890", "555000111"
	cfg.Destinations.Meta.DatasetID = "998877"
	cfg.Destinations.Google.BatchSize, cfg.Destinations.Meta.BatchSize = 500, 500
	cfg.Conversion.Value, cfg.Conversion.FixedValue, cfg.Conversion.Currency = config.ValueFixed, 1000, "TWD"
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	return env, cfg, clients
}

// heldExport writes n consented visits of distinct patients, then, when
// revokeFirst, a last row revoking the first visit's order.
func heldExport(n int, revokeFirst bool) []byte {
	var b bytes.Buffer
	b.WriteString("id,at,email,phone,consent\n")
	for i := range n {
		fmt.Fprintf(&b, "A%05d,2026-11-22 %02d:%02d,zqheld%d@example.com,,yes\n", i, i/60%24, i%60, i)
	}
	if revokeFirst {
		b.WriteString("A00000,2026-11-22 00:00,zqheld0@example.com,,revoked\n")
	}
	return b.Bytes()
}

// TestRewriteDuringTheReadSendsNothing: the export is rewritten in place
// while the run reads it — after the first rows went by, with
// many batches of 500 still to fill — so that a revocation appears, or rows
// change, or the file grows. The run stops on the changed export and not
// one event reaches either platform (issue 22 point 3: before the hold, a
// revoked patient's visit reached both platforms).
func TestRewriteDuringTheReadSendsNothing(t *testing.T) {
	t.Cleanup(func() { duringRead = nil })
	for _, how := range []string{"revoke", "same-size-other-bytes", "append"} {
		t.Run(how, func(t *testing.T) {
			env, cfg, clients := uploadSetup(t)
			path := filepath.Join(t.TempDir(), "export.csv")
			body := heldExport(20000, false) // over the read buffer: the run reads it in several calls
			if err := os.WriteFile(path, body, 0o600); err != nil {
				t.Fatal(err)
			}
			rewritten := false
			duringRead = func(string) {
				if rewritten {
					return
				}
				rewritten = true
				var nb []byte
				switch how {
				case "revoke":
					nb = heldExport(20000, true)
				case "same-size-other-bytes":
					nb = bytes.Replace(body, []byte("zqheld19999@"), []byte("zqheld99999@"), 1)
				case "append":
					nb = append(append([]byte{}, body...), "B1,2026-11-02 10:00,zqnew@example.com,,yes\n"...)
				}
				// In place: the same inode, as an export tool that
				// rewrites its file does; the modification time is
				// kept where the size is, so only the hash can tell.
				st, _ := os.Stat(path)
				f, err := os.OpenFile(path, os.O_WRONLY|os.O_TRUNC, 0)
				if err != nil {
					t.Error(err)
					return
				}
				f.Write(nb)
				f.Close()
				if len(nb) == len(body) {
					os.Chtimes(path, st.ModTime(), st.ModTime())
				}
			}
			err := Upload(context.Background(), env, UploadRequest{Config: cfg, Input: path})
			if !rewritten {
				t.Fatal("the hook never ran: the test proves nothing")
			}
			if !errors.Is(err, ErrExportChanged) {
				t.Fatalf("err %v, want the run stopped on a changed export", err)
			}
			for p, c := range clients {
				if c.sent != 0 {
					t.Errorf("%s received %d events from an export that changed during the read", p, c.sent)
				}
			}
			if strings.Contains(err.Error(), "zq") {
				t.Errorf("the error carries a cell: %v", err)
			}
		})
	}
	duringRead = nil
	// Unchanged, the same upload sends every visit once to each platform,
	// through the spill file when the hold is small.
	sent := map[platform.Platform]int{platform.Google: -1, platform.Meta: -1}
	for _, limit := range []int{0, 256} {
		env, cfg, clients := uploadSetup(t)
		path := filepath.Join(t.TempDir(), "export.csv")
		os.WriteFile(path, heldExport(2000, false), 0o600)
		holdLimit = limit
		err := Upload(context.Background(), env, UploadRequest{Config: cfg, Input: path})
		holdLimit = 0
		if err != nil {
			t.Fatalf("hold of %d bytes: %v", limit, err)
		}
		// Meta takes every visit; Google, by its health-data default,
		// only those with a click id (none here): whatever each platform
		// takes, it takes it once, the same through memory or the spill.
		for p, c := range clients {
			if c.sent != len(c.ids) || sent[p] >= 0 && c.sent != sent[p] {
				t.Errorf("hold of %d bytes: %s got %d events, %d distinct (memory-only hold: %d)", limit, p, c.sent, len(c.ids), sent[p])
			}
			sent[p] = c.sent
		}
		if clients[platform.Meta].sent != 2000 {
			t.Errorf("hold of %d bytes: meta got %d events, want 2000", limit, clients[platform.Meta].sent)
		}
	}
}

// TestAFileRenamedIntoThePlaceChangesNothing: another file is renamed
// over the export while the run reads it (cp export.csv new.csv; mv
// new.csv export.csv). The run reads the file it opened, whole, and sends
// it: the kernel sets the opened file's change time when its last name
// goes, which is no write (a review: the run stopped as on a changed
// export, against README's "changes nothing").
func TestAFileRenamedIntoThePlaceChangesNothing(t *testing.T) {
	t.Cleanup(func() { duringRead = nil })
	env, cfg, clients := uploadSetup(t)
	dir := t.TempDir()
	path := filepath.Join(dir, "export.csv")
	body := heldExport(20000, false)
	if err := os.WriteFile(path, body, 0o600); err != nil {
		t.Fatal(err)
	}
	renamed := false
	duringRead = func(string) {
		if renamed {
			return
		}
		renamed = true
		time.Sleep(10 * time.Millisecond) // a change time the check can tell from the open's
		other := filepath.Join(dir, "new.csv")
		if err := os.WriteFile(other, body, 0o600); err != nil {
			t.Error(err)
			return
		}
		if err := os.Rename(other, path); err != nil {
			t.Error(err)
		}
	}
	err := Upload(context.Background(), env, UploadRequest{Config: cfg, Input: path})
	if !renamed {
		t.Fatal("the hook never ran: the test proves nothing")
	}
	if err != nil {
		t.Fatalf("a file renamed into the export's place stopped the run: %v", err)
	}
	if got := clients[platform.Meta].sent; got != 20000 {
		t.Errorf("meta got %d events, want 20000", got)
	}
}

// TestAnUnlinkedExportThatShrankStops: the export is cut short while it
// is read, then its name removed: a link count of 0 excuses the change
// time only when nothing else says the file changed — here its size and
// the bytes read do — so the run stops.
func TestAnUnlinkedExportThatShrankStops(t *testing.T) {
	t.Cleanup(func() { duringRead = nil })
	env, cfg, clients := uploadSetup(t)
	path := filepath.Join(t.TempDir(), "export.csv")
	body := heldExport(20000, false)
	if err := os.WriteFile(path, body, 0o600); err != nil {
		t.Fatal(err)
	}
	done := false
	duringRead = func(string) {
		if done {
			return
		}
		done = true
		if err := os.Truncate(path, int64(len(body)/2)); err != nil {
			t.Error(err)
		}
		os.Remove(path)
	}
	err := Upload(context.Background(), env, UploadRequest{Config: cfg, Input: path})
	if !errors.Is(err, ErrExportChanged) {
		t.Fatalf("err %v, want the run stopped on a changed export", err)
	}
	for p, c := range clients {
		if c.sent != 0 {
			t.Errorf("%s received %d events", p, c.sent)
		}
	}
}
