package cli

import (
	"encoding/csv"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestChannelsShowBookingClaimsBesideBookings (issue 27 point 3): with
// spend.meta.columns.booking_conversions naming a column of Meta's own
// claimed bookings, `channels` prints them as platform_booking_claims on
// Meta's line, beside the clinic's bookings — the sum of the column over
// the window, the platform's figure as it wrote it, never summed into the
// paid or total lines; without the key the figure does not exist.
func TestChannelsShowBookingClaimsBesideBookings(t *testing.T) {
	dir := t.TempDir()
	cfg := mustRead(t, chPath("en.yaml")) + "\nspend:\n  meta:\n    columns:\n      booking_conversions: Schedules\n"
	if strings.Count(cfg, "\nspend:") > 1 {
		t.Fatal("en.yaml has a spend section already: merge the key into it")
	}
	cfgPath := filepath.Join(dir, "en.yaml")
	if err := os.WriteFile(cfgPath, []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	// Meta's daily download with a Schedules column: 1 on every row, 2 on
	// rows of a campaign name with "Leads".
	f, err := os.Open(chPath("meta-daily.csv"))
	if err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(f).ReadAll()
	f.Close()
	if err != nil {
		t.Fatal(err)
	}
	want := 0.0
	from, to := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC), time.Date(2026, 11, 30, 0, 0, 0, 0, time.UTC)
	recs[0] = append(recs[0], "Schedules")
	for i := 1; i < len(recs); i++ {
		n := 1.0
		if strings.Contains(recs[i][0], "Leads") {
			n = 2
		}
		recs[i] = append(recs[i], strconv.FormatFloat(n, 'f', -1, 64))
		if d, err := time.Parse(time.DateOnly, recs[i][1]); err == nil && !d.Before(from) && !d.After(to) {
			want += n
		}
	}
	var b strings.Builder
	w := csv.NewWriter(&b)
	_ = w.WriteAll(recs)
	spendPath := filepath.Join(dir, "meta-daily.csv")
	if err := os.WriteFile(spendPath, []byte(b.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	run := func(config string, extra ...string) result {
		args := append([]string{"channels", "--config", config, "--from", "2026-11-01", "--to", "2026-11-30", "--as-of", fixtureAsOf, "--exact",
			"--spend", "google=" + chPath("google-ads.csv"), "--spend", "meta=" + spendPath}, extra...)
		r := runCLI(t, nil, "", append(args, chPath("export-en.csv"))...)
		if r.code != 0 {
			t.Fatalf("exit %d: %s", r.code, r.stderr)
		}
		return r
	}
	var rep struct {
		Channels []map[string]any `json:"channels"`
		Paid     map[string]any   `json:"paid"`
		Total    map[string]any   `json:"total"`
	}
	if err := json.Unmarshal([]byte(run(cfgPath, "--json").stdout), &rep); err != nil {
		t.Fatal(err)
	}
	for _, l := range rep.Channels {
		got, has := l["platform_booking_claims"].(float64)
		switch l["platform"] {
		case "meta":
			if !has || math.Abs(got-want) > 1e-9 || l["bookings"] == nil {
				t.Errorf("Meta's line: platform_booking_claims %v, want %v beside bookings %v", l["platform_booking_claims"], want, l["bookings"])
			}
		default:
			if has {
				t.Errorf("%v claims %v bookings", l["name"], got)
			}
		}
	}
	if rep.Paid["platform_booking_claims"] != nil || rep.Total["platform_booking_claims"] != nil {
		t.Error("claims summed across platforms")
	}
	if txt := run(cfgPath).stdout; !strings.Contains(txt, "Bookings  Cl.book") {
		t.Errorf("the table does not show the claims beside the bookings:\n%s", txt)
	}
	if txt := run(chPath("en.yaml")).stdout; strings.Contains(txt, "Cl.book") {
		t.Error("without the key the table shows a claims column")
	}
}
