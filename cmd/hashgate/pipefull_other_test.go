//go:build !linux

package main

import "os"

// pipeFull cannot tell outside Linux (pipefull_linux_test.go).
func pipeFull(*os.File) (full, ok bool) { return false, false }
