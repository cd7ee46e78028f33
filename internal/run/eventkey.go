package run

import (
	"context"
	"fmt"
	"strings"

	"github.com/hashgate/hashgate/internal/config"
	"github.com/hashgate/hashgate/internal/eventid"
	"github.com/hashgate/hashgate/internal/ledger"
	"github.com/hashgate/hashgate/internal/platform"
	"github.com/hashgate/hashgate/internal/report"
)

// The event-id key's fingerprint (a review's month of nightly uploads): a
// changed secret makes every event id new, and the safety net (newids.go)
// sees that only when enough of tonight's conversions were delivered
// before — a small clinic's export of 18 visits went to both platforms a
// second time, exit 0. The ledger keeps a fingerprint of the key the
// uploads to each destination were made under (eventid.Deriver.EventKeyCheck,
// never the secret), and an upload under another stops before it reads
// the export. `upload --accept-new-ids`, the net's override, goes on and
// keeps the new fingerprint.
//
// One per destination (ledger.EventKeys; an agency's review of 15
// clinics' configs in one crontab, sharing the default ledger): with one
// per ledger, the second clinic's upload stopped on the first's, told to
// use that clinic's secret or pass --accept-new-ids, and the two stopped
// each other on alternate nights. A destination this config never
// delivered to in this ledger has no ids a new secret could re-key. A
// ledger kept one for the whole ledger before: it still stands for a
// destination that accepted requests and has none of its own.

// eventKeyCheck is one upload's check of its event-id key.
type eventKeyCheck struct {
	check  string
	dests  []string // the config's destinations whose events count
	record bool     // one of them has no fingerprint, or a person accepted a new one
	// from is the fingerprint a person accepted to leave (the rotation's
	// previous event-id key, keyVerdict.from; "": none left tonight).
	from string
	// configOf: the destinations the ledger does not yet know this
	// config (configAbs) uploads to (configof.go).
	configOf  []string
	configAbs string
}

// keyDests are the ledger keys of cfg's destinations whose events count
// (test runs send nothing that counts, and re-key nothing).
func keyDests(cfg *config.Config) ([]string, map[string]platform.Platform) {
	var keys []string
	names := map[string]platform.Platform{}
	for p, d := range ledgerDestinations(cfg) {
		if !d.Test {
			keys = append(keys, d.Key)
			names[d.Key] = p
		}
	}
	return keys, names
}

// keyVerdict is what the ledger's fingerprints say of one run's key.
type keyVerdict struct {
	changed []platform.Platform // destinations whose uploads were made under another key
	was     []string            // the key each was made under (changed's fingerprints)
	whole   bool                // one of them judged by the whole ledger's fingerprint
	shared  bool                // and destinations this config does not name accepted requests here
	fresh   bool                // a destination has no fingerprint of its own yet
	others  bool                // this config delivered nothing here, another under another key did
}

func judgeEventKeys(k ledger.EventKeys, cfg *config.Config, check string) keyVerdict {
	var v keyVerdict
	dests, names := keyDests(cfg)
	mine, anyMine := map[string]bool{}, false
	for _, d := range dests {
		mine[d] = true
		anyMine = anyMine || k.Delivered[d]
		switch was := k.Dest[d]; {
		case was != "":
			if was != check {
				v.changed, v.was = append(v.changed, names[d]), append(v.was, was)
			}
		case k.Delivered[d] && k.Whole != "":
			v.fresh = true
			if k.Whole != check {
				v.changed, v.was, v.whole = append(v.changed, names[d]), append(v.was, k.Whole), true
			}
		default:
			v.fresh = true
		}
	}
	for d := range k.Delivered {
		if mine[d] {
			continue
		}
		was := k.Dest[d]
		if was == "" {
			was = k.Whole
		}
		v.shared = true
		v.others = v.others || !anyMine && was != "" && was != check
	}
	return v
}

// from is the fingerprint the changed destinations' uploads were made
// under: the first's in platform.All's order ("": none changed), so that
// the rotation records the same one however the map of destinations
// iterates.
func (v keyVerdict) from() string {
	for _, p := range platform.All {
		for i, c := range v.changed {
			if c == p {
				return v.was[i]
			}
		}
	}
	return ""
}

// stop is the config error an upload under v stops with; nil when none.
// through names the newest event sent under the old secret
// (oldSecretThrough; "" when not known).
func (v keyVerdict) stop(through string) error {
	if len(v.changed) == 0 {
		return nil
	}
	var names []string
	for _, p := range platform.All {
		for _, c := range v.changed {
			if c == p {
				names = append(names, p.String())
			}
		}
	}
	to := strings.Join(names, " and ")
	if v.whole && v.shared {
		return &config.Error{Key: "secret", Problem: "the secret (HASHGATE_SECRET) is not the one this ledger kept from before it kept one per destination, " +
			"and the ledger also holds uploads to destinations this config does not name: that fingerprint may be another config's that shares this ledger " +
			"(configs without ledger.path share $XDG_STATE_HOME/hashgate/ledger.db); nothing was sent. " +
			"If this secret is the one this config's uploads to " + to + " were made under (check this config's own line in the cron job), run `hashgate upload --accept-new-ids` once: " +
			"it keeps this secret's fingerprint for this config's destinations alone, and stops no other config. " +
			"Otherwise run with the secret of this config's last upload: under another, every visit already sent would be counted again"}
	}
	return &config.Error{Key: "secret", Problem: "the secret (HASHGATE_SECRET) is not the one this ledger's uploads to " + to + " were made under: " +
		"every event id would change, and each platform would count again every visit it already holds; nothing was sent. " +
		"Run with the secret of this config's last upload (check the cron job's environment or secret file). " +
		rotationAdvice(through) + "; it keeps the new secret's fingerprint"}
}

