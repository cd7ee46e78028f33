package report

// The stops `upload --accept-new-ids` passes, by the names the run report
// (Summary.AcceptedStops) and the night's warning give them: the flag is
// for one night after a person checked the cause, and left in a nightly
// job it passed them all every night, unsaid. Each night with it now says
// which would have stopped the run, or that none would have.
const (
	StopNewEventIDs           = "new_event_ids"          // the safety net (ledger.Net)
	StopSecretFingerprint     = "secret_fingerprint"     // the event-id key's fingerprint
	StopOrderIDLeadingZeros   = "order_id_leading_zeros" // the order ids' shape
	StopOrderIDRounded        = "order_id_rounded"       // the order ids' shape: long ids a spreadsheet rounded
	StopOrderIDTimezone       = "order_id_timezone"      // the zone of the order ids' times
	StopPatientKeyShape       = "patient_key_shape"      // the patient keys' shape (a new numbering)
	StopWithdrawalFingerprint = "withdrawal_fingerprint" // the remembered withdrawals' key
	StopConsentWords          = "consent_words"          // the consent columns' words
	// StopStatusWords: the status words of the rows new to the ledger
	// (pipeline's freshpart.go); a status column none of whose rows in
	// the whole export is converted stops with no flag to pass it.
	StopStatusWords = "status_words"
)

// AcceptableStops are the stops --accept-new-ids passes, in the order the
// report lists those it passed.
var AcceptableStops = []string{StopNewEventIDs, StopSecretFingerprint, StopOrderIDLeadingZeros,
	StopOrderIDRounded, StopOrderIDTimezone, StopPatientKeyShape, StopWithdrawalFingerprint, StopConsentWords, StopStatusWords}
