package main

import "runtime/debug"

// gcPercent is the garbage collector's target when GOGC is not set: a
// collection starts when the heap has grown by half of what was live
// after the last one, instead of Go's default of all of it (GOGC=100).
//
// Why: a third of hashgate's live heap is fixed from start-up — the
// libraries' tables (zxcvbn's dictionaries, about 6 MB; libphonenumber's
// metadata, 2.5 MB) — and at GOGC=100 the heap's peak is twice what is
// live, fixed part included. At 50 it is one and a half times. Measured on
// the 1M-row bench export (dry-run, testdata/bench/config.yaml, keysets
// already off the heap; three alternating runs, load 4-7): peak RSS 80
// -> 71 MB, CPU 7.8 -> 8.1 s (+4%: about 1.7 times as many collections,
// each as cheap). GOGC=30 saved about 5 MB more for another 8% of CPU
// (measured before the key sets left the heap).
//
// No soft memory limit is set: the memory a run needs grows with what it
// holds (a patient set, the upload's batches), and a limit below it makes
// the collector run back to back (an earlier 48 MiB default made a
// 10M-row export thrash). GOGC and GOMEMLIMIT in the environment still
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
