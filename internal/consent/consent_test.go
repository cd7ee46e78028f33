package consent

import (
	"errors"
	"testing"
	"time"
)

func TestDecide(t *testing.T) {
	event := time.Date(2026, 11, 2, 9, 30, 0, 0, time.UTC)
	before, after := event.Add(-24*time.Hour), event.Add(time.Hour)
	p := NewPolicy([]string{"yes", " Y ", "同意", "true"}, true)
	loose := NewPolicy([]string{"yes"}, false)
	cases := []struct {
		name   string
		p      *Policy
		in     Input
		reason string
	}{
		{"granted with earlier time", p, Input{Value: "Yes", At: before, HasAt: true, Event: event}, ""},
		{"granted, same instant", p, Input{Value: "YES", At: event, HasAt: true, Event: event}, ""},
		{"configured value trimmed and folded", p, Input{Value: " y", At: before, HasAt: true, Event: event}, ""},
		{"chinese yes", p, Input{Value: "同意", At: before, HasAt: true, Event: event}, ""},
		{"blank", p, Input{Value: "  ", Event: event}, ReasonMissing},
		{"no", p, Input{Value: "no", At: before, HasAt: true, Event: event}, ReasonNotGranted},
		{"chinese no", p, Input{Value: "不同意", At: before, HasAt: true, Event: event}, ReasonNotGranted},
		{"scoped to sms", p, Input{Value: "yes - sms only", At: before, HasAt: true, Event: event}, ReasonNotGranted},
		{"scoped chinese", p, Input{Value: "同意(僅簡訊)", At: before, HasAt: true, Event: event}, ReasonNotGranted},
		{"revoked", p, Input{Value: "revoked", At: before, HasAt: true, Event: event}, ReasonNotGranted},
		{"unknown", p, Input{Value: "0", At: before, HasAt: true, Event: event}, ReasonNotGranted},
		{"time missing", p, Input{Value: "yes", Event: event}, ReasonTimeMissing},
		{"time unreadable", p, Input{Value: "yes", HasAt: true, AtErr: errors.New("x"), Event: event}, ReasonTimeInvalid},
		{"consent after visit", p, Input{Value: "yes", At: after, HasAt: true, Event: event}, ReasonAfterEvent},
		{"no timestamp rule", loose, Input{Value: "yes", Event: event}, ""},
		{"no timestamp rule still denies", loose, Input{Value: "y", Event: event}, ReasonNotGranted},
	}
	for _, c := range cases {
		if got := c.p.Decide(c.in); got != c.reason {
			t.Errorf("%s: got %q, want %q", c.name, got, c.reason)
		}
	}
}

func TestEmptyPolicyDeniesEverything(t *testing.T) {
	p := NewPolicy(nil, false)
	for _, v := range []string{"yes", "1", "true", "同意"} {
		if p.Decide(Input{Value: v}) == "" {
			t.Errorf("%q granted by an empty policy", v)
		}
	}
}
