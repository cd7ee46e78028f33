package eventid

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/binary"
	"hash"
	"math"
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
	// memo holds keys already made, valueMemoSize slots each answering
	// for the values whose bits hash to it. A clinic's fees come from a
	// price list, so an upload of a million events asks for a few hundred
	// keys a million times: the HMAC was 3.4% of make bench-upload's CPU
	// (4.97 CPU-s at 1M rows), on the senders' goroutines. A slot holds the
	// latest value that hashed to it, so an export of ever-new amounts
	// keeps its recent ones; a map with a bound (as this was) stopped
	// taking keys once full, and its lookup, a string hashed per event,
	// cost more than a miss of this one (BenchmarkValueKeyRandomFees).
	mu   sync.Mutex
	memo *[valueMemoSize]valueMemoSlot
}

// valueMemoSlot is a value key and what it was made from: a value's bits,
// which fix the decimal the key hashes (NaNs of other payloads print
// alike: one key under several bit patterns, never two keys for one
// decimal), and its currency. The currency is kept, so callers pass a
// string of their own, never a view of a reused buffer. A key is never 0
// (key), so an empty slot is one whose key is 0.
type valueMemoSlot struct {
	bits     uint64
	currency string
	has      bool
	key      uint64
}

// valueMemoSize is the memo's slots: 4096 of 40 bytes are 160 KiB.
const valueMemoSize = 1 << valueMemoBits

const valueMemoBits = 12

// NewValueKeyer returns a keyer keyed with secret.
func NewValueKeyer(secret string) *ValueKeyer {
	k := &ValueKeyer{memo: new([valueMemoSize]valueMemoSlot)}
	k.pool.New = func() any { return &valueMAC{mac: hmac.New(sha256.New, []byte(secret))} }
	return k
}

// Key is the 64-bit keyed hash of a value and currency; never 0, which
// the ledger reads as "not recorded". The value enters as the shortest
// decimal that reads back as the same float64, so 1200 and 1200.0 are one
// value, and a change of a cent is a change.
func (k *ValueKeyer) Key(hasValue bool, value float64, currency string) uint64 {
	var bits uint64
	if hasValue {
		bits = math.Float64bits(value)
	} else {
		currency = "" // without a value, neither enters the key
	}
	// Fibonacci hashing of the bits, the currency (its first eight bytes,
	// rotated away from the low bits whole fees sit in) and whether there
	// is a value: fees of a price list spread over the slots, and one fee
	// in two currencies takes two.
	var cur uint64
	for i := 0; i < len(currency) && i < 8; i++ {
		cur = cur<<8 | uint64(currency[i])
	}
	h := bits ^ (cur<<40 | cur>>24) ^ uint64(len(currency))<<52
	if hasValue {
		h ^= 1 << 63
	}
	slot := &k.memo[(h*0x9e3779b97f4a7c15)>>(64-valueMemoBits)]
	k.mu.Lock()
	if slot.key != 0 && slot.bits == bits && slot.has == hasValue && slot.currency == currency {
		v := slot.key
		k.mu.Unlock()
		return v
	}
	k.mu.Unlock()
	v := k.key(hasValue, value, currency)
	k.mu.Lock()
	*slot = valueMemoSlot{bits: bits, currency: currency, has: hasValue, key: v}
	k.mu.Unlock()
	return v
}

// valueMAC is a keyed hash with the buffers it writes and sums into:
// buffers on the stack escaped through the hash.Hash interface, two
// allocations per key (BenchmarkValueKeyMisses), for every event of an
// export whose fees the memo does not hold.
type valueMAC struct {
	mac hash.Hash
	buf []byte
	sum [sha256.Size]byte
}

// key makes the keyed hash itself.
func (k *ValueKeyer) key(hasValue bool, value float64, currency string) uint64 {
	m := k.pool.Get().(*valueMAC)
	defer k.pool.Put(m)
	m.mac.Reset()
	b := append(m.buf[:0], valueDomain...)
	if hasValue {
		b = strconv.AppendFloat(append(b, 'v'), value, 'g', -1, 64)
		b = append(append(b, 0), currency...)
	} else {
		b = append(b, 'n')
	}
	m.buf = b
	m.mac.Write(b)
	return binary.BigEndian.Uint64(m.mac.Sum(m.sum[:0])) | 1
}
