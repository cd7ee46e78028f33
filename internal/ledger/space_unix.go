//go:build linux || darwin

package ledger

import "syscall"

// spaceFree is the space, in bytes, the filesystem holding dir has for an
// unprivileged user (statfs f_bavail: root may use the reserve beyond it,
// the user that runs hashgate may not); false when statfs fails.
func spaceFree(dir string) (uint64, bool) {
	var st syscall.Statfs_t
	if err := syscall.Statfs(dir, &st); err != nil {
		return 0, false
	}
	return uint64(st.Bavail) * uint64(st.Bsize), true // Bsize: int64 on linux, uint32 on darwin
}