// checkEventKey compares the fingerprint of key with the ones the ledger
// keeps for cfg's destinations. It returns the stop (a *config.Error
// naming the secret) when one differs, unless --accept-new-ids passes it
// (acc): then it warns and goes on. Runs that only validate (allTestRuns) neither check
// nor record: nothing they send counts anywhere. stopping is true when the
// run stops anyway, for a stop judged before (the second rotation's, which
// --accept-new-ids does not pass): then it does not warn that it goes on and
// keeps the new fingerprint, since it neither goes on nor keeps it (a
// review: the line printed just before the exit 2 said the opposite).
func checkEventKey(ctx context.Context, env *Env, led *ledger.Ledger, cfg *config.Config, key string, acc *acceptance, stopping bool) (*eventKeyCheck, error) {
	k := &eventKeyCheck{check: eventid.NewDeriver(key).EventKeyCheck()}
	if allTestRuns(cfg) {
		return k, nil
	}
	k.dests, _ = keyDests(cfg)
	kept, err := led.EventKeys(ctx)
	if err != nil {
		return k, fmt.Errorf("ledger: %w", err)
	}
	v := judgeEventKeys(kept, cfg, k.check)
	k.record = v.fresh
	if stop := v.stop(oldSecretThrough(ctx, led, cfg)); stop != nil {
		if !acc.pass(report.StopSecretFingerprint) {
			return k, stop
		}
		if !stopping {
			env.Logger.Warn("the secret (HASHGATE_SECRET) is not the one the earlier uploads to this config's destinations were made under: going on (--accept-new-ids), and the ledger keeps the new one's fingerprint for them")
		}
		k.record, k.from = true, v.from()
	}
	if env.ConfigAbs == "" {
		return k, nil
	}
	k.configAbs = env.ConfigAbs
	var other, dest string
	if k.configOf, other, dest = judgeConfigOf(kept, k.dests, env.ConfigAbs); other != "" && !cfg.Ledger.SharedDestinations {
		if acc == nil || !acc.asked {
			env.Logger.Warn(configOfWarning(dest, other))
			k.configOf = nil // said every night until a person accepts it
		} else {
			env.Logger.Warn("this ledger's uploads to "+dest+" were made by another config, which is still there: the ledger now knows this config uploads there too (--accept-new-ids)", "config", DisplayPath(other))
		}
	}
	return k, nil
}

// secretKnown reports whether key is the one the ledger's fingerprint
// says this config's uploads were made under (one of its destinations').
func secretKnown(ctx context.Context, led *ledger.Ledger, cfg *config.Config, key string) (bool, error) {
	kept, err := led.EventKeys(ctx)
	if err != nil {
		return false, err
	}
	check := eventid.NewDeriver(key).EventKeyCheck()
	dests, _ := keyDests(cfg)
	for _, d := range dests {
		if kept.Dest[d] == check || kept.Dest[d] == "" && kept.Delivered[d] && kept.Whole == check {
			return true, nil
		}
	}
	return len(dests) == 0 && kept.Whole == check, nil
}

// save records the fingerprint when the ledger is to keep it: after a run
// that read its export and went on to send (upload decides).
func (k *eventKeyCheck) save(ctx context.Context, led *ledger.Ledger) error {
	if k == nil {
		return nil
	}
	if k.configAbs != "" && len(k.configOf) > 0 {
		if err := led.SetConfigOf(ctx, k.configOf, k.configAbs); err != nil {
			return err
		}
	}
	if !k.record {
		return nil
	}
	return led.SetEventKeyChecks(ctx, k.dests, k.check)
}

// predictEventKey says, for a dry-run and `config validate --upload`,
// what an upload with cfg and key would meet in its ledger: the stop
// (checkEventKey's; nil when none) and, when this config delivered
// nothing to a ledger another config's uploads under another secret
// share, a warning to give it its own ledger.path while that moves
// nothing it sent. It changes nothing; a ledger that is not there or
// cannot be read predicts nothing (the upload says why).
func predictEventKey(ctx context.Context, env *Env, cfg *config.Config, key string) (stop error, shared string) {
	if key == "" || key == eventid.DemoKey || allTestRuns(cfg) {
		return nil, ""
	}
	lpath, err := LedgerPath(env, cfg)
	if err != nil {
		return nil, ""
	}
	kept, err := ledger.PeekEventKeys(ctx, lpath)
	if err != nil {
		return nil, ""
	}
	v := judgeEventKeys(kept, cfg, eventid.NewDeriver(key).EventKeyCheck())
	if dests, _ := keyDests(cfg); env.ConfigAbs != "" && !cfg.Ledger.SharedDestinations {
		if _, other, dest := judgeConfigOf(kept, dests, env.ConfigAbs); other != "" {
			defer func() { shared = strings.TrimPrefix(shared+"; "+configOfWarning(dest, other), "; ") }()
		}
	}
	if v.others {
		shared = fmt.Sprintf("the ledger %s holds another config's uploads, made under another secret, and none of this config's: "+
			"give this config its own ledger.path before its first upload (configs without one share $XDG_STATE_HOME/hashgate/ledger.db), "+
			"so that its ledger, lock and remembered withdrawals are its own", DisplayPath(lpath))
	}
	return v.stop(""), shared
}

// sayEventKey warns, in a dry-run, of what predictEventKey finds: that an
// upload with this config stops on its secret, or that the ledger is
// another config's.
func sayEventKey(ctx context.Context, env *Env, cfg *config.Config, key string) {
	stop, shared := predictEventKey(ctx, env, cfg, key)
	if stop != nil {
		env.Logger.Warn("an upload with this config stops (exit 2) before reading the export: " + stop.Error())
	}
	if shared != "" {
		env.Logger.Warn(shared)
	}
}
