// Package eventid derives the deterministic id of a conversion.
//
// The id is HMAC-SHA256, keyed with the clinic's secret, over the order id,
// truncated to 32 hex characters (128 bits). It is sent as Meta's event_id
// and order_id and as Google's transactionId. Google makes a known
// transactionId an adjustment of that conversion (value and currency
// overwritten, nothing counted twice). Meta deduplicates physical_store
// events "order_id based or user based" on event_time and event_name, and
// "the maximum deduplication window is 7 days" (offline-events page, "Set
// Up Deduplication"): a resend to Meta is harmless only within 7 days, and
// after that only hashgate's ledger prevents a double count (package run's
// dedupWindow keeps a ledger that never delivered to a dataset, and resends
// after a crash, inside platform.Spec.DedupSafe). Google refuses an all-digit transactionId: such an id (about
// one in 3.4 million) travels to Google with a letter prefix
// (platform.GoogleTransactionID), never changed anywhere else.
// Keyed, it reveals nothing about chart numbers or appointment ids: without
// the secret nobody can test a guess. 32 hex characters fit both platforms'
// id fields.
//
// The order id alone is hashed, not the appointment time: an export that
// later corrects a time must not turn one visit into two conversions. An
// export without an appointment number has a composite order id (chart
// number + visit date + visit time): there the date and time parts enter
// as the time read, not as written (export.Row.OrderKey), so a re-saved
// export whose dates are spelt another way keeps its ids. Ids made before
// that from the cells as written are still honoured by the ledger's dual
// lookup (ledger/newids.go).
package eventid

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/binary"
	"hash"

	"github.com/hashgate/hashgate/internal/lowerhex"
)

// DemoKey is the documented, public key used by dry-runs without a secret so
// the bundled example runs with no set-up. Its ids are guessable; uploads
// refuse it.
const DemoKey = "hashgate-demo-key-NOT-SECRET"

// Len is the length of an id in hex characters.
const Len = 32

// Shaped reports whether s is written as an id is: Len lower-case hex
// characters. A revocations file may list event ids beside order ids and
// patient keys, and `hashgate check` says which it cannot judge without
// the uploads' secret.
func Shaped(s string) bool {
	if len(s) != Len {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
			return false
		}
	}
	return true
}

// domain separates these HMACs from any other use of the same secret.
const domain = "hashgate/event-id/v1\x00"

// bookingDomain is the namespace of bookings' ids (conversion.bookings):
// the same order id keyed under another domain, so a booking's id is
// never its visit's — two events, each deduplicated on its own by the
// platforms (Google's transactionId per conversion action, Meta's
// order_id with the event name) and by the ledger — and is as stable as
// the visit's: made from the same order key.
const bookingDomain = "hashgate/booking-id/v1\x00"

// revokedDomain namespaces the keyed digest of a revoked patient's key,
// which the ledger keeps so that a withdrawal outlives its row
// (Deriver.RevokedPatient): never an event id.
const revokedDomain = "hashgate/revoked-patient/v1\x00"

// revokedIdentifierDomain namespaces the keyed digest of an identifier
// (an email, a phone number) a withdrawn patient's row carried
// (Deriver.RevokedIdentifier): never an event id, nor a patient's digest.
const revokedIdentifierDomain = "hashgate/revoked-identifier/v1\x00"

// eventKeyDomain namespaces the fingerprint of the event-id key
// (Deriver.EventKeyCheck): never an event id, nor any other digest.
const eventKeyDomain = "hashgate/event-key-check/v1\x00"

// ID is an event id in hex.
type ID string

// Deriver makes ids. It is not safe for concurrent use; make one per worker.
type Deriver struct {
	mac hash.Hash
	buf []byte
	sum []byte
}

// NewDeriver returns a deriver keyed with secret.
func NewDeriver(secret string) *Deriver {
	return &Deriver{mac: hmac.New(sha256.New, []byte(secret))}
}

// Derive returns the id of the conversion with the given order id and a
// 64-bit digest of it for in-memory duplicate detection.
func (d *Deriver) Derive(orderID string) (ID, uint64) {
	return d.derive(domain, orderID)
}

