package ledger

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// rows counts a table's rows.
func rows(t *testing.T, l *Ledger, table string) int {
	t.Helper()
	var n int
	if err := l.db.QueryRow(`SELECT count(*) FROM ` + table).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// rememberNight has run remember patients (digest → from day) and two
// identifiers of each (digest+1000, +2000), as an upload does.
func rememberNight(t *testing.T, l *Ledger, run string, patients map[uint64]int64) int {
	t.Helper()
	ctx := context.Background()
	n, err := l.AddRevokedPatients(ctx, run, func(add func(uint64, int64) error) error {
		for d, from := range patients {
			if err := add(d, from); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := l.AddRevokedIdentifiers(ctx, run, func(add func(uint64, uint64, int64) error) error {
		for d, from := range patients {
			if err := add(d+1000, d, from); err != nil {
				return err
			}
			if err := add(d+2000, d, from); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	return n
}

// TestReSeenWithdrawalsAddNoRows: a rolling export shows a withdrawn
// patient's row night after night; the ledger kept a row per patient per
// night (and per identifier per night) forever — 53,037 rows for 900
// patients after 520 nights, a dated record of when her visits were in
// the export, past retention (a review, 2026-12-07). It keeps one record
// a patient (and one an identifier of hers): the run that first read
// the withdrawal, the first other run that read it again and the last
// (an UPDATE in place each night), so that undoing one night keeps what
// another saw. The rules' answers are the same; the file does not grow.
func TestReSeenWithdrawalsAddNoRows(t *testing.T) {
	now := t0
	path := filepath.Join(t.TempDir(), "l.db")
	l := open(t, path, clock(&now))
	patients := map[uint64]int64{}
	for i := range uint64(40) {
		patients[i+1] = 0
	}
	patients[7] = 9 * 86400 // a dated withdrawal
	var size3 int64
	for night := 1; night <= 60; night++ {
		now = t0.Add(time.Duration(night) * 24 * time.Hour)
		// the first night remembers them, the second reads them again,
		// each later one is the last to read them: every run's records
		// name them (undoing it forgets its reading)
		if n := rememberNight(t, l, fmt.Sprintf("r%d", night), patients); n != len(patients) {
			t.Errorf("night %d remembered %d patients, want %d", night, n, len(patients))
		}
		if night == 10 { // the runs' ids as long as they get here
			size3 = fileSize(t, l, path)
		}
	}
	if got := rows(t, l, "revoked_patients"); got != len(patients) {
		t.Errorf("%d rows of withdrawn patients after 60 nights, want %d (one each)", got, len(patients))
	}
	if got := rows(t, l, "revoked_identifiers"); got != 2*len(patients) {
		t.Errorf("%d rows of withdrawn identifiers after 60 nights, want %d (one each)", got, 2*len(patients))
	}
	if s := fileSize(t, l, path); s > size3 {
		t.Errorf("ledger grew from %d to %d bytes over 50 nights that remembered nothing new", size3, s)
	}
	m, err := l.RevokedPatients(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	for d, want := range patients {
		if from, ok, err := m.Get(d); err != nil || !ok || from != want {
			t.Errorf("patient %d: from %d, %v, %v; want %d", d, from, ok, err, want)
		}
	}
	w, err := l.Withdrawals(context.Background(), []uint64{3})
	if err != nil || len(w) != 3 || w[0].Run != "r1" || w[1].Run != "r2" || w[2].Run != "r60" || !w[0].At.Equal(t0.Add(24*time.Hour)) {
		t.Errorf("withdrawal of patient 3: %+v, %v; want r1 (first), r2 (read again) and r60 (last), no night between", w, err)
	}
}

// fileSize checkpoints the log and returns the database file's size.
func fileSize(t *testing.T, l *Ledger, path string) int64 {
	t.Helper()
	if _, err := l.db.Exec(`PRAGMA wal_checkpoint(TRUNCATE)`); err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	return fi.Size()
}

// TestUnrevokeRunKeepsWhatAnotherRunRead: `ledger unrevoke --run R`
// forgets the withdrawals R read that no other run the ledger keeps read:
// one R read first and a later run read again stays, remembered since
// that run; R's reading again or last of another's is forgotten and the
// other's stays. The ledger keeps three runs a withdrawal (first, again,
// last): undoing all three forgets it (patient 1).
func TestUnrevokeRunKeepsWhatAnotherRunRead(t *testing.T) {
	ctx := context.Background()
	now := t0
	l := open(t, filepath.Join(t.TempDir(), "l.db"), clock(&now))
	rememberNight(t, l, "r1", map[uint64]int64{1: 0, 2: 0})
	now = now.Add(24 * time.Hour)
	rememberNight(t, l, "r2", map[uint64]int64{1: 0, 3: 0})
	now = now.Add(24 * time.Hour)
	rememberNight(t, l, "r3", map[uint64]int64{1: 0, 3: 0, 4: 0})
	if kept, err := l.RevokedElsewhere(ctx, "r1"); err != nil || kept != 1 {
		t.Errorf("r1: %d kept elsewhere, %v; want 1 (patient 1, read again by r2)", kept, err)
	}
	if n, err := l.ForgetRevokedPatients(ctx, "r1"); err != nil || n != 2 {
		t.Fatalf("unrevoke r1: %d, %v; want 2 (patients 1 and 2)", n, err)
	}
	remembered := func(want ...uint64) {
		t.Helper()
		m, err := l.RevokedPatients(ctx)
		if err != nil {
			t.Fatal(err)
		}
		defer m.Close()
		if m.Len() != len(want) {
			t.Errorf("%d patients remembered, want %v", m.Len(), want)
		}
		for _, d := range want {
			if _, ok, err := m.Get(d); err != nil || !ok {
				t.Errorf("patient %d forgotten", d)
			}
		}
		ids, err := l.RevokedIdentifiers(ctx)
		if err != nil {
			t.Fatal(err)
		}
		defer ids.Close()
		if ids.Len() != 2*len(want) {
			t.Errorf("%d identifiers remembered, want %d (those of %v)", ids.Len(), 2*len(want), want)
		}
	}
	remembered(1, 3, 4)
	if w, err := l.Withdrawals(ctx, []uint64{1}); err != nil || len(w) != 2 || w[0].Run != "r2" || w[1].Run != "r3" {
		t.Errorf("patient 1 after unrevoking r1: %+v, %v; want remembered since r2, read again by r3", w, err)
	}
	if w, err := l.IdentifierWithdrawals(ctx, []uint64{1001}); err != nil || len(w) != 1 || w[0].Run != "r2" {
		t.Errorf("patient 1's identifier after unrevoking r1: %+v, %v; want remembered since r2", w, err)
	}
	// r3 read 1 and 3 again (r2 first): forgetting r3 keeps them.
	if n, err := l.ForgetRevokedPatients(ctx, "r3"); err != nil || n != 3 {
		t.Fatalf("unrevoke r3: %d, %v; want 3 (1 and 3 read again, 4)", n, err)
	}
	remembered(1, 3)
	if n, err := l.ForgetRevokedPatients(ctx, "r2"); err != nil || n != 2 {
		t.Fatalf("unrevoke r2: %d, %v; want 2", n, err)
	}
	if rows(t, l, "revoked_patients") != 0 || rows(t, l, "revoked_identifiers") != 0 {
		t.Errorf("%d patients and %d identifiers remembered after undoing every run that read them, want none",
			rows(t, l, "revoked_patients"), rows(t, l, "revoked_identifiers"))
	}
}

// TestUndoingBothKeptRunsKeepsAThirdsReading: r1, r2 and r3 read patient
// 7's withdrawal. `ledger unrevoke --run r1` then `--run r2` (the message
// after the first says another run remembers her) forgot her under
// schema 15's first two, though r3 read her withdrawal too, and once her
// withdrawing row had left the export her later "yes" rows were sent (a
// review, 2026-12-07). She stays, remembered since r3, the last to read
// her; undoing r3 too forgets her.
func TestUndoingBothKeptRunsKeepsAThirdsReading(t *testing.T) {
	ctx := context.Background()
	now := t0
	l := open(t, filepath.Join(t.TempDir(), "l.db"), clock(&now))
	for _, r := range []string{"r1", "r2", "r3"} {
		rememberNight(t, l, r, map[uint64]int64{7: 0})
		now = now.Add(24 * time.Hour)
	}
	for _, r := range []string{"r1", "r2"} {
		if kept, err := l.RevokedElsewhere(ctx, r); err != nil || kept != 1 {
			t.Errorf("%s: %d kept elsewhere, %v; want 1 (patient 7, read by r3 too)", r, kept, err)
		}
		if n, err := l.ForgetRevokedPatients(ctx, r); err != nil || n != 1 {
			t.Fatalf("unrevoke %s: %d, %v; want 1", r, n, err)
		}
	}
	m, err := l.RevokedPatients(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if m == nil || m.Len() != 1 {
		t.Fatalf("patient 7 forgotten after undoing r1 and r2, though r3 read her withdrawal too")
	}
	m.Close()
	ids, err := l.RevokedIdentifiers(ctx)
	if err != nil || ids == nil || ids.Len() != 2 {
		t.Fatalf("her identifiers: %v, %v; want 2 kept", ids, err)
	}
	ids.Close()
	w, err := l.Withdrawals(ctx, []uint64{7})
	if err != nil || len(w) != 1 || w[0].Run != "r3" || !w[0].At.Equal(t0.Add(48*time.Hour)) {
		t.Errorf("patient 7: %+v, %v; want one record, remembered since r3", w, err)
	}
	if kept, err := l.RevokedElsewhere(ctx, "r3"); err != nil || kept != 0 {
		t.Errorf("r3: %d kept elsewhere, %v; want 0: no other run read her", kept, err)
	}
	if n, err := l.ForgetRevokedPatients(ctx, "r3"); err != nil || n != 1 || rows(t, l, "revoked_patients") != 0 || rows(t, l, "revoked_identifiers") != 0 {
		t.Errorf("unrevoke r3: %d, %v, %d records; want 1, she is forgotten", n, err, rows(t, l, "revoked_patients"))
	}
}

// TestUndoingEveryNightOfAWrongMappingForgetsIt: a consent column mapped
// wrong for seven nights (r1…r7) withdrew patients 7 and 8 on each. The
// README's recovery — `ledger unrevoke --run` for every run that ran with
// it — left them withdrawn for good under schema 15: r3 set seen_more,
// r4…r7 wrote nothing, and undoing r7…r1 left them under "more-runs",
// which no run id undoes (a review, 2026-12-07). The record keeps the
// last run that read them instead: undoing all seven forgets them. And a
// withdrawal whose first two nights were bad, read by five good ones
// after, stays when those two are undone.
func TestUndoingEveryNightOfAWrongMappingForgetsIt(t *testing.T) {
	ctx := context.Background()
	nights := func() (*Ledger, []string) {
		now := t0
		l := open(t, filepath.Join(t.TempDir(), "l.db"), clock(&now))
		var runs []string
		for range 7 {
			r, err := l.StartRun(ctx, RunInfo{ToolVersion: "test"})
			if err != nil {
				t.Fatal(err)
			}
			rememberNight(t, l, r, map[uint64]int64{7: 0, 8: 5 * 86400})
			runs = append(runs, r)
			now = now.Add(24 * time.Hour)
		}
		return l, runs
	}
	l, runs := nights()
	for i := len(runs) - 1; i >= 0; i-- {
		if _, err := l.ForgetRevokedPatients(ctx, runs[i]); err != nil {
			t.Fatalf("unrevoke night %d: %v", i+1, err)
		}
	}
	if p, ids := rows(t, l, "revoked_patients"), rows(t, l, "revoked_identifiers"); p != 0 || ids != 0 {
		t.Errorf("%d patients and %d identifiers still withdrawn after undoing every night of the wrong mapping, want none", p, ids)
	}
	l, runs = nights()
	// in either order: night 2 first, the last moves up to read them again
	for _, r := range []string{runs[1], runs[0]} {
		if n, err := l.ForgetRevokedPatients(ctx, r); err != nil || n != 2 {
			t.Fatalf("unrevoke %s: %d, %v; want 2", r, n, err)
		}
	}
	w, err := l.Withdrawals(ctx, []uint64{7})
	if err != nil || len(w) != 1 || w[0].Run != runs[6] {
		t.Errorf("patient 7 after undoing the first two nights: %+v, %v; want remembered since night 7, the last to read her", w, err)
	}
	if rows(t, l, "revoked_patients") != 2 || rows(t, l, "revoked_identifiers") != 4 {
		t.Errorf("%d patients remembered, want 2: nights 3 to 7 read them", rows(t, l, "revoked_patients"))
	}
}

// TestEraseLeavesOneRecord: an erasure keeps one suppression record of
// the patient — the keyed digest, withdrawing every appointment, and her
// identifiers' — and no run's: the review found `ledger erase` added a
// row for run "erasure" beside the 166 nights that had read her
// withdrawal, and `ledger find` said "remembered by 91 run(s)".
func TestEraseLeavesOneRecord(t *testing.T) {
	ctx := context.Background()
	now := t0
	l := open(t, filepath.Join(t.TempDir(), "l.db"), clock(&now))
	for night := 1; night <= 5; night++ {
		now = t0.Add(time.Duration(night) * 24 * time.Hour)
		rememberNight(t, l, fmt.Sprintf("r%d", night), map[uint64]int64{11: 9 * 86400, 12: 0})
	}
	now = now.Add(time.Hour)
	if _, err := l.Erase(ctx, []ErasePatient{{Digest: 11}}, nil); err != nil {
		t.Fatal(err)
	}
	var n int
	if err := l.db.QueryRow(`SELECT count(*) FROM revoked_patients WHERE digest = 11 AND run_id = 'erasure' AND from_day = 0 AND again_run IS NULL`).Scan(&n); err != nil || n != 1 {
		t.Errorf("%d erasure records of patient 11 (%v), want 1", n, err)
	}
	if err := l.db.QueryRow(`SELECT count(*) FROM revoked_patients WHERE digest = 11`).Scan(&n); err != nil || n != 1 {
		t.Errorf("%d records of patient 11 (%v), want 1", n, err)
	}
	if err := l.db.QueryRow(`SELECT count(*) FROM revoked_identifiers WHERE patient = 11 AND run_id = 'erasure' AND from_day = 0`).Scan(&n); err != nil || n != 2 {
		t.Errorf("%d of patient 11's identifiers kept by the erasure (%v), want 2", n, err)
	}
	if err := l.db.QueryRow(`SELECT count(*) FROM revoked_identifiers WHERE patient = 11`).Scan(&n); err != nil || n != 2 {
		t.Errorf("%d of patient 11's identifier records (%v), want 2", n, err)
	}
	w, err := l.Withdrawals(ctx, []uint64{11})
	if err != nil || len(w) != 1 || !w[0].Erasure() || !w[0].At.Equal(now) || w[0].FromDay != 0 {
		t.Errorf("patient 11 after the erasure: %+v, %v; want the erasure's record alone", w, err)
	}
	// Asked with another patient's digest remembered nights before (an
	// identifier they share, the digests find looks up together), the
	// erasure is told at its own time, last — not first, as a record of
	// no run sorts (placeErasure).
	if w, err := l.Withdrawals(ctx, []uint64{11, 12}); err != nil || len(w) < 2 || !w[len(w)-1].Erasure() || w[0].Run != "r1" {
		t.Errorf("patients 11 and 12: %+v, %v; want r1's record first and the erasure's last", w, err)
	}
	// Another night reads her withdrawal again: the record stays the
	// erasure's.
	rememberNight(t, l, "r6", map[uint64]int64{11: 9 * 86400})
	if w, err := l.Withdrawals(ctx, []uint64{11}); err != nil || len(w) != 1 || !w[0].Erasure() {
		t.Errorf("patient 11 read again after the erasure: %+v, %v; want the erasure's record alone", w, err)
	}
	// r6 wrote nothing (and, unlike an upload's, has no row in runs).
	if n, err := l.ForgetRevokedPatients(ctx, "r6"); err == nil || n != 0 {
		t.Errorf("unrevoke r6 after the erasure: %d, %v; want no run of that id: its reading wrote nothing", n, err)
	}
	if rows(t, l, "revoked_patients") != 2 || rows(t, l, "revoked_identifiers") != 4 {
		t.Errorf("%d patient and %d identifier records, want 2 and 4", rows(t, l, "revoked_patients"), rows(t, l, "revoked_identifiers"))
	}
}

// TestSchema15CollapsesTheNights: a ledger of schema 14 kept a row per
// patient per run; the upgrade keeps one per patient — the run first in
// the runs' order (one retention removed before any kept), the next as
// the one that read it again, the day merged as the upload merged it
// (0 over any day, else the earliest), an erasure alone when there was
// one — and one per identifier of a patient, with its first run (the
// erasure's when she was erased).
func TestSchema15CollapsesTheNights(t *testing.T) {
	ctx := context.Background()
	now := t0
	path := filepath.Join(t.TempDir(), "l.db")
	l := open(t, path, clock(&now))
	var runs []string
	for range 3 {
		r, err := l.StartRun(ctx, RunInfo{ToolVersion: "test"})
		if err != nil {
			t.Fatal(err)
		}
		runs = append(runs, r)
		now = now.Add(24 * time.Hour)
	}
	const gone = "20250101T000000Z-aaaaaa" // retention removed it
	for _, q := range []string{
		`DROP TABLE revoked_patients`, `DROP TABLE revoked_identifiers`,
		`CREATE TABLE revoked_patients (digest INTEGER NOT NULL, run_id TEXT NOT NULL, at INTEGER NOT NULL, from_day INTEGER NOT NULL DEFAULT 0, PRIMARY KEY (digest, run_id)) WITHOUT ROWID`,
		`CREATE INDEX revoked_patients_run ON revoked_patients (run_id)`,
		`CREATE TABLE revoked_identifiers (digest INTEGER NOT NULL, patient INTEGER NOT NULL, run_id TEXT NOT NULL, at INTEGER NOT NULL, from_day INTEGER NOT NULL DEFAULT 0, PRIMARY KEY (digest, patient, run_id)) WITHOUT ROWID`,
		`CREATE INDEX revoked_identifiers_run ON revoked_identifiers (run_id)`,
		`CREATE INDEX revoked_identifiers_patient ON revoked_identifiers (patient)`,
		// patient 1: three runs, run ids' order unlike the runs' (r2 < r0 < r1 as text is not assumed)
		fmt.Sprintf(`INSERT INTO revoked_patients VALUES (1, '%s', 300, 9), (1, '%s', 100, 5), (1, '%s', 200, 7)`, runs[2], runs[0], runs[1]),
		// patient 2: a run retention removed, then a kept one; one of them undated
		fmt.Sprintf(`INSERT INTO revoked_patients VALUES (2, '%s', 50, 0), (2, '%s', 150, 4)`, gone, runs[1]),
		// patient 3: erased after two runs
		fmt.Sprintf(`INSERT INTO revoked_patients VALUES (3, '%s', 100, 6), (3, '%s', 200, 6), (3, 'erasure', 250, 0)`, runs[0], runs[1]),
		// patient 4: one run
		fmt.Sprintf(`INSERT INTO revoked_patients VALUES (4, '%s', 300, 0)`, runs[2]),
		fmt.Sprintf(`INSERT INTO revoked_identifiers VALUES (1001, 1, '%s', 200, 7), (1001, 1, '%s', 100, 5), (1001, 2, '%s', 150, 4),
			(1003, 3, '%s', 100, 6), (1003, 3, '%s', 200, 6)`, runs[1], runs[0], runs[1], runs[0], runs[1]),
		`PRAGMA user_version = 14`,
	} {
		if _, err := l.db.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	l = open(t, path, clock(&now))
	type rec struct {
		run      string
		at, from int64
		again    string
		againAt  int64
		last     string
		lastAt   int64
	}
	// patient 1's third run is schema 15's seen_more, carried by schema
	// 17 as a last reading under moreRunsRun (migrateV17).
	want := map[int64]rec{
		1: {runs[0], 100, 5, runs[1], 200, moreRunsRun, 200},
		2: {gone, 50, 0, runs[1], 150, "", 0},
		3: {"erasure", 250, 0, "", 0, "", 0},
		4: {runs[2], 300, 0, "", 0, "", 0},
	}
	got := map[int64]rec{}
	rs, err := l.db.Query(`SELECT digest, run_id, at, from_day, coalesce(again_run, ''), coalesce(again_at, 0), coalesce(last_run, ''), coalesce(last_at, 0) FROM revoked_patients`)
	if err != nil {
		t.Fatal(err)
	}
	for rs.Next() {
		var d int64
		var r rec
		if err := rs.Scan(&d, &r.run, &r.at, &r.from, &r.again, &r.againAt, &r.last, &r.lastAt); err != nil {
			t.Fatal(err)
		}
		got[d] = r
	}
	if err := rs.Close(); err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("after the upgrade:\n got %v\nwant %v", got, want)
	}
	type idRec struct {
		run      string
		at, from int64
	}
	wantIDs := map[[2]int64]idRec{
		{1001, 1}: {runs[0], 100, 5},
		{1001, 2}: {runs[1], 150, 4},
		{1003, 3}: {"erasure", 250, 0},
	}
	gotIDs := map[[2]int64]idRec{}
	rs, err = l.db.Query(`SELECT digest, patient, run_id, at, from_day FROM revoked_identifiers`)
	if err != nil {
		t.Fatal(err)
	}
	for rs.Next() {
		var k [2]int64
		var r idRec
		if err := rs.Scan(&k[0], &k[1], &r.run, &r.at, &r.from); err != nil {
			t.Fatal(err)
		}
		gotIDs[k] = r
	}
	if err := rs.Close(); err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(gotIDs) != fmt.Sprint(wantIDs) {
		t.Errorf("identifiers after the upgrade:\n got %v\nwant %v", gotIDs, wantIDs)
	}
}
