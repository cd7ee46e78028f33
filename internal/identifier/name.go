package identifier

import (
	"regexp"
	"strings"
	"unicode"

	"github.com/hashgate/hashgate/internal/celltext"
	"golang.org/x/text/unicode/norm"
)

// Google's Data Manager formatter (UserDataFormatter.java) removes the
// honorifics below wherever they stand as a word followed by a dot, and the
// family-name suffixes below repeatedly from the end (its pattern:
// (?:,\s*|\s+)(?:jr\.|sr\.|2nd|…|phd)\s?$). Hyphens and other punctuation are
// kept: "Quinn-Alex" stays "quinn-alex".
//
// Google's sources disagree on two points (docs/research/normalisation.md
// §5.6); hashgate follows the Java formatter on both:
//
//   - Inner spaces: the Data Manager doc and the Java, Node and .NET
//     utilities keep them ("Mary Ann" → "mary ann"); the Google Ads API's
//     OfflineUserAddressInfo ("remove any extra spaces … in between"), and
//     by the review of 2026-12-06 the Data Manager Python utility, remove
//     them all ("maryann"). hashgate keeps them.
//   - A suffix without its dot: the Node utility's pattern makes the dot
//     optional (jr\.?|sr\.?), so "Smith Jr" → "smith"; Java, .NET and PHP
//     require it, so "Smith Jr" → "smith jr", as here.
var (
	googlePrefix   = regexp.MustCompile(`(?:^|\s)(?:mr|mrs|ms|dr)\.(?:\s|$)`)
	googleSuffixes = []string{"jr.", "sr.", "2nd", "3rd", "iii", "ii", "iv", "vi", "v", "cpa", "dds", "dc", "vm", "jd", "md", "phd"}
)

func googleGivenName(raw string) (string, error) {
	s, err := nameBase(raw)
	if err != nil {
		return "", err
	}
	// Replace with a space so "dr. mr. alex" loses both, and trim each
	// time: what is invisible beside a removed prefix is then an edge
	// ("mr. \u200bdr. alex" loses both, as its second pass would).
	for googlePrefix.MatchString(s) {
		s = celltext.Trim(googlePrefix.ReplaceAllString(s, " "))
	}
	if s == "" {
		return "", reject(ReasonOnlyAffix)
	}
	return s, nil
}

func googleFamilyName(raw string) (string, error) {
	s, err := nameBase(raw)
	if err != nil {
		return "", err
	}
	s = stripFamilySuffixes(s)
	if s == "" {
		return "", reject(ReasonOnlyAffix)
	}
	return s, nil
}

// stripFamilySuffixes removes Google's suffixes from the end, each preceded
// by white space or a comma, as often as they occur. It scans from the end
// and so takes time linear in what it removes: the regexp loop Google's Java
// uses is quadratic, and a damaged 15 KB cell took seconds. What is
// invisible (celltext.Invisible) is trimmed with the white space before
// each look: a zero-width or direction mark left at the end by a removed
// suffix ("smith\u200e, jr.") is an edge, which the next pass would trim.
func stripFamilySuffixes(s string) string {
	for {
		s = strings.TrimRightFunc(s, celltext.Invisible)
		cut := false
		for _, suf := range googleSuffixes {
			if !strings.HasSuffix(s, suf) {
				continue
			}
			before := s[:len(s)-len(suf)]
			trimmed := strings.TrimRightFunc(before, unicode.IsSpace)
			switch {
			case strings.HasSuffix(trimmed, ","):
				s, cut = trimmed[:len(trimmed)-1], true
			case len(trimmed) < len(before):
				s, cut = trimmed, true
			}
			if cut {
				break
			}
		}
		if !cut {
			return s
		}
	}
}

