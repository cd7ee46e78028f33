package run

import (
	"math/rand/v2"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/hashgate/hashgate/internal/config"
	"github.com/hashgate/hashgate/internal/pipeline"
)

// disagreeingRows: orders listed on two rows that disagree on what would
// be sent — the fee (a multi-line order, or a fee corrected on a second
// row), the appointment time, an identifier — beside an order repeated
// exactly, one whose second row is a no-show, and plain visits.
var disagreeingRows = []string{
	"O1,2026-11-18 10:00,zqo1@example.com,completed,1200,yes",
	"O1,2026-11-18 10:00,zqo1@example.com,completed,800,yes", // another line's fee
	"O2,2026-11-18 11:00,zqo2@example.com,completed,500,yes",
	"O2,2026-11-18 15:00,zqo2@example.com,completed,500,yes", // another time
	"O3,2026-11-19 09:00,zqo3@example.com,completed,500,yes",
	"O3,2026-11-19 09:00,zqo3b@example.com,completed,500,yes", // another e-mail
	"O4,2026-11-19 10:00,zqo4@example.com,completed,700,yes",
	"O4,2026-11-19 10:00,zqo4@example.com,completed,700,yes", // repeated as written
	"O5,2026-11-19 12:00,zqo5@example.com,completed,900,yes",
	"O5,2026-11-19 12:00,zqo5@example.com,no-show,900,yes", // not a visit
	"O6,2026-11-20 09:00,zqo6@example.com,completed,300,yes",
	"O7,2026-11-20 10:00,zqo7@example.com,completed,400,yes",
}

func disagreeingExport(order []string) []byte {
	return []byte("id,at,email,status,fee,consent,phone\n" + strings.Join(order, ",\n") + ",\n")
}

func disagreeingConfig(t *testing.T) *config.Config {
	t.Helper()
	cfg := testConfig(t)
	cfg.Input.Columns.Status, cfg.Input.Columns.Value = "status", "fee"
	cfg.Conversion.Statuses = []string{"completed"}
	cfg.Conversion.Value, cfg.Conversion.Currency = config.ValueActual, "TWD"
	cfg.Privacy.AllowActualValue = true
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	return cfg
}

// TestRowOrderDoesNotChangeWhatAnOrderSends: the rows of one order that
// disagree on what would be sent are held, every one of them, as
// order_rows_disagree — in any row order, from a file or standard input,
// on one worker or several, the same conversions go, byte for byte, and
// the same counts. Before, the first row of the order was sent: reversed,
// the export sent the other fee, time and e-mail (and Google, restating,
// took the other value every night the rows swapped).
func TestRowOrderDoesNotChangeWhatAnOrderSends(t *testing.T) {
	cfg := disagreeingConfig(t)
	want := dryRunOf(t, cfg, disagreeingExport(disagreeingRows), false)
	if want.Err != "" {
		t.Fatal(want.Err)
	}
	if !strings.Contains(want.Counts, `"`+pipeline.ReasonOrderRowsDisagree+`":6`) {
		t.Errorf("counts: %s; want the 6 rows of O1, O2, O3 held as %s", want.Counts, pipeline.ReasonOrderRowsDisagree)
	}
	if n := len(want.Lines) - 1; n != 4*2 {
		t.Errorf("%d conversions, want O4, O5, O6, O7 to both platforms:\n%s", n, strings.Join(want.Lines, "\n"))
	}
	orders := [][]string{slices.Clone(disagreeingRows)}
	slices.Reverse(orders[0])
	for seed := range uint64(4) {
		rows := slices.Clone(disagreeingRows)
		rng := rand.New(rand.NewPCG(seed, 27))
		rng.Shuffle(len(rows), func(i, j int) { rows[i], rows[j] = rows[j], rows[i] })
		orders = append(orders, rows)
	}
	for _, procs := range []int{1, 4} {
		prev := runtime.GOMAXPROCS(procs)
		for k, rows := range orders {
			for _, stdin := range []bool{false, true} {
				got := dryRunOf(t, cfg, disagreeingExport(rows), stdin)
				if got.Err != want.Err || got.Counts != want.Counts || !slices.Equal(got.Lines, want.Lines) {
					t.Errorf("order %d, %d workers, stdin %v: differs from the export in its own order:\ncounts %s\nwant   %s\nlines\n%s\nwant\n%s",
						k, procs, stdin, got.Counts, want.Counts, strings.Join(got.Lines, "\n"), strings.Join(want.Lines, "\n"))
				}
			}
		}
		runtime.GOMAXPROCS(prev)
	}
}

// TestAnOrderReachesEveryDestinationOfItsRows: with Google on click ids
// only, an order whose one row carries the click id and another the
// e-mail reaches both destinations, and one whose click-id row lacks the
// e-mail still reaches Meta — in any row order, from a file or standard
// input, on one worker or several, the same conversions go. Before, the
// first row's destinations went: reversed, Meta lost S1 and D1 went to
// Meta instead of Google (session 27 review).
func TestAnOrderReachesEveryDestinationOfItsRows(t *testing.T) {
	const gclid = "Cj0KCQiA_NC9BhCkARIsABSnSTYk6_HxWq3PqR0m2Vd9LsEJtB4nFgZcK8uYo1aIh7TbX5rW2eQjMzNvUyDcOpLfAaQ"
	rows := []string{
		"S1,2026-11-18 10:00,zqs1@example.com,yes," + gclid,
		"S1,2026-11-18 10:00,,yes," + gclid, // Google alone, agreeing
		"D1,2026-11-18 11:00,,yes," + gclid[:len(gclid)-1] + "D",
		"D1,2026-11-18 11:00,zqd1@example.com,yes,", // Meta alone
		"P1,2026-11-18 12:00,zqp1@example.com,yes," + gclid[:len(gclid)-1] + "P",
	}
	cfg := testConfig(t)
	cfg.Input.Columns.GCLID = "gclid"
	cfg.Destinations.Google.Identifiers = nil // its default: click ids only
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	export := func(rows []string) []byte {
		return []byte("id,at,email,consent,gclid,phone\n" + strings.Join(rows, ",\n") + ",\n")
	}
	want := dryRunOf(t, cfg, export(rows), false)
	if want.Err != "" {
		t.Fatal(want.Err)
	}
	if n := len(want.Lines) - 1; n != 3*2 {
		t.Errorf("%d conversions, want S1, D1, P1 to both platforms:\n%s", n, strings.Join(want.Lines, "\n"))
	}
	orders := [][]string{slices.Clone(rows)}
	slices.Reverse(orders[0])
	for seed := range uint64(3) {
		r := slices.Clone(rows)
		rand.New(rand.NewPCG(seed, 27)).Shuffle(len(r), func(i, j int) { r[i], r[j] = r[j], r[i] })
		orders = append(orders, r)
	}
	for _, procs := range []int{1, 3} {
		prev := runtime.GOMAXPROCS(procs)
		for k, r := range orders {
			for _, stdin := range []bool{false, true} {
				got := dryRunOf(t, cfg, export(r), stdin)
				if got.Err != want.Err || !slices.Equal(got.Lines, want.Lines) {
					t.Errorf("order %d, %d workers, stdin %v: sent\n%s\nwant\n%s", k, procs, stdin, strings.Join(got.Lines, "\n"), strings.Join(want.Lines, "\n"))
				}
			}
		}
		runtime.GOMAXPROCS(prev)
	}
}
