package keyset

import "testing"

// TestWriteRunCrossesItsBuffer: writeRun appends each key in its
// bufio.Writer's own buffer (AvailableBuffer) and flushes when fewer than
// eight bytes are left, rather than writing from an [8]byte of its frame
// (docs/performance.md). A run longer than the 64 KiB buffer (8192 keys)
// crosses that boundary several times; every key must read back in order,
// and the run must index every blockKeys-th.
func TestWriteRunCrossesItsBuffer(t *testing.T) {
	s := New(t.TempDir(), Sizes{})
	const n = 3*8192 + 5
	i := uint64(0)
	r, err := s.writeRun(func() (uint64, bool, error) {
		if i == n {
			return 0, false, nil
		}
		i++
		return i * 0x9E3779B9, true, nil
	})
	if err != nil {
		t.Fatal(err)
	}
	defer r.file.Close()
	if r.keys != n || len(r.index) != (n+blockKeys-1)/blockKeys || r.last != n*0x9E3779B9 {
		t.Fatalf("run of %d keys, %d index entries, last %#x", r.keys, len(r.index), r.last)
	}
	want := uint64(0)
	if err := r.each(func(k uint64) {
		if want++; k != want*0x9E3779B9 {
			t.Fatalf("key #%d: %#x, want %#x", want, k, want*0x9E3779B9)
		}
	}); err != nil {
		t.Fatal(err)
	}
	if want != n {
		t.Fatalf("read %d keys back, want %d", want, n)
	}
}