// metaName follows Meta's "lowercase, no punctuation" with its
// param-builder's reading: white space and punctuation go ("O'Connor" →
// "oconnor", "José María" → "josémaría"), letters of every script stay.
//
// Meta's own code disagrees inside a name (docs/research/normalisation.md
// §5.15, read 2026-12-06): facebook/capi-param-builder @ b0b6f0b
// (nodejs/capi-param-builder/src/piiUtil/commonUtil.js, strip
// 'whitespace_and_punctuation'), which the nodejs business SDK sends
// names through since 2026-06, deletes ASCII punctuation and \s, which
// in JavaScript holds U+FEFF; the Python (normalize.py @ 94914f9), PHP
// (Normalizer.php @ 38288dd) and Java (ServerSideApiUtil.java @ a73f92d)
// SDKs only lower-case and trim the ends. U+FEFF inside a name goes here
// too, as the nodejs SDK removes it ("Jo\uFEFFhn" → "john"); Go's
// unicode.IsSpace does not hold it. (hashgate also removes punctuation
// outside ASCII, "O’Connor" → "oconnor", which all of them keep: the
// doc's "no punctuation", §5.15.) None of them removes a control
// character inside a name: param-builder hashes "0\x7f!" as "0\x7f",
// Python as "0\x7f!", and no Meta account's name holds one, so no such
// hash can match. nameBase refuses them (control_character).
//
// A format character the removals leave at an edge ("0\u200b!") is
// trimmed, as a cell's edge is: kept, the next pass trimmed it and the
// same name hashed two ways. Inside, one stays, as param-builder keeps it
// (a zero-width non-joiner belongs to Persian and Indic spellings).
func metaName(raw string) (string, error) {
	s, err := nameBase(raw)
	if err != nil {
		return "", err
	}
	s = celltext.Trim(dropRunes(s, func(r rune) bool {
		return unicode.IsSpace(r) || unicode.IsPunct(r) || (r < 0x80 && unicode.IsSymbol(r)) || r == '\uFEFF'
	}, norm.NFC))
	if s == "" {
		return "", reject(ReasonEmpty)
	}
	return s, nil
}

// nameBase is what both platforms' name rules start with: NFC, the edges
// trimmed (foldName), lower-cased, and a control character inside refused.
// A control (C0, DEL, C1) inside a name is export damage — a DOS
// end-of-file mark, an escape, a cp1252 quote read as Latin-1 (U+0092 for
// "’") — that no account's name holds; a hash with it matches no one,
// and whether it stood for a letter or for nothing cannot be known. So it
// is refused and counted, never stripped into a guess, as an e-mail
// address with one is refused (emailBase) and as celltext leaves the
// inside of a value to these rules. The white-space controls ('\t', '\n',
// U+0085) are no damage: each rule treats them as white space.
func nameBase(raw string) (string, error) {
	s := foldName(raw)
	if s == "" {
		return "", reject(ReasonEmpty)
	}
	if hasControl(s) {
		return "", reject(ReasonControlCharacter)
	}
	return lower(s), nil
}

// metaCity keeps letters (and combining marks) only: no spaces, punctuation
// or digits ("Washington D.C" → "washingtondc", "San José" → "sanjosé").
func metaCity(raw string) (string, error) {
	s := lettersOnly(lower(foldName(raw)))
	if s == "" {
		return "", reject(ReasonEmpty)
	}
	return s, nil
}

// metaState maps US and Canadian state and province names to their
// two-letter codes, as Meta asks for ("California" → "ca"); any other state
// is lower-cased with spaces and punctuation removed ("New Taipei City" →
// "newtaipeicity"). Meta's param-builder truncates every state to two
// letters, which would turn New Taipei City into "ne": we do not.
//
// The lookup also knows the abbreviations US exports carry (AP and GPO
// style: "Calif.", "Fla.", "Mass.", "Tex.", "Penn.") and spellings with
// accents ("Califórnia", "Tëxas", "Québec"): Meta's doc asks for the
// two-letter code of a US state, and an agreement run against Meta's SDK
// and uploader vectors (issue 14) found these spellings hashed unmapped.
// The accents are folded for the lookup only: a state that is not in the
// table keeps them, as Meta's doc allows UTF-8.
func metaState(raw string) (string, error) {
	s := lettersOnly(lower(foldName(raw)))
	if s == "" {
		return "", reject(ReasonEmpty)
	}
	if code, ok := stateCodes[s]; ok {
		return code, nil
	}
	if !isASCII(s) {
		if code, ok := stateCodes[stripMarks(s)]; ok {
			return code, nil
		}
	}
	return s, nil
}

// stripMarks removes combining marks after canonical decomposition
// ("califórnia" → "california"), for table lookups.
func stripMarks(s string) string {
	return dropRunes(norm.NFD.String(s), func(r rune) bool { return unicode.Is(unicode.Mn, r) }, norm.NFC)
}

// lettersOnly keeps letters and marks.
func lettersOnly(s string) string {
	return dropRunes(s, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.Is(unicode.M, r) }, norm.NFC)
}

