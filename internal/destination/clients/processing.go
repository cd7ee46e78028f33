package clients

import (
	"context"

	"github.com/hashgate/hashgate/internal/destination"
	"github.com/hashgate/hashgate/internal/destination/meta"
	"github.com/hashgate/hashgate/internal/platform"
)

// processingNotes say, per platform that reports no processing verdict
// per request, what is and is not known after a 200.
var processingNotes = [platform.Count]string{
	// Meta's Conversions API answers events_received and nothing later;
	// Event Match Quality is published for web events only ("EMQ is
	// currently available only for web events", Setup Quality API page),
	// and the Dataset Quality API for offline events is a beta by request
	// (developers.facebook.com/documentation/ads-commerce/conversions-api/
	// dataset-quality-api/offline-events), which `hashgate status` asks.
	platform.Meta: "Meta reports no processing verdict per event: events_received is all it says",
}

// qualityNotes stand in, per platform, for asking its match-quality API
// (the nightly upload does not ask: one request less, and the answer does
// not change from night to night).
var qualityNotes = [platform.Count]string{
	platform.Meta: "offline match quality: `hashgate status` asks Meta's Dataset Quality API for offline events (a beta by request); see Events Manager",
}

// ProcessingNote is platform p's note for the morning report, "" for a
// platform that reports processing: what its 200 means, then what it says
// about match quality — quality when given (QualityNote), else the
// standing answer.
func ProcessingNote(p platform.Platform, quality string) string {
	if int(p) >= len(processingNotes) || processingNotes[p] == "" {
		return ""
	}
	if quality == "" {
		quality = qualityNotes[p]
	}
	if quality == "" {
		return processingNotes[p]
	}
	return processingNotes[p] + "; " + quality
}

// QualityNote asks a client that can (Meta's) what its platform says about
// match quality, for the report; "" for a client that cannot. It never
// fails: "not available" is an answer.
func QualityNote(ctx context.Context, c destination.Client) string {
	note, _ := Quality(ctx, c)
	return note
}

// Quality is QualityNote with the per-event-name verdicts behind it, for
// `status --json`; both already through the answer gate.
func Quality(ctx context.Context, c destination.Client) (string, []meta.EventQuality) {
	if q, ok := c.(interface {
		DatasetQuality(context.Context) meta.Quality
	}); ok {
		v := q.DatasetQuality(ctx)
		return v.Note, v.Events
	}
	return "", nil
}
