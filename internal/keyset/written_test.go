package keyset

import (
	"math"
	"math/bits"
	"math/rand/v2"
	"testing"
)

// TestSpillsRewriteEachKeyFewTimes: a key written by a spill is written
// again by the merges after it at most about log4(spills) times, and the
// runs stay few. As a binary counter merged them (two runs of a size
// became one), each key was rewritten about log2(spills) times: the set
// of the export's order rows (pipeline's orderRows, three keys a row and
// platform) spilled 18 times on the 1M-row bench export and its merges
// wrote about 85 of its keys' bytes again for every one its spills wrote,
// 140 of the upload's 422 bytes a conversion (make bench-upload, issue 29).
func TestSpillsRewriteEachKeyFewTimes(t *testing.T) {
	s := New(t.TempDir(), Sizes{BloomBits: 1 << 20, TableSlots: 1 << 8})
	defer s.Close()
	r := rand.New(rand.NewPCG(5, 6))
	spills, most := 0, 0
	for s.fileKeys < 50000 {
		before := s.fileKeys
		if _, err := s.Seen(r.Uint64()|1, true); err != nil {
			t.Fatal(err)
		}
		if s.fileKeys != before {
			spills++
			most = max(most, len(s.runs))
		}
	}
	// Four, not mergeFanout: a fanout set back to two must fail here.
	levels := int(math.Ceil(math.Log(float64(spills)) / math.Log(4)))
	perKey := float64(s.written) / float64(s.fileKeys)
	t.Logf("%d spills: %d keys on disk written %.2f times each; %d runs, at most %d", spills, s.fileKeys, perKey, len(s.runs), most)
	if limit := float64(1 + levels); perKey > limit {
		t.Errorf("%d spills wrote each key %.2f times, want at most %.0f (one spill, then one merge of four runs a level)", spills, perKey, limit)
	}
	if limit := 3 * (levels + 1); most > limit {
		t.Errorf("%d spills left up to %d runs, want at most %d (three a level)", spills, most, limit)
	}
}

// TestAFullFilterKeepsRunsFew: once the keys on disk outgrow the filter
// (a 10M-row export's order rows: 28M keys against its 4 MiB), nearly
// every lookup reads a block of each run, and spill merges pairs again:
// the runs stay as few as a binary counter keeps them. Four a size
// throughout made a 12M-key set read 46% more blocks (9.7M against 6.6M),
// 27 s against 19.
func TestAFullFilterKeepsRunsFew(t *testing.T) {
	s := New(t.TempDir(), Sizes{BloomBits: 1 << 12, TableSlots: 1 << 8})
	defer s.Close()
	r := rand.New(rand.NewPCG(7, 8))
	spills, most, sum := 0, 0, 0
	for s.fileKeys < 50000 {
		before := s.fileKeys
		if _, err := s.Seen(r.Uint64()|1, true); err != nil {
			t.Fatal(err)
		}
		if s.fileKeys != before {
			spills++
			most = max(most, len(s.runs))
			sum += len(s.runs)
		}
	}
	mean := float64(sum) / float64(spills)
	t.Logf("%d spills: runs %.2f on average, at most %d; keys written %.2f times each", spills, mean, most, float64(s.written)/float64(s.fileKeys))
	// A binary counter: at most one run a bit of spills, about half of
	// them set on average (log2(326) = 8.3: 4.0 on average, 8 at most).
	if limit := bits.Len(uint(spills)); most > limit {
		t.Errorf("%d spills left up to %d runs, want at most %d (one a bit)", spills, most, limit)
	}
	if limit := float64(bits.Len(uint(spills)))/2 + 0.5; mean > limit {
		t.Errorf("%d spills: %.2f runs on average, want at most %.2f", spills, mean, limit)
	}
}
