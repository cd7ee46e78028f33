//go:build !unix

package outfile

// alive cannot tell on this platform: every temporary file is left alone.
func alive(int) bool { return true }
