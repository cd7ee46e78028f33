package run

import (
	"context"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/hashgate/hashgate/internal/identifier"
	"github.com/hashgate/hashgate/internal/platform"
)

// dummySpec is a platform that exists only in this test: the walkthrough of
// internal/platform's package comment, followed step by step. It takes
// e-mail, phone and first name, all hashed, needs an identifier, carries
// one click id (Google's gbraid, standing in for a click id of its own:
// a new key would also need a slot in conversion.Conversion), and has no
// consent column of its own (the shared one decides).
func dummySpec() platform.Spec {
	return platform.Spec{
		Name: "dummy", Title: "Dummy",
		Takes:              platform.SetOf(platform.Email, platform.Phone, platform.FirstName),
		Configurable:       platform.SetOf(platform.Email, platform.Phone, platform.FirstName),
		DefaultIdentifiers: []string{"email", "phone", "first_name"},
		NeedsIdentifier:    true,
		ClickIDs:           []string{platform.KeyGBRAID},
		MaxBatch:           500, DefaultBatch: 500,
		MaxEventAge: 30 * 24 * time.Hour, DefaultEventAge: 30 * 24 * time.Hour,
		MaxRequestsPerMinute: 60, DefaultRequestsPerMinute: 60,
		MaxConcurrency: 1, DefaultConcurrency: 1,
		DefaultTimeout:     30 * time.Second,
		DefaultRetryBudget: 5 * time.Minute,
		Endpoint:           "https://dummy.invalid/",
	}
}

// dummyRules are the dummy's own normalisation rules, chosen to differ from
// both Google's and Meta's so that a fall-back to either shows: e-mail
// lower-cased with a "+tag" cut for every domain (Google cuts it for Gmail
// only, and drops the dots; Meta keeps both), phone as E.164 with "00" for
// "+" (Google keeps "+", Meta drops it). First name has no rule: it must be
// refused, not normalised by another platform's name rule.
func dummyRules() identifier.Rules {
	return identifier.Rules{
		platform.Email: func(raw string, _ identifier.Options) (string, error) {
			s := strings.ToLower(strings.TrimSpace(raw))
			local, domain, ok := strings.Cut(s, "@")
			if !ok || local == "" || domain == "" {
				return "", errors.New("not an e-mail address")
			}
			local, _, _ = strings.Cut(local, "+")
			return local + "@" + domain, nil
		},
		platform.Phone: func(raw string, opt identifier.Options) (string, error) {
			e164, err := identifier.NormalizeE164(raw, opt) // the ITU form, no platform's rule
			if err != nil {
				return "", err
			}
			return "00" + e164[1:], nil
		},
	}
}

func sha(s string) string {
	h := sha256.Sum256([]byte(s))
	return hex.EncodeToString(h[:])
}

