package keyset

import (
	"fmt"
	"slices"
)

// Repeats finds the keys added more than once, in memory that does not
// grow with them: the keys are appended to a fixed array, which is sorted
// and written to disk as a run of its distinct keys when full; once every
// key is added (Finish), the runs and the last array are merged in one
// pass, and a key met twice — in one array or in two — goes to a Set.
//
// A Set answers at once whether a key was added before, which costs a
// table probe and, once it spilled, a few filter bits and sometimes a
// disk read, each a cache miss: 1 CPU-s of the 1M-row bench export's 3
// (issue 29) for the orders' keys, when the run only needs to know,
// after the read, which orders have more than one row. Appending and
// sorting cost a fraction of it.
type Repeats struct {
	dir   string
	keys  *Keys
	runs  []run
	out   *Set
	added int
	err   error
}

// repeatsChunk is how many keys the array holds: 2 MiB, as a Set's table.
const repeatsChunk = defaultTableSlots

// chunkKeys is repeatsChunk, or less for tests (ShrinkDefaults' table).
func chunkKeys() int {
	if d := defaults.Load(); d != nil && d.TableSlots != 0 {
		return int(d.TableSlots)
	}
	return repeatsChunk
}

// NewRepeats returns an empty Repeats whose runs go to dir ("" is the
// system temp directory).
func NewRepeats(dir string) *Repeats {
	// The whole array at once: a mapping's pages cost memory only when
	// written, and growing it by doubling copied it and held the old and
	// the new one together (peak RSS, issue 29).
	return &Repeats{dir: dir, keys: NewKeys(chunkKeys()), out: New(dir, Sizes{})}
}

// Add adds key.
func (r *Repeats) Add(key uint64) error {
	if r.err != nil {
		return r.err
	}
	r.keys.Append(key)
	r.added++
	if len(r.keys.Slice()) >= chunkKeys() {
		r.err = r.spill()
	}
	return r.err
}

// distinct sorts the array and compacts it to its distinct keys, in
// place, adding to out those it held more than once.
func (r *Repeats) distinct() ([]uint64, error) {
	ks := r.keys.Slice()
	sortKeys(ks)
	n := 0
	for i := 0; i < len(ks); {
		j := i + 1
		for j < len(ks) && ks[j] == ks[i] {
			j++
		}
		if j-i > 1 {
			if _, err := r.out.Seen(ks[i], true); err != nil {
				return nil, err
			}
		}
		ks[n] = ks[i]
		n++
		i = j
	}
	return ks[:n], nil
}

// spill writes the array's distinct keys to a run and empties it.
func (r *Repeats) spill() error {
	ks, err := r.distinct()
	if err != nil {
		return err
	}
	rn, err := writeRun(r.dir, sliceReader(ks))
	if err != nil {
		return fmt.Errorf("repeated keys: %w", err)
	}
	r.runs = append(r.runs, rn)
	r.keys.Truncate(0)
	// Runs merge as a binary counter's bits carry, as a Set's do: about
	// log2 of the spills stay open, not one file (and, in Finish, one
	// reader) a spill — a 100M-row export held hundreds of descriptors
	// (the session-28 review).
	for n := len(r.runs); n >= 2 && r.runs[n-2].keys <= r.runs[n-1].keys; n = len(r.runs) {
		merged, err := r.merge(&r.runs[n-2], &r.runs[n-1])
		if err != nil {
			return err
		}
		r.runs[n-2].file.Close()
		r.runs[n-1].file.Close()
		r.runs[n-1] = run{}
		r.runs = append(r.runs[:n-2], merged)
	}
	return nil
}