// DeriveBooking returns the id of the booking of the order, and its
// 64-bit digest: never the order's visit id (see bookingDomain).
func (d *Deriver) DeriveBooking(orderID string) (ID, uint64) {
	return d.derive(bookingDomain, orderID)
}

// AppendDerive appends the id Derive returns, its Len hex characters, to
// dst, and returns the digest: for a caller that keeps ids in storage of
// its own (the pipeline, one id a row: a string each was a third of the
// objects a dry-run allocated, issue 29).
func (d *Deriver) AppendDerive(dst []byte, orderID string) ([]byte, uint64) {
	return d.appendDerive(dst, domain, orderID)
}

// AppendDeriveBooking is AppendDerive for DeriveBooking's id.
func (d *Deriver) AppendDeriveBooking(dst []byte, orderID string) ([]byte, uint64) {
	return d.appendDerive(dst, bookingDomain, orderID)
}

func (d *Deriver) derive(domain, orderID string) (ID, uint64) {
	var b [Len]byte
	id, dup := d.appendDerive(b[:0], domain, orderID)
	return ID(id), dup
}

// appendDerive appends the id of orderID in domain to dst, and returns
// its 64-bit digest: the one place an id is spelled.
func (d *Deriver) appendDerive(dst []byte, domain, orderID string) ([]byte, uint64) {
	d.mac1(domain, orderID)
	return lowerhex.Append16(dst, (*[Len / 2]byte)(d.sum)), binary.BigEndian.Uint64(d.sum[Len/2:])
}

// RevokedPatient is the keyed digest of a patient key whose patient
// withdrew consent: 64 bits of HMAC-SHA256 under the secret, so the ledger
// that keeps it lets nobody without the secret test a chart number.
func (d *Deriver) RevokedPatient(patientKey string) uint64 {
	d.mac1(revokedDomain, patientKey)
	return binary.BigEndian.Uint64(d.sum)
}

// RevokedIdentifier is the keyed digest of an identifier a withdrawn
// patient's row carried — field names it (email, phone), value is the
// identifier as normalised for hashing — which the ledger keeps beside the
// patient's (RevokedPatient) so that a withdrawal outlives a new chart
// number: a practice system replaced mid-year numbers its patients anew
// under the same column, and the patient key's digest matched no one. 64
// bits of HMAC-SHA256 under the secret, as RevokedPatient's: the ledger
// lets nobody without the secret test an address or a number, and under
// another secret the same identifier makes another digest.
func (d *Deriver) RevokedIdentifier(field, value string) uint64 {
	d.mac1(revokedIdentifierDomain, field+"\x00"+value)
	return binary.BigEndian.Uint64(d.sum)
}

// RevokedKeyCheck is a fingerprint of the secret and of what the patient
// key is read from (column, the config's input.columns.patient_key), kept
// beside the remembered withdrawals: digests made under another secret,
// or of another column's values, match no patient, so the ledger tells
// when either changed under them. It is an HMAC of a fixed message and a
// column name, which tells nothing of the secret.
func (d *Deriver) RevokedKeyCheck(column string) string {
	d.mac1(revokedDomain, "\x00key-check\x00"+column)
	return string(lowerhex.Append16(nil, (*[16]byte)(d.sum[:16])))
}

// EventKeyCheck is a fingerprint of the key event ids are made with, kept
// in the ledger's meta beside what was sent (ledger.EventKeyCheck): a
// changed secret makes every id new, and every visit the platforms hold
// would be counted again, so an upload compares tonight's fingerprint
// with the one kept before it sends. It is an HMAC of a fixed label in a
// domain of its own: it tells nothing of the secret, and is no event id.
func (d *Deriver) EventKeyCheck() string {
	d.mac1(eventKeyDomain, "key-check")
	return string(lowerhex.Append16(nil, (*[16]byte)(d.sum[:16])))
}

// mac1 leaves the HMAC of domain and orderID in d.sum.
func (d *Deriver) mac1(domain, orderID string) {
	d.mac.Reset()
	d.buf = append(append(d.buf[:0], domain...), orderID...)
	d.mac.Write(d.buf)
	d.sum = d.mac.Sum(d.sum[:0])
}
