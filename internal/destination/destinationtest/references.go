package destinationtest

import (
	"fmt"
	"net/http"
)

// Destination references (googleapis/googleapis, google/ads/datamanager/v1:
// destination.proto, event.proto, error.proto): one events:ingest request may name several
// destinations (at most 10), each with a `reference` "unique within the
// request" (destination.proto Destination.reference), and each event may
// name, in `destinationReferences`, the destinations it goes to — "If
// empty, the event will be sent to all destinations in the request"
// (event.proto Event.destination_references). Two destinations with one
// reference are DUPLICATE_DESTINATION_REFERENCE ("Two or more destinations
// in the request have the same reference.", error.proto). An event
// naming a reference no destination has is refused at
// events[N].destination_references[M]: the field path has the form Google
// uses for that field in a live answer ("events.events[0].destination_references[0]",
// quoted from a live validateOnly probe of 2026-08-08 in markegge/gtfsx
// worker/marketing/ads/oci.ts, found again 2026-12-05 — there for an event
// naming no reference at all, with the destination-account reason
// DESTINATION_ACCOUNT_ENHANCED_CONVERSIONS_TERMS_NOT_SIGNED: Google judges
// each event at each destination it goes to); the reason for an unknown
// reference is not documented — INVALID_DESTINATION ("This Destination is
// not valid.", error.proto) is this fake's choice.

// referenceRules answers a request whose references do not hold, and
// reports whether it answered.
func referenceRules(w http.ResponseWriter, req map[string]any) bool {
	refs := map[string]bool{}
	dests, _ := req["destinations"].([]any)
	for i, x := range dests {
		dst, _ := x.(map[string]any)
		ref, _ := dst["reference"].(string)
		if ref == "" {
			continue
		}
		if refs[ref] {
			RPCError(w, 400, "INVALID_ARGUMENT", "There was a problem with the request.", []violation{{
				Field: fmt.Sprintf("destinations[%d].reference", i), Description: "Two or more destinations in the request have the same reference.", Reason: "DUPLICATE_DESTINATION_REFERENCE"}})
			return true
		}
		refs[ref] = true
	}
	var vs []violation
	events, _ := req["events"].([]any)
	for i, x := range events {
		ev, _ := x.(map[string]any)
		named, _ := ev["destinationReferences"].([]any)
		for j, r := range named {
			if s, _ := r.(string); !refs[s] {
				vs = append(vs, violation{Field: fmt.Sprintf("events.events[%d].destination_references[%d]", i, j),
					Description: "This Destination is not valid.", Reason: "INVALID_DESTINATION"})
			}
		}
	}
	if len(vs) > 0 {
		RPCError(w, 400, "INVALID_ARGUMENT", "There was a problem with the request.", vs)
		return true
	}
	return false
}

// eventDests returns the "account/action" keys an event goes to: the
// destinations it names, or every destination of the request.
func eventDests(req map[string]any, ev map[string]any) []string {
	dests, _ := req["destinations"].([]any)
	named, _ := ev["destinationReferences"].([]any)
	var out []string
	for _, x := range dests {
		dst, _ := x.(map[string]any)
		if len(named) > 0 {
			ref, _ := dst["reference"].(string)
			found := false
			for _, r := range named {
				found = found || r == ref
			}
			if !found {
				continue
			}
		}
		op, _ := dst["operatingAccount"].(map[string]any)
		acct, _ := op["accountId"].(string)
		action, _ := dst["productDestinationId"].(string)
		out = append(out, acct+"/"+action)
	}
	return out
}
