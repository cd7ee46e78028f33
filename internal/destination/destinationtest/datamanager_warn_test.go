package destinationtest

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"
)

// TestDataManagerFakeWarningSaysTheDocumentedMeaning: a field warning's
// description is the reason's meaning as Google's FieldWarning reference
// gives it — a field's name, never the event's value — unless a test asks
// for another (Hostile.WarnDescription quotes the event, the attack
// hashgate must survive).
func TestDataManagerFakeWarningSaysTheDocumentedMeaning(t *testing.T) {
	type warning struct{ Field, Reason, Description string }
	ingest := func(d *DataManager) []warning {
		t.Helper()
		d.Token, d.Now = "tok", func() time.Time { return selfNow }
		d.Warn = func(int, map[string]any) (string, string) {
			return "user_data.user_identifiers[0]", "WARNING_REASON_INVALID_CLIENT_ID"
		}
		srv := d.Start(t)
		body, _ := json.Marshal(goodIngest())
		req, _ := http.NewRequest(http.MethodPost, srv.URL+"/v1/events:ingest", bytes.NewReader(body))
		req.Header.Set("Authorization", "Bearer tok")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var got struct{ FieldWarnings []warning }
		if err := json.NewDecoder(resp.Body).Decode(&got); err != nil || resp.StatusCode != 200 {
			t.Fatalf("HTTP %d, %v", resp.StatusCode, err)
		}
		return got.FieldWarnings
	}
	w := ingest(&DataManager{})
	if len(w) != 1 || w[0].Field != "events.events[0].user_data.user_identifiers[0]" || w[0].Description != "The clientId is invalid." {
		t.Fatalf("warnings %+v, want the reference's sentence for WARNING_REASON_INVALID_CLIENT_ID", w)
	}
	if warningText("WARNING_REASON_NOT_LISTED") != warningTexts["WARNING_REASON_GENERIC"] {
		t.Error("an unlisted reason does not get the generic meaning")
	}
	h := &Hostile{}
	w = ingest(&DataManager{WarnDescription: h.WarnDescription})
	if len(w) != 1 || !strings.HasPrefix(w[0].Description, DescriptionMark) || !strings.Contains(w[0].Description, selfHash) {
		t.Fatalf("a hostile description does not quote the event: %+v", w)
	}
}
