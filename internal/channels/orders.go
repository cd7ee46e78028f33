package channels

import (
	"cmp"
	"encoding/binary"
	"math"

	"github.com/hashgate/hashgate/internal/export"
)

// amount is money in ten-thousandths of the report's currency. Sums of
// amounts are exact and so do not depend on the order they are added in,
// which float64 sums do (the permutation test compares bytes).
type amount int64

// toAmount rounds v (at most spend.MaxAmount, so the product fits).
func toAmount(v float64) amount { return amount(math.Round(v * 1e4)) }

func (a amount) float() float64 { return float64(a) / 1e4 }

// outcome is what became of an appointment, ranked for ties: when two
// rows of one order share the latest appointment time, a visit beats a
// no-show beats a cancellation beats any other status.
type outcome uint8

const (
	outUnclassified outcome = iota // a status listed nowhere
	outCancelled
	outNoShow
	outVisit
	outPending // decided by --as-of, never read from a row
)

// orderRow is one row's claim on its order: the row with the latest
// appointment time decides the booking's day, channel, outcome and value.
type orderRow struct {
	key     uint64 // order id under the run's seed
	at      int64  // appointment, unix seconds
	tie     uint64 // fnv64a of the row's cells: the last tie-break, the same in any row order
	patient uint64 // patient key under the run's seed, when hasPatient
	value   amount
	booked  int64 // input.columns.booked_at, unix seconds, when hasBooked
	channel int32
	word    int32 // index of the unmatched source word, -1 for none
	outcome outcome
	flags   uint8
}

const (
	hasPatient uint8 = 1 << iota
	hasValue
	hasBooked
)

// contributor is whose amount the order's visit is, for the release
// rule's noise: its patient's record key, or — without one — its own.
func (r *orderRow) contributor() uint64 {
	if r.flags&hasPatient != 0 {
		return r.patient
	}
	return r.key
}

const orderRowSize = 8*6 + 4 + 4 + 1 + 1

// defaultOrderBuffer: 1<<15 rows, about 2 MiB, before the rows spill to
// disk. It was 1<<17 (7.5 MiB): with the visit buffer beside it, the
// two were most of the channel report's live heap on a 1M-row export
// (`make bench-channels`), and a quarter of the size costs only more,
// shorter runs to merge (1M rows: 31 runs of 1<<15 against 8).
const defaultOrderBuffer = 1 << 15

var orderCodec = codec[orderRow]{
	size: orderRowSize, what: "order",
	enc: func(b []byte, r orderRow) {
		le := binary.LittleEndian
		le.PutUint64(b[0:], r.key)
		le.PutUint64(b[8:], uint64(r.at))
		le.PutUint64(b[16:], r.tie)
		le.PutUint64(b[24:], r.patient)
		le.PutUint64(b[32:], uint64(r.value))
		le.PutUint64(b[40:], uint64(r.booked))
		le.PutUint32(b[48:], uint32(r.channel))
		le.PutUint32(b[52:], uint32(r.word))
		b[56], b[57] = byte(r.outcome), r.flags
	},
	dec: func(b []byte) orderRow {
		le := binary.LittleEndian
		return orderRow{
			key: le.Uint64(b[0:]), at: int64(le.Uint64(b[8:])), tie: le.Uint64(b[16:]), patient: le.Uint64(b[24:]),
			value: amount(le.Uint64(b[32:])), booked: int64(le.Uint64(b[40:])), channel: int32(le.Uint32(b[48:])),
			word: int32(le.Uint32(b[52:])), outcome: outcome(b[56]), flags: b[57],
		}
	},
	// By order, then the deciding row first: the latest appointment, then
	// the better outcome, then the larger row hash.
	cmp: func(a, b orderRow) int {
		switch {
		case a.key != b.key:
			return cmp.Compare(a.key, b.key)
		case a.at != b.at:
			return -cmp.Compare(a.at, b.at)
		case a.outcome != b.outcome:
			return -cmp.Compare(a.outcome, b.outcome)
		}
		return -cmp.Compare(a.tie, b.tie)
	},
}

// rowHash is the row's bytes as a fixed 64-bit hash (FNV-1a, the same in
// every run, unlike the seeded keys): equal rows tie, and any two that
// differ are ordered the same way whatever order the export lists them in.
// Written out rather than through hash/fnv, which would copy every cell.
func rowHash(row export.Row) uint64 {
	const offset, prime = 14695981039346656037, 1099511628211
	h := uint64(offset)
	for _, c := range row.Cells() {
		for i := 0; i < len(c); i++ {
			h ^= uint64(c[i])
			h *= prime
		}
		h *= prime // a separator, so cells "ab","c" and "a","bc" differ
	}
	return h
}
