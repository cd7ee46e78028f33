package ledger

import (
	"context"
	"database/sql"
	"strings"
)

// The export that last added to a kept record — the patient keys' shape
// (keyshape.go), the long ids' counts (roundshape.go) — in package
// pipeline's KeptBy text form (a prefix of the export's SHA-256, never a
// key): a re-run of the same export (a retry after exit 3, a second cron
// run) adds nothing to a record it added to already (a review: its keys
// were counted twice).
//
// It is kept under a key of its own beside the record (keptInputKey),
// never in the record's text: an older hashgate reads those texts
// strictly — a shape's ";kind:len=n" parts, a count's three fields — so a
// digest appended to them would make it warn and replace the clinic's
// kept record with one night's. The record's text is unchanged, and an
// older hashgate reads and rewrites it as before; it knows nothing of
// this key and leaves it as it was. So the export is kept with the tag of
// the record's text it was written with (nightsTag, as the last nights'
// keys are), and read only while that text is the one kept: after an
// older hashgate added its night, no export is known, and the next run
// adds as before. A record of before this key has none: likewise.
func keptInputKey(record string) string { return "kept_input:" + record }

// keptInput returns the export kept beside the record under key, whose
// text (as read) is v; "" when none is kept, or it was kept with another
// text.
func (l *Ledger) keptInput(ctx context.Context, key, v string) (string, error) {
	if v == "" {
		return "", nil
	}
	kept, err := l.metaValue(ctx, keptInputKey(key))
	if err != nil {
		return "", err
	}
	if tag, by, ok := strings.Cut(kept, ">"); ok && tag == nightsTag(v) {
		return by, nil
	}
	return "", nil
}

// setRecord records v under key and by (the export that last added to
// it; "": none known) beside it, within tx.
func setRecord(ctx context.Context, tx *sql.Tx, key, v, by string) error {
	const set = `INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value`
	if _, err := tx.ExecContext(ctx, set, key, v); err != nil {
		return err
	}
	_, err := tx.ExecContext(ctx, set, keptInputKey(key), nightsTag(v)+">"+by)
	return err
}