// merge writes the distinct keys of a and b, which share none of their
// own, to a new run, adding to out the keys both hold.
func (r *Repeats) merge(a, b *run) (run, error) {
	na, nb := a.reader(), b.reader()
	ka, okA, err := na()
	if err != nil {
		return run{}, err
	}
	kb, okB, err := nb()
	if err != nil {
		return run{}, err
	}
	rn, err := writeRun(r.dir, func() (k uint64, ok bool, err error) {
		switch {
		case okA && okB && ka == kb:
			k = ka
			if _, err = r.out.Seen(k, true); err == nil {
				if ka, okA, err = na(); err == nil {
					kb, okB, err = nb()
				}
			}
		case okA && (!okB || ka < kb):
			k = ka
			ka, okA, err = na()
		case okB:
			k = kb
			kb, okB, err = nb()
		default:
			return 0, false, nil
		}
		return k, true, err
	})
	if err != nil {
		return run{}, fmt.Errorf("repeated keys: %w", err)
	}
	return rn, nil
}

// sliceReader gives ks's keys in order, as a run's reader does.
func sliceReader(ks []uint64) func() (uint64, bool, error) {
	i := 0
	return func() (uint64, bool, error) {
		if i == len(ks) {
			return 0, false, nil
		}
		i++
		return ks[i-1], true, nil
	}
}

// Finish returns the set of the keys added more than once, which the
// caller closes; r is done with (Close is then a no-op).
func (r *Repeats) Finish() (*Set, error) {
	out, err := r.finish()
	r.out = nil
	r.close()
	if err != nil {
		out.Close()
		return nil, err
	}
	return out, nil
}

func (r *Repeats) finish() (*Set, error) {
	if r.err != nil {
		return r.out, r.err
	}
	// The last array, made distinct in place, is the merge's last source.
	last, err := r.distinct()
	if err != nil {
		return r.out, err
	}
	if len(r.runs) == 0 {
		return r.out, nil // one source: its repeats are found already
	}
	next := make([]func() (uint64, bool, error), 0, len(r.runs)+1)
	for i := range r.runs {
		next = append(next, r.runs[i].reader())
	}
	next = append(next, sliceReader(last))
	head := make([]uint64, len(next))
	live := make([]bool, len(next))
	for i := range next {
		if head[i], live[i], err = next[i](); err != nil {
			return r.out, err
		}
	}
	for {
		m, n := -1, 0 // the source of the least next key, and how many have it
		for i := range head {
			switch {
			case !live[i]:
			case m < 0 || head[i] < head[m]:
				m, n = i, 1
			case head[i] == head[m]:
				n++
			}
		}
		if m < 0 {
			return r.out, nil
		}
		k := head[m]
		if n > 1 {
			if _, err := r.out.Seen(k, true); err != nil {
				return r.out, err
			}
		}
		for i := range head {
			if live[i] && head[i] == k {
				if head[i], live[i], err = next[i](); err != nil {
					return r.out, fmt.Errorf("repeated keys: %w", err)
				}
			}
		}
	}
}

func (r *Repeats) close() {
	r.keys.Close()
	for i := range r.runs {
		r.runs[i].file.Close()
	}
	r.runs = nil
}

// Close drops r without finishing it.
func (r *Repeats) Close() {
	r.close()
	if r.out != nil {
		r.out.Close()
		r.out = nil
	}
}

// sortKeys sorts ks as slices.Sort does, faster for the keyed digests
// Repeats holds, whose top byte is uniform: one in-place pass puts each
// key in the bucket of its top byte (an American flag sort's), then each
// bucket, a 256th of the array, is sorted where it fits the cache. On the
// settler's one goroutine, pdqsort of 262,144 keys was 2.3% of the 1M-row
// dry-run (issue 29). Skewed keys are sorted right, only more slowly.
func sortKeys(ks []uint64) {
	if len(ks) < 1<<12 {
		slices.Sort(ks)
		return
	}
	var end, next [256]int
	for _, k := range ks {
		end[k>>56]++
	}
	sum := 0
	for b := range end {
		next[b] = sum
		sum += end[b]
		end[b] = sum
	}
	start := next
	for b := range next {
		for next[b] < end[b] {
			k := ks[next[b]]
			if d := k >> 56; int(d) != b {
				ks[next[b]], ks[next[d]] = ks[next[d]], k
				next[d]++
				continue
			}
			next[b]++
		}
	}
	for b := range start {
		slices.Sort(ks[start[b]:end[b]])
	}
}
