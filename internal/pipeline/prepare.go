package pipeline

// prepare has the run's sink prepare each of the row's conversions ahead
// (sink.Preparer), on the goroutine that decided the row: the review CSV
// renders its line here, so its hex and quoting run on every core while
// the export is read, and the row is held (record.go) as those bytes
// rather than as the conversion's fields, which settling after the end of
// the export would decode again. A conversion the sink cannot prepare
// keeps Prepared nil and is held and written whole.
//
// The bytes live in the runner until its next row: chunk.keep copies them
// into the chunk, and the sequential path encodes the row before the
// next one is decided.
func (r *runner) prepare(o *outcome) {
	if r.prep == nil {
		return
	}
	r.pbuf, r.pend = r.pbuf[:0], r.pend[:0]
	for _, cv := range o.convs {
		cv.Prepared = nil
		if b, ok := r.prep.Prepare(r.pbuf, cv); ok {
			r.pbuf = b
			r.pend = append(r.pend, len(b))
		} else {
			r.pend = append(r.pend, -1)
		}
	}
	// Slices are taken once pbuf has stopped growing.
	start := 0
	for k, cv := range o.convs {
		if end := r.pend[k]; end >= 0 {
			cv.Prepared = r.pbuf[start:end:end]
			start = end
		}
	}
}
