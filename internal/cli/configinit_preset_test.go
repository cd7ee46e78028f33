package cli

import (
	"slices"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

// openemrExport is an OpenEMR calendar report whose pc_apptstatus holds
// list apptstat's symbols, as the database stores them
// (shared/docs/clinic-exports.md, the OpenEMR row), or the words given.
func openemrExport(t *testing.T, statuses []string) string {
	t.Helper()
	rows := [][]string{{"pc_eid", "pc_eventDate", "pc_startTime", "pc_apptstatus", "email", "phone_cell", "ad_consent"}}
	for i, s := range statuses {
		rows = append(rows, []string{
			string(rune('1'+i%9)) + "0" + string(rune('0'+i/9)), "2026-11-0" + string(rune('1'+i%9)), "09:00", s,
			"p" + string(rune('a'+i)) + "@example.com", "(312) 555-01" + string(rune('0'+i/10)) + string(rune('0'+i%10)), "YES"})
	}
	return writeExport(t, rows)
}

// TestConfigInitReadsOpenEMRStatusSymbols: config init on an export whose
// status column holds OpenEMR's symbols listed them all as "no word
// hashgate knows", proposed no status, and never named the openemr preset
// that reads them. It now writes the statuses as the preset reads them
// (visits, no-shows, cancellations) and suggests the preset; an export in
// hashgate's own words gets no preset.
func TestConfigInitReadsOpenEMRStatusSymbols(t *testing.T) {
	symbols := []string{">", ">", ">", ">", "@", "~", "x", "x", "%", "?", "?", "-"}
	r := runCLI(t, nil, "", "config", "init", "--from", openemrExport(t, symbols))
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	var got struct {
		Conversion struct {
			Statuses  []string `yaml:"statuses"`
			NoShow    []string `yaml:"no_show_statuses"`
			Cancelled []string `yaml:"cancelled_statuses"`
		} `yaml:"conversion"`
	}
	if err := yaml.Unmarshal([]byte(r.stdout), &got); err != nil {
		t.Fatalf("the config is no YAML: %v\n%s", err, r.stdout)
	}
	c := got.Conversion
	if !sameSet(c.Statuses, []string{">", "@", "~"}) || !sameSet(c.NoShow, []string{"?"}) || !sameSet(c.Cancelled, []string{"x", "%"}) {
		t.Errorf("statuses %q, no-shows %q, cancelled %q; want [> @ ~], [?], [x %%]\n%s", c.Statuses, c.NoShow, c.Cancelled, r.stdout)
	}
	if !strings.Contains(r.stdout, "    - \">\"  # ×4: the patient came (openemr: Checked out)\n") {
		t.Errorf("\">\" is not written as a reviewer reads it:\n%s", r.stdout)
	}
	if strings.Contains(r.stdout, "no word hashgate knows") {
		t.Errorf("the preset's words are still called unknown:\n%s", r.stdout)
	}
	if !strings.Contains(r.stdout, "\n  # preset: openemr\n") || !strings.Contains(r.stdout, `# - "-"  # ×1: not yet a visit`) {
		t.Errorf("the openemr preset is not suggested, or \"-\" not offered:\n%s", r.stdout)
	}

	own := []string{"Completed", "Completed", "Completed", "No show", "Cancelled", "x", ">"}
	r = runCLI(t, nil, "", "config", "init", "--from", openemrExport(t, own))
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	if strings.Contains(r.stdout, "preset") || slices.ContainsFunc(strings.Split(r.stdout, "\n"), func(l string) bool { return strings.Contains(l, `"x"`) }) {
		t.Errorf("an export in hashgate's own words got a preset, or its stray symbols shown:\n%s", r.stdout)
	}
}
