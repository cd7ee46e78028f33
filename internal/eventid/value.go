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
	// memo holds the keys already made, up to valueMemoMax of them. A
	// clinic's fees come from a price list, so an upload of a million
	// events asks for a few hundred keys a million times: the HMAC was
	// 3.4% of make bench-upload's CPU (4.97 CPU-s at 1M rows), on the
	// senders' goroutines. An export of ever-new amounts fills the memo
	// and then pays the HMAC as before.
	mu   sync.Mutex
	memo map[valueMemoKey]uint64
}

// valueMemoKey is what a value key is made from: a value's bits, which
// fix the decimal the key hashes (NaNs of other payloads print alike: one
// key under several memo entries, never two keys for one decimal), and
// its currency. The currency is kept as a map key, so callers pass a
// string of their own, never a view of a reused buffer.
type valueMemoKey struct {
	bits     uint64
	currency string
	has      bool
}

// valueMemoMax bounds the memo: 4096 keys are about 200 KiB.
const valueMemoMax = 4096

// NewValueKeyer returns a keyer keyed with secret.
func NewValueKeyer(secret string) *ValueKeyer {
	k := &ValueKeyer{}
	k.pool.New = func() any { return &valueMAC{mac: hmac.New(sha256.New, []byte(secret))} }
	return k
}

// Key is the 64-bit keyed hash of a value and currency; never 0, which
// the ledger reads as "not recorded". The value enters as the shortest
// decimal that reads back as the same float64, so 1200 and 1200.0 are one
// value, and a change of a cent is a change.
func (k *ValueKeyer) Key(hasValue bool, value float64, currency string) uint64 {
	mk := valueMemoKey{has: hasValue}
	if hasValue {
		mk.bits, mk.currency = math.Float64bits(value), currency
	}
	k.mu.Lock()
	v, ok := k.memo[mk]
	full := len(k.memo) >= valueMemoMax
	k.mu.Unlock()
	if ok {
		return v
	}
	v = k.key(hasValue, value, currency)
	if full { // an export of ever-new amounts: no second lock per key
		return v
	}
	k.mu.Lock()
	if len(k.memo) < valueMemoMax {
		if k.memo == nil {
			k.memo = make(map[valueMemoKey]uint64)
		}
		k.memo[mk] = v
	}
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
