package cli

import (
	"fmt"
	"maps"
	"strings"
	"testing"
)

// idNight is an export of n visits with all-digit order ids (format
// applied to from, from+1, …), from day on, twelve a day, all consenting,
// with patient keys of the clinic's own numbering.
func idNight(t *testing.T, format string, from, day, person, n int) string {
	t.Helper()
	var b strings.Builder
	for i := range n {
		b.WriteString(migRow(fmt.Sprintf(format, from+i), day+i/12, 8+i%12, person+i, "yes", fmt.Sprint(500+person+i)))
	}
	return migExport(t, b.String())
}

// TestClinicsSharingALedgerKeepTheirOwnOrderIDShapes: clinic A (order ids
// zero-padded to 8 digits) and clinic B (its own secret and accounts,
// unpadded 4-digit ids) share the default ledger and its column names.
// Before, the order ids' shape was kept per column alone: B's first upload
// stopped on A's shape ("lost their leading zeros", exit 2), and once B
// passed --accept-new-ids, A's next night stopped on B's ("gained leading
// zeros"). Now each destination keeps its own, as the patient keys'
// shape is: both go, night after night, and A's own lost zeros still stop.
func TestClinicsSharingALedgerKeepTheirOwnOrderIDShapes(t *testing.T) {
	dm, gURL := googleFake(t, nil)
	g, mURL := metaFake(t, nil)
	g.OtherDatasets = []string{"998870", "998871"} // clinicConfig's
	envA := uploadEnv(t)                           // the default ledger, shared
	envB := maps.Clone(envA)
	envB["HASHGATE_SECRET"] = "clinic-b-secret-Lq3Vt8Xw1Zr6Np4Ks0"
	cfgA, cfgB := clinicKeyConfig(t, gURL, mURL, 0), clinicKeyConfig(t, gURL, mURL, 1)
	night := func(who string, env map[string]string, cfg, export string, code, google int) string {
		t.Helper()
		before := len(dm.Accepted())
		r := runGoogle(t, env, "", true, "upload", "--config", cfg, export)
		if r.code != code || len(dm.Accepted())-before != google {
			t.Fatalf("%s: exit %d (want %d), google %d new, want %d\n%s", who, r.code, code, len(dm.Accepted())-before, google, r.stderr)
		}
		return r.stderr
	}
	night("clinic A", envA, cfgA, idNight(t, "%08d", 10001, 10, 100, 24), 0, 24)
	night("clinic B", envB, cfgB, idNight(t, "%d", 5001, 10, 200, 24), 0, 24)
	night("clinic A, the next night", envA, cfgA, idNight(t, "%08d", 10101, 13, 300, 24), 0, 24)
	night("clinic B, the next night", envB, cfgB, idNight(t, "%d", 5101, 13, 400, 24), 0, 24)
	// Clinic A's ids re-saved by a spreadsheet still stop it.
	out := night("clinic A, zeros dropped", envA, cfgA, idNight(t, "%d", 10201, 16, 500, 24), ExitUsage, 0)
	if !strings.Contains(out, "lost their leading zeros") {
		t.Errorf("the stop does not say what changed:\n%s", out)
	}
}
