package cli

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// writeZerosRows are eight visits under a padded numbering (00001201…):
// trim, when true for a row, writes its id as a spreadsheet re-saved it.
func writeZerosRows(trim func(i int) bool) []writeRow {
	var rows []writeRow
	for i := range 8 {
		id := fmt.Sprintf("%08d", 1201+i)
		if trim(i) {
			id = fmt.Sprint(1201 + i)
		}
		rows = append(rows, writeRow{id: id, at: fmt.Sprintf("2026-12-0%d 10:00", 1+i%6), email: fmt.Sprintf("zqz%d@example.com", i), fee: "1000"})
	}
	return rows
}

// TestWriteStopsOnIdsTrimmedSinceTheUploadedFiles: week 1's Meta file,
// written from a padded export, is uploaded (moved into the --uploaded
// folder); week 2's export is the same visits with four ids re-saved
// without their zeros. Those four are visits already uploaded, under other
// event ids: written, Meta counted them again (a review: exit 0, no word).
// Metamorphic: a re-saved export must not change what reaches the file.
// write stops as upload does (exit 2, input.columns.order_id, where the
// first short id is, never the id); --accept-new-ids writes, and the file's
// shape, once it is uploaded, is the one the next file is held to.
func TestWriteStopsOnIdsTrimmedSinceTheUploadedFiles(t *testing.T) {
	env := writeFilesEnv(t)
	cfg := writeFilesConfig(t, "[email]", "[email]", "")
	sent := t.TempDir()
	clk := &simClock{t: time.Date(2026, 12, 8, 3, 0, 0, 0, time.UTC)}
	write := func(out, export string, extra ...string) result {
		args := append([]string{"write", "--format", "meta-offline-csv", "--uploaded", sent, "--out", out, "--config", cfg}, extra...)
		return runAt(t, clk, env, append(args, export)...)
	}
	out1 := filepath.Join(t.TempDir(), "week1.csv")
	if r := write(out1, writeFilesExport(t, writeZerosRows(func(int) bool { return false }))); r.code != ExitOK {
		t.Fatalf("week 1: exit %d\n%s", r.code, r.stderr)
	}
	if err := os.Rename(out1, filepath.Join(sent, "week1.csv")); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		trim func(int) bool
		line int
	}{
		{"four re-saved", func(i int) bool { return i >= 4 }, 6},
		{"all re-saved", func(int) bool { return true }, 2},
	} {
		export := writeFilesExport(t, writeZerosRows(tc.trim))
		out2 := filepath.Join(t.TempDir(), "week2.csv")
		r := write(out2, export)
		want := fmt.Sprintf("%s:%d:1", filepath.Base(export), tc.line)
		if r.code != ExitUsage || !strings.Contains(r.stderr, "input.columns.order_id") || !strings.Contains(r.stderr, want) ||
			!strings.Contains(r.stderr, "hashgate write --accept-new-ids") || !strings.Contains(r.stderr, "--uploaded files were written from") {
			t.Errorf("%s: exit %d, want %d naming input.columns.order_id at %s\n%s", tc.name, r.code, ExitUsage, want, r.stderr)
		}
		if strings.Contains(r.stderr, "1205") || strings.Contains(r.stdout, "1205") {
			t.Errorf("%s: an order id in the output:\n%s", tc.name, r.stderr)
		}
		if _, err := os.Stat(out2); err == nil {
			t.Errorf("%s: the file was written", tc.name)
		}
	}
	// The person checked: a new numbering. Written, and once uploaded its
	// shape is the one the next file is held to, a day after week 1's.
	clk.t = clk.t.Add(24 * time.Hour)
	export := writeFilesExport(t, writeZerosRows(func(i int) bool { return i >= 4 }))
	out2 := filepath.Join(t.TempDir(), "week2.csv")
	r := write(out2, export, "--accept-new-ids")
	if r.code != ExitOK {
		t.Fatalf("--accept-new-ids: exit %d\n%s", r.code, r.stderr)
	}
	if !strings.Contains(r.stderr, "accept-new-ids") {
		t.Errorf("--accept-new-ids: the run does not say what it passed:\n%s", r.stderr)
	}
	if err := os.Rename(out2, filepath.Join(sent, "week2.csv")); err != nil {
		t.Fatal(err)
	}
	all := writeZerosRows(func(i int) bool { return i >= 4 })
	all = append(all, writeRow{id: "1209", at: "2026-12-07 10:00", email: "zqz9@example.com", fee: "1000"})
	out3 := filepath.Join(t.TempDir(), "week3.csv")
	if r := write(out3, writeFilesExport(t, all)); r.code != ExitOK {
		t.Fatalf("week 3, the shape week 2's uploaded file was written from: exit %d\n%s", r.code, r.stderr)
	}
	_, rows := fileRecords(t, mustRead(t, out3))
	if len(rows) != 1 {
		t.Errorf("week 3: %d events, want the new visit alone", len(rows))
	}
	// The records hold shapes: no order id, no email, no event id.
	kept, err := filepath.Glob(filepath.Join(env["XDG_STATE_HOME"], "hashgate", "written", "*.json"))
	if err != nil || len(kept) != 3 {
		t.Fatalf("records kept: %q (%v), want one per file written", kept, err)
	}
	for _, k := range kept {
		b := mustRead(t, k)
		if strings.Contains(b, "120") || strings.Contains(b, "zqz") || strings.Contains(b, rows[0][len(rows[0])-1]) {
			t.Errorf("%s holds a raw value or an id:\n%s", filepath.Base(k), b)
		}
	}
}

