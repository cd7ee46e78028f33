package ledger

// Test requests: what a validation sent (Google validateOnly, Meta test
// events; Destination.Test). None is ever taken as delivered, whatever
// reached the platform: Google ingests nothing of a validateOnly request
// (docs/contract.md G12), and whether Meta counts test events is
// undocumented, so hashgate never records them as delivered (M9) — the
// real upload sends the conversions.
//
// Until schema 13 a test request was recorded as any other, sent = 1, and
// only its answer said "validated". A validation whose answer never came
// back (a connection reset) was a real send left unanswered to every
// reader: `status` counted its events as sent and never answered, the
// real upload a week later kept them back as unconfirmed past Meta's
// window and sent `ledger confirm` to the validation — which recorded
// test events as delivered, so that no upload ever sent them (a review
// of repair stories). So a request records whether it was a test when it
// is recorded, before it is sent; the readers of unanswered requests
// (Unconfirmed, Confirm, the sent times) leave test requests out, and
// `ledger stats` and `ledger list` show an unanswered one as validated
// (reason unanswered), never as sent.
//
// sent = 0 would have said "never left" of requests that did leave, to
// the readers that count a run's requests; a column says what happened.

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
)

// schemaV13 adds the column; migrateV13 fills it for the requests of
// earlier validations that the ledger can tell: those of a run and
// destination with an answer recorded validated, and those of a run
// whose stored report names the destination's test mode (or the run a
// validation). A validation killed before it stored its report and
// before any answer came back cannot be told from a real run.
const schemaV13 = `ALTER TABLE requests ADD COLUMN test INTEGER NOT NULL DEFAULT 0;
	UPDATE requests SET test = 1 WHERE sent AND (run_id, destination) IN (
		SELECT r.run_id, r.destination FROM requests r JOIN outcomes o ON o.request = r.id WHERE o.state = 'validated');`

// testReport is what migrateV13 reads of a run's stored report (the run
// package's report.Summary JSON).
type testReport struct {
	Validation   bool `json:"validation_run"`
	Destinations []struct {
		Destination  string `json:"destination"`
		TestMode     string `json:"test_mode"`
		ValidateOnly bool   `json:"validate_only"`
	} `json:"destinations"`
}

func migrateV13(ctx context.Context, tx *sql.Tx) error {
	if _, err := tx.ExecContext(ctx, schemaV13); err != nil {
		return err
	}
	rows, err := tx.QueryContext(ctx, `SELECT id, report FROM runs WHERE report LIKE '%"validation_run"%' OR report LIKE '%"test_mode"%' OR report LIKE '%"validate_only"%'`)
	if err != nil {
		return err
	}
	type mark struct{ run, platform string }
	var marks []mark
	for rows.Next() {
		var id, rep string
		if err := rows.Scan(&id, &rep); err != nil {
			rows.Close()
			return err
		}
		var r testReport
		if json.Unmarshal([]byte(rep), &r) != nil {
			continue // not a report this reads: its requests stay as they were
		}
		if r.Validation {
			marks = append(marks, mark{id, ""})
			continue
		}
		for _, d := range r.Destinations {
			if d.TestMode != "" || d.ValidateOnly {
				marks = append(marks, mark{id, d.Destination})
			}
		}
	}
	if err := rows.Close(); err != nil {
		return err
	}
	for _, m := range marks {
		// A destination is "platform:identity", or the bare platform name
		// of rows migrated from schema 1.
		if _, err := tx.ExecContext(ctx, `UPDATE requests SET test = 1 WHERE sent AND run_id = ?1 AND (?2 = '' OR destination IN
			(SELECT id FROM destinations WHERE key = ?2 OR substr(key, 1, length(?2) + 1) = ?2 || ':'))`, m.run, m.platform); err != nil {
			return err
		}
	}
	return nil
}

// testColumn is the test column as a query reads it: 0 on a ledger the
// migration tests cut to an earlier schema.
func testColumn() string {
	if len(migrations) < 13 {
		return "0"
	}
	return "r.test"
}

// realRequest is the condition that r is not a test request.
func realRequest() string { return "NOT " + testColumn() }

// unansweredReal is the condition every reader of requests sent and never
// answered applies (confirm, the unconfirmed held back, kept sent times,
// forget's count): a real request — never a validation's, schema 13 —
// with no outcome. One place, so a new reader cannot leave the test
// requests in, the mistake schema 13 mended.
func unansweredReal() string { return "o.request IS NULL AND r.sent AND " + realRequest() }

// ReasonTestUnanswered is the reason `ledger list --run` shows for the
// events of a test request whose answer never came back (shown
// validated: nothing of a validation counts, answered or not).
const ReasonTestUnanswered = "unanswered"

// ErrValidationRun: `ledger confirm` was given a run that only validated
// (its every request to the destinations selected was a test).
var ErrValidationRun = errors.New("a validation delivers nothing")

// validationOnly reports whether runID sent requests to destinations
// matching sel and every one of them was a test.
func (l *Ledger) validationOnly(ctx context.Context, runID, sel string) (bool, error) {
	rows, err := l.db.QueryContext(ctx, `SELECT d.key, min(`+testColumn()+`) FROM requests r JOIN destinations d ON d.id = r.destination
		WHERE r.sent AND r.run_id = ? GROUP BY d.key`, runID)
	if err != nil {
		return false, err
	}
	defer rows.Close()
	some, all := false, true
	for rows.Next() {
		var key string
		var test bool
		if err := rows.Scan(&key, &test); err != nil {
			return false, err
		}
		if destMatches(key, sel) {
			some, all = true, all && test
		}
	}
	return some && all, rows.Err()
}

// validationError is ErrValidationRun for runID, saying what to do.
func validationError(runID, sel string) error {
	at := ""
	if sel != "" {
		at = " to " + strings.TrimSpace(sel)
	}
	return fmt.Errorf("run %s was a validation%s (Google validate_only, Meta test events): %w, whether or not its answers came back, so there is nothing to confirm — the real upload sends its conversions", runID, at, ErrValidationRun)
}
