package main

import (
	"runtime/debug"
	"testing"
)

// TestGCDefaultsYieldToGOGC: without GOGC hashgate runs at gcPercent;
// with it, the runtime's reading of it stands.
func TestGCDefaultsYieldToGOGC(t *testing.T) {
	orig := debug.SetGCPercent(77)
	defer debug.SetGCPercent(orig)

	gcDefaults(func(string) string { return "" })
	if got := debug.SetGCPercent(77); got != gcPercent {
		t.Errorf("without GOGC: GC percent %d, want %d", got, gcPercent)
	}
	gcDefaults(func(k string) string {
		if k == "GOGC" {
			return "200"
		}
		return ""
	})
	if got := debug.SetGCPercent(77); got != 77 {
		t.Errorf("with GOGC set: GC percent changed to %d", got)
	}
}
