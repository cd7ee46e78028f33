package run

import (
	"context"

	"github.com/hashgate/hashgate/internal/config"
	"github.com/hashgate/hashgate/internal/eventid"
	"github.com/hashgate/hashgate/internal/ledger"
)

// The rotation's first night. The clinic sets the new secret as
// HASHGATE_SECRET and the old one as HASHGATE_PREVIOUS_SECRET in the
// evening; the rotation is recorded by the night's upload, once it goes
// on (prevsecret.go). Until then every record in the ledger — the event
// ids, the withdrawals, their fingerprints — is the old secret's, and
// `ledger erase` and `unrevoke --patients` refused the old one as
// "another secret" (exit 2): a patient's erasure that evening had to wait
// for the upload, and a person re-run it with the secrets swapped by
// hand. They act then exactly as they did the day before, under the old
// secret alone (underFirstNight): the upload that records the rotation
// moves what they kept, as it moves every withdrawal, as the patients
// reappear.

// underFirstNight returns the env and config erase and unrevoke act
// under, and whether it is the rotation's first night at the ledger at
// lpath: the previous secret given (previousKey), the ledger's event ids
// made under it for cfg's destinations and not under the secret (or,
// where it keeps no fingerprint of them, its withdrawals under it), and
// its withdrawals under no other. Then the config's secret is the
// previous one, and no previous secret is given. Anything it cannot read
// is not the first night: the command says why.
func underFirstNight(ctx context.Context, env *Env, cfg *config.Config, lpath string) (*Env, *config.Config, bool) {
	prev, prevCheck, err := previousKey(env, cfg.Secret, cfg.Input.Columns.PatientKey)
	if err != nil || prev == "" {
		return env, cfg, false
	}
	keys, err := ledger.PeekEventKeys(ctx, lpath)
	if err != nil {
		return env, cfg, false
	}
	revoked, err := ledger.PeekRevokedKey(ctx, lpath)
	if err != nil || revoked != "" && revoked != prevCheck {
		return env, cfg, false
	}
	underPrev := judgeEventKeys(keys, cfg, eventid.NewDeriver(prev).EventKeyCheck()).changed
	underNew := judgeEventKeys(keys, cfg, eventid.NewDeriver(cfg.Secret).EventKeyCheck()).changed
	if len(underPrev) > 0 || len(underNew) == 0 && revoked != prevCheck {
		return env, cfg, false
	}
	e, c := *env, *cfg
	e.PreviousSecret, c.Secret = "", prev
	return &e, &c, true
}
