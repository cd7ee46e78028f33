package channels

import (
	"context"
	"hash/maphash"

	"github.com/hashgate/hashgate/internal/celltext"
	"github.com/hashgate/hashgate/internal/export"
)

// Reading ahead. The channel report counts rows on one goroutine (count:
// what an order is, is decided once every row is read), and under the
// release rule each row's order and patient take a record key, a keyed
// HMAC-SHA-256 (release.go) — two a row, a third of the report's
// instructions (callgrind, 100k rows of bench-channels' export), which
// queued behind everything else the counting does. A goroutine of its
// own now reads the rows in batches and makes their record keys with a
// keyed hash of its own, while the counter counts the batch before: the
// same keys (recordKey's own message, the same key), asked for by the
// same strings, so the report is byte for byte the one counted row by
// row (TestReadAheadCountsAsRowByRow), and count still asks recordKey
// for any id the reader did not key.

// readAheadRows is how many rows a batch holds; readAheadBatches how
// many batches are in flight (one counted, one read, one waiting): memory
// is a few batches of rows, whatever the export holds. Variables so that
// tests can make batches of one row or a few.
var readAheadRows, readAheadBatches = 512, 3

// readAheadKeys off makes the reader key nothing (tests: count then keys
// every row itself, as before reading ahead).
var readAheadKeys = true

// aheadBatch is a batch of rows read ahead and their record keys.
type aheadBatch struct {
	rows  []export.Row
	keys  []aheadKeys
	cells []string
	// err is what the reader returned after the batch's last row
	// (io.EOF at the end of the export), nil when the batch is full.
	err error
}

// aheadKeys is one row's record keys as read ahead: the order id (folded,
// as count folds it) and the patient key, and their keys; ok false when
// none was made.
type aheadKeys struct {
	order, patient     string
	orderKey, patKey   uint64
	orderOK, patientOK bool
}

// readAhead reads rd's rows in batches on a goroutine of its own and
// keys them under rel on another (none when rel is nil; patients too when
// patients is set) — reading a row and keying it cost about the same, and
// on one goroutine they were the slower of the two stages — and returns
// the channel the batches arrive on, in the export's order, and done,
// which hands a counted batch back for reuse. stop ends both early (the
// counter stopped); the channel is closed after the batch that holds the
// reader's error or io.EOF, or once stopped.
func readAhead(ctx context.Context, rd *export.Reader, rel *releaser, patients bool, stop <-chan struct{}) (<-chan *aheadBatch, func(*aheadBatch)) {
	// Read once here: the reader may outlive the counter by a row (a
	// stop is not waited for), and must not read them after.
	batchRows, keys := readAheadRows, readAheadKeys
	free := make(chan *aheadBatch, readAheadBatches)
	for range readAheadBatches {
		free <- &aheadBatch{}
	}
	read := make(chan *aheadBatch, readAheadBatches)
	out := make(chan *aheadBatch, readAheadBatches)
	go func() {
		defer close(read)
		for {
			var b *aheadBatch
			select {
			case b = <-free:
			case <-stop:
				return
			}
			b.rows, b.keys, b.cells, b.err = b.rows[:0], b.keys[:0], b.cells[:0], ctx.Err()
			for len(b.rows) < batchRows && b.err == nil {
				if len(b.rows)&63 == 63 {
					// A stop or a cancel ends the reading within rows,
					// not a batch later (a review).
					select {
					case <-stop:
						return
					default:
					}
					if b.err = ctx.Err(); b.err != nil {
						break
					}
				}
				// Next, not NextTo: its cells are strings of their own,
				// which count may keep (a source word, a token), as it
				// did reading row by row; only the row's cell headers
				// are detached into the batch.
				var row export.Row
				if row, b.err = rd.Next(); b.err != nil {
					break
				}
				row, b.cells = row.DetachTo(b.cells)
				b.rows = append(b.rows, row)
			}
			if !send(read, b, stop) || b.err != nil {
				return
			}
		}
	}()
	var own *releaser
	if rel != nil {
		own = &releaser{key: rel.key, spread: rel.spread, amounts: rel.amounts}
	}
	go func() {
		defer close(out)
		for b := range read {
			for _, row := range b.rows {
				b.keys = append(b.keys, own.keysOf(row, patients, keys))
			}
			if !send(out, b, stop) {
				for range read { // let the reader see stop
				}
				return
			}
		}
	}()
	return out, func(b *aheadBatch) { free <- b }
}

// send sends b on ch unless stop is closed first.
func send(ch chan<- *aheadBatch, b *aheadBatch, stop <-chan struct{}) bool {
	select {
	case ch <- b:
		return true
	case <-stop:
		return false
	}
}

// key is an order's or a patient's 64-bit key: under a release key, its
// record key (a keyed HMAC, the same in every run, release.go); for exact
// figures the run's seeded hash, which is cheaper. Either groups the rows
// of one order, and one patient's visits.
func (c *counter) key(kind byte, id string) uint64 {
	if c.t.rel != nil {
		if a := c.ahead; a != nil {
			switch {
			case kind == recordBooking && a.orderOK && a.order == id:
				return a.orderKey
			case kind == recordPatient && a.patientOK && a.patient == id:
				return a.patKey
			}
		}
		c.t.keyedLate++
		return c.t.rel.recordKey(kind, id)
	}
	return maphash.String(c.seed, id)
}

// keysOf makes row's record keys as count asks for them: its order id
// folded (celltext.Fold), and its patient key when the report reads
// patients. A nil r (exact figures: count's seeded hash is cheap) makes
// none. Rows count leaves out before asking cost a key or two for
// nothing; the keys are the same whoever asks.
func (r *releaser) keysOf(row export.Row, patients, keys bool) aheadKeys {
	var k aheadKeys
	if r == nil || !keys || row.Refused() != nil || row.Malformed() {
		return k
	}
	if order, ok := row.Key(export.OrderID); ok {
		if k.order = celltext.Fold(order); k.order != "" {
			k.orderKey, k.orderOK = r.recordKey(recordBooking, k.order), true
		}
	}
	if pk := row.Get(export.PatientKey); pk != "" && patients {
		k.patient, k.patKey, k.patientOK = pk, r.recordKey(recordPatient, pk), true
	}
	return k
}
