package platform

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// TestGoogleAnswerEnumsFollowTheClient: the processing reasons and field
// names are exactly those of the generated Data Manager client hashgate is
// built with; a client upgrade that adds a reason fails here, with the
// list to paste into answers_google.go.
func TestGoogleAnswerEnumsFollowTheClient(t *testing.T) {
	out, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}", "google.golang.org/api").Output()
	if err != nil {
		t.Skipf("go list: %v", err)
	}
	src, err := os.ReadFile(filepath.Join(strings.TrimSpace(string(out)), "datamanager", "v1", "datamanager-gen.go"))
	if err != nil {
		t.Skipf("the client's source is not in the module cache: %v", err)
	}
	enum := func(structName string) []string {
		m := regexp.MustCompile(`(?ms)^type ` + structName + ` struct \{(.*?)^\}`).FindSubmatch(src)
		if m == nil {
			t.Fatalf("no %s in the client", structName)
		}
		body := regexp.MustCompile(`//\s+"([A-Z_]+)\n\t// ([A-Z_]+)"`).ReplaceAll(m[1], []byte(`// "$1$2"`))
		var vs []string
		for _, v := range regexp.MustCompile(`//\s+"([A-Z][A-Z_]+)"`).FindAllSubmatch(body, -1) {
			vs = append(vs, string(v[1]))
		}
		slices.Sort(vs)
		return slices.Compact(vs)
	}
	var names []string
	for _, m := range regexp.MustCompile(`json:"([a-zA-Z0-9_]+)`).FindAllSubmatch(src, -1) {
		names = append(names, string(m[1]))
	}
	slices.Sort(names)
	names = slices.Compact(names)
	for _, c := range []struct {
		name      string
		ours, gen []string
	}{
		{"googleProcessingErrors", googleProcessingErrors, enum("ErrorCount")},
		{"googleProcessingWarnings", googleProcessingWarnings, enum("WarningCount")},
		{"requestStatuses", googleRequestStatuses, enum("RequestStatusPerDestination")},
		{"googleFieldNames", googleFieldNames, names},
	} {
		ours := slices.Sorted(slices.Values(c.ours))
		if !slices.Equal(ours, c.gen) {
			t.Errorf("%s differs from the client's enum:\nours %q\nclient %q", c.name, ours, c.gen)
		}
	}
}

// dmErrorReasonsFile holds the ErrorReason enum of Google's
// google/ads/datamanager/v1/error.proto (the REST client does not carry
// it), one name a line, under a header naming the googleapis commit it was
// read from: committed, so the comparison below runs everywhere.
const dmErrorReasonsFile = "testdata/dm-error-reasons.txt"

// TestGoogleErrorReasonsFollowTheProto: dmErrorReasons is exactly the
// proto's ErrorReason enum, both ways: a name dropped from the list would
// read Google's answer as "unknown"; a name the proto lacks would let
// text through as a reason. It always runs, against the committed copy.
func TestGoogleErrorReasonsFollowTheProto(t *testing.T) {
	b, err := os.ReadFile(dmErrorReasonsFile)
	if err != nil {
		t.Fatal(err)
	}
	header, body, _ := strings.Cut(string(b), "\n")
	if !regexp.MustCompile(`^# googleapis/googleapis google/ads/datamanager/v1/error\.proto @ [0-9a-f]{40}\b`).MatchString(header) {
		t.Fatalf("%s: the first line must name the source repo, path and commit, not %q", dmErrorReasonsFile, header)
	}
	proto := strings.Fields(body)
	if len(proto) < 125 {
		t.Fatalf("%s holds %d names; f8291d2b's enum has 125", dmErrorReasonsFile, len(proto))
	}
	ours := map[string]bool{}
	for _, r := range dmErrorReasons {
		ours[r] = true
	}
	inProto := map[string]bool{}
	for _, r := range proto {
		if inProto[r] {
			t.Errorf("%s lists %s twice", dmErrorReasonsFile, r)
		}
		inProto[r] = true
		if !ours[r] {
			t.Errorf("dmErrorReasons lacks the proto's %s: Google's answer would read \"unknown\"", r)
		}
	}
	for _, r := range dmErrorReasons {
		if !inProto[r] {
			t.Errorf("dmErrorReasons holds %s, which error.proto's ErrorReason does not", r)
		}
	}
	if len(ours) != len(dmErrorReasons) {
		t.Errorf("dmErrorReasons holds %d entries for %d names: a duplicate", len(dmErrorReasons), len(ours))
	}
}

