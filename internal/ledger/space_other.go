//go:build !(linux || darwin)

package ledger

// spaceFree: this system's free space is not asked (the ledger's fault
// then names no full filesystem for a disk I/O error).
func spaceFree(string) (uint64, bool) { return 0, false }
