package identifier

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"hash"
	"strings"
	"unicode"
	"unicode/utf8"
	"unsafe"

	"github.com/hashgate/hashgate/internal/celltext"
	"github.com/hashgate/hashgate/internal/platform"
	"golang.org/x/text/cases"
	"golang.org/x/text/language"
	"golang.org/x/text/unicode/norm"
)

// Options carries context a normaliser needs beyond the value itself.
type Options struct {
	// Region is the ISO 3166-1 alpha-2 region used to read phone numbers
	// written without a country code ("0912-345-678"). Empty means bare
	// digits are taken to carry their country code already.
	Region string
}

// Prepare normalises raw for platform p and field f and returns what would be
// sent: the SHA-256 of the normalised value, the normalised value itself for
// a field the platform takes unhashed, or a 64-hex value passed through as an
// existing hash. A value that normalises to nothing is a *Rejection.
func Prepare(p Platform, f Field, raw string, opt Options) (Sent, error) {
	if !p.Supports(f) {
		return Sent{}, reject(ReasonUnsupportedField)
	}
	hashed := p.Hashes(f)
	if hashed {
		if h, ok, err := prehashed(raw); err != nil {
			return Sent{}, err
		} else if ok {
			return Sent{field: f, hashed: true, hash: h}, nil
		}
	}
	n, err := normalize(p, f, raw, opt)
	if err != nil {
		return Sent{}, err
	}
	if !hashed {
		return Sent{field: f, plain: n}, nil
	}
	var h Hasher // one value's: the pipeline prepares with PrepareEach and a worker's Hasher
	return Sent{field: f, hashed: true, hash: sum(&h, n)}, nil
}

// Normalize returns the string that would be hashed (or sent plain) for raw,
// without hashing it. For a value that is already a 64-hex hash it returns
// the lower-cased hash. It is what `hashgate hash` prints to explain a
// mismatch.
func Normalize(p Platform, f Field, raw string, opt Options) (string, error) {
	if !p.Supports(f) {
		return "", reject(ReasonUnsupportedField)
	}
	if p.Hashes(f) {
		if h, ok, err := prehashed(raw); err != nil {
			return "", err
		} else if ok {
			return h.Hex(), nil
		}
	}
	return normalize(p, f, raw, opt)
}

// ReasonNoRules: the normalisers hold Google's and Meta's rules, and those
// a platform added later brought with it (Register). A platform without
// rules here, or a field its rules leave out, gets this error for every
// value, never another platform's rules in silence.
const ReasonNoRules = "no_normalisation_rules"

// Rules are a platform's own normalisation rules, one function per field:
// the raw cell in, the string to hash (or to send plain, for a field of
// its Spec.Plain) out, or a *Rejection whose reason is counted. They run
// after the checks every platform shares (valid UTF-8; a 64-hex value
// passes as an existing hash). The building blocks this package exports
// (NormalizeE164 …) are standards, not another platform's rules.
type Rules map[Field]func(raw string, opt Options) (string, error)

// registered holds the Rules of platforms added after Google and Meta,
// whose rules are this package's own code.
var registered [platform.Count]Rules

// Register installs the normalisation rules of platform p, one added with
// platform.Register, and returns a function that removes them again. Like
// platform.Register it must run before any value is prepared. It panics
// for Google or Meta: their rules are this package's code.
func Register(p Platform, r Rules) func() {
	if p == Google || p == Meta || p.Spec() == nil {
		panic(fmt.Sprintf("identifier.Register: %v is not a platform added with platform.Register", p))
	}
	registered[p] = r
	return func() { registered[p] = nil }
}

// hasRules reports whether this package holds p's normalisation rules.
func hasRules(p Platform) bool { return p == Google || p == Meta || registered[p] != nil }

