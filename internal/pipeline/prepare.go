package pipeline

// prepare has the run's sink prepare each of the row's conversions ahead
// (sink.Preparer), on the goroutine that decided the row: the review CSV
// renders its line here, so its hex and quoting run on every core while
// the export is read, and the row is held (record.go) as those bytes
// rather than as the conversion's fields, which settling after the end of
// the export would decode again. A conversion the sink cannot prepare
// keeps Prepared nil and is held and written whole.
//
// The sequential path prepares into the runner's own buffer (pbuf),
// valid until its next row: it encodes the row before the next one is
// decided. The workers prepare straight into their chunk's storage
// (prepareTo): copying each line there afterwards was a tenth of a
// dry-run's memmove (issue 29).
func (r *runner) prepare(o *outcome) {
	r.pbuf = r.prepareTo(r.pbuf[:0], o)
}

// prepareTo prepares o's conversions, appending their bytes to buf in
// the order of o.convs, and returns buf. Each prepared conversion's
// Prepared is its bytes in the returned buf (valid until buf grows
// again); one the sink cannot prepare keeps Prepared nil.
func (r *runner) prepareTo(buf []byte, o *outcome) []byte {
	if r.prep == nil {
		return buf
	}
	from := len(buf)
	r.pend = r.pend[:0]
	for _, cv := range o.convs {
		cv.Prepared = nil
		if b, ok := r.prep.Prepare(buf, cv); ok {
			buf = b
			r.pend = append(r.pend, len(b))
		} else {
			r.pend = append(r.pend, -1)
		}
	}
	// Slices are taken once buf has stopped growing.
	start := from
	for k, cv := range o.convs {
		if end := r.pend[k]; end >= 0 {
			cv.Prepared = buf[start:end:end]
			start = end
		}
	}
	return buf
}
