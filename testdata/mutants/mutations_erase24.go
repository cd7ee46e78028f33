package main

// erase24Mutations hold a privacy officer's review of erasure: `ledger
// unrevoke --patients` used as erasure forgot the withdrawal and the next
// upload sent the patient again; deleted rows stayed readable in the file;
// a killed dry-run's temporary file of hashed data stayed for good beside
// a dated output name.
var erase24Mutations = register([]mutation{
	{
		Name:     "erase24/erase-forgets-withdrawals",
		Why:      "ledger erase would forget the withdrawal as unrevoke does: a later row of the patient ticked yes by mistake is sent to both platforms",
		File:     "internal/ledger/erase.go",
		Old:      "\tif err := erasePatients(ctx, tx, patients, l.now().UnixMilli(), &out); err != nil {\n",
		New:      "\tif _, err := tx.ExecContext(ctx, `DELETE FROM revoked_patients`); err != nil {\n",
		Packages: []string{"./internal/ledger", "./internal/cli"},
		Run:      "TestErase",
	},
	{
		Name:     "erase24/erase-without-secure-delete",
		Why:      "an erased event id's bytes would stay readable in ledger.db's freed cells",
		File:     "internal/ledger/erase.go",
		Old:      "`PRAGMA secure_delete = ON`",
		New:      "`PRAGMA secure_delete = OFF`",
		Packages: []string{"./internal/ledger"},
		Run:      "TestErase",
	},
	{
		Name:     "erase24/erased-id-kept-in-its-request",
		Why:      "an erased event among another patient's in one request would stay in the ledger",
		File:     "internal/ledger/erase.go",
		Old:      "\t\t\tcopy(c.ids[i:i+idLen], zero[:])\n",
		New:      "\t\t\tcopy(c.ids[i:i], zero[:])\n",
		Packages: []string{"./internal/ledger"},
		Run:      "TestErase",
	},
	{
		Name:     "erase24/stale-temp-of-own-name-only",
		Why:      "a killed dry-run's .review-DATE.csv.hashgate-PID-N.tmp (hashed e-mails and phones) would stay for good: no later run writes that name",
		File:     "internal/outfile/outfile.go",
		Old:      "\t\tif !ok || pid == os.Getpid() || alive(pid) {\n",
		New:      "\t\tif !ok || pid == os.Getpid() || alive(pid) || !strings.HasPrefix(name, tempPrefix(base)) {\n",
		Packages: []string{"./internal/outfile", "./internal/run"},
		Run:      "TestStaleTempFiles|TestKilledRunsTempFiles",
	},
	{
		Name:     "erase24/unrevoke-silent",
		Why:      "unrevoke would not say it re-enables sending, and is used as an erasure again",
		File:     "internal/cli/ledgerunrevoke.go",
		Old:      "\tfmt.Fprintln(o.f.IO.ErrOut, \"hashgate ledger: unrevoke re-enables sending",
		New:      "\tfmt.Fprintln(new(strings.Builder), \"hashgate ledger: unrevoke re-enables sending",
		Packages: []string{"./internal/cli"},
		Run:      "TestUnrevokeListedPatients",
	},
})
