package pipeline

import "context"

// heldBatch is a run of held rows read back and decoded ahead of the
// settling: their records (copied out of the spool, as a prepared
// conversion's bytes are part of its record), outcomes, skips and
// conversions. Batches are recycled, so memory stays flat.
type heldBatch struct {
	recs  []byte
	ends  []int
	rows  []heldRow
	skips []string // len(rows) × platforms
	convs convStore
	err   error // reading back stopped after these rows
}

type heldRow struct {
	line   int
	expect string
	o      outcome
}

const (
	heldBatchRows  = 512
	heldBatchBytes = 256 << 10
)

// decodeHeld reads the held rows back in batches, decodes them and
// sends them to out, in order, taking recycled batches from free. It
// closes out when done; an error (reading back, a malformed record, ctx)
// comes with the last batch as well as being returned.
func (s *settler) decodeHeld(ctx context.Context, out chan<- *heldBatch, free <-chan *heldBatch) error {
	defer close(out)
	nplat := len(s.platforms)
	var cur *heldBatch
	send := func(err error) error {
		if cur == nil {
			cur = &heldBatch{}
		}
		// The records before an error reading back are whole: they are
		// settled, and the error stops the run after them.
		if derr := s.decodeBatch(cur, nplat); err == nil {
			err = derr
		}
		cur.err = err
		select {
		case out <- cur:
		case <-ctx.Done():
			if err == nil {
				err = ctx.Err()
			}
		}
		cur = nil
		return err
	}
	err := s.held.Replay(ctx, func(rec []byte) error {
		if cur == nil {
			select {
			case cur = <-free:
				cur.recs, cur.ends, cur.err = cur.recs[:0], cur.ends[:0], nil
			default:
				cur = &heldBatch{}
			}
		}
		cur.recs = append(cur.recs, rec...)
		cur.ends = append(cur.ends, len(cur.recs))
		if len(cur.ends) >= heldBatchRows || len(cur.recs) >= heldBatchBytes {
			return send(nil)
		}
		return nil
	})
	if err != nil || cur != nil {
		return send(err)
	}
	return nil
}

// decodeBatch decodes b's records into its rows.
func (s *settler) decodeBatch(b *heldBatch, nplat int) error {
	n := len(b.ends)
	for len(b.rows) < n {
		b.rows = append(b.rows, heldRow{})
	}
	b.rows = b.rows[:n]
	if cap(b.skips) < n*nplat {
		b.skips = make([]string, n*nplat)
	}
	b.skips = b.skips[:n*nplat]
	b.convs.reset()
	start := 0
	var err error
	for i, end := range b.ends {
		h := &b.rows[i]
		if h.line, h.expect, err = s.rec.decode(b.recs[start:end:end], &h.o, b.skips[i*nplat:(i+1)*nplat], &b.convs); err != nil {
			b.rows = b.rows[:i] // the rows before it are settled
			break
		}
		start = end
	}
	for i := range b.rows {
		b.convs.link(&b.rows[i].o)
	}
	return err
}
