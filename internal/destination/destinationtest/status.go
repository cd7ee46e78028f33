package destinationtest

import (
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strings"
	"time"
)

// Processing configures the fake's asynchronous processing stage: what
// GET /v1/requestStatus:retrieve reports for a request events:ingest took.
// Each rule names its source; docs/research/processing-reasons.md has
// the reasons and what Google says of each.
type Processing struct {
	// Event, when set, decides how processing treats event i of an
	// ingested request: a PROCESSING_ERROR_REASON_… (the event failed), a
	// PROCESSING_WARNING_REASON_… (it counts, with a problem), or neither.
	// It is asked once, when the request is ingested.
	Event func(i int, ev map[string]any) (errorReason, warningReason string)
	// Delay is how long a request stays PROCESSING; default 30 minutes,
	// the wait Google asks for before the first status request ("Wait for
	// 30 minutes, then send a RetrieveRequestStatus request",
	// developers.google.com/data-manager/api/devguides/diagnostics).
	// Google gives no guarantee it is done by then; a negative Delay keeps
	// every request PROCESSING forever.
	Delay time.Duration
	// WithoutIndices answers with counts only, as Data Manager did before
	// record_indices (v1.9; absent from the discovery document before
	// revision 20261106, google.golang.org/api v0.312.0).
	WithoutIndices bool
	// FailedWithoutCounts leaves errorInfo out of a FAILED status:
	// "May not be populated in all cases" (processing_errors.proto,
	// message ErrorInfo).
	FailedWithoutCounts bool
	// RecordCountIsTheRequest makes every destination's recordCount the
	// whole request's, as IngestEventsStatus.record_count's comment reads
	// literally ("The total count of events sent in the upload request.
	// Includes all events in the request", request_status_per_destination.proto;
	// the audience statuses say "for the destination", the events one does
	// not). By default each destination counts the events sent to it, our
	// reading: which one Google answers is not documented, and hashgate
	// must read both.
	RecordCountIsTheRequest bool
}

// readQuota is Data Manager's read quota per project and minute
// (IngestionReadRequestsPerMinutePerProject: 300, separate from the
// mutate quota: "separated by service and operation type (read versus
// mutate)", developers.google.com/data-manager/api/devguides/limits;
// confirmed 2026-12-05). The per-day read quota (100,000) is not modelled.
const readQuota = 300

// processed is what processing made of one ingested request.
type processed struct {
	at          time.Time
	records     int
	dests       []processedDest
	errs, warns map[string][]int // reason → 0-based record indices, ascending
}

// processedDest is one destination of a processed request and the
// positions (in the request) of the events sent to it; nil events: all of
// them (a request of one destination, kept small for Lean benchmarks).
type processedDest struct {
	destination map[string]any
	events      map[int]bool
}

// has reports whether event i of the request went to the destination.
func (pd processedDest) has(i int) bool { return pd.events == nil || pd.events[i] }

// process decides, at ingest, the verdict a later status request will
// report; routes[i] are the destinations event i went to (eventDests).
// Called with d.mu held.
func (d *DataManager) process(requestID string, req map[string]any, routes [][]string) {
	events, _ := req["events"].([]any)
	p := &processed{at: d.Now(), records: len(events), errs: map[string][]int{}, warns: map[string][]int{}}
	// One status per destination of the request, "in the order of the
	// destinations in the original request" (ingestion_service.proto,
	// RetrieveRequestStatusResponse; the diagnostics devguide: "a separate
	// entry for each destination"), each over the events sent to it
	// (eventDests, references.go).
	dests, _ := req["destinations"].([]any)
	for _, x := range dests {
		dst, _ := x.(map[string]any)
		pd := processedDest{destination: dst}
		if len(dests) == 1 {
			p.dests = append(p.dests, pd)
			continue
		}
		pd.events = map[int]bool{}
		key := destKey(map[string]any{"destinations": []any{dst}})
		for i := range events {
			if slices.Contains(routes[i], key) {
				pd.events[i] = true
			}
		}
		p.dests = append(p.dests, pd)
	}
	if d.Processing.Event != nil {
		for i, e := range events {
			ev, _ := e.(map[string]any)
			er, wr := d.Processing.Event(i, ev)
			if er != "" {
				p.errs[er] = append(p.errs[er], i)
			}
			if wr != "" {
				p.warns[wr] = append(p.warns[wr], i)
			}
		}
	}
	d.processed[requestID] = p
}

