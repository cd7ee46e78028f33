package cli

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hashgate/hashgate/internal/destination/destinationtest"
)

// oneFeeExport writes an export of one visit, F1, at the time and fee
// given.
func oneFeeExport(t *testing.T, at string, fee string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "f1.csv")
	body := "id,at,status,email,phone,first,last,consent,fee\nF1," + at + ",completed,zqf1@example.com,0912-100-901,Zqf,Zql,yes," + fee + "\n"
	if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// onlyEvent is the one conversion the fake holds.
func onlyEvent(t *testing.T, dm *destinationtest.DataManager) map[string]any {
	t.Helper()
	for tx := range dm.Accepted() {
		return dm.Event(tx)
	}
	t.Fatal("Google holds no conversion")
	return nil
}

// TestARestatementGoesDatedAsGoogleHoldsIt: a visit ingested, then its
// date corrected months back (past the age limit) and its fee changed, is
// restated with the event time Google holds — an adjustment leaves every
// field but value, currency and user data "Not updated" — so the new
// value reaches Google. It was quarantined as event_too_old, and the new
// value never sent.
func TestARestatementGoesDatedAsGoogleHoldsIt(t *testing.T) {
	clk := &simClock{t: fixedNow}
	dm := &destinationtest.DataManager{Token: googleBearer, Now: clk.Now}
	gURL := dm.Start(t).URL + "/"
	g := &destinationtest.Graph{Token: metaToken, APIVersion: "v25.0", DatasetID: "998877", Now: clk.Now}
	cfg := restateConfig(t, gURL, g.Start(t).URL, true)
	env := uploadEnv(t)
	if first := runAt(t, clk, env, "upload", "--config", cfg, oneFeeExport(t, "2026-11-20 10:00", "1000")); first.code != 0 {
		t.Fatalf("first upload exit %d\n%s", first.code, first.stderr)
	}
	held := onlyEvent(t, dm)["eventTimestamp"]
	clk.Advance(24 * time.Hour)
	second := runAt(t, clk, env, "upload", "--config", cfg, oneFeeExport(t, "2026-08-01 10:00", "1500"))
	if second.code != 0 || !strings.Contains(second.stderr, "1 restated") {
		t.Fatalf("second upload exit %d\n%s", second.code, second.stderr)
	}
	ev := onlyEvent(t, dm)
	if v := fmt.Sprint(ev["conversionValue"]); v != "1500" {
		t.Errorf("Google holds value %v, want 1500", v)
	}
	if ev["eventTimestamp"] != held {
		t.Errorf("Google holds time %v, want %v", ev["eventTimestamp"], held)
	}
	if n := dm.Conversions("1234567890/555000111"); n != 1 {
		t.Errorf("Google holds %d conversions, want 1", n)
	}
}

// TestARestatementNotAcceptedIsNotCalledRestated: a restatement Google
// never took — quarantined, here, as too old by the time Google holds —
// is no restatement: the summary and the report said "1 restated … sent
// again" beside ingested 0, and every later night again.
func TestARestatementNotAcceptedIsNotCalledRestated(t *testing.T) {
	clk := &simClock{t: fixedNow}
	dm := &destinationtest.DataManager{Token: googleBearer, Now: clk.Now}
	gURL := dm.Start(t).URL + "/"
	g := &destinationtest.Graph{Token: metaToken, APIVersion: "v25.0", DatasetID: "998877", Now: clk.Now}
	cfg := restateConfig(t, gURL, g.Start(t).URL, true)
	env := uploadEnv(t)
	if first := runAt(t, clk, env, "upload", "--config", cfg, oneFeeExport(t, "2026-09-01 10:00", "1000")); first.code != 0 {
		t.Fatalf("first upload exit %d\n%s", first.code, first.stderr)
	}
	for night := range 2 {
		clk.Advance(10 * 24 * time.Hour)
		rep := filepath.Join(t.TempDir(), "run.json")
		r := runAt(t, clk, env, "upload", "--config", cfg, "--report", rep, oneFeeExport(t, "2026-09-01 10:00", "1500"))
		if strings.Contains(r.stderr, "restated") || strings.Contains(mustRead(t, rep), `"restated"`) {
			t.Errorf("night %d: a restatement never accepted is called restated (exit %d):\n%s", night+2, r.code, r.stderr)
		}
		if !strings.Contains(r.stderr, "event_too_old") && !strings.Contains(r.stderr, "held back in earlier runs: 1") {
			t.Errorf("night %d: the restatement was not held back:\n%s", night+2, r.stderr)
		}
	}
	if v := fmt.Sprint(onlyEvent(t, dm)["conversionValue"]); v != "1000" {
		t.Errorf("Google holds value %v, want 1000", v)
	}
}

// statusExport writes visits E1..E4 on consecutive days, each with the
// status given.
func statusExport(t *testing.T, statuses ...string) string {
	t.Helper()
	var b strings.Builder
	b.WriteString("id,at,status,email,phone,first,last,consent,fee\n")
	for i, st := range statuses {
		fmt.Fprintf(&b, "E%d,2026-11-%02d 10:00,%s,zqe%d@example.com,0912-200-%03d,Zqe%d,Zqe%d,yes,1000\n", i+1, 18+i, st, i, i, i, i)
	}
	p := filepath.Join(t.TempDir(), "e.csv")
	if err := os.WriteFile(p, []byte(b.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestVisitsChangedAtTheExportsEdgesAreNoLongerAmongItsConversions: E1
// to E4 ingested, then E1 cancelled and E4 a no-show: both are events
// Google holds, dated within the export, that are no longer among its
// conversions. The span was the conversions' (E2 to E3), and the summary
// said nothing.
func TestVisitsChangedAtTheExportsEdgesAreNoLongerAmongItsConversions(t *testing.T) {
	clk := &simClock{t: fixedNow}
	dm := &destinationtest.DataManager{Token: googleBearer, Now: clk.Now}
	gURL := dm.Start(t).URL + "/"
	g := &destinationtest.Graph{Token: metaToken, APIVersion: "v25.0", DatasetID: "998877", Now: clk.Now}
	cfg := restateConfig(t, gURL, g.Start(t).URL, true)
	env := uploadEnv(t)
	if first := runAt(t, clk, env, "upload", "--config", cfg, statusExport(t, "completed", "completed", "completed", "completed")); first.code != 0 {
		t.Fatalf("first upload exit %d\n%s", first.code, first.stderr)
	}
	clk.Advance(24 * time.Hour)
	rep := filepath.Join(t.TempDir(), "run.json")
	second := runAt(t, clk, env, "upload", "--config", cfg, "--report", rep, statusExport(t, "cancelled", "completed", "completed", "no-show"))
	if !strings.Contains(second.stderr, "2 ingested events dated within this export are no longer among its conversions") ||
		!strings.Contains(mustRead(t, rep), `"ingested_not_in_export": 2`) {
		t.Errorf("exit %d\n%s", second.code, second.stderr)
	}
}