func normalize(p Platform, f Field, raw string, opt Options) (string, error) {
	if !hasRules(p) {
		return "", reject(ReasonNoRules)
	}
	if !utf8.ValidString(raw) {
		// Stray bytes can recombine into new characters after a rule
		// removes what stood between them; refuse rather than hash garbage.
		return "", reject(ReasonInvalidUTF8)
	}
	if p != Google && p != Meta {
		rule := registered[p][f]
		if rule == nil {
			return "", reject(ReasonNoRules)
		}
		n, err := rule(raw, opt)
		if err == nil && n == "" {
			return "", reject(ReasonEmpty) // hashing nothing would match no one
		}
		return n, err
	}
	switch f {
	case Email:
		return normalizeEmail(p, raw)
	case Phone:
		return normalizePhone(p, raw, opt.Region)
	case FirstName:
		switch p {
		case Google:
			return googleGivenName(raw)
		case Meta:
			return metaName(raw)
		}
	case LastName:
		switch p {
		case Google:
			return googleFamilyName(raw)
		case Meta:
			return metaName(raw)
		}
	case PostalCode:
		return normalizePostalCode(p, raw)
	case City:
		return metaCity(raw)
	case State:
		return metaState(raw)
	case Country:
		return normalizeCountry(p, raw)
	case ExternalID:
		return metaExternalID(raw)
	}
	return "", reject(ReasonUnsupportedField)
}

// prehashed recognises a value that is already a SHA-256 hex digest (anchored,
// exactly 64 hex characters after trimming) and rejects a 32-hex MD5 digest:
// only SHA-256 is documented by either platform.
func prehashed(raw string) (Hashed, bool, error) {
	s := celltext.Trim(raw)
	switch len(s) {
	case 64:
		var h Hashed
		if _, err := hex.Decode(h[:], []byte(s)); err == nil {
			return h, true, nil
		}
	case 32:
		if isHex(s) {
			return Hashed{}, false, reject(ReasonMD5)
		}
	}
	return Hashed{}, false, nil
}

func isHex(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F') {
			return false
		}
	}
	return true
}

// foldKey applies NFKC (full-width digits, "＠", "＋" become ASCII) and trims
// what cannot be seen at the edges — white space, controls, format
// characters such as a byte-order mark or a zero-width space
// (celltext.Trim), which the export's reader trims from every cell too, so
// `hashgate hash` answers as an upload does. It is the first step for
// identifier-like fields.
func foldKey(raw string) string {
	if isASCII(raw) { // NFKC is the identity on ASCII; skip its cost.
		return celltext.Trim(raw)
	}
	return celltext.Trim(norm.NFKC.String(raw))
}

// foldName applies NFC and trims: names, cities and states keep their
// compatibility characters, but a decomposed "Vale\u0301ry" must become the
// composed form Meta documents.
func foldName(raw string) string {
	if isASCII(raw) {
		return celltext.Trim(raw)
	}
	return celltext.Trim(norm.NFC.String(raw))
}

