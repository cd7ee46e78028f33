package channels

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"
)

// TestLoadKeyFirstUseAtOnce: reports started at once on a new
// installation all end up with the one key the first of them created —
// mode 0600, whole, no temporary file left beside it.
func TestLoadKeyFirstUseAtOnce(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "state")
	keys := make([][]byte, 8)
	errs := make([]error, 8)
	var wg sync.WaitGroup
	for i := range keys {
		wg.Go(func() { keys[i], errs[i] = LoadKey(dir) })
	}
	wg.Wait()
	for i := range keys {
		if errs[i] != nil || len(keys[i]) != keySize || !bytes.Equal(keys[i], keys[0]) {
			t.Fatalf("report %d: %d-byte key, %v; want the first report's", i, len(keys[i]), errs[i])
		}
	}
	ents, _ := os.ReadDir(dir)
	fi, err := os.Stat(filepath.Join(dir, KeyFile))
	if len(ents) != 1 || err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("%d entries in the state directory, key mode %v (%v); want the key alone, 0600", len(ents), fi.Mode().Perm(), err)
	}
}

// TestRecordKeyerIsRecordKey: the keyers the pipeline's workers make give
// the releaser's own record keys, from goroutines of their own at once
// (under -race: no shared hash).
func TestRecordKeyerIsRecordKey(t *testing.T) {
	rel := NewReleaser([]byte("0123456789abcdef0123456789abcdef"))
	var wg sync.WaitGroup
	errs := make(chan string, 4)
	for w := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			k := rel.RecordKeyer()
			for i := range 500 {
				id := fmt.Sprintf("%032x", i*7+w)
				if got, want := k(id), rel.RecordKey(id); got != want {
					errs <- fmt.Sprintf("%s: keyer %x, RecordKey %x", id, got, want)
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
}
