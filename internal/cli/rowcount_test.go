package cli

import (
	"encoding/json"
	"math/rand/v2"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// rowCountCLIRows: orders of several rows (pipeline's rowCountRows, on
// dates within the test clock's windows): a sent row beside one of no
// identifier (R1), one sending the same with a dropped e-mail and a blank
// birth date (R2), a revocation dated the day before the visit, which
// refuses its order (R3: pipeline datedorder.go), bookings that differ in booked_at (R4) or in the destinations
// they reach (R5), a no-show whose booking is its order's (R6).
var rowCountCLIRows = []string{
	"R1,2026-11-20 09:00,completed,a@example.com,,yes," + bookingGCLIDcli[:len(bookingGCLIDcli)-1] + "1,2026-11-10 14:30,1980-01-01",
	"R1,2026-11-20 09:00,completed,,,yes,,,1980-01-01",
	"R2,2026-11-20 10:00,completed,b@example.com,,yes,,,1980-01-02",
	"R2,2026-11-20 10:00,completed,b@example.com,not-an-email,yes,,,",
	"R3,2026-11-20 11:00,completed,c@example.com,,yes,,,1980-01-03",
	"R3,2026-11-20 11:00,completed,c@example.com,,撤回(2026-11-19),,,1980-01-03",
	"R4,2026-11-21 09:00,completed,d@example.com,,yes,,2026-11-11 08:00,1980-01-04",
	"R4,2026-11-21 09:00,completed,d@example.com,,yes,,2026-11-15 17:00,1980-01-04",
	"R5,2026-11-21 10:00,completed,e@example.com,,yes,,2026-11-12 08:00,1980-01-05",
	"R5,2026-11-21 10:00,completed,,,yes," + bookingGCLIDcli[:len(bookingGCLIDcli)-1] + "5,2026-11-12 08:00,1980-01-05",
	"R6,2026-11-22 10:00,completed,g@example.com,,yes,,2026-11-13 09:00,1980-01-07",
	"R6,2026-11-22 10:00,no-show,g@example.com,,yes,,2026-11-13 09:00,1980-01-07",
	"P1,2026-11-22 09:00,completed,f@example.com,,yes,,2026-11-13 08:00,1980-01-06",
}

const rowCountCLIConfig = `timezone: Asia/Taipei
region: TW
input:
  columns:
    order_id: id
    appointment_at: at
    status: status
    email: [email, email2]
    consent: consent
    gclid: gclid
    booked_at: booked
    birth_date: birth
consent:
  granted: ["yes"]
  revoked_allows_earlier: true
conversion:
  statuses: [completed]
  value: fixed
  fixed_value: 1000
  currency: TWD
  bookings:
    enabled: true
destinations:
  meta:
    enabled: true
    identifiers: [email]
    dataset_id: "998877"
  google:
    enabled: true
    operating_account: 123-456-7890
    conversion_action_id: "555000111"
    booking_conversion_action_id: "555000222"
`

// TestReorderedRowsSummariseTheSame (metamorphic, the command): a dry-run
// of the export's rows in another order — reversed, shuffled — from a
// file or from stdin lists the same conversions in its review CSV, prints
// the same summary and writes the same run report's
// counts (excluded rows by reason, not sent to, left out of, identifiers
// dropped, notes, bookings, conversions). Before, the rows' order moved
// counts between duplicate_order and no_click_id, the drops and notes of
// the row counted "used", consent_refused_after_sent, and the bookings'
// booked_at and destinations.
func TestReorderedRowsSummariseTheSame(t *testing.T) {
	dir := t.TempDir()
	cfg := filepath.Join(dir, "hashgate.yaml")
	if err := os.WriteFile(cfg, []byte(rowCountCLIConfig), 0o600); err != nil {
		t.Fatal(err)
	}
	env := uploadEnv(t)
	// Where the summary names its input, a run id or a time.
	name := regexp.MustCompile(`(?m) from \S+; | \(\d+(\.\d+)?s\)|run [0-9A-Za-z-]+`)
	dry := func(rows []string, stdin bool) (string, map[string]any, string) {
		t.Helper()
		export := "id,at,status,email,email2,consent,gclid,booked,birth\n" + strings.Join(rows, "\n") + "\n"
		rep, review := filepath.Join(t.TempDir(), "report.json"), filepath.Join(t.TempDir(), "review.csv")
		args := []string{"upload", "--dry-run", "--report", rep, "--out", review, "--config", cfg}
		in := ""
		if stdin {
			args, in = append(args, "-"), export
		} else {
			p := filepath.Join(t.TempDir(), "export.csv")
			if err := os.WriteFile(p, []byte(export), 0o600); err != nil {
				t.Fatal(err)
			}
			args = append(args, p)
		}
		r := runCLI(t, env, in, args...)
		if r.code != 0 {
			t.Fatalf("exit %d\n%s", r.code, r.stderr)
		}
		b, err := os.ReadFile(rep)
		if err != nil {
			t.Fatal(err)
		}
		var m map[string]any
		if err := json.Unmarshal(b, &m); err != nil {
			t.Fatalf("%v\n%s", err, b)
		}
		counts := map[string]any{}
		for _, k := range []string{"rows_read", "rows_used", "excluded", "conversions", "bookings", "not_sent_to", "left_out_of", "identifiers_dropped", "notes", "conversions_without_value"} {
			counts[k] = m[k]
		}
		// The review CSV: one line a conversion, in the rows' order.
		csv, err := os.ReadFile(review)
		if err != nil {
			t.Fatal(err)
		}
		sent := strings.Split(strings.TrimSpace(string(csv)), "\n")
		slices.Sort(sent[1:])
		return name.ReplaceAllString(r.stderr, " "), counts, strings.Join(sent, "\n")
	}
	wantText, wantCounts, wantSent := dry(rowCountCLIRows, false)
	for _, raw := range []string{"a@example.com", "not-an-email", "1980-01-0", "R1", "撤回"} {
		if strings.Contains(wantText, raw) || strings.Contains(wantSent, raw) || strings.Contains(mustJSON(t, wantCounts), raw) {
			t.Errorf("an output holds %q", raw) // the canary
		}
	}
	if n := strings.Count(wantSent, "\n"); n != 4+11 {
		t.Errorf("the review CSV lists %d conversions, want 15:\n%s", n, wantSent)
	}
	orders := [][]string{slices.Clone(rowCountCLIRows)}
	slices.Reverse(orders[0])
	for seed := range uint64(3) {
		r := slices.Clone(rowCountCLIRows)
		rand.New(rand.NewPCG(seed, 29)).Shuffle(len(r), func(i, j int) { r[i], r[j] = r[j], r[i] })
		orders = append(orders, r)
	}
	for k, rows := range orders {
		for _, stdin := range []bool{false, true} {
			text, counts, sent := dry(rows, stdin)
			if sent != wantSent {
				t.Errorf("order %d, stdin %v: the review CSV\n%s\nwant\n%s", k, stdin, sent, wantSent)
			}
			if g, w := mustJSON(t, counts), mustJSON(t, wantCounts); g != w {
				t.Errorf("order %d, stdin %v: the run report counts\n%s\nwant\n%s", k, stdin, g, w)
			}
			if text != wantText {
				t.Errorf("order %d, stdin %v: the summary\n%s\nwant\n%s", k, stdin, text, wantText)
			}
		}
	}
}

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
