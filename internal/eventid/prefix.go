package eventid

import "strconv"

// Prefix is the id's first 8 bytes, big-endian: what an upload keeps of
// the rows it withdrew, to ask the ledger whether a platform already
// holds them (pipeline.LeftOut), without 32 characters a row. ok is false
// for an id not of Len characters, or whose first 16 are not hex (0 is
// then returned).
func (id ID) Prefix() (uint64, bool) {
	if len(id) != Len {
		return 0, false
	}
	v, err := strconv.ParseUint(string(id[:16]), 16, 64)
	return v, err == nil
}
