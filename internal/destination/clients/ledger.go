package clients

import (
	"github.com/hashgate/hashgate/internal/platform"
)

// processingNotes say, per platform that reports no processing verdict
// per request, what is and is not known after a 200.
var processingNotes = [platform.Count]string{
	// Meta's Conversions API answers events_received and nothing later;
	// Event Match Quality is published for web events only ("EMQ is
	// currently available only for web events", Setup Quality API page),
	// and the Dataset Quality API for offline events is a beta by request
	// (developers.facebook.com/docs/marketing-api/conversions-api/
	// dataset-quality-api/offline-events).
	platform.Meta: "Meta reports no processing verdict per event: events_received is all it says. Match quality for offline events is not available through its API (offline Dataset Quality is a beta by request); see Events Manager",
}

// ProcessingNote is platform p's note for the morning report, "" for a
// platform that reports processing.
func ProcessingNote(p platform.Platform) string {
	if int(p) < len(processingNotes) {
		return processingNotes[p]
	}
	return ""
}
