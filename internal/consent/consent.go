// Package consent decides whether an appointment row may be used at all.
//
// The gate is default-deny: a row passes only with a consent value the
// clinic listed as meaning yes. Blank, unknown, scoped ("SMS only") and
// revoked values all exclude the row, and every exclusion carries a reason
// code so the run summary can count it. The package is pure: no I/O, no
// config loading, easy to table-test.
package consent

import (
	"strings"
	"time"

	"golang.org/x/text/cases"
)

// Reason codes for rows the gate excludes.
const (
	ReasonMissing     = "consent_missing"
	ReasonNotGranted  = "consent_not_granted"
	ReasonTimeMissing = "consent_time_missing"
	ReasonTimeInvalid = "consent_time_invalid"
	ReasonAfterEvent  = "consent_after_event"
)

// Policy is the clinic's consent rule.
type Policy struct {
	granted          map[string]bool
	requireTimestamp bool
}

// NewPolicy builds a policy. granted values are compared trimmed and
// case-folded (so "YES", "Yes" and "yes" are one value).
func NewPolicy(granted []string, requireTimestamp bool) *Policy {
	p := &Policy{granted: map[string]bool{}, requireTimestamp: requireTimestamp}
	for _, g := range granted {
		if k := fold(g); k != "" {
			p.granted[k] = true
		}
	}
	return p
}

// Input is what the gate looks at for one row.
type Input struct {
	Value string // the consent cell
	// At is the consent time; HasAt is false when the cell is blank, and
	// AtErr is set when it is present but unreadable.
	At    time.Time
	HasAt bool
	AtErr error
	Event time.Time // the appointment time
}

// Decide returns "" when the row may be used, or the reason it may not.
func (p *Policy) Decide(in Input) string {
	v := fold(in.Value)
	if v == "" {
		return ReasonMissing
	}
	if !p.granted[v] {
		return ReasonNotGranted
	}
	if !p.requireTimestamp {
		return ""
	}
	switch {
	case in.AtErr != nil:
		return ReasonTimeInvalid
	case !in.HasAt:
		return ReasonTimeMissing
	case in.At.After(in.Event):
		return ReasonAfterEvent
	}
	return ""
}

// fold trims and case-folds. ASCII takes a fast path: the common "yes"/"Y"
// values should not pay for building a Caser, which is stateful and so is
// made per call rather than shared between goroutines.
func fold(s string) string {
	s = strings.TrimSpace(s)
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return cases.Fold().String(s)
		}
	}
	return strings.ToLower(s)
}
