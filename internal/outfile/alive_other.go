//go:build !unix

package outfile

// alive cannot tell on this platform: every temporary file is left alone.
func alive(int) bool { return true }

// noFollow: no O_NOFOLLOW here; resolve's Lstat is the only check.
const noFollow = 0
