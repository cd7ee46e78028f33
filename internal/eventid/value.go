package eventid

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/binary"
	"hash"
	"strconv"
	"sync"
)

// valueDomain separates value keys from event ids made with the same
// secret.
const valueDomain = "hashgate/value/v1\x00"

// ValueKeyer makes the keyed hash of what a conversion was worth — its
// value and currency, or "no value" — that the ledger keeps per accepted
// Google event so a changed fee can be restated (ledger/values.go). Keyed
// with the clinic's secret like the event ids, it never lets anyone who
// copies the ledger test a guess of an amount: the ledger holds no value,
// only whether it changed. Safe for concurrent use.
type ValueKeyer struct {
	pool sync.Pool
}

// NewValueKeyer returns a keyer keyed with secret.
func NewValueKeyer(secret string) *ValueKeyer {
	k := &ValueKeyer{}
	k.pool.New = func() any { return hmac.New(sha256.New, []byte(secret)) }
	return k
}

// Key is the 64-bit keyed hash of a value and currency; never 0, which
// the ledger reads as "not recorded". The value enters as the shortest
// decimal that reads back as the same float64, so 1200 and 1200.0 are one
// value, and a change of a cent is a change.
func (k *ValueKeyer) Key(hasValue bool, value float64, currency string) uint64 {
	mac := k.pool.Get().(hash.Hash)
	defer k.pool.Put(mac)
	mac.Reset()
	var buf [96]byte
	b := append(buf[:0], valueDomain...)
	if hasValue {
		b = strconv.AppendFloat(append(b, 'v'), value, 'g', -1, 64)
		b = append(append(b, 0), currency...)
	} else {
		b = append(b, 'n')
	}
	mac.Write(b)
	var sum [sha256.Size]byte
	return binary.BigEndian.Uint64(mac.Sum(sum[:0])) | 1
}