// TestWriteStopsOnAFileOfOnlyUnknownIds: none of the uploaded files'
// event ids is in this export, yet its visits are dated within what they
// held — the ids changed (another secret, another order id column): the
// file would count every visit again. It stopped with a warning and exit
// 0; upload's safety net stops it (exit 2), and so does write.
func TestWriteStopsOnAFileOfOnlyUnknownIds(t *testing.T) {
	env := writeFilesEnv(t)
	cfg := writeFilesConfig(t, "[email]", "[email]", "")
	sent := t.TempDir()
	clk := &simClock{t: time.Date(2026, 12, 8, 3, 0, 0, 0, time.UTC)}
	rows := []writeRow{
		{id: "A1", at: "2026-12-01 10:00", email: "zqa1@example.com", fee: "1000"},
		{id: "A2", at: "2026-12-02 10:00", email: "zqa2@example.com", fee: "1000"},
		{id: "A3", at: "2026-12-03 10:00", email: "zqa3@example.com", fee: "1000"},
	}
	export := writeFilesExport(t, rows)
	out1 := filepath.Join(t.TempDir(), "week1.csv")
	if r := runAt(t, clk, env, "write", "--format", "meta-offline-csv", "--uploaded", sent, "--out", out1, "--config", cfg, export); r.code != ExitOK {
		t.Fatalf("week 1: exit %d\n%s", r.code, r.stderr)
	}
	if err := os.Rename(out1, filepath.Join(sent, "week1.csv")); err != nil {
		t.Fatal(err)
	}
	other := writeFilesEnv(t)
	other["HASHGATE_SECRET"] = "another-test-secret-Rk7Qm3Vz8Lp2Xw9T"
	other["XDG_STATE_HOME"] = env["XDG_STATE_HOME"]
	out2 := filepath.Join(t.TempDir(), "week2.csv")
	r := runAt(t, clk, other, "write", "--format", "meta-offline-csv", "--uploaded", sent, "--out", out2, "--config", cfg, export)
	if r.code != ExitUsage || !strings.Contains(r.stderr, "input.columns.order_id") || !strings.Contains(r.stderr, "hashgate: input.columns.order_id: none of the 3 event id(s)") {
		t.Errorf("another secret: exit %d, want %d naming input.columns.order_id\n%s", r.code, ExitUsage, r.stderr)
	}
	if _, err := os.Stat(out2); err == nil {
		t.Errorf("another secret: the file was written")
	}
	r = runAt(t, clk, other, "write", "--format", "meta-offline-csv", "--uploaded", sent, "--out", out2, "--config", cfg, "--accept-new-ids", export)
	if r.code != ExitOK {
		t.Fatalf("--accept-new-ids: exit %d\n%s", r.code, r.stderr)
	}
	// Visits dated after all the uploaded files held are new: no stop.
	later := []writeRow{
		{id: "A4", at: "2026-12-04 10:00", email: "zqa4@example.com", fee: "1000"},
		{id: "A5", at: "2026-12-05 10:00", email: "zqa5@example.com", fee: "1000"},
		{id: "A6", at: "2026-12-06 10:00", email: "zqa6@example.com", fee: "1000"},
	}
	r = runAt(t, clk, env, "write", "--format", "meta-offline-csv", "--uploaded", sent, "--out", filepath.Join(t.TempDir(), "w3.csv"), "--config", cfg, writeFilesExport(t, later))
	if r.code != ExitOK {
		t.Errorf("a week of new visits alone: exit %d\n%s", r.code, r.stderr)
	}
}
