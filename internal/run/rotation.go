package run

import (
	"context"

	"github.com/hashgate/hashgate/internal/config"
	"github.com/hashgate/hashgate/internal/ledger"
)

// A secret changed on purpose (a rotation) gives every visit a new event
// id, and the order id is keyed under the secret: no platform can match a
// visit sent under the new id to the one it holds under the old. The stops
// a new secret meets (the secret's fingerprint, eventkey.go; the
// withdrawals', newids.go) told the operator to run `upload
// --accept-new-ids` once, and the year-of-nights review did exactly that
// over a 7-day export: all 1,101 conversions went again under new ids, 938
// of them already delivered (Meta held 1,565 (order_id, event_time) pairs
// for 1,420 visits); a 60–90-day export would double everything in it.
// The stops now name the time through which the old secret sent and the
// safe way: every night's export under the new secret starts after it,
// until the rolling export no longer reaches back to it — not the first
// night's alone: the night after, the rolling export held the old visits
// again under ids the ledger had never seen, and a small clinic's were
// too few for the safety net (a replay of 4 nights of 3 visits: 9 of 15
// sent again, exit 0). The ledger cannot tell which of
// tonight's rows were sent under the old secret (it holds keyed ids only,
// and many visits share a minute); what it knows is that time.

// oldSecretThrough is the phrase naming the newest event sent to cfg's
// destinations, in the clinic's zone, for the stops of a new secret; ""
// when the ledger has none (or cannot say: the stop says it without).
func oldSecretThrough(ctx context.Context, led *ledger.Ledger, cfg *config.Config) string {
	if led == nil {
		return ""
	}
	t, ok, err := led.NewestSent(ctx, ledgerDestinations(cfg))
	if err != nil || !ok {
		return ""
	}
	return newestIn(cfg, t)
}

// rotationAdvice is what a stop of a new secret says of the visits the
// old one sent: the safe first night, and what --accept-new-ids over an
// export that holds them does. through is oldSecretThrough's.
func rotationAdvice(through string) string {
	when := "the newest event the last uploads sent (`hashgate ledger list` names the last upload's run; its report in the state directory's reports/ names its export)"
	if through != "" {
		when = through + ", the newest event sent under the old secret"
	}
	return "If the secret was changed on purpose, every visit already sent under the old one, dated up to " + when + ", would be sent again under a new event id, which no platform can match to the first: counted twice. " +
		"Upload under the new secret only exports whose visits all start after that — every night, until the rolling export no longer reaches back to it (cut each night's export, or pause the nightly job for the export's span) — " +
		"and the first of them with `hashgate upload --accept-new-ids`, once. An export that still holds those visits sends each of them again: with the flag, and on a later night without it too, where they are too few for the safety net to stop"
}