// status is what requestStatus:retrieve knows of an ingested request.
type status struct {
	records int
}

// StatusReads counts requestStatus:retrieve calls.
func (d *DataManager) StatusReads() int {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.statusReadsTotal
}

func (d *DataManager) retrieve(w http.ResponseWriter, id string) {
	now := d.Now()
	d.mu.Lock()
	d.statusReadsTotal++
	d.reads = slices.DeleteFunc(d.reads, func(t time.Time) bool { return now.Sub(t) >= time.Minute })
	over := len(d.reads) >= readQuota
	if !over {
		d.reads = append(d.reads, now)
	}
	p, ok := d.processed[id]
	d.mu.Unlock()
	switch {
	case over:
		ReadQuotaExceeded(w, 60)
		return
	case strings.HasPrefix(id, "v-") || (!ok && id == ""):
		// "Status can only be retrieved for requests that succeed and
		// don't have validate_only=true" (error.proto INVALID_REQUEST_ID);
		// validateOnly ids start with v- (a live log, not found again:
		// docs/research/contract-notes.md G2.5).
		RPCError(w, 400, "INVALID_ARGUMENT", "There was a problem with the request.",
			[]violation{{Field: "request_id", Description: "Status can only be retrieved for requests that succeed and don't have validate_only=true.", Reason: "INVALID_REQUEST_ID"}})
		return
	case !ok:
		RPCError(w, 404, "NOT_FOUND", "Request not found.", nil)
		return
	}
	delay := d.Processing.Delay
	if delay == 0 {
		delay = 30 * time.Minute
	}
	var entries []any
	for _, pd := range p.dests {
		entries = append(entries, d.destStatus(p, pd, delay < 0 || now.Sub(p.at) < delay))
	}
	writeStatus(w, entries)
}

// destStatus is one destination's RequestStatusPerDestination: its
// errors and warnings are those of the events sent to it, their indices
// positions in the request (our reading: how Google indexes the records
// of a two-destination request is not documented).
func (d *DataManager) destStatus(p *processed, pd processedDest, pending bool) map[string]any {
	dest := pd.destination
	if dest == nil {
		dest = map[string]any{}
	}
	entry := map[string]any{"destination": dest}
	if pending {
		entry["requestStatus"] = "PROCESSING"
		return entry
	}
	own := func(m map[string][]int) map[string][]int {
		out := map[string][]int{}
		for reason, ix := range m {
			for _, i := range ix {
				if pd.has(i) {
					out[reason] = append(out[reason], i)
				}
			}
		}
		return out
	}
	errs, warns := own(p.errs), own(p.warns)
	failed := map[int]bool{}
	for _, ix := range errs {
		for _, i := range ix {
			failed[i] = true
		}
	}
	records := p.records
	if pd.events != nil {
		records = len(pd.events)
	}
	result := "SUCCESS"
	switch {
	case len(failed) == records && records > 0:
		result = "FAILED"
	case len(failed) > 0:
		result = "PARTIAL_SUCCESS"
	}
	if d.Processing.RecordCountIsTheRequest {
		records = p.records
	}
	entry["requestStatus"] = result
	// recordCount is an int64: a JSON string (discovery: format int64,
	// type string). It counts every record "regardless of whether they
	// were successfully ingested or not" (request_status_per_destination.proto).
	entry["eventsIngestionStatus"] = map[string]any{"recordCount": fmt.Sprint(records)}
	if !(result == "FAILED" && d.Processing.FailedWithoutCounts) {
		entry["errorInfo"] = map[string]any{"errorCounts": d.counts(errs)}
	}
	if len(warns) > 0 {
		entry["warningInfo"] = map[string]any{"warningCounts": d.counts(warns)}
	}
	return entry
}

// counts renders reason → indices as ErrorCount/WarningCount: reason,
// recordCount as a JSON string, recordIndices as JSON numbers (discovery
// items: integer, format int32), 0-based positions in the request.
func (d *DataManager) counts(m map[string][]int) []map[string]any {
	out := []map[string]any{}
	for _, reason := range slices.Sorted(maps.Keys(m)) {
		c := map[string]any{"reason": reason, "recordCount": fmt.Sprint(len(m[reason]))}
		if !d.Processing.WithoutIndices {
			c["recordIndices"] = m[reason]
		}
		out = append(out, c)
	}
	return out
}

func writeStatus(w http.ResponseWriter, entries []any) {
	writeJSON(w, map[string]any{"requestStatusPerDestination": entries})
}
