//go:build !unix

package outfile

import "io/fs"

// alive cannot tell on this platform: every temporary file is left alone.
func alive(int) bool { return true }

// noFollow: no O_NOFOLLOW here; resolve's Lstat is the only check.
const noFollow = 0

// nonBlock: no O_NONBLOCK here.
const nonBlock = 0

// owner cannot tell on this platform.
func owner(fs.FileInfo) (int, bool) { return 0, false }
