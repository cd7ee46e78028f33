package platform

import (
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

// TestGoogleErrorReasonsFollowTheProto: dmErrorReasons is exactly the
// ErrorReason enum of google/ads/datamanager/v1/error.proto (the REST
// client does not carry it). The proto is not vendored: set
// HASHGATE_DM_ERROR_PROTO to a copy (googleapis/googleapis; f8291d2b of
// 2026-08-22 holds 125 names, 0–125 without 121) to compare.
func TestGoogleErrorReasonsFollowTheProto(t *testing.T) {
	path := os.Getenv("HASHGATE_DM_ERROR_PROTO")
	if path == "" {
		t.Skip("HASHGATE_DM_ERROR_PROTO unset")
	}
	src, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`(?ms)^enum ErrorReason \{(.*?)^\}`).FindSubmatch(src)
	if m == nil {
		t.Fatal("no enum ErrorReason in " + path)
	}
	var proto []string
	for _, v := range regexp.MustCompile(`(?m)^\s+([A-Z][A-Z0-9_]+) = \d+[ ;]`).FindAllSubmatch(m[1], -1) {
		proto = append(proto, string(v[1]))
	}
	slices.Sort(proto)
	if ours := slices.Sorted(slices.Values(dmErrorReasons)); !slices.Equal(ours, proto) {
		t.Errorf("dmErrorReasons differs from error.proto's ErrorReason:\nours  %q\nproto %q", ours, proto)
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
