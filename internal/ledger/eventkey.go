package ledger

import "context"

// eventKeyMeta is the meta key of the fingerprint of the key the ledger's
// event ids were made with (eventid.Deriver.EventKeyCheck). The meta
// table holds any key, so a ledger written before it was kept needs no
// migration: it has none, and its next upload records it.
const eventKeyMeta = "event_key"

// EventKeyCheck returns the fingerprint of the event-id key the uploads
// recorded in this ledger were made under, "" when none is kept (a new
// ledger, or one written before hashgate kept it).
func (l *Ledger) EventKeyCheck(ctx context.Context) (string, error) {
	return l.metaValue(ctx, eventKeyMeta)
}

// SetEventKeyCheck records check as the fingerprint of the event-id key
// from now on: after the first upload that sent under it, or after a
// person chose to go on under a new secret (--accept-new-ids).
func (l *Ledger) SetEventKeyCheck(ctx context.Context, check string) error {
	return l.setMeta(ctx, eventKeyMeta, check)
}
