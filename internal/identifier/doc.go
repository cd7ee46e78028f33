// Package identifier normalises personal identifiers the way each ad
// platform specifies and turns them into SHA-256 hashes.
//
// It is one of only two packages that ever hold raw personal data (the other
// is export, which reads it). Everything it hands onwards is a Sent value: a
// SHA-256 digest, or, for the two Google address fields the Data Manager API
// takes unhashed (postal code and region code), the normalised plain text.
// Sent can only be constructed here, so a sink cannot be handed a raw value by
// mistake: the type system refuses it.
//
// Google and Meta normalise differently (Google keeps the "+" of an E.164
// phone and folds Gmail dots and +tags; Meta sends phone digits without "+"
// and leaves Gmail addresses alone), so every function takes a Platform and
// the same person yields different hashes per platform. The rules follow
// docs/research/normalisation.md §4; testdata/hash-vectors.csv
// pins them with the platforms' own published vectors.
//
// Errors are *Rejection values carrying a reason code only, never the input:
// they end up in counters and summaries that a reviewer reads.
package identifier
