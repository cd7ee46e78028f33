package cli

import (
	"strings"
	"testing"
)

// TestStatusNamesTheSameLastUploadInEveryLine: a good upload and, after
// it, one the safety net refused, both started in the same second (a
// clock that did not move). status printed "last upload <good>: exit 0",
// then "earlier the same night, upload <refused>: exit 2", then exited 1
// saying "the last night's upload <refused> was refused": two runs called
// the last. Runs of one instant are ordered as they were written, so the
// refused one, written after, is the last in every line.
func TestStatusNamesTheSameLastUploadInEveryLine(t *testing.T) {
	_, env, cfg, export := acceptNight(t)
	clk := &simClock{t: fixedNow}
	if r := runOnClock(clk, env, "upload", "--config", cfg, export); r.code != ExitUsage {
		t.Fatalf("the second upload: exit %d; want the safety net's stop\n%s", r.code, r.stderr)
	}
	st := runOnClock(clk, env, "status", "--config", cfg)
	if st.code != ExitFailure {
		t.Fatalf("status: exit %d, want 1\n%s%s", st.code, st.stdout, st.stderr)
	}
	var last string
	for _, line := range strings.Split(st.stdout, "\n") {
		if rest, ok := strings.CutPrefix(line, "last upload "); ok {
			last, _, _ = strings.Cut(rest, ":")
		}
	}
	if last == "" || !strings.Contains(st.stdout, "last upload "+last+": exit 2, refused before sending") {
		t.Errorf("the last upload is not the refused one, written after the good one:\n%s", st.stdout)
	}
	if strings.Contains(st.stdout, "earlier the same night") && strings.Contains(st.stdout, ": exit 0") {
		t.Errorf("the good upload, written first, is said after the refused one as the last:\n%s", st.stdout)
	}
	if !strings.Contains(st.stderr, "upload "+last+" was refused") {
		t.Errorf("status's error names another run than its last upload line (%s):\n%s", last, st.stderr)
	}
}
