package ledger

import (
	"context"
	"database/sql"
	"encoding/hex"
	"fmt"
	"time"
)

// migration is one schema step: SQL, or Go code when rows must be
// reshaped. PRAGMA user_version counts the steps applied. Never edit one
// that has shipped: add another.
type migration struct {
	sql string
	fn  func(ctx context.Context, tx *sql.Tx) error
}

// schemaV1 is the per-event schema of hashgate up to the ledger redesign.
// It is kept verbatim: old ledgers are at this version, and the migration
// test builds one with it.
const schemaV1 = `CREATE TABLE runs (
		id            TEXT PRIMARY KEY,
		started_at    TEXT NOT NULL,
		finished_at   TEXT,
		tool_version  TEXT NOT NULL,
		input_sha256  TEXT NOT NULL DEFAULT '',
		config_sha256 TEXT NOT NULL DEFAULT '',
		exit_code     INTEGER,
		report        TEXT
	);
	CREATE TABLE events (
		destination TEXT NOT NULL,
		event_id    TEXT NOT NULL,
		run_id      TEXT NOT NULL,
		state       TEXT NOT NULL CHECK (state IN ('sent', 'accepted', 'rejected', 'quarantined')),
		reason      TEXT NOT NULL DEFAULT '',
		request_id  TEXT NOT NULL DEFAULT '',
		first_at    TEXT NOT NULL,
		updated_at  TEXT NOT NULL,
		PRIMARY KEY (destination, event_id)
	) WITHOUT ROWID;
	CREATE INDEX events_run ON events (run_id);
	CREATE INDEX events_updated ON events (updated_at);`

// schemaV2 records requests, not events. See the package doc for why.
//
//   - destinations: one row per destination identity ("google:<operating
//     account>/<conversion action>", "meta:<dataset>"). A row whose key is
//     a bare platform name ("google", "meta") holds rows migrated from v1,
//     which did not know the identity; the first identity of that platform
//     to open the ledger for an upload adopts it (see adopt).
//   - requests: one row per request as the platform saw it, written before
//     it is sent, with its event ids packed as 16-byte binary in batch
//     order; or one row per group of events that never left (pre-flight
//     quarantine, sent = 0). Rowids grow with time, so inserts append.
//   - outcomes: one small row per answered request, written after the
//     answer. A request without one is "sent": its answer was never read
//     (a crash, an abandoned flight, or a batch split after a rejection,
//     whose halves have rows of their own).
//   - meta: facts about the ledger itself, such as which identity adopted
//     the migrated rows of a platform, and when.
const schemaV2 = `CREATE TABLE destinations (
		id         INTEGER PRIMARY KEY,
		key        TEXT NOT NULL UNIQUE,
		created_at TEXT NOT NULL
	);
	CREATE TABLE requests (
		id          INTEGER PRIMARY KEY,
		run_id      TEXT NOT NULL,
		destination INTEGER NOT NULL REFERENCES destinations (id),
		sent        INTEGER NOT NULL,
		at          INTEGER NOT NULL,
		n           INTEGER NOT NULL,
		event_ids   BLOB NOT NULL
	);
	CREATE INDEX requests_run ON requests (run_id);
	CREATE INDEX requests_at ON requests (at);
	CREATE TABLE outcomes (
		request    INTEGER PRIMARY KEY REFERENCES requests (id) ON DELETE CASCADE,
		state      TEXT NOT NULL CHECK (state IN ('accepted', 'validated', 'rejected', 'quarantined')),
		reason     TEXT NOT NULL DEFAULT '',
		request_id TEXT NOT NULL DEFAULT '',
		at         INTEGER NOT NULL
	);
	CREATE TABLE meta (
		key   TEXT PRIMARY KEY,
		value TEXT NOT NULL
	) WITHOUT ROWID;`