// dropRunes removes the runes drop selects. Removing one can bring a
// combining mark next to a letter it composes with ("a0\u0325", "A \u0301"),
// so non-ASCII results are put in form again: a value must normalise to
// itself (FuzzPrepare found each of these).
func dropRunes(s string, drop func(rune) bool, form norm.Form) string {
	s = strings.Map(func(r rune) rune {
		if drop(r) {
			return -1
		}
		return r
	}, s)
	if !isASCII(s) {
		s = form.String(s)
	}
	return s
}

// metaExternalID: white space removed and lower-cased before hashing, as
// Meta's param-builder and current SDKs do. A control character inside is
// refused, as in a name (nameBase): the id the clinic's other channels
// send never holds one.
func metaExternalID(raw string) (string, error) {
	s := foldKey(raw)
	if hasControl(s) {
		return "", reject(ReasonControlCharacter)
	}
	s = withoutSpace(lower(s))
	if s == "" {
		return "", reject(ReasonEmpty)
	}
	return s, nil
}

// withoutSpace removes white space (NFKC again after: see dropRunes).
func withoutSpace(s string) string { return dropRunes(s, unicode.IsSpace, norm.NFKC) }

// stateCodes maps US state and Canadian province names, already reduced by
// lettersOnly, to their codes.
var stateCodes = map[string]string{
	"alabama": "al", "alaska": "ak", "arizona": "az", "arkansas": "ar", "california": "ca",
	"colorado": "co", "connecticut": "ct", "delaware": "de", "districtofcolumbia": "dc",
	"florida": "fl", "georgia": "ga", "hawaii": "hi", "idaho": "id", "illinois": "il",
	"indiana": "in", "iowa": "ia", "kansas": "ks", "kentucky": "ky", "louisiana": "la",
	"maine": "me", "maryland": "md", "massachusetts": "ma", "michigan": "mi", "minnesota": "mn",
	"mississippi": "ms", "missouri": "mo", "montana": "mt", "nebraska": "ne", "nevada": "nv",
	"newhampshire": "nh", "newjersey": "nj", "newmexico": "nm", "newyork": "ny",
	"northcarolina": "nc", "northdakota": "nd", "ohio": "oh", "oklahoma": "ok", "oregon": "or",
	"pennsylvania": "pa", "rhodeisland": "ri", "southcarolina": "sc", "southdakota": "sd",
	"tennessee": "tn", "texas": "tx", "utah": "ut", "vermont": "vt", "virginia": "va",
	"washington": "wa", "westvirginia": "wv", "wisconsin": "wi", "wyoming": "wy",
	"puertorico": "pr", "guam": "gu",
	"alberta": "ab", "britishcolumbia": "bc", "manitoba": "mb", "newbrunswick": "nb",
	"newfoundlandandlabrador": "nl", "novascotia": "ns", "ontario": "on",
	"princeedwardisland": "pe", "quebec": "qc", "québec": "qc", "saskatchewan": "sk",
	"northwestterritories": "nt", "nunavut": "nu", "yukon": "yt",
	// Washington, D.C. and the usual abbreviations, already reduced by
	// lettersOnly ("N. Dak." → "ndak"). Two-letter forms are the codes
	// themselves and need no entry. Abbreviations that are also words of
	// other countries' regions are left out.
	"washingtondc": "dc", "washingtondistrictofcolumbia": "dc",
	"ala": "al", "ariz": "az", "ark": "ar", "calif": "ca",
	"colo": "co", "conn": "ct", "del": "de", "fla": "fl", "flor": "fl",
	"ill": "il", "ills": "il", "ind": "in", "kan": "ks", "kans": "ks", "kent": "ky",
	"mass": "ma", "mich": "mi", "minn": "mn", "miss": "ms", "mont": "mt", "neb": "ne",
	"nebr": "ne", "nev": "nv", "nmex": "nm", "ndak": "nd", "sdak": "sd", "okla": "ok",
	"ore": "or", "oreg": "or", "penn": "pa", "penna": "pa", "tenn": "tn", "tex": "tx",
	"wash": "wa", "wva": "wv", "wvir": "wv", "wis": "wi", "wisc": "wi", "wyo": "wy",
	"alta": "ab", "sask": "sk", "ont": "on", "que": "qc",
}
