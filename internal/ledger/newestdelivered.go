package ledger

import "time"

// NewestDelivered is the newest event time already delivered to any of
// the run's destinations, as the armed net knows it (SetNet: the newest
// event of each destination's accepted requests; test destinations
// excepted); ok is false when the net is off or nothing was delivered.
// The rows of an export dated after it are the part the ledger has not
// seen: where a clinic's new system writes words the config does not
// know, those rows alone hold them, and a check over the whole export —
// the old system's rows beside them granted and converted — passed them
// silently (package pipeline's freshpart.go).
func (f *Filter) NewestDelivered() (t time.Time, ok bool) {
	if f.net == nil {
		return time.Time{}, false
	}
	var newest int64
	for _, ms := range f.net.newest {
		if !ok || ms > newest {
			newest, ok = ms, true
		}
	}
	if !ok {
		return time.Time{}, false
	}
	return time.UnixMilli(newest), true
}
