package ledger

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"
)

// eventKeyMeta is the meta key of the fingerprint of the key the ledger's
// event ids were made with (eventid.Deriver.EventKeyCheck), kept for the
// ledger as a whole by the hashgate before it kept one per destination.
// The meta table holds any key, so a ledger written before it was kept
// needs no migration: it has none, and its next upload records it.
const eventKeyMeta = "event_key"

// eventKeyDestMeta prefixes the meta key of the fingerprint kept for one
// destination (its DestinationKey follows). One per destination, not one
// per ledger (an agency's review: 15 clinics' configs in one crontab,
// none with a ledger.path, each its own secret and accounts): the second
// config's upload stopped on the first's fingerprint, told to use the
// other clinic's secret or pass --accept-new-ids, and the two configs
// stopped each other on alternate nights. A changed secret re-keys the
// ids of every destination it sends to, and each destination's
// fingerprint still stops it there.
const eventKeyDestMeta = "event_key:"

// EventKeys is what a ledger keeps of the event-id key, as the check of a
// run's secret reads it (run.checkEventKey, and the dry-run's and
// `config validate --upload`'s prediction of it).
type EventKeys struct {
	// Whole is the fingerprint kept for the ledger as a whole, before one
	// was kept per destination ("" for none). It is never written again:
	// it stands for a destination that accepted requests and has none of
	// its own yet, on a ledger of one config.
	Whole string
	// Dest maps a destination key to the fingerprint kept for it.
	Dest map[string]string
	// Delivered holds each destination key that accepted a request
	// recorded here (a test run's "validated" does not count).
	Delivered map[string]bool
	// Configs maps a destination key to the config files (absolute
	// paths) whose uploads to it this ledger recorded (SetConfigOf).
	Configs map[string][]string
}

// configOfMeta prefixes the meta key naming a config file that uploaded
// to a destination: configOfMeta + destination key + " " + the config's
// absolute path (a destination key holds no space). An agency's review
// (session 24): a config copied from another clinic, its account ids
// unchanged, sent tonight's visits to that clinic's accounts from the
// first night; the ledger the two share knows whose uploads its
// destinations had. Paths only: no cell.
const configOfMeta = "config_of:"

// queryer is what readEventKeys reads with: the ledger's connection, or a
// read transaction of PeekEventKeys.
type queryer interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

// EventKeys reads what the ledger keeps of the event-id key.
func (l *Ledger) EventKeys(ctx context.Context) (EventKeys, error) {
	return readEventKeys(ctx, l.db)
}

// PeekEventKeys reads, changing nothing, what the ledger at path keeps of
// the event-id key (as ReadWithdrawals reads; its errors are its), for a
// dry-run and `config validate --upload`: they say that an upload would
// stop on its secret. A ledger older than schema 2 holds none.
func PeekEventKeys(ctx context.Context, path string) (EventKeys, error) {
	db, tx, err := readTx(ctx, path)
	if err != nil {
		return EventKeys{}, err
	}
	defer db.Close()
	defer tx.Rollback()
	var schema int
	if err := tx.QueryRowContext(ctx, "PRAGMA user_version").Scan(&schema); err != nil {
		return EventKeys{}, err
	}
	switch {
	case schema > len(migrations):
		return EventKeys{}, fmt.Errorf("it has schema version %d; this hashgate knows %d: upgrade hashgate", schema, len(migrations))
	case schema < 2:
		return EventKeys{}, nil
	}
	return readEventKeys(ctx, tx)
}

func readEventKeys(ctx context.Context, q queryer) (EventKeys, error) {
	k := EventKeys{Dest: map[string]string{}, Delivered: map[string]bool{}, Configs: map[string][]string{}}
	rows, err := q.QueryContext(ctx, `SELECT key, value FROM meta WHERE key = ? OR key >= ? AND key < ?`,
		eventKeyMeta, eventKeyDestMeta, eventKeyDestMeta[:len(eventKeyDestMeta)-1]+";")
	if err != nil {
		return k, err
	}
	for rows.Next() {
		var key, value string
		if err := rows.Scan(&key, &value); err != nil {
			rows.Close()
			return k, err
		}
		if dest, ok := strings.CutPrefix(key, eventKeyDestMeta); ok {
			k.Dest[dest] = value
		} else {
			k.Whole = value
		}
	}
	if err := closeRows(rows); err != nil {
		return k, err
	}
	rows, err = q.QueryContext(ctx, `SELECT key FROM meta WHERE key >= ? AND key < ?`, configOfMeta, configOfMeta[:len(configOfMeta)-1]+";")
	if err != nil {
		return k, err
	}
	for rows.Next() {
		var key string
		if err := rows.Scan(&key); err != nil {
			rows.Close()
			return k, err
		}
		if dest, path, ok := strings.Cut(strings.TrimPrefix(key, configOfMeta), " "); ok {
			k.Configs[dest] = append(k.Configs[dest], path)
		}
	}
	if err := closeRows(rows); err != nil {
		return k, err
	}
	rows, err = q.QueryContext(ctx, `SELECT DISTINCT d.key FROM destinations d JOIN requests r ON r.destination = d.id
		JOIN outcomes o ON o.request = r.id WHERE o.state = 'accepted'`)
	if err != nil {
		return k, err
	}
	for rows.Next() {
		var key string
		if err := rows.Scan(&key); err != nil {
			rows.Close()
			return k, err
		}
		k.Delivered[key] = true
	}
	return k, closeRows(rows)
}

// closeRows closes rows and returns the error of their iteration.
func closeRows(rows *sql.Rows) error {
	err := rows.Err()
	if cerr := rows.Close(); err == nil {
		err = cerr
	}
	return err
}

// SetEventKeyChecks records check as the fingerprint of the event-id key
// of each destination of dests from now on: after the first upload that
// sent to it under that key, or after a person chose to go on under a new
// secret (--accept-new-ids). The other destinations' (another config's,
// on a shared ledger) stay as they are, and so does the whole ledger's.
func (l *Ledger) SetEventKeyChecks(ctx context.Context, dests []string, check string) error {
	tx, err := l.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	for _, d := range dests {
		if _, err := tx.ExecContext(ctx, `INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value`,
			eventKeyDestMeta+d, check); err != nil {
			return err
		}
	}
	return tx.Commit()
}

// SetConfigOf records that the config file at path (absolute) uploads to
// each destination of dests; the configs recorded before stay.
func (l *Ledger) SetConfigOf(ctx context.Context, dests []string, path string) error {
	tx, err := l.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	for _, d := range dests {
		if _, err := tx.ExecContext(ctx, `INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO NOTHING`,
			configOfMeta+d+" "+path, l.now().UTC().Format(time.RFC3339)); err != nil {
			return err
		}
	}
	return tx.Commit()
}