// lower lower-cases with Unicode's default (root) rules, as Java's
// Locale.ROOT, Python and JavaScript do. strings.ToLower differs on "İ" and
// final sigma. A cases.Caser is stateful and not safe for concurrent use, so
// one is made per non-ASCII call; ASCII takes a fast path with the same result.
func lower(s string) string {
	if isASCII(s) {
		for i := 0; i < len(s); i++ {
			if 'A' <= s[i] && s[i] <= 'Z' {
				return lowerASCII(s, i)
			}
		}
		return s
	}
	// Lower-casing can make a composable pair ("Y\u030A" has no composed
	// capital, "y\u030A" is ẙ): compose again, so values normalise to
	// themselves (found by FuzzPrepare).
	return norm.NFC.String(cases.Lower(language.Und).String(s))
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// lowerASCII is strings.ToLower of an ASCII s whose first upper-case
// letter is at i, in one allocation and one pass (strings.ToLower scans
// s twice and writes it byte by byte through a Builder; lower-casing an
// e-mail address was 2% of a dry-run). FuzzLowerASCII holds it to
// strings.ToLower.
func lowerASCII(s string, i int) string {
	b := make([]byte, len(s))
	copy(b, s[:i])
	for ; i < len(s); i++ {
		c := s[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		b[i] = c
	}
	return unsafe.String(unsafe.SliceData(b), len(b)) // b is never written again
}

// hasSpace reports whether s holds a unicode.IsSpace rune, reading ASCII
// bytes against a table and the rest, from the first byte that is not
// ASCII, with unicode.IsSpace (strings.IndexFunc decoded every byte as a
// rune and called IsSpace on it). FuzzHasSpace holds it to IndexFunc.
func hasSpace(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= utf8.RuneSelf {
			return strings.IndexFunc(s[i:], unicode.IsSpace) >= 0
		}
		if asciiSpace[c] {
			return true
		}
	}
	return false
}

// asciiSpace holds the ASCII runes unicode.IsSpace reports: '\t', '\n',
// '\v', '\f', '\r' and ' ' (its other two, U+0085 and U+00A0, are not
// ASCII).
var asciiSpace = func() (set [utf8.RuneSelf]bool) {
	for c := range utf8.RuneSelf {
		set[c] = unicode.IsSpace(rune(c))
	}
	return set
}()

// hasControl reports whether s holds a control character (unicode.Cc: C0,
// DEL, C1) that is not white space: the white-space controls ('\t', '\n',
// '\v', '\f', '\r', U+0085) are left to each rule's white-space
// treatment, as emailBase finds them first as inner white space. It reads
// bytes: a C1 control is 0xC2 followed by 0x80–0x9F, and 0xC2 is never a
// continuation byte (TestHasControlIsUnicodes, FuzzHasControl).
func hasControl(s string) bool {
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c < 0x20 && !asciiSpace[c], c == 0x7f:
			return true
		case c == 0xc2 && i+1 < len(s) && 0x80 <= s[i+1] && s[i+1] <= 0x9f && s[i+1] != 0x85:
			return true
		}
	}
	return false
}

// Hasher hashes normalised values with one SHA-256 state and one buffer,
// reused for every value: a worker keeps one (its zero value is ready) and
// hashes each row's identifiers through it. Why not sha256.Sum256 on a
// stack buffer: whether that stays off the heap depends on what the
// compiler inlines. Sum256 is `h := New(); h.Write(data); h.Sum(...)`, and
// when a PGO profile inlines Sum256 but not New (golang/go#69046: hot call
// sites are named in the function they were written in), h is a hash.Hash,
// Write and Sum are interface calls, and the digest, the buffer and the sum
// were allocated on every hash (docs/performance.md, "Why a refreshed
// profile was worse": 2.6 allocations a row). Here the interface calls are
// written in the source, so what they are handed — the state, buf, out —
// lives on the heap from the start, once per Hasher, whatever is inlined.
// A Hasher is not safe for concurrent use. PrepareEach, prepareEachHashOnce
// and sum take it as a parameter rather than being its methods: PGO matches
// a profile's samples by function name and line offset, and the committed
// cmd/hashgate/default.pgo names these three, so they keep their names and
// their bodies' lines (as methods, the committed profile's build ran 0.3%
// more instructions in the 100k dry-run: googleEmail and metaEmail were no
// longer inlined).
type Hasher struct {
	d   hash.Hash // sha256.New(), made on first use
	buf []byte    // the value copied, so no caller's buffer reaches Write
	out []byte    // Sum's destination, sha256.Size long once used
}

// sum hashes s. Copying s into h.buf first means that neither s nor
// anything it views (a caller's stack buffer: emailAddress, phoneE164) is
// handed to the hash.Hash interface, whose callee escape analysis cannot
// see; append copies and grows h.buf only for a value longer than any
// before it.
func sum(h *Hasher, s string) Hashed {
	if h.d == nil {
		h.d = sha256.New()
		h.buf = make([]byte, 0, emailMax)
	}
	h.buf = append(h.buf[:0], s...)
	h.d.Reset()
	h.d.Write(h.buf) // never fails (hash.Hash)
	h.out = h.d.Sum(h.out[:0])
	var res Hashed
	copy(res[:], h.out)
	return res
}

