package ledger

import (
	"context"
	"database/sql"
)

// An erasure after a rotation keeps the patient's e-mail and phone
// records remembered under the previous secret as its suppression
// records (erasePrevious): they keep her out under a new chart number.
// Left under the previous secret they matched only while
// HASHGATE_PREVIOUS_SECRET was given, counted as waiting there (status:
// the clinic could not drop it, and a second rotation stopped while they
// did), and `unrevoke --under-previous-secret`, the knowing way past that
// stop, deleted them with the withdrawals whose patients were never seen
// again — her suppression gone. Her digest is the erasure's under the new
// secret already; her identifiers' need the identifiers themselves, which
// the exports holding her rows give (run's findRows): each is moved as an
// upload that read her row would move it (RekeyRevoked), and what stays
// is counted, for the erasure to say.

// moveErasedIdentifiers moves, of the erased patients' identifier records
// still under the previous secret (prev_key), those whose old digest a
// move names to its new one, and counts what it moved and what of theirs
// stays there. Only the listed patients' records: another patient's
// record of the same phone (a mother's, withdrawn on her own) moves when
// an upload reads a row of hers.
func moveErasedIdentifiers(ctx context.Context, tx *sql.Tx, patients []ErasePatient, moves [][2]uint64, out *Erased) error {
	moved := map[uint64]bool{} // a patient listed under two spellings of her key moves once
	for _, p := range patients {
		if p.Previous == 0 || moved[p.Digest] {
			continue // no previous secret given: nothing of hers was reached under it
		}
		moved[p.Digest] = true
		for _, m := range moves {
			n, err := moveIdentifier(ctx, tx, m[0], m[1], &p.Digest)
			if err != nil {
				return err
			}
			out.Moved += int(n)
		}
	}
	seen := map[uint64]bool{}
	for _, p := range patients {
		if seen[p.Digest] {
			continue
		}
		seen[p.Digest] = true
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM revoked_identifiers WHERE patient = ? AND prev_key != 0`, int64(p.Digest)).Scan(&n); err != nil {
			return err
		}
		out.StillPrevious += n
	}
	return nil
}
