package channels

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/binary"
	"testing"
)

// TestRecordKeyIsTheKeyedHashOfKindAndID: a record key is the first 64
// bits of HMAC-SHA-256(key, kind || id), computed here apart from the
// releaser, for ids of every length and in any order of calls (the
// releaser reuses its hash and buffer), so sums of record keys — the cell
// keys every perturbed figure draws from — never change.
func TestRecordKeyIsTheKeyedHashOfKindAndID(t *testing.T) {
	key := []byte("0123456789abcdef0123456789abcdef")
	r := NewReleaser(key)
	want := func(kind byte, id string) uint64 {
		m := hmac.New(sha256.New, key)
		m.Write(append([]byte{kind}, id...))
		return binary.BigEndian.Uint64(m.Sum(nil))
	}
	for _, id := range []string{"", "d5037398b5f7ac69eac21a6d70190675", "x", string(make([]byte, 200)), "中文", "d5037398"} {
		if got := r.RecordKey(id); got != want(recordBooking, id) {
			t.Errorf("RecordKey(%q) = %x, want %x", id, got, want(recordBooking, id))
		}
		_ = r.Count(7, 12345) // a draw between record keys
		if got := r.r.recordKey(recordPatient, id); got != want(recordPatient, id) {
			t.Errorf("patient key of %q = %x, want %x", id, got, want(recordPatient, id))
		}
	}
}
