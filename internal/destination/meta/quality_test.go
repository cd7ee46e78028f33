package meta

import (
	"context"
	"net/http"
	"strings"
	"testing"
)

func TestDatasetQualityIsReportedNotAvailablePlainly(t *testing.T) {
	g, c := fake(t, nil)
	q := c.DatasetQuality(context.Background())
	if q.Available || !strings.Contains(q.Note, "web events only") {
		t.Errorf("web-only answer read as %+v", q)
	}
	if g.Requests() != 1 {
		t.Errorf("%d requests, want 1", g.Requests())
	}
	for _, b := range g.Bodies() {
		if strings.Contains(string(b), token) {
			t.Error("the token travelled in a body")
		}
	}

	g.QualityDenied = true
	q = c.DatasetQuality(context.Background())
	if q.Available || !strings.Contains(q.Note, "Meta 200") || !strings.Contains(q.Note, "Manage Pixel") || strings.Contains(q.Note, token) {
		t.Errorf("a refused token read as %+v", q)
	}
}

func TestDatasetQualityNeverFails(t *testing.T) {
	_, c := fake(t, func(int, http.ResponseWriter, *http.Request) bool { panic(http.ErrAbortHandler) })
	q := c.DatasetQuality(context.Background())
	if q.Available || !strings.Contains(q.Note, "not available") {
		t.Errorf("%+v", q)
	}
}
