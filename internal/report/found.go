package report

// FoundFailure is one destination's events of earlier runs that failed
// processing with one reason, first read since the upload before this
// one: the night that finds them exits 3, and the next one, finding none
// new, exits 0 again.
type FoundFailure struct {
	Destination string `json:"destination"`
	Reason      string `json:"reason"`
	Events      int64  `json:"events"`
	// ResentByNextUpload: a resend can overcome the reason, and the next
	// upload sends these events again.
	ResentByNextUpload bool `json:"resent_by_next_upload"`
}
