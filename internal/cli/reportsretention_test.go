package cli

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// TestRetentionPrunesTheRunReports (the year-of-nights review): the state
// directory's reports/<run-id>.json were kept until someone deleted them,
// about 9.6 KB a night, whatever ledger.retention_days said. The upload's
// retention deletes those whose run started before its cut, by the run
// id's time (not the file's mtime), and nothing else in the directory.
func TestRetentionPrunesTheRunReports(t *testing.T) {
	clock := &simClock{t: time.Date(2026, 11, 23, 18, 30, 0, 0, time.UTC)}
	g, _, env, export := metaNights(t, clock)
	cfg := metaConfig(t, g.Start(t).URL, "ledger:\n  retention_days: 100\n")
	reports := filepath.Join(env["XDG_STATE_HOME"], "hashgate", "reports")
	n := 0
	night := func() string {
		t.Helper()
		n++
		day := clock.Now().Add(-9 * time.Hour).Format("2006-01-02")
		body := "id,at,status,email,phone,first,last,consent\n"
		for i := range 3 {
			body += fmt.Sprintf("N%02d%d,%s 1%d:00,completed,zqnight%d.%d@example.com,0912-%03d-%03d,Zqn%d,Zqm%d,yes\n", n, i, day, i, n, i, n, i, n, i)
		}
		if err := os.WriteFile(export, []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
		r := runAt(t, clock, env, "upload", "--json", "--config", cfg, export)
		var rep struct {
			RunID string `json:"run_id"`
		}
		if err := json.Unmarshal([]byte(r.stdout), &rep); r.code != ExitOK || err != nil || rep.RunID == "" {
			t.Fatalf("exit %d (%v)\n%s%s", r.code, err, r.stdout, r.stderr)
		}
		return filepath.Join(reports, rep.RunID+".json")
	}
	first := night()
	// Beside the reports: files of the user's, a name like a report's
	// that is not one, a link named like an old report, and a report
	// whose name is old but whose mtime is new.
	old := filepath.Join(reports, "20260101T000000Z-0a0b0c.json")
	touchedOld := filepath.Join(reports, "20260102T000000Z-0a0b0d.json")
	kept := []string{
		filepath.Join(reports, "notes.txt"),
		filepath.Join(reports, "20260101T000000Z-0a0b0c.json.bak"),
		filepath.Join(reports, "last.json"),
		filepath.Join(reports, "20260101T000000Z-0A0B0C.json"),
	}
	target := filepath.Join(t.TempDir(), "elsewhere.json")
	for _, p := range append(kept, old, touchedOld, target) {
		if err := os.WriteFile(p, []byte("{}\n"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	link := filepath.Join(reports, "20260103T000000Z-0a0b0e.json")
	if err := os.Symlink(target, link); err != nil {
		t.Fatal(err)
	}
	kept = append(kept, link, target)
	if err := os.Chtimes(touchedOld, clock.Now(), clock.Now()); err != nil {
		t.Fatal(err)
	}

	clock.Advance(102 * 24 * time.Hour) // the first night's events are the newest accepted yet: nothing pruned
	middle := night()
	// A report from within retention whose mtime says it is older.
	ancient := time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)
	if err := os.Chtimes(middle, ancient, ancient); err != nil {
		t.Fatal(err)
	}
	clock.Advance(24 * time.Hour) // measured from the middle night's events, 101 days after the first night
	last := night()

	for _, p := range []string{first, old, touchedOld} {
		if _, err := os.Lstat(p); !os.IsNotExist(err) {
			t.Errorf("%s, from more than 100 days before, is still there (%v)", filepath.Base(p), err)
		}
	}
	for _, p := range append(kept, middle, last) {
		if _, err := os.Lstat(p); err != nil {
			t.Errorf("%s was deleted: %v", filepath.Base(p), err)
		}
	}
}
