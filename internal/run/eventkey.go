package run

import (
	"context"
	"fmt"

	"github.com/hashgate/hashgate/internal/config"
	"github.com/hashgate/hashgate/internal/eventid"
	"github.com/hashgate/hashgate/internal/ledger"
	"github.com/hashgate/hashgate/internal/report"
)

// The event-id key's fingerprint (a review's month of nightly uploads): a
// changed secret makes every event id new, and the safety net (newids.go)
// sees that only when enough of tonight's conversions were delivered
// before — a small clinic's export of 18 visits went to both platforms a
// second time, exit 0. The ledger keeps a fingerprint of the key its
// uploads were made under (eventid.Deriver.EventKeyCheck, never the
// secret), and an upload under another stops before it reads the export.
// `upload --accept-new-ids`, the net's override, goes on and keeps the new
// fingerprint. A ledger without one (new, or written before it was kept)
// records tonight's after a run that went on to send.

// eventKeyCheck is one upload's check of its event-id key.
type eventKeyCheck struct {
	check  string
	record bool // the ledger keeps none, or a person accepted a new one
}

// checkEventKey compares the fingerprint of key with the one the ledger
// keeps. It returns the stop (a *config.Error naming the secret) when they
// differ, unless --accept-new-ids passes it (acc): then it warns and goes on. Runs that
// only validate (allTestRuns) neither check nor record: nothing they send
// counts anywhere.
func checkEventKey(ctx context.Context, env *Env, led *ledger.Ledger, cfg *config.Config, key string, acc *acceptance) (*eventKeyCheck, error) {
	k := &eventKeyCheck{check: eventid.NewDeriver(key).EventKeyCheck()}
	if allTestRuns(cfg) {
		return k, nil
	}
	was, err := led.EventKeyCheck(ctx)
	switch {
	case err != nil:
		return k, fmt.Errorf("ledger: %w", err)
	case was == "":
		k.record = true
		return k, nil
	case was == k.check:
		return k, nil
	case !acc.pass(report.StopSecretFingerprint):
		return k, &config.Error{Key: "secret", Problem: "the secret (HASHGATE_SECRET) is not the one the uploads in this ledger were made under: " +
			"every event id would change, and each platform would count again every visit it already holds; nothing was sent. " +
			"Run with the secret of the last upload (check the cron job's environment or secret file). " +
			"If the secret was changed on purpose, the visits already sent under the old one would be counted twice: " +
			"wait until the export no longer holds them (or cut it to the visits since the last upload), then run `hashgate upload --accept-new-ids` once; it keeps the new secret's fingerprint"}
	}
	env.Logger.Warn("the secret (HASHGATE_SECRET) is not the one the earlier uploads were made under: going on (--accept-new-ids), and the ledger keeps the new one's fingerprint")
	k.record = true
	return k, nil
}

// save records the fingerprint when the ledger is to keep it: after a run
// that read its export and went on to send (upload decides).
func (k *eventKeyCheck) save(ctx context.Context, led *ledger.Ledger) error {
	if k == nil || !k.record {
		return nil
	}
	return led.SetEventKeyCheck(ctx, k.check)
}
