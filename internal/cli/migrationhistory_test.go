package cli

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestMigratedHistoryDryRunSaysTheNetStops: a new clinic system exports
// the old system's history under its own ids (C-1…C-18 for 48000–48017)
// and 4 new visits. The upload's safety net stops (exit 2); its dry-run
// gave no hint, and the stop advised --accept-new-ids "if these really are
// new conversions", which sent all 18 again on each platform. Both now say
// that --accept-new-ids would send all 18 as new conversions, and which
// day to export after — never a cell.
func TestMigratedHistoryDryRunSaysTheNetStops(t *testing.T) {
	dm, gURL := googleFake(t, nil)
	g, mURL := metaFake(t, nil)
	env := uploadEnv(t)
	cfg := bothConfig(t, gURL, mURL, "")
	old := oldSystem()
	for i := range old {
		old[i].id = fmt.Sprint(48000 + i)
	}
	if r := runGoogle(t, env, "", true, "upload", "--config", cfg, writeClinic(t, old)); r.code != 0 || len(dm.Accepted()) != 18 || len(g.Accepted()) != 8 {
		t.Fatalf("old system: exit %d, google %d, meta %d\n%s", r.code, len(dm.Accepted()), len(g.Accepted()), r.stderr)
	}
	migrated := append([]clinicVisit(nil), old...)
	for i := range migrated {
		migrated[i].id = fmt.Sprintf("C-%d", i+1)
	}
	for i := range 4 {
		migrated = append(migrated, clinicVisit{id: fmt.Sprintf("C-%d", 19+i), at: time.Date(2026, 11, 22, 9+i, 0, 0, 0, taipei), n: 400 + i})
	}
	export := writeClinic(t, migrated)
	dry := runGoogle(t, env, "", true, "upload", "--dry-run", "--config", cfg, "--out", filepath.Join(t.TempDir(), "review.csv"), export)
	for _, want := range []string{"18 of the 22 conversions for google", "an upload would stop (safety net", "would send all 18 as new conversions", "after 2026-11-21"} {
		if dry.code != 0 || !strings.Contains(dry.stderr, want) {
			t.Errorf("the dry-run does not say %q: exit %d\n%s", want, dry.code, dry.stderr)
		}
	}
	for _, cell := range []string{"zqclinic", "0912-555", "Zqcfirst", "C-1"} {
		if strings.Contains(dry.stdout+dry.stderr, cell) {
			t.Errorf("the dry-run prints a cell (%q)", cell)
		}
	}
	gReq, mReq := dm.Requests(), g.Requests()
	r := runGoogle(t, env, "", true, "upload", "--config", cfg, export)
	if r.code != 2 || dm.Requests() != gReq || g.Requests() != mReq {
		t.Fatalf("migrated history: exit %d, google +%d requests, meta +%d\n%s", r.code, dm.Requests()-gReq, g.Requests()-mReq, r.stderr)
	}
	// The stop names the migrated history and what --accept-new-ids would
	// do with it (it sent all 18 again on each platform): export after the
	// last delivery's day instead.
	for _, want := range []string{"new clinic system", "would send all 18 as new conversions", "after 2026-11-21"} {
		if !strings.Contains(r.stderr, want) {
			t.Errorf("the stop does not say %q:\n%s", want, r.stderr)
		}
	}
	// An ordinary night's dry-run says nothing of the net.
	ok := runGoogle(t, env, "", true, "upload", "--dry-run", "--config", cfg, "--out", filepath.Join(t.TempDir(), "review2.csv"), writeClinic(t, old))
	if ok.code != 0 || strings.Contains(ok.stderr, "safety net") {
		t.Errorf("an ordinary night's dry-run: exit %d\n%s", ok.code, ok.stderr)
	}
}
