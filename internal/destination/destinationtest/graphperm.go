package destinationtest

import (
	"fmt"
	"net/http"
)

// GraphPermissionDenied answers as Graph does when the token's user or system
// user lacks a permission on the object, or had it removed: code 10 ("API
// Permission Denied") or a code in 200–299 ("API Permission (Multiple
// values depending on permission)"), both "Permission is either not
// granted or has been removed" (developers.facebook.com/docs/graph-api/
// guides/error-handling, Error Codes). Seen after a Business Manager
// change takes the dataset from the system user, or when Meta restricts a
// health-and-wellness dataset. The HTTP status 403 and the message texts
// are the fake's own: Meta documents the code, and hashgate reads only
// the code.
func GraphPermissionDenied(w http.ResponseWriter, code int) {
	msg := fmt.Sprintf("(#%d) Permissions error", code)
	if code == 10 {
		msg = "(#10) Application does not have permission for this action"
	}
	GraphErr(w, 403, code, 0, "OAuthException", msg)
}
