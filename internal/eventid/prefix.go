package eventid

// Prefix is the id's first 8 bytes, big-endian: what an upload keeps of
// the rows it withdrew, to ask the ledger whether a platform already
// holds them (pipeline.LeftOut), without 32 characters a row. ok is false
// for an id not of Len hex characters (0 is then returned).
func (id ID) Prefix() (uint64, bool) {
	if len(id) != Len {
		return 0, false
	}
	var v uint64
	for i := range 16 {
		c := id[i]
		var d byte
		switch {
		case '0' <= c && c <= '9':
			d = c - '0'
		case 'a' <= c && c <= 'f':
			d = c - 'a' + 10
		case 'A' <= c && c <= 'F':
			d = c - 'A' + 10
		default:
			return 0, false
		}
		v = v<<4 | uint64(d)
	}
	return v, true
}
