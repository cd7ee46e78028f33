package cli

import (
	"database/sql"
	"maps"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hashgate/hashgate/internal/pipeline"
)

// keptRecords is what the ledger keeps of the ids' and keys' shapes for
// the next upload (meta: the order ids' and patient keys' shapes, zones,
// nights and long counts, and the export that last added to each), by
// key.
func keptRecords(t *testing.T, env map[string]string) map[string]string {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+filepath.Join(env["XDG_STATE_HOME"], "hashgate", "ledger.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	rows, err := db.Query(`SELECT key, value FROM meta WHERE key LIKE 'order_id_%' OR key LIKE 'patient_key_%' OR key LIKE 'kept_input:%'`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	out := map[string]string{}
	for rows.Next() {
		var k, v string
		if err := rows.Scan(&k, &v); err != nil {
			t.Fatal(err)
		}
		out[k] = v
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// keptCounts is how many patient keys the kept shape counts, and how many
// long patient keys and long order ids (the first part's) the kept counts
// hold, at one destination (each upload keeps the same at all of its
// config's).
func keptCounts(t *testing.T, kept map[string]string) (keys, longKeys, longIDs int) {
	t.Helper()
	var shape pipeline.KeyShape
	var keyLong pipeline.LongShape
	var ids pipeline.IDShape
	read := map[string]bool{}
	for k, v := range kept {
		var err error
		switch {
		case strings.HasPrefix(k, "patient_key_shape:"):
			err = shape.UnmarshalText([]byte(v))
		case strings.HasPrefix(k, "patient_key_rounding:"):
			err = keyLong.UnmarshalText([]byte(v))
		case strings.HasPrefix(k, "order_id_rounding:"):
			err = ids.UnmarshalLong([]byte(v))
		default:
			continue
		}
		if err != nil {
			t.Fatalf("%s: %v", k, err)
		}
		read[strings.SplitN(k, ":", 2)[0]] = true
	}
	if len(read) != 3 {
		t.Fatalf("the ledger keeps %v of the shape and the long counts; want all three\n%v", read, kept)
	}
	return shape.Total(), keyLong.Long, ids.Long[0].Long
}

// TestAnExportRunAgainAddsNothingToTheKeptRecords: 18-digit chart numbers
// as order id and patient key, two nights of a rolling export. Before,
// the same export run again (a retry after exit 3, a second cron run)
// added its keys to the kept shape and its long ids to the kept counts a
// second time (the shape's 47 keys of night 2 counted 94). Now each kept
// record remembers the export that last added to it, and a run of that
// export leaves every record byte for byte as one run left it; a stopped
// run (exit 2) records nothing; the next night's export, one row more, is
// another export and adds its own; and a record kept without an export
// (a ledger of before) is added to as before, then known by it.
func TestAnExportRunAgainAddsNothingToTheKeptRecords(t *testing.T) {
	_, gURL := googleFake(t, nil)
	_, mURL := metaFake(t, nil)
	env := uploadEnv(t)
	cfg := twComposite(t, gURL, mURL, nil)
	night1, night2 := chartIDs(t, 0, 40, longChart(false)), chartIDs(t, 0, 47, longChart(false))
	uploadNights(t, env, cfg, []string{night1})
	k1, kl1, il1 := keptCounts(t, keptRecords(t, env))
	uploadNights(t, env, cfg, []string{night2})
	once := keptRecords(t, env)
	k2, kl2, il2 := keptCounts(t, once)
	if k2-k1 != 47 || kl2-kl1 != 47 || il2-il1 != 47 {
		t.Fatalf("night 2 added %d keys, %d long keys, %d long ids; want 47 each", k2-k1, kl2-kl1, il2-il1)
	}

	uploadNights(t, env, cfg, []string{night2, night2})
	if again := keptRecords(t, env); !maps.Equal(once, again) {
		k, kl, il := keptCounts(t, again)
		t.Fatalf("night 2 run twice more changed the kept records (keys %d → %d, long keys %d → %d, long ids %d → %d)\nonce:  %v\nagain: %v",
			k2, k, kl2, kl, il2, il, once, again)
	}

	if r := runGoogle(t, env, "", true, "upload", "--config", cfg, chartIDs(t, 0, 10, longChart(true))); r.code != ExitUsage {
		t.Fatalf("a re-saved export: exit %d, want %d\n%s", r.code, ExitUsage, r.stderr)
	}
	if after := keptRecords(t, env); !maps.Equal(once, after) {
		t.Fatalf("a stopped run changed the kept records\nbefore: %v\nafter:  %v", once, after)
	}

	night3 := chartIDs(t, 0, 48, longChart(false))
	uploadNights(t, env, cfg, []string{night3})
	k3, kl3, il3 := keptCounts(t, keptRecords(t, env))
	if k3-k2 != 48 || kl3-kl2 != 48 || il3-il2 != 48 {
		t.Fatalf("night 3 (one row more) added %d keys, %d long keys, %d long ids; want 48 each", k3-k2, kl3-kl2, il3-il2)
	}

	// A ledger of before: its records were kept without an export.
	db, err := sql.Open("sqlite", "file:"+filepath.Join(env["XDG_STATE_HOME"], "hashgate", "ledger.db"))
	if err != nil {
		t.Fatal(err)
	}
	if r, err := db.Exec(`DELETE FROM meta WHERE key LIKE 'kept_input:%'`); err != nil {
		t.Fatal(err)
	} else if n, _ := r.RowsAffected(); n == 0 {
		t.Fatal("no export kept beside the records")
	}
	db.Close()
	uploadNights(t, env, cfg, []string{night3})
	upgraded := keptRecords(t, env)
	k4, kl4, il4 := keptCounts(t, upgraded)
	if k4-k3 != 48 || kl4-kl3 != 48 || il4-il3 != 48 {
		t.Fatalf("over records of before, night 3 added %d keys, %d long keys, %d long ids; want 48 each (as before)", k4-k3, kl4-kl3, il4-il3)
	}
	uploadNights(t, env, cfg, []string{night3})
	if again := keptRecords(t, env); !maps.Equal(upgraded, again) {
		t.Fatalf("the records of before, once added to, do not know their export\nonce:  %v\nagain: %v", upgraded, again)
	}
}
