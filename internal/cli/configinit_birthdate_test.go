package cli

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestConfigInitRequiresABirthDateWhenEveryRowHasOne: config init maps a
// birth-date column filled in every row with consent.require_birth_date:
// true, so a blank one later is excluded rather than sent without an
// age; over an export with blank birth dates it leaves the key commented.
func TestConfigInitRequiresABirthDateWhenEveryRowHasOne(t *testing.T) {
	dir := t.TempDir()
	full := filepath.Join(dir, "full.csv")
	blanks := filepath.Join(dir, "blanks.csv")
	os.WriteFile(full, []byte(strings.ReplaceAll(ageExport, ",\n", ",1985-01-02\n")), 0o600)
	os.WriteFile(blanks, []byte(ageExport), 0o600)
	on := regexp.MustCompile(`(?m)^  require_birth_date: true$`)
	r := runCLI(t, nil, "", "config", "init", "--from", full)
	if r.code != ExitOK || !on.MatchString(r.stdout) || !strings.Contains(r.stdout, "    birth_date: \"dob\"\n") {
		t.Errorf("every row has a birth date: exit %d, no require_birth_date: true\n%s", r.code, r.stdout)
	}
	r = runCLI(t, nil, "", "config", "init", "--from", blanks)
	if r.code != ExitOK || on.MatchString(r.stdout) || !strings.Contains(r.stdout, "  # require_birth_date: true\n") {
		t.Errorf("blank birth dates: exit %d, require_birth_date written on, or not offered\n%s", r.code, r.stdout)
	}
}