// TestRefreshDMErrorReasons is not a check: it rewrites
// dmErrorReasonsFile from a googleapis checkout when asked, so a new
// error.proto is one command away from the comparison above:
//
//	git -C googleapis show COMMIT:google/ads/datamanager/v1/error.proto > /tmp/error.proto
//	HASHGATE_DM_ERROR_PROTO=/tmp/error.proto HASHGATE_DM_ERROR_PROTO_COMMIT=$(git -C googleapis rev-parse COMMIT) \
//	  go test -run TestRefreshDMErrorReasons ./internal/platform
//
// Then TestGoogleErrorReasonsFollowTheProto names what dmErrorReasons must
// gain or lose. Unset (CI, make check), it skips.
func TestRefreshDMErrorReasons(t *testing.T) {
	path, commit := os.Getenv("HASHGATE_DM_ERROR_PROTO"), os.Getenv("HASHGATE_DM_ERROR_PROTO_COMMIT")
	if path == "" {
		t.Skip("HASHGATE_DM_ERROR_PROTO unset: nothing to refresh " + dmErrorReasonsFile + " from")
	}
	if !regexp.MustCompile(`^[0-9a-f]{40}$`).MatchString(commit) {
		t.Fatal("HASHGATE_DM_ERROR_PROTO_COMMIT must be the googleapis commit (40 hex digits) the proto was read from")
	}
	src, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`(?ms)^enum ErrorReason \{(.*?)^\}`).FindSubmatch(src)
	if m == nil {
		t.Fatal("no enum ErrorReason in " + path)
	}
	var out strings.Builder
	fmt.Fprintf(&out, "# googleapis/googleapis google/ads/datamanager/v1/error.proto @ %s: enum ErrorReason, one name a line, in the proto's order\n", commit)
	for _, v := range regexp.MustCompile(`(?m)^\s+([A-Z][A-Z0-9_]+) = \d+[ ;]`).FindAllSubmatch(m[1], -1) {
		fmt.Fprintf(&out, "%s\n", v[1])
	}
	if err := os.WriteFile(dmErrorReasonsFile, []byte(out.String()), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestAnswerEnumsRefuseText: values outside each set — text, escapes,
// forged lines, credentials, an unknown reason — read "unknown"; the
// platforms' real values pass.
func TestAnswerEnumsRefuseText(t *testing.T) {
	g, m := Google.Spec(), Meta.Spec()
	for _, c := range []struct {
		s    *Spec
		k    AnswerKind
		v    string
		want bool
	}{
		{g, AnswerCode, "INVALID_ARGUMENT", true}, {g, AnswerCode, "oauth", true}, {g, AnswerCode, "INVALID_ARGUMENT\x1b[2J", false},
		{g, AnswerReason, "INVALID_SHA256_FORMAT", true}, {g, AnswerReason, "EVENT_SOURCE_AND_DESTINATION_MISMATCH", true},
		// error.proto @ f8291d2b's newer values (104–106, 125).
		{g, AnswerReason, "INVALID_REGION_CODE", true}, {g, AnswerReason, "TOO_FEW_ELEMENTS", true},
		{g, AnswerReason, "FIELD_VALUE_TOO_SHORT", true}, {g, AnswerReason, "INVALID_REMOVE_AS_OF_TIME", true},
		{g, AnswerReason, "IngestionMutateRequestsPerDayPerProject", true},
		// A quota answer's Google-wide ErrorInfo reasons (error_reason.proto).
		{g, AnswerReason, "RATE_LIMIT_EXCEEDED", true}, {g, AnswerReason, "RESOURCE_QUOTA_EXCEEDED", true}, {g, AnswerReason, "invalid_grant", true},
		// The limits page's four IngestionService quota names: the daily
		// read quota a long status backlog can spend is named, not "unknown".
		{g, AnswerReason, "IngestionReadRequestsPerDayPerProject", true}, {g, AnswerReason, "IngestionReadRequestsPerMinutePerProject", true},
		{g, AnswerReason, "ya29.a0AfH6SMBxleaked", false}, {g, AnswerReason, "level=ERROR msg=forged", false},
		{g, AnswerOAuth, "invalid_grant", true}, {g, AnswerOAuth, "invalid_grant\nlevel=INFO", false},
		{g, AnswerField, "events.events[3].user_data.user_identifiers[1]", true}, {g, AnswerField, "destinations", true},
		{g, AnswerField, "events.events[0].eventSource", true}, {g, AnswerField, "events.EAABsbCS1iHgBA", false},
		{g, AnswerField, "events.events[x]", false}, {g, AnswerField, "events.events[123456789]", false},
		{g, AnswerStatus, "PARTIAL_SUCCESS", true}, {g, AnswerStatus, "SUCCESS ", false},
		{g, AnswerProcessingError, "PROCESSING_ERROR_REASON_CLICK_NOT_FOUND", true},
		{g, AnswerProcessingError, "PROCESSING_ERROR_REASON_DESTINATION_ACCOUNT_ENHANCED_CONVERSIONS_TERMS_NOT_SIGNED", true},
		{g, AnswerProcessingError, "PROCESSING_ERROR_REASON_SOMETHING_NEW", false},
		{g, AnswerProcessingWarning, "PROCESSING_WARNING_REASON_CUSTOM_VARIABLE_NOT_ENABLED", true},
		{g, AnswerProcessingWarning, "PROCESSING_ERROR_REASON_CLICK_NOT_FOUND", false},
		{m, AnswerCode, "100/2804010", true}, {m, AnswerCode, "190", true}, {m, AnswerCode, "100/", false},
		{m, AnswerCode, "EAABsbCS1iHgBA", false}, {m, AnswerCode, "1234567890", false},
		{m, AnswerReason, "redirect", true}, {m, AnswerReason, "INVALID_ARGUMENT", false},
		{m, AnswerStatus, "SUCCESS", false},
		{m, AnswerEventName, "Purchase", true}, {m, AnswerEventName, "Schedule", true}, {m, AnswerEventName, "Purchase\x1b[31m", false},
		{m, AnswerEventName, "Purchase\nlevel=ERROR", false}, {m, AnswerEventName, strings.Repeat("P", 51), false},
	} {
		if got := c.s.Known(c.k, c.v); got != c.want {
			t.Errorf("%s Known(%d, %q) = %v, want %v", c.s.Name, c.k, c.v, got, c.want)
		}
	}
	if g.Enum(AnswerReason, "") != "" || g.Enum(AnswerReason, "x\x1b") != Unknown || g.Enum(AnswerReason, "NOT_FOUND") != "NOT_FOUND" {
		t.Error("Enum")
	}
	var none *Spec
	if none.Known(AnswerCode, "OK") {
		t.Error("a nil spec knows a value")
	}
}
