package destinationtest

import (
	"encoding/json"
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
}

// readQuota is Data Manager's read quota per project and minute
// (IngestionReadRequestsPerMinutePerProject: 300; developers.google.com/
// data-manager/api/limits), separate from the ingest quota.
const readQuota = 300

// processed is what processing made of one ingested request.
type processed struct {
	at          time.Time
	records     int
	destination map[string]any
	errs, warns map[string][]int // reason → 0-based record indices, ascending
}

// process decides, at ingest, the verdict a later status request will
// report. Called with d.mu held.
func (d *DataManager) process(requestID string, req map[string]any) {
	events, _ := req["events"].([]any)
	p := &processed{at: d.Now(), records: len(events), errs: map[string][]int{}, warns: map[string][]int{}}
	if dests, _ := req["destinations"].([]any); len(dests) > 0 {
		p.destination, _ = dests[0].(map[string]any)
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
		QuotaExceeded(w, 60)
		return
	case strings.HasPrefix(id, "v-") || (!ok && id == ""):
		// "Status can only be retrieved for requests that succeed and
		// don't have validate_only=true" (error.proto INVALID_REQUEST_ID);
		// validateOnly ids start with v- (a live log, docs/research/contract-notes.md
		// G3.4).
		RPCError(w, 400, "INVALID_ARGUMENT", "There was a problem with the request.",
			[]violation{{Field: "request_id", Description: "Status can only be retrieved for requests that succeed and don't have validate_only=true.", Reason: "INVALID_REQUEST_ID"}})
		return
	case !ok:
		RPCError(w, 404, "NOT_FOUND", "Request not found.", nil)
		return
	}
	dest := p.destination
	if dest == nil {
		dest = map[string]any{}
	}
	entry := map[string]any{"destination": dest}
	delay := d.Processing.Delay
	if delay == 0 {
		delay = 30 * time.Minute
	}
	if delay < 0 || now.Sub(p.at) < delay {
		entry["requestStatus"] = "PROCESSING"
		writeStatus(w, entry)
		return
	}
	failed := map[int]bool{}
	for _, ix := range p.errs {
		for _, i := range ix {
			failed[i] = true
		}
	}
	result := "SUCCESS"
	switch {
	case len(failed) == p.records && p.records > 0:
		result = "FAILED"
	case len(failed) > 0:
		result = "PARTIAL_SUCCESS"
	}
	entry["requestStatus"] = result
	// recordCount is an int64: a JSON string (discovery: format int64,
	// type string). It counts every record "regardless of whether they
	// were successfully ingested or not" (request_status_per_destination.proto).
	entry["eventsIngestionStatus"] = map[string]any{"recordCount": fmt.Sprint(p.records)}
	if !(result == "FAILED" && d.Processing.FailedWithoutCounts) {
		entry["errorInfo"] = map[string]any{"errorCounts": d.counts(p.errs)}
	}
	if len(p.warns) > 0 {
		entry["warningInfo"] = map[string]any{"warningCounts": d.counts(p.warns)}
	}
	writeStatus(w, entry)
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

func writeStatus(w http.ResponseWriter, entry map[string]any) {
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(map[string]any{"requestStatusPerDestination": []any{entry}})
}
