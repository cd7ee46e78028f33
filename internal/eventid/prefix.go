package eventid

import "github.com/hashgate/hashgate/internal/lowerhex"

// Prefix is the id's first 8 bytes, big-endian: what an upload keeps of
// the rows it withdrew, to ask the ledger whether a platform already
// holds them (pipeline.LeftOut), without 32 characters a row. ok is false
// for an id not of Len characters, or whose first 16 are not hex (0 is
// then returned).
func (id ID) Prefix() (uint64, bool) {
	if len(id) != Len {
		return 0, false
	}
	return lowerhex.Uint64(string(id)) // strconv.ParseUint(id[:16], 16, 64), at a third of its cost
}
