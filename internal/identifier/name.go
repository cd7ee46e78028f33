package identifier

import (
	"regexp"
	"strings"
	"unicode"

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
	s := lower(foldName(raw))
	if s == "" {
		return "", reject(ReasonEmpty)
	}
	// Replace with a space so "dr. mr. alex" loses both; trim afterwards.
	for googlePrefix.MatchString(s) {
		s = googlePrefix.ReplaceAllString(s, " ")
	}
	s = strings.TrimSpace(s)
	if s == "" {
		return "", reject(ReasonOnlyAffix)
	}
	return s, nil
}

func googleFamilyName(raw string) (string, error) {
	s := lower(foldName(raw))
	if s == "" {
		return "", reject(ReasonEmpty)
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
// uses is quadratic, and a damaged 15 KB cell took seconds.
func stripFamilySuffixes(s string) string {
	for {
		s = strings.TrimRightFunc(s, unicode.IsSpace)
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
func metaName(raw string) (string, error) {
	s := dropRunes(lower(foldName(raw)), func(r rune) bool {
		return unicode.IsSpace(r) || unicode.IsPunct(r) || (r < 0x80 && unicode.IsSymbol(r))
	}, norm.NFC)
	if s == "" {
		return "", reject(ReasonEmpty)
	}
	return s, nil
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
// Meta's param-builder and current SDKs do.
func metaExternalID(raw string) (string, error) {
	s := withoutSpace(lower(foldKey(raw)))
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