// Result is one platform's outcome for one value.
type Result struct {
	Sent Sent
	Err  error
}

// PrepareEach prepares raw for every platform in ps into results (which must
// be at least as long). It gives the same answers as calling Prepare per
// platform, but parses a phone number once: libphonenumber is the costliest
// step on the hot path, and Google's and Meta's forms derive from one E.164.
// It hashes with h, which must not be nil: a worker's, reused for every
// value it prepares.
func PrepareEach(h *Hasher, ps []Platform, f Field, raw string, opt Options, results []Result) {
	if f != Phone || len(ps) < 2 {
		prepareEachHashOnce(h, ps, f, raw, opt, results)
		return
	}
	ph, pre, err := prehashed(raw)
	var e164 string
	var buf [e164Max]byte
	switch {
	case err != nil || pre:
	case !utf8.ValidString(raw): // as normalize refuses it for Prepare
		err = reject(ReasonInvalidUTF8)
	default:
		e164, err = phoneE164(&buf, raw, opt.Region)
	}
	for i, p := range ps {
		switch {
		case !hasRules(p):
			results[i] = Result{Err: reject(ReasonNoRules)}
		case p != Google && p != Meta: // a registered platform's own phone rule
			results[i].Sent, results[i].Err = Prepare(p, f, raw, opt)
		case err != nil:
			results[i] = Result{Err: err}
		case pre:
			results[i] = Result{Sent: Sent{field: Phone, hashed: true, hash: ph}}
		case p == Meta:
			results[i] = Result{Sent: Sent{field: Phone, hashed: true, hash: sum(h, e164[1:])}}
		case p == Google:
			results[i] = Result{Sent: Sent{field: Phone, hashed: true, hash: sum(h, e164)}}
		}
	}
}

// prepareEachHashOnce normalises per platform but hashes a normalised string
// once when platforms agree on it (an example.com address is the same for
// Google and Meta): SHA-256 was a tenth of a dry-run.
func prepareEachHashOnce(h *Hasher, ps []Platform, f Field, raw string, opt Options, results []Result) {
	var lastNorm, addr string
	var lastHash Hashed
	var at int
	var addrErr error
	var addrBuf, googleBuf [emailMax]byte
	split, hashed := false, false
	for i, p := range ps {
		if !p.Supports(f) {
			results[i] = Result{Err: reject(ReasonUnsupportedField)}
			continue
		}
		if !p.Hashes(f) {
			results[i].Sent, results[i].Err = Prepare(p, f, raw, opt)
			continue
		}
		if ph, ok, err := prehashed(raw); err != nil || ok {
			results[i] = Result{Sent: Sent{field: f, hashed: true, hash: ph}, Err: err}
			if err != nil {
				results[i].Sent = Sent{}
			}
			continue
		}
		var n string
		var err error
		if f == Email && (p == Google || p == Meta) { // fold, check, lower and split once; only the platform rule differs
			if !split {
				addr, at, addrErr = emailAddress(&addrBuf, raw)
				split = true
			}
			switch err = addrErr; {
			case err != nil:
			case p == Google:
				n, err = googleEmail(addr, at, googleBuf[:0])
			default:
				n, err = metaEmail(addr, at)
			}
		} else {
			n, err = normalize(p, f, raw, opt)
		}
		if err != nil {
			results[i] = Result{Err: err}
			continue
		}
		if !hashed || n != lastNorm {
			lastNorm, lastHash, hashed = n, sum(h, n), true
		}
		results[i] = Result{Sent: Sent{field: f, hashed: true, hash: lastHash}}
	}
}
