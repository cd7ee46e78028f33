package spool

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"testing"
)

// TestReplayGivesBackWhatWasAppended: records come back in the order
// appended, byte for byte, whether they stayed in memory or went through
// the spill file (limits of 1 byte and 4 KiB), empty records included,
// each time it is replayed.
func TestReplayGivesBackWhatWasAppended(t *testing.T) {
	var in [][]byte
	for i := range 3000 {
		in = append(in, bytes.Repeat([]byte(fmt.Sprint(i%10)), i%300))
	}
	for _, limit := range []int{1 << 30, 4096, 1} {
		s := New(t.TempDir(), limit)
		for _, r := range in {
			if err := s.Append(r); err != nil {
				t.Fatal(err)
			}
		}
		if s.Len() != len(in) || s.Spilled() != (limit < 1<<30) {
			t.Fatalf("limit %d: len %d spilled %v", limit, s.Len(), s.Spilled())
		}
		for pass := range 2 { // a second Replay reads from the first record again
			i := 0
			err := s.Replay(context.Background(), func(rec []byte) error {
				if !bytes.Equal(rec, in[i]) {
					return fmt.Errorf("record %d came back as %q, want %q", i, rec, in[i])
				}
				i++
				return nil
			})
			if err != nil || i != len(in) {
				t.Fatalf("limit %d, pass %d: %v after %d of %d records", limit, pass+1, err, i, len(in))
			}
		}
		s.Close()
	}
}

// TestSpillFileLeavesNothingBehind: the spill file is unlinked as soon as
// it is made — the directory is empty while the spool holds records on disk.
func TestSpillFileLeavesNothingBehind(t *testing.T) {
	dir := t.TempDir()
	s := New(dir, 1)
	defer s.Close()
	if err := s.Append([]byte("hashed")); err != nil {
		t.Fatal(err)
	}
	if ents, _ := os.ReadDir(dir); len(ents) != 0 || !s.Spilled() {
		t.Fatalf("spilled %v, directory holds %v", s.Spilled(), ents)
	}
}

// TestReplayStopsOnCancel: a cancelled context stops a long replay.
func TestReplayStopsOnCancel(t *testing.T) {
	s := New("", 0)
	defer s.Close()
	for range 5000 {
		s.Append([]byte("x"))
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	n := 0
	if err := s.Replay(ctx, func([]byte) error { n++; return nil }); err == nil || n >= 5000 {
		t.Fatalf("err %v after %d records", err, n)
	}
}

// TestSpilledSpoolHoldsNoBuffer: once a spool has spilled, what follows
// goes straight to the file's writer and the memory buffer is let go, so
// a large run does not keep limit bytes live to its end (issue 29: peak
// RSS); the records still come back in order
// (TestReplayGivesBackWhatWasAppended).
func TestSpilledSpoolHoldsNoBuffer(t *testing.T) {
	s := New(t.TempDir(), 4096)
	defer s.Close()
	rec := bytes.Repeat([]byte("h"), 100)
	for range 1000 {
		if err := s.Append(rec); err != nil {
			t.Fatal(err)
		}
		if s.Spilled() && cap(s.mem) != 0 {
			t.Fatalf("spilled, the spool still holds a %d-byte buffer", cap(s.mem))
		}
	}
	if !s.Spilled() {
		t.Fatal("1000 records of 100 bytes did not spill at a 4 KiB limit")
	}
}

// TestSpilledAppendAllocatesNothing: once spilled, holding a record costs
// no allocation — every row of a large export is held, and an
// allocation a row is a collector cycle every few MB.
func TestSpilledAppendAllocatesNothing(t *testing.T) {
	s := New(t.TempDir(), 4096)
	defer s.Close()
	rec := bytes.Repeat([]byte("h"), 100)
	for !s.Spilled() {
		if err := s.Append(rec); err != nil {
			t.Fatal(err)
		}
	}
	if n := testing.AllocsPerRun(1000, func() {
		if err := s.Append(rec); err != nil {
			t.Fatal(err)
		}
	}); n != 0 {
		t.Errorf("Append allocates %.1f times a record once spilled", n)
	}
}
