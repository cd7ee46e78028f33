package run

// # A night refused before sending, in the morning report
//
// A run refused before anything was sent — the safety net, a date
// setting, any structural stop — is dropped from the ledger
// (dropRefusedRun): it recorded nothing, and a ledger of refused runs
// would push the nights that did send out of `ledger list`, the status
// window and the setting stop's three runs in a row. But the morning
// report read the last upload from the ledger's runs alone: the morning
// after a night the safety net stopped, `status` printed the good night
// before and exited 0, no sign that the night sent nothing (a review with
// real multi-night ledgers, 2026-12-07). So the refused run's report is
// kept in the state directory like any other's (keepRefused), under the
// id the ledger dropped, with no run_id in it, and ReadLastUpload reads it
// beside the ledger's runs.
//
// The state directory is one per user, its reports/ every config's: a
// refused run belongs to the config that ran it (the report's config),
// and another config's status — its own ledger, or one shared — does not
// call it its own. A dry-run records no run and keeps no report there; a
// `--validate` run is not an upload for real.

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/hashgate/hashgate/internal/report"
)

// keepRefused writes the report of the run id, refused before sending and
// dropped from the ledger, to the state directory's reports/ (finish, which
// wrote the others, set its exit code and cause); nothing for "" (a run
// that was recorded, a dry-run, a run refused before it began).
func keepRefused(env *Env, id string, sum *report.Summary) {
	if id == "" || env.StateDir == nil {
		return
	}
	dir, err := env.StateDir()
	if err != nil {
		return
	}
	rep, err := sum.JSON()
	if err == nil {
		err = WriteFileAtomic(filepath.Join(dir, "reports", id+".json"), append(rep, '\n'))
	}
	if err != nil {
		env.Logger.Warn("could not keep the refused run's report; hashgate status will not say this night", "error", err)
	}
}

// runIDLayout is the time part of a run id (ledger.StartRun).
const runIDLayout = "20060102T150405Z"

// runIDTime is the time a run id was made at, to the second; zero for a
// name that is not a run id.
func runIDTime(id string) time.Time {
	at, _, _ := strings.Cut(id, "-")
	t, err := time.Parse(runIDLayout, at)
	if err != nil {
		return time.Time{}
	}
	return t
}

// refusedUploads reads the state directory's reports of this config's
// uploads refused before sending that started after since, newest first,
// at most lastUploadRuns of them. Reports are named by run id, which
// sorts by time: the reading stops at the first name older than since. A
// report that cannot be read is passed over (a report is never the
// command's failure).
func refusedUploads(env *Env, since time.Time) []LastUpload {
	if env.StateDir == nil {
		return nil
	}
	dir, err := env.StateDir()
	if err != nil {
		return nil
	}
	entries, err := os.ReadDir(filepath.Join(dir, "reports"))
	if err != nil {
		return nil
	}
	var out []LastUpload
	for _, e := range slices.Backward(entries) {
		id, ok := strings.CutSuffix(e.Name(), ".json")
		at := runIDTime(id)
		if !ok || !e.Type().IsRegular() || at.IsZero() {
			continue
		}
		if at.Before(since.Truncate(time.Second)) || len(out) == lastUploadRuns {
			break
		}
		b, err := os.ReadFile(filepath.Join(dir, "reports", e.Name()))
		if err != nil {
			continue
		}
		var sum report.Summary
		if json.Unmarshal(b, &sum) != nil || sum.RunID != "" || sum.DryRun || sum.Validation || sum.Config != env.ConfigAbs || !sum.StartedAt.After(since) {
			continue // a recorded run (the ledger has it), not an upload for real, or another config's
		}
		out = append(out, LastUpload{RunID: id, StartedAt: sum.StartedAt, ExitCode: sum.ExitCode, Refused: true, Cause: sum.Cause})
	}
	return out
}
