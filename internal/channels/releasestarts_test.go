package channels

import (
	"context"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestStartsMovedWarns: a rolling export (each night's download starting a
// day later) gives other running totals and so new draws every night; the
// release record in the state directory notices the moved start and the
// report warns, once per move, and stays quiet while the start holds.
func TestStartsMovedWarns(t *testing.T) {
	dir := t.TempDir()
	rng := rand.New(rand.NewPCG(3, 26))
	start := time.Date(2026, 3, 10, 0, 0, 0, 0, time.UTC)
	full := randomExport(rng, start, 90, 400)
	// The same export without its first week, as tomorrow's rolling
	// download would hold it.
	var b strings.Builder
	for i, l := range strings.Split(strings.TrimSpace(full), "\n") {
		if i > 0 && strings.Split(l, ",")[1][:10] < "2026-03-17" {
			continue
		}
		b.WriteString(l + "\n")
	}
	rolled := b.String()
	key := attackKeys(1)[0]
	run := func(export string) []string {
		q := attackRequest{from: day("2026-05-01"), to: day("2026-05-31")}
		rep, _, err := Build(context.Background(), Options{
			Config: attackConfig(q), Input: strings.NewReader(export), InputName: "export.csv",
			From: q.from, To: q.to, Key: key, StateDir: dir,
		})
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, w := range rep.Warnings {
			if strings.Contains(w, "running totals") {
				out = append(out, w)
			}
		}
		return out
	}
	if w := run(full); len(w) != 0 {
		t.Fatalf("first report: %q", w)
	}
	if w := run(full); len(w) != 0 {
		t.Fatalf("the same export again: %q", w)
	}
	w := run(rolled)
	if len(w) != 1 || !strings.Contains(w[0], "2026-03-17 now, 2026-03-10 in the last report") {
		t.Fatalf("the start moved a week: %q", w)
	}
	if w := run(rolled); len(w) != 0 {
		t.Fatalf("the moved start again: %q", w)
	}
	fi, err := os.Stat(filepath.Join(dir, StartsFile))
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("%s: mode %v, want 0600", StartsFile, fi.Mode().Perm())
	}
	// An export reaching back before 1 January starts the year's running
	// totals on 1 January, wherever it starts.
	raw, _ := os.ReadFile(filepath.Join(dir, StartsFile))
	if !strings.Contains(string(raw), `"2026": "2026-03-17"`) {
		t.Errorf("record: %s", raw)
	}
	other := t.TempDir()
	d := func(s string) int32 { return dayNumber(day(s)) }
	for _, first := range []string{"2025-12-01", "2025-06-30"} {
		w, err := checkStarts(other, "/exports/branch.csv", d(first), d("2026-01-05"), d("2026-02-10"))
		if err != nil || len(w) != 0 {
			t.Fatalf("export from %s: %q, %v", first, w, err)
		}
	}
	raw, _ = os.ReadFile(filepath.Join(other, StartsFile))
	if !strings.Contains(string(raw), `"2026": "2026-01-01"`) {
		t.Errorf("record: %s", raw)
	}
}

// TestStartsAreKeptPerExport (a review of a chain of clinics): one
// analyst reports branch A, then branch B, then A again, from one state
// directory. One record for the directory warned at each report that "a
// reader holding both reports has two draws of each" — false: they are
// two exports. Each export is compared with its own last report: A, B, A
// warn never; A with its first day moved warns as before. The record
// names no export, only a digest; a record of the earlier single-export
// format is taken for the export that reads it next.
func TestStartsAreKeptPerExport(t *testing.T) {
	dir := t.TempDir()
	rng := rand.New(rand.NewPCG(5, 41))
	a := randomExport(rng, time.Date(2026, 3, 10, 0, 0, 0, 0, time.UTC), 90, 400)
	b := randomExport(rng, time.Date(2026, 3, 24, 0, 0, 0, 0, time.UTC), 80, 300)
	var rolled strings.Builder
	for i, l := range strings.Split(strings.TrimSpace(a), "\n") {
		if i > 0 && strings.Split(l, ",")[1][:10] < "2026-03-17" {
			continue
		}
		rolled.WriteString(l + "\n")
	}
	key := attackKeys(1)[0]
	const pathA, pathB = "/srv/clinics/branch-a/export.csv", "/srv/clinics/branch-b/export.csv"
	run := func(export, name string) []string {
		t.Helper()
		q := attackRequest{from: day("2026-05-01"), to: day("2026-05-31")}
		rep, _, err := Build(context.Background(), Options{
			Config: attackConfig(q), Input: strings.NewReader(export), InputName: "export.csv",
			From: q.from, To: q.to, Key: key, StateDir: dir, Export: name,
		})
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, w := range rep.Warnings {
			if strings.Contains(w, "running totals") {
				out = append(out, w)
			}
		}
		return out
	}
	for i, r := range []struct{ export, name string }{{a, pathA}, {b, pathB}, {a, pathA}, {b, pathB}, {a, pathA}} {
		if w := run(r.export, r.name); len(w) != 0 {
			t.Fatalf("report %d (branches in turn): %q", i+1, w)
		}
	}
	if w := run(rolled.String(), pathA); len(w) != 1 || !strings.Contains(w[0], "2026-03-17 now, 2026-03-10 in the last report of this export") {
		t.Fatalf("A with its first day moved: %q", w)
	}
	raw, err := os.ReadFile(filepath.Join(dir, StartsFile))
	if err != nil || strings.Contains(string(raw), "branch") || strings.Contains(string(raw), "srv") {
		t.Fatalf("the record names an export (%v):\n%s", err, raw)
	}
	// The earlier format: one record for the directory, adopted.
	if err := os.WriteFile(filepath.Join(dir, StartsFile), []byte("{\n  \"2026\": \"2026-03-10\"\n}\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if w := run(rolled.String(), pathB); len(w) != 1 {
		t.Fatalf("a record of the earlier format: %q", w)
	}
	if w := run(b, pathA); len(w) != 0 {
		t.Fatalf("another export after the adoption: %q", w)
	}
}
