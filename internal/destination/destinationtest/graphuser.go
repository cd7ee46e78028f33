package destinationtest

import (
	"strconv"
	"strings"
	"time"
)

// The user_data values the Graph fake checks beyond the allow-lists.

// checkFBC holds user_data.fbc to the form Meta's "fbp and fbc" page
// gives (developers.facebook.com/docs/marketing-api/conversions-api/parameters/fbp-and-fbc):
// "version.subdomainIndex.creationTime.fbclid", version always "fb",
// subdomainIndex 0, 1 or 2 ('com', 'facebook.com', 'www.facebook.com'),
// creationTime "the UNIX time since epoch in milliseconds" when the _fbc
// cookie was saved, and the fbclid unmodified; the customer-information-
// parameters page says "Do not hash". A creation time in seconds (ten
// digits, a known mistake), one after the request, or an fbclid holding a
// dot or a space is refused. Whether Meta's API refuses such a value or
// takes it and flags it in Events Manager is not documented: refusing is
// this fake's choice, stricter than Meta, so hashgate cannot send one
// unseen.
func checkFBC(v any, now time.Time) fault {
	s, _ := v.(string)
	parts := strings.SplitN(s, ".", 4)
	bad := fault{msg: "user_data.fbc must be fb.<subdomainIndex>.<creationTime ms>.<fbclid>"}
	if len(parts) != 4 || parts[0] != "fb" || len(parts[1]) != 1 || parts[1][0] < '0' || parts[1][0] > '2' ||
		parts[3] == "" || strings.ContainsAny(parts[3], ". \t%") {
		return bad
	}
	ms, err := strconv.ParseInt(parts[2], 10, 64)
	if err != nil || len(parts[2]) != 13 || time.UnixMilli(ms).After(now.Add(time.Hour)) {
		return bad
	}
	return fault{}
}
