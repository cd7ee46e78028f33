package destinationtest

import "maps"

// A resend is an adjustment: what the DataManager fake does with a
// transactionId a conversion action already holds. Split from
// datamanager.go when it passed depcheck's 600 lines.

// adjust applies an adjustment to the conversion an action holds, as the
// conversion-adjustments devguide's "Supported fields" table says:
// conversionValue and currency "Overwritten. The new value replaces the
// recorded value" — only the fields the adjustment carries ("The updated
// values for the fields you want to adjust"); userData "Supplemented if
// the original event had no user data, otherwise ignored"; every other
// field (adIdentifiers.gclid, the timestamp) "Not updated". The adjustment
// still needs "All fields required for an event, including at least one
// identifier": rules (NO_IDENTIFIERS_PROVIDED) has already refused one
// without.
func adjust(prev, ev map[string]any) map[string]any {
	adj := maps.Clone(prev)
	for _, k := range []string{"conversionValue", "currency"} {
		if v, ok := ev[k]; ok {
			adj[k] = v
		}
	}
	if _, had := prev["userData"]; !had {
		if ud, ok := ev["userData"]; ok {
			adj["userData"] = ud
		}
	}
	return adj
}