// TestAThirdPlatformDryRunsByItsOwnRules registers a dummy third platform
// (platform.Register, identifier.Register, config.AddDestination: the
// walkthrough's steps that need no client) and dry-runs an export to it
// beside Google: the review CSV holds its rows under its name, its e-mail
// and phone hashed by its own rules — equal to neither Google's nor Meta's
// hashes of the same cells — only the click id its Spec names, and its
// first name, for which it has no rule,
// refused and counted as no_normalisation_rules, never hashed by Google's
// or Meta's name rules.
func TestAThirdPlatformDryRunsByItsOwnRules(t *testing.T) {
	dummy, unregister := platform.Register(dummySpec())
	t.Cleanup(unregister)
	t.Cleanup(identifier.Register(dummy, dummyRules()))

	const email, phone = "Mei.Lin+ads@Gmail.com", "0912-345-678"
	const gclid, gbraid = "Cj0KCQjw6FP_Rk88ItOhPCXsIrMV3iWFJYtPbg-IXCjM8azsPXEewEaa-wG17gfdOiIUWoHD_UjF-DjAb5d43RtrhBwN", "0AAAAADWujhYhjUs__RY_zrJxYUKGwreGT"
	in := "id,at,email,phone,first,consent,gclid,gbraid\n" +
		"A1,2026-11-20 10:00," + email + "," + phone + ",Mei,yes," + gclid + "," + gbraid + "\n"
	cfg := testConfig(t)
	cfg.Input.Columns.FirstName = "first"
	cfg.Input.Columns.GCLID, cfg.Input.Columns.GBRAID = "gclid", "gbraid"
	cfg.Destinations.Meta.Enabled = false
	cfg.AddDestination(dummy, true)
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	if got := cfg.Enabled(); len(got) != 2 || got[1] != dummy {
		t.Fatalf("enabled platforms %v, want google and dummy", got)
	}
	env, out, errOut := testEnv(t, in)
	if err := Upload(context.Background(), env, UploadRequest{Config: cfg, Input: "-", DryRun: true}); err != nil {
		t.Fatalf("%v\n%s", err, errOut)
	}
	recs, err := csv.NewReader(strings.NewReader(out.String())).ReadAll()
	if err != nil || len(recs) != 3 {
		t.Fatalf("review CSV (%v): want a header and one row per platform:\n%s", err, out)
	}
	col := map[string]int{}
	for i, h := range recs[0] {
		col[h] = i
	}
	rows := map[string][]string{}
	for _, r := range recs[1:] {
		rows[r[col["destination"]]] = r
	}
	d, g := rows["dummy"], rows["google"]
	if d == nil || g == nil {
		t.Fatalf("rows for %v, want google and dummy:\n%s", recs[1:], out)
	}
	metaHash := func(f platform.Field, raw string) string {
		s, err := identifier.Prepare(platform.Meta, f, raw, identifier.Options{Region: "TW"})
		if err != nil {
			t.Fatal(err)
		}
		return s.Hash().Hex()
	}
	for _, c := range []struct {
		column, want string
		field        platform.Field
		raw          string
	}{
		{"email_sha256", sha("mei.lin@gmail.com"), platform.Email, email},
		{"phone_sha256", sha("00886912345678"), platform.Phone, phone},
	} {
		got := d[col[c.column]]
		if got != c.want {
			t.Errorf("dummy %s = %s, want its own rule's %s", c.column, got, c.want)
		}
		if got == g[col[c.column]] || got == metaHash(c.field, c.raw) {
			t.Errorf("dummy %s equals Google's or Meta's hash: another platform's rule was used", c.column)
		}
	}
	// Click ids: each platform its own, by its Spec — Google both, the
	// dummy its gbraid and not Google's gclid.
	if g[col["gclid"]] != gclid || g[col["gbraid"]] != gbraid || d[col["gclid"]] != "" || d[col["gbraid"]] != gbraid {
		t.Errorf("click ids: google gclid %q gbraid %q, dummy gclid %q gbraid %q; want the dummy to carry its gbraid only",
			g[col["gclid"]], g[col["gbraid"]], d[col["gclid"]], d[col["gbraid"]])
	}
	if i, ok := col["first_name_sha256"]; !ok || d[i] != "" {
		t.Errorf("dummy first name: column present %v, value %q; want the column and no value (no rule)", ok, d[col["first_name_sha256"]])
	}
	if !strings.Contains(errOut.String(), identifier.ReasonNoRules) {
		t.Errorf("summary does not count the first name refused for want of a rule:\n%s", errOut)
	}
	// No fall-back either when the rules are gone: every value refused.
	identifier.Register(dummy, nil)
	if _, err := identifier.Prepare(dummy, platform.Email, email, identifier.Options{}); err == nil {
		t.Error("without rules, the dummy's e-mail was prepared")
	}
}

// TestARegisteredPlatformWithoutABlockStaysOff: a platform added in code
// but given no destinations block is disabled, validates, and is not
// offered as a key to enable (it has none in the file schema).
func TestARegisteredPlatformWithoutABlockStaysOff(t *testing.T) {
	dummy, unregister := platform.Register(dummySpec())
	t.Cleanup(unregister)
	cfg := testConfig(t)
	if err := cfg.Validate(); err != nil {
		t.Fatalf("a config that knows nothing of dummy: %v", err)
	}
	for _, p := range cfg.Enabled() {
		if p == dummy {
			t.Fatal("dummy is enabled without a block")
		}
	}
	cfg.Destinations.Google.Enabled, cfg.Destinations.Meta.Enabled = false, false
	err := cfg.Validate()
	if err == nil || strings.Contains(err.Error(), "destinations.dummy") {
		t.Errorf("nothing enabled: %v; want an error that offers google and meta only", err)
	}
}
