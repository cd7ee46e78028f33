package main

import "runtime/debug"

// gcPercent is the garbage collector's target when GOGC is not set: a
// collection starts when the heap has grown by half of what was live
// after the last one, instead of Go's default of all of it (GOGC=100).
//
// Why: the heap's peak is what is live plus the collector's headroom, and
// at GOGC=100 the headroom is all of it. It was chosen when a third of the
// live heap was fixed from start-up (zxcvbn's dictionaries, about 6 MB,
// since built on demand and let go: third_party/zxcvbn/PATCHES.md;
// libphonenumber's metadata, about 1.4 MB live). Measured on the 1M-row
// bench export (dry-run, testdata/bench/config.yaml, keysets already off
// the heap; three alternating runs, load 4-7): peak RSS 80 -> 71 MB, CPU
// 7.8 -> 8.1 s (+4%: about 1.7 times as many collections, each as
// cheap). GOGC=30 saved about 5 MB more for another 8% of CPU (measured
// before the key sets left the heap). Measured again at the end of issue
// 29's memory work (live heap about 8 MB after a collection): GOGC=75 and
// 100 put the 1M dry-run's peak at 56-62 and 58-62 MB against 54-55 MB
// at 50, with no CPU difference the load let us see; 50 stays, for the
// 64 MB target at 10M rows.
//
// No soft memory limit is set: the memory a run needs grows with what it
// holds (a patient set, the upload's batches), and a limit below it makes
// the collector run back to back (an earlier 48 MiB default made a
// 10M-row export thrash). Measured in issue 29 on the 1M dry-run (before
// the pipeline let go of its chunks at the export's end): GOMEMLIMIT=28MiB
// changed nothing (59.1-59.3 MB against 59.6-59.8), 24MiB gave 55.2 MB
// for 40% more collections; a limit low enough to matter for a dry-run
// would leave an upload (its batches in flight, SQLite) no headroom.
// GOGC and GOMEMLIMIT in the environment still
// apply as Go documents them (https://pkg.go.dev/runtime#hdr-Environment_Variables;
// https://go.dev/doc/gc-guide#GOGC).
const gcPercent = 50

// gcDefaults sets gcPercent unless the environment sets GOGC, which the
// runtime has read already.
func gcDefaults(getenv func(string) string) {
	if getenv("GOGC") == "" {
		debug.SetGCPercent(gcPercent)
	}
}