var migrations = []migration{
	{sql: schemaV1},
	{fn: migrateV2},
	{sql: schemaV3},  // processing.go
	{sql: schemaV4},  // newids.go
	{sql: schemaV5},  // processing.go: already_recorded
	{sql: schemaV6},  // requeue.go: events requeued by hand
	{sql: schemaV7},  // values.go: value keys, restatements
	{sql: schemaV8},  // revoked.go: patients who withdrew, remembered
	{sql: schemaV9},  // revoked.go: … by patient and run
	{sql: schemaV10}, // revoked.go: … from a day, when dated
	{sql: schemaV11}, // sentto.go: where within its destination each request went
	{sql: schemaV12}, // senttime.go: the event time each event went with
	{fn: migrateV13}, // testrequests.go: which requests a validation sent
	{sql: schemaV14}, // revokedids.go: the withdrawn patients' identifiers
	{sql: schemaV15}, // revokedonce.go: one record a withdrawal, not one a night
	{sql: schemaV16}, // unfolded.go: single-column order ids folded
	{fn: migrateV17}, // revokedlast.go: the last run that read a withdrawal, not a flag
	{sql: schemaV18}, // unfolded.go: a composite order id's parts folded
	{sql: schemaV19}, // revokedprev.go: withdrawals under the previous secret marked, not dated
	{sql: schemaV20}, // unfolded.go: order ids an Excel text formula wrapped read as its text
}

// migrateV2 creates the request schema and moves every v1 event into it:
// the events of one (destination, run, state, reason, request id) become
// requests of at most maxPacked ids, dated by their last update. A v1
// destination is a platform name; it stays one until an identity adopts it.
func migrateV2(ctx context.Context, tx *sql.Tx) error {
	if _, err := tx.ExecContext(ctx, schemaV2); err != nil {
		return err
	}
	rows, err := tx.QueryContext(ctx, `SELECT destination, run_id, state, reason, request_id, event_id, updated_at
		FROM events ORDER BY destination, run_id, state, reason, request_id, updated_at`)
	if err != nil {
		return err
	}
	type group struct{ dest, run, state, reason, req string }
	var (
		cur    group
		ids    []byte
		last   int64
		groups []struct {
			g    group
			ids  []byte
			last int64
		}
	)
	flush := func() {
		if len(ids) > 0 {
			groups = append(groups, struct {
				g    group
				ids  []byte
				last int64
			}{cur, ids, last})
		}
		ids, last = nil, 0
	}
	for rows.Next() {
		var g group
		var id, updated string
		if err := rows.Scan(&g.dest, &g.run, &g.state, &g.reason, &g.req, &id, &updated); err != nil {
			rows.Close()
			return err
		}
		if g != cur || len(ids) >= maxPacked*idLen {
			flush()
			cur = g
		}
		b, err := hex.DecodeString(id)
		if err != nil || len(b) != idLen {
			rows.Close()
			return fmt.Errorf("event id %q is not %d hex characters", id, 2*idLen)
		}
		ids = append(ids, b...)
		t, err := time.Parse(time.RFC3339Nano, updated)
		if err != nil {
			rows.Close()
			return fmt.Errorf("event updated_at %q: %w", updated, err)
		}
		last = max(last, t.UnixMilli())
	}
	if err := rows.Close(); err != nil {
		return err
	}
	flush()
	dests := map[string]int64{}
	for _, gr := range groups {
		d, ok := dests[gr.g.dest]
		if !ok {
			if err := tx.QueryRowContext(ctx, `INSERT INTO destinations (key, created_at) VALUES (?, ?) RETURNING id`,
				gr.g.dest, time.UnixMilli(gr.last).UTC().Format(time.RFC3339Nano)).Scan(&d); err != nil {
				return err
			}
			dests[gr.g.dest] = d
		}
		sent := 1
		if gr.g.state == StateQuarantined && gr.g.req == "" {
			sent = 0 // v1 cannot tell a pre-flight quarantine from an isolated one; neither matters for resending
		}
		var reqID int64
		if err := tx.QueryRowContext(ctx, `INSERT INTO requests (run_id, destination, sent, at, n, event_ids) VALUES (?, ?, ?, ?, ?, ?) RETURNING id`,
			gr.g.run, d, sent, gr.last, len(gr.ids)/idLen, gr.ids).Scan(&reqID); err != nil {
			return err
		}
		if gr.g.state == StateSent {
			continue
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO outcomes (request, state, reason, request_id, at) VALUES (?, ?, ?, ?, ?)`,
			reqID, gr.g.state, gr.g.reason, gr.g.req, gr.last); err != nil {
			return err
		}
	}
	if len(dests) > 0 {
		if _, err := tx.ExecContext(ctx, `INSERT INTO meta (key, value) VALUES ('migrated_v1_at', ?)`, time.Now().UTC().Format(time.RFC3339)); err != nil {
			return err
		}
	}
	_, err = tx.ExecContext(ctx, `DROP TABLE events`)
	return err
}
