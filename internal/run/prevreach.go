package run

import (
	"fmt"

	"github.com/hashgate/hashgate/internal/celltext"
	"github.com/hashgate/hashgate/internal/config"
	"github.com/hashgate/hashgate/internal/eventid"
	"github.com/hashgate/hashgate/internal/ledger"
	"github.com/hashgate/hashgate/internal/pipeline"
)

// The previous secret for the commands that act on listed patients'
// withdrawals: `ledger erase` and `ledger unrevoke --patients`. After a
// rotation a patient's withdrawal waits under the previous secret
// (prev_key) until she reappears, and both digested the keys listed under
// the new secret alone: an erasure left her record under the old one — a
// keyed digest of her chart number — in the ledger, and unrevoke forgot
// nothing of hers. They read HASHGATE_PREVIOUS_SECRET as every other
// command does (previousKey) and digest each key under it too; without it,
// what they could not reach is said, and the exit is 3 (partial).

// previousDeriver is the previous secret the listed keys are digested
// under too (nil: none given), and its fingerprint under column.
func previousDeriver(env *Env, key, column string) (*eventid.Deriver, string, error) {
	prev, check, err := previousKey(env, key, column)
	if err != nil || prev == "" {
		return nil, "", err
	}
	return eventid.NewDeriver(prev), check, nil
}

// previousDigests sets p's digests of key k under the previous secret d
// (as the upload matches a row under it: pipeline's priorUnderPrevious);
// nothing when d is nil.
func previousDigests(d *eventid.Deriver, k string, p *ledger.ErasePatient) {
	if d == nil {
		return
	}
	p.Previous = pipeline.RememberedDigest(d, k)
	if legacy, differs := pipeline.LegacyDigest(d, k); differs {
		p.PreviousLegacy = legacy
	}
}

// literalDigests fills p's digests of key k's text formula as written
// (="00101"), under which hashgate up to c55587c remembered a wrapped
// key's withdrawal (pipeline.LiteralDigests): an erasure reaches that
// record too. A key listed as the export shows it, ="00101", is read as
// its text already (consent's list reader).
func literalDigests(d *eventid.Deriver, k string, p *ledger.ErasePatient) {
	lit := celltext.Literal(k)
	p.Literal = pipeline.RememberedDigest(d, lit)
	if legacy, differs := pipeline.LegacyDigest(d, lit); differs {
		p.LiteralLegacy = legacy
	}
}

// judgePrevious decides, from the ledger's withdrawals (w) and the
// fingerprint of the previous secret given (check; "" for none), whether
// the keys' digests under it reach the records waiting there (use), and
// how many withdrawn patients wait there that they cannot reach
// (unreached: none was given). A previous secret other than the one they
// were made under reaches none of them: refused before anything is
// changed (nothing: what the caller did not do), rather than exit 0 with
// the patient's record left. With events (erase making event ids from
// exports or order ids: the previous secret's event-id key fingerprint,
// eventid.Deriver.EventKeyCheck; "" for none) it is refused while the
// ledger recorded a rotation at all, withdrawals waiting or not: the
// visits sent before it are under the rotation's previous secret. They
// are judged by the event-id key the rotation left (PrevEventCheck),
// which no patient-key column enters: a rotation under a config without
// one keeps no withdrawal fingerprint to judge by. A rotation recorded
// before that key was kept is judged by the withdrawals' fingerprint.
func judgePrevious(w ledger.Withdrawals, check, nothing, events string) (use bool, unreached int, err error) {
	notPrevious := func(or string) error {
		return &config.Error{Key: "secret", Problem: fmt.Sprintf(
			"%s is not the previous secret of the ledger's last rotation%s: the event ids of the visits sent before it would be made under another secret, and reach none of them; give the previous secret the last rotation's upload was given, or leave it unset to be told what may remain; %s", PreviousSecretEnv, or, nothing)}
	}
	switch waiting := w.UnderPrevious.Patients; {
	case events != "" && w.PrevEventCheck != "" && events != w.PrevEventCheck:
		return false, 0, notPrevious("")
	case events != "" && w.PrevEventCheck == "" && w.PrevCheck != "" && check != w.PrevCheck && waiting == 0:
		return false, 0, notPrevious(" (or input.columns.patient_key changed since)")
	case w.PrevCheck == "" || waiting == 0:
		// Every patient record is under the secret; identifiers waiting
		// under the previous one name their patient by the new digest.
		return false, 0, nil
	case check == "":
		return false, waiting, nil
	case check != w.PrevCheck:
		return false, 0, &config.Error{Key: "secret", Problem: fmt.Sprintf(
			"%s is not the secret the %d withdrawn patient(s) remembered only under the previous secret were made under (or input.columns.patient_key changed since): the keys listed would reach none of their records; give the previous secret the last rotation's upload was given, with the uploads' patient-key column; %s", PreviousSecretEnv, waiting, nothing)}
	}
	return true, 0, nil
}
