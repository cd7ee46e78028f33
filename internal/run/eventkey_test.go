package run

import (
	"strings"
	"testing"

	"github.com/hashgate/hashgate/internal/config"
	"github.com/hashgate/hashgate/internal/ledger"
	"github.com/hashgate/hashgate/internal/platform"
)

// metaOnly is a config of one real Meta destination, and its ledger key.
func metaOnly(t *testing.T) (*config.Config, string) {
	t.Helper()
	cfg := config.Defaults()
	cfg.Destinations.Meta.Enabled = true
	cfg.Destinations.Meta.DatasetID = "998877"
	keys, _ := keyDests(&cfg)
	if len(keys) != 1 || !strings.HasPrefix(keys[0], "meta:") {
		t.Fatalf("destinations %v", keys)
	}
	return &cfg, keys[0]
}

// TestEventKeysPerDestination: the fingerprint kept for a destination
// stops a changed secret there whatever else the ledger holds; the one a
// ledger kept as a whole (before one per destination) stands for a
// destination that accepted requests and has none of its own, and names
// another config's uploads when there are some; a destination this config
// never delivered to stops nothing (an agency's review: the second
// clinic's config stopped on the first's fingerprint).
func TestEventKeysPerDestination(t *testing.T) {
	cfg, mine := metaOnly(t)
	const other = "google:1234567890/555000111"
	for _, c := range []struct {
		name          string
		kept          ledger.EventKeys
		stop, shared  bool
		fresh, others bool
	}{
		{name: "a new ledger", fresh: true},
		{name: "its own, the same", kept: ledger.EventKeys{Dest: map[string]string{mine: "B"}, Delivered: map[string]bool{mine: true}}},
		{name: "its own, changed", kept: ledger.EventKeys{Dest: map[string]string{mine: "A"}, Delivered: map[string]bool{mine: true}}, stop: true},
		{name: "its own, changed, whole the same", kept: ledger.EventKeys{Whole: "B", Dest: map[string]string{mine: "A"}}, stop: true},
		{name: "whole, delivered, changed", kept: ledger.EventKeys{Whole: "A", Delivered: map[string]bool{mine: true}}, stop: true, fresh: true},
		{name: "whole, delivered, same", kept: ledger.EventKeys{Whole: "B", Delivered: map[string]bool{mine: true}}, fresh: true},
		{name: "whole, delivered, changed, shared", kept: ledger.EventKeys{Whole: "A", Delivered: map[string]bool{mine: true, other: true}}, stop: true, shared: true, fresh: true},
		{name: "another config's, whole", kept: ledger.EventKeys{Whole: "A", Delivered: map[string]bool{other: true}}, fresh: true, others: true},
		{name: "another config's, its own", kept: ledger.EventKeys{Dest: map[string]string{other: "A"}, Delivered: map[string]bool{other: true}}, fresh: true, others: true},
		{name: "another destination, the same secret", kept: ledger.EventKeys{Dest: map[string]string{other: "B"}, Delivered: map[string]bool{other: true}}, fresh: true},
	} {
		v := judgeEventKeys(c.kept, cfg, "B")
		err := v.stop("")
		if (err != nil) != c.stop || v.fresh != c.fresh || v.others != c.others {
			t.Errorf("%s: stop %v, fresh %v, others %v", c.name, err, v.fresh, v.others)
			continue
		}
		if err == nil {
			continue
		}
		msg := err.Error()
		if !strings.Contains(msg, "secret:") || !strings.Contains(msg, "uploads to meta") || strings.Contains(msg, "google") {
			t.Errorf("%s: the stop names no destination, or another config's:\n%s", c.name, msg)
		}
		if got := strings.Contains(msg, "may be another config's"); got != c.shared {
			t.Errorf("%s: says another config's fingerprint: %v\n%s", c.name, got, msg)
		}
	}
	if v := judgeEventKeys(ledger.EventKeys{Dest: map[string]string{mine: "A"}}, cfg, "B"); len(v.changed) != 1 || v.changed[0] != platform.Meta {
		t.Errorf("changed %v", v.changed)
	}
}
