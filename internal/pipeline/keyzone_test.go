package pipeline

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/hashgate/hashgate/internal/config"
	"github.com/hashgate/hashgate/internal/eventid"
	"github.com/hashgate/hashgate/internal/report"
)

// keyZoneRun runs cfg over rows of header's shape without validating it (a
// config older hashgates ran), with prior as the last upload's shape; it
// returns the event ids written and Run's error.
func keyZoneRun(t *testing.T, cfg *config.Config, prior *IDShape, ats ...string) ([]string, error) {
	t.Helper()
	var body strings.Builder
	for _, at := range ats {
		body.WriteString("C1," + at + ",completed,a@example.com,,,,,,,yes,\n")
	}
	sink := &capture{}
	var seen IDShape
	err := Run(context.Background(), Options{Config: cfg, Key: "k", Input: strings.NewReader(header + body.String()), InputName: "t.csv",
		Sink: sink, Workers: 1, PriorIDs: prior, SeenIDs: &seen}, report.New("t.csv"))
	var ids []string
	for _, c := range sink.got {
		if c.Platform == sink.got[0].Platform {
			ids = append(ids, string(c.EventID))
		}
	}
	return ids, err
}

func timedKeyConfig(zone string) *config.Config {
	c := baseConfig()
	c.Region = "US"
	c.Timezone = zone
	c.Input.Columns.OrderID = []string{"id", "at"}
	return c
}

// TestAnOrderIDTimeNeedsAZone (a review of time handling): a composite
// order id that holds the appointment time, run without a timezone, wrote
// the time in whatever offset the cell stated, so the same instant written
// -05:00, Z and +08:00 made three event ids, and a night re-exported in
// UTC sent every visit again, exit 0. Such a config is refused now, naming
// timezone; with one, every spelling of the instant is one id — and it is
// the id the zone-less runs made of the cells whose offsets are the
// zone's, so an installation that sets its zone sends nothing again, and
// the zone-change stop stays quiet for it while it still stops one whose
// offsets were not the zone's.
func TestAnOrderIDTimeNeedsAZone(t *testing.T) {
	noZone := timedKeyConfig("")
	err := noZone.Validate()
	var ce *config.Error
	if err == nil || !errors.As(err, &ce) || !strings.Contains(err.Error(), "timezone: ") || !strings.Contains(err.Error(), "input.columns.order_id") {
		t.Fatalf("a composite order id with the appointment time and no timezone: %v; want refused, naming timezone", err)
	}
	for _, cols := range [][]string{{"id", "at"}, {"id", " AT "}} {
		c := timedKeyConfig("")
		c.Input.Columns.OrderID = cols
		if c.Validate() == nil {
			t.Errorf("order_id %q without a timezone: valid", cols)
		}
	}
	if c := timedKeyConfig(""); true {
		c.Input.Columns.OrderID = []string{"id"}
		if err := c.Validate(); err != nil {
			t.Errorf("a single order id column without a timezone: %v", err)
		}
	}

	// What the zone-less runs made (the config as older hashgates ran it):
	// winter -05:00 and summer -04:00, New York's own offsets.
	winter, summer := "2026-11-20T09:30:00-05:00", "2026-07-20T09:30:00-04:00"
	old, err := keyZoneRun(t, noZone, nil, winter, summer)
	if err != nil || len(old) != 2 {
		t.Fatalf("zone-less run: %v, %d ids", err, len(old))
	}
	ny := timedKeyConfig("America/New_York")
	if err := ny.Validate(); err != nil {
		t.Fatal(err)
	}
	for _, spelled := range [][2]string{
		{winter, summer},
		{"2026-11-20T14:30:00Z", "2026-07-20T13:30:00Z"},
		{"2026-11-20T22:30:00+08:00", "2026-07-20T21:30:00+08:00"},
		{"2026-11-20 09:30", "2026-07-20 09:30"},
	} {
		for i, at := range spelled {
			ids, err := keyZoneRun(t, ny, nil, at)
			if err != nil || len(ids) != 1 || ids[0] != old[i] {
				t.Errorf("%s under America/New_York: ids %v (%v); want %s, the zone-less run's of %s", at, ids, err, old[i], spelled[0])
			}
		}
	}

	// The first run with the zone, over a ledger whose last upload had none.
	none := &IDShape{Zone: keyZoneNone}
	if _, err := keyZoneRun(t, ny, none, winter, summer); err != nil {
		t.Errorf("offsets that are the zone's, after zone-less uploads: %v; want no stop", err)
	}
	if _, err := keyZoneRun(t, timedKeyConfig("UTC"), none, "2026-11-20T14:30:00Z"); err != nil {
		t.Errorf("…Z times after zone-less uploads, now under UTC (the way the stop names to keep their ids): %v", err)
	}
	if _, err := keyZoneRun(t, ny, none, "2026-11-20T14:30:00Z"); err == nil || !errors.As(err, &ce) || ce.Key != "timezone" || !strings.Contains(err.Error(), "UTC") {
		t.Errorf("…Z times after zone-less uploads, now New York's: %v; want the zone-change stop, naming timezone and how to keep the ids", err)
	}
}

// TestTheRepeatedHourKeepsBothVisits (a review of time handling): with a
// timezone the order id's time was the wall time alone, so the two 01:30s
// of the night clocks go back (-04:00, then -05:00) made one id, and the
// second visit was excluded as duplicate_order — lost. The second
// occurrence of a repeated wall time takes its offset now; every other
// time, the first occurrence and a cell without an offset (read as the
// first) keep the id they had.
func TestTheRepeatedHourKeepsBothVisits(t *testing.T) {
	ny := timedKeyConfig("America/New_York")
	d := eventid.NewDeriver("k")
	pin := func(key string) string {
		id, _ := d.Derive(key)
		return string(id)
	}
	for _, c := range []struct{ at, key string }{
		{"2026-11-01T01:30:00-04:00", "C1\x1f2026-11-01T01:30"},
		{"2026-11-01 01:30", "C1\x1f2026-11-01T01:30"},
		{"2026-11-01T01:30:00-05:00", "C1\x1f2026-11-01T01:30-05:00"},
		{"2026-11-01T00:59:00-04:00", "C1\x1f2026-11-01T00:59"},
		{"2026-11-01T02:00:00-05:00", "C1\x1f2026-11-01T02:00"},
		{"2026-03-08T03:30:00-04:00", "C1\x1f2026-03-08T03:30"},
		{"2026-11-20T09:30:00-05:00", "C1\x1f2026-11-20T09:30"},
	} {
		ids, err := keyZoneRun(t, ny, nil, c.at)
		if err != nil || len(ids) != 1 || ids[0] != pin(c.key) {
			t.Errorf("%s: ids %v (%v); want that of %q", c.at, ids, err, c.key)
		}
	}
	var body strings.Builder
	for _, at := range []string{"2026-11-01T01:30:00-04:00", "2026-11-01T01:30:00-05:00"} {
		body.WriteString("C1," + at + ",completed,a@example.com,,,,,,,yes,\n")
	}
	sink, sum := runWith(t, ny, header, body.String())
	if sum.Excluded[ReasonDuplicate] != 0 || len(sink.got) != 4 {
		t.Errorf("the two 01:30s of the repeated hour: %d conversions, excluded %v; want both visits", len(sink.got), sum.Excluded)
	}
}
