package pipeline

// LeftOut is what an upload learns from the rows it does not send, for
// what the platforms already hold of them (package run): the span of the
// export's dated rows, and the rows a consent decision withdrew.
//
// The span is that of every row whose appointment time was read, excluded
// rows included: "no longer among its conversions" counts the events a
// platform holds dated within the export, and a visit cancelled or marked
// a no-show at either end of the export is still in it. Measured over the
// conversions alone, a night whose first and last visits were cancelled
// after upload reported neither.
type LeftOut struct {
	// First and Last are the earliest and latest appointment times read
	// (unix seconds); both 0 when no row was dated.
	First, Last int64
}

// dated widens the span with a row's appointment time (0: not read).
func (l *LeftOut) dated(at int64) {
	if at == 0 {
		return
	}
	if l.First == 0 || at < l.First {
		l.First = at
	}
	if at > l.Last {
		l.Last = at
	}
}
