package report

// Tonight is how many of the destination's conversions were tonight's to
// send — the summary's "N of M" denominator and uploadOutcome's fresh
// ones: all of them less those ingested in earlier runs, held back in
// earlier runs, kept back before the first upload to a windowed platform
// and left unconfirmed past its deduplication window, each said on a line
// of its own. "meta: 2 of 48 conversions ingested … held back in earlier
// runs: 46" read as 46 lost (a month of nights).
func (u Upload) Tonight() int {
	return u.Conversions - u.SkippedAlreadyAccepted - u.HeldEarlier - u.KeptBeforeFirstUpload - u.UnconfirmedPastWindow
}
