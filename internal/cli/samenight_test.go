package cli

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"maps"
	"math/rand/v2"
	"strings"
	"testing"
)

// A family in one export (a review with real uploads to the fake Meta): the
// mother (pid C1003, person 511) withdraws on R2101; her 18-year-old son
// (C1004, consent yes) has visits before and after it that carry her phone
// and email (R2100, R2102), and one carrying his own alone (R2103).
// Before, the identifier rule read the ledger's memory only, so that
// night sent R2100 and R2102 with her hashed email and phone
// ("consent_revoked 1, consent_revoked_patient 1 … meta: 3 of 3"), and
// consent_withdrawn_identifier came the night after.
func sameNightFamily() []string {
	return []string{
		migRow("R2099", 18, 9, 511, "yes", "C1003"),       // her earlier visit: consent_revoked_patient
		migRow("R2100", 18, 10, 511, "yes", "C1004"),      // the son, with her phone and email
		migRow("R2101", 19, 9, 511, "withdrawn", "C1003"), // she withdraws
		migRow("R2102", 19, 10, 511, "yes", "C1004"),      // the son again, with hers
		migRow("R2103", 20, 10, 612, "yes", "C1004"),      // the son, his own email and phone
		migRow("R2104", 20, 11, 613, "yes", "C1005"),      // someone else
	}
}

// TestAWithdrawalStopsHerIdentifiersTheSameNight: none of the rows carrying
// the withdrawing mother's phone or email is sent the night she withdraws
// — before or after her row, in any row order, from a file or from
// standard input — each counted consent_withdrawn_identifier; the son's
// visit carrying his own identifiers alone is sent, and nothing sent
// holds her hashed email or phone.
func TestAWithdrawalStopsHerIdentifiersTheSameNight(t *testing.T) {
	shuffled := sameNightFamily()
	rand.New(rand.NewPCG(25, 7)).Shuffle(len(shuffled), func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })
	reversed := sameNightFamily()
	for i, j := 0, len(reversed)-1; i < j; i, j = i+1, j-1 {
		reversed[i], reversed[j] = reversed[j], reversed[i]
	}
	for _, c := range []struct {
		name  string
		rows  []string
		stdin bool
	}{
		{"file", sameNightFamily(), false},
		{"shuffled", shuffled, false},
		{"reversed", reversed, false},
		{"stdin", sameNightFamily(), true},
		{"stdin shuffled", shuffled, true},
	} {
		t.Run(c.name, func(t *testing.T) {
			dm, gURL := googleFake(t, nil)
			g, mURL := metaFake(t, nil)
			env := uploadEnv(t)
			cfg := migConfig(t, gURL, mURL)
			body := strings.Join(c.rows, "")
			var r result
			if c.stdin {
				r = runGoogle(t, env, "id,at,status,email,phone,first,last,consent,pid\n"+body, true, "upload", "--config", cfg, "-")
			} else {
				r = runGoogle(t, env, "", true, "upload", "--config", cfg, migExport(t, body))
			}
			if r.code != 0 || len(dm.Accepted()) != 2 || len(g.Accepted()) != 2 {
				t.Fatalf("exit %d, google %d, meta %d (want R2103 and R2104 alone)\n%s", r.code, len(dm.Accepted()), len(g.Accepted()), r.stderr)
			}
			for reason, want := range map[string]string{"consent_revoked": "1", "consent_revoked_patient": "1", "consent_withdrawn_identifier": "2"} {
				if got := excludedAs(r.stderr, reason); got != want {
					t.Errorf("%s %q, want %s:\n%s", reason, got, want, r.stderr)
				}
			}
			hers := map[string]bool{}
			for _, v := range []string{"886912555511", "+886912555511", "zqmig511@example.com"} {
				sum := sha256.Sum256([]byte(v))
				hers[hex.EncodeToString(sum[:])] = true
			}
			for id := range g.Accepted() {
				ev, _ := json.Marshal(g.Event(id))
				for h := range hers {
					if strings.Contains(string(ev), h) {
						t.Errorf("meta was sent her hashed identifier in %s", ev)
					}
				}
			}
			migCanary(t, env, r.stdout+r.stderr)
		})
	}
}

