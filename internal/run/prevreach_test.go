package run

import (
	"testing"

	"github.com/hashgate/hashgate/internal/ledger"
)

// TestErasesPreviousSecretIsJudgedByTheEventKey: erase by exports or
// order ids (events: the previous secret's event-id key fingerprint)
// judges the previous secret by the event-id key the rotation left,
// which no patient-key column enters: the rotation's passes whatever the
// column (a rotation under a config without one keeps no withdrawal
// fingerprint, and one whose column changed since keeps another's),
// another is refused. A rotation recorded before the event-id key was
// kept is judged by the withdrawals' fingerprint, as before.
func TestErasesPreviousSecretIsJudgedByTheEventKey(t *testing.T) {
	for _, c := range []struct {
		name          string
		w             ledger.Withdrawals
		check, events string
		refused       bool
	}{
		{"the rotation's, no column then", ledger.Withdrawals{PrevEventCheck: "ev-a"}, "col-a", "ev-a", false},
		{"the rotation's, another column then", ledger.Withdrawals{PrevEventCheck: "ev-a", PrevCheck: "name-a"}, "chart-a", "ev-a", false},
		{"another, no column then", ledger.Withdrawals{PrevEventCheck: "ev-a"}, "col-c", "ev-c", true},
		{"another, the same column", ledger.Withdrawals{PrevEventCheck: "ev-a", PrevCheck: "chart-a"}, "chart-a", "ev-c", true},
		{"before the event key was kept: the rotation's", ledger.Withdrawals{PrevCheck: "chart-a"}, "chart-a", "ev-a", false},
		{"before the event key was kept: another", ledger.Withdrawals{PrevCheck: "chart-a"}, "chart-c", "ev-c", true},
		{"no events made", ledger.Withdrawals{PrevEventCheck: "ev-a", PrevCheck: "chart-a"}, "chart-c", "", false},
	} {
		_, _, err := judgePrevious(c.w, c.check, "nothing was erased", c.events)
		if (err != nil) != c.refused {
			t.Errorf("%s: refused %v (%v); want %v", c.name, err != nil, err, c.refused)
		}
	}
}
