//go:build !linux && !darwin && !freebsd && !netbsd && !openbsd

package run

import (
	"os"
	"time"
)

// changeTime: this system keeps no status change time that os.FileInfo
// shows (Windows); size and modification time are what a run checks.
func changeTime(os.FileInfo) time.Time { return time.Time{} }

// linkCount: not shown on this system.
func linkCount(os.FileInfo) int64 { return -1 }