// TestASharedPhoneKeepsTheRelativesOwnVisits: a relative caught by a
// remembered withdrawn phone on one row keeps his other visits, which
// carry his own email and phone alone. Before, that row withdrew his
// patient key as a revocation does (o.revokes), and his own visits were
// counted consent_revoked_patient — a patient who revoked nothing.
func TestASharedPhoneKeepsTheRelativesOwnVisits(t *testing.T) {
	dm, gURL := googleFake(t, nil)
	_, mURL := metaFake(t, nil)
	env := uploadEnv(t)
	cfg := migConfig(t, gURL, mURL)
	if r := runGoogle(t, env, "", true, "upload", "--config", cfg, migExport(t, migRow("R2101", 18, 9, 511, "withdrawn", "C1003"))); r.code != 0 {
		t.Fatalf("night 1: exit %d\n%s", r.code, r.stderr)
	}
	night := migRow("R2102", 22, 10, 511, "yes", "C1004") + migRow("R2103", 22, 11, 612, "yes", "C1004")
	r := runGoogle(t, env, "", true, "upload", "--config", cfg, migExport(t, night))
	if r.code != 0 || len(dm.Accepted()) != 1 {
		t.Fatalf("night 2: exit %d, google %d (want his own visit, R2103, sent)\n%s", r.code, len(dm.Accepted()), r.stderr)
	}
	if excludedAs(r.stderr, "consent_withdrawn_identifier") != "1" || excludedAs(r.stderr, "consent_revoked_patient") != "" {
		t.Errorf("want consent_withdrawn_identifier 1 and no consent_revoked_patient:\n%s", r.stderr)
	}
}

// excludedAs is the count the summary's excluded rows give reason ("" when
// it names none).
func excludedAs(summary, reason string) string {
	for _, line := range strings.Split(summary, "\n") {
		if f := strings.Fields(line); len(f) == 2 && f[0] == reason {
			return f[1]
		}
	}
	return ""
}

// TestARerunOfTheWithdrawalNightAnswersAsTheFirst: patient W1's earlier
// visit 8001 carries her old email and phone (consent yes), her 8002 her
// new ones (withdrawn); W2's 8003 carries W1's old ones, W3's 8004 his
// own. The first upload sends 8003 and 8004 (only 8002's own identifiers
// withdraw the same night). Uploading the same export again (a retry
// after exit 3, a second cron run) must send nothing new and withdraw
// nothing the first sent, with the same consent counts. Before, the
// second run found W1 remembered, took every W1 row's identifiers as
// withdrawing, and counted 8003 consent_withdrawn_identifier, withdrawn
// after it was sent (review).
func TestARerunOfTheWithdrawalNightAnswersAsTheFirst(t *testing.T) {
	dm, gURL := googleFake(t, nil)
	g, mURL := metaFake(t, nil)
	env := uploadEnv(t)
	cfg := migConfig(t, gURL, mURL)
	export := migExport(t, migRow("8001", 18, 9, 801, "yes", "W1")+
		migRow("8002", 19, 9, 802, "withdrawn", "W1")+
		migRow("8003", 19, 10, 801, "yes", "W2")+
		migRow("8004", 20, 10, 804, "yes", "W3"))
	counts := func(stderr string) map[string]string {
		c := map[string]string{}
		for _, reason := range []string{"consent_revoked", "consent_revoked_patient", "consent_withdrawn_identifier"} {
			c[reason] = excludedAs(stderr, reason)
		}
		return c
	}
	first := runGoogle(t, env, "", true, "upload", "--config", cfg, export)
	if first.code != 0 || len(dm.Accepted()) != 2 || len(g.Accepted()) != 2 {
		t.Fatalf("first run: exit %d, google %d, meta %d (want 8003 and 8004)\n%s", first.code, len(dm.Accepted()), len(g.Accepted()), first.stderr)
	}
	want := map[string]string{"consent_revoked": "1", "consent_revoked_patient": "1", "consent_withdrawn_identifier": ""}
	if got := counts(first.stderr); !maps.Equal(got, want) {
		t.Fatalf("first run counted %v, want %v\n%s", got, want, first.stderr)
	}
	again := runGoogle(t, env, "", true, "upload", "--config", cfg, export)
	if again.code != 0 || len(dm.Accepted()) != 2 || len(g.Accepted()) != 2 {
		t.Errorf("re-run: exit %d, google %d, meta %d (want nothing new)\n%s", again.code, len(dm.Accepted()), len(g.Accepted()), again.stderr)
	}
	if got := counts(again.stderr); !maps.Equal(got, want) {
		t.Errorf("re-run counted %v, as the first run %v\n%s", got, want, again.stderr)
	}
	if strings.Contains(again.stderr, "withdrawn after they were sent") {
		t.Errorf("the re-run withdrew what the first sent:\n%s", again.stderr)
	}
	migCanary(t, env, first.stdout+first.stderr+again.stdout+again.stderr)
}
