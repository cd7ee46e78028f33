package run

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/hashgate/hashgate/internal/conversion"
	"github.com/hashgate/hashgate/internal/eventid"
	"github.com/hashgate/hashgate/internal/identifier"
	"github.com/hashgate/hashgate/internal/sink/platformcsv"
)

// TestUploadedFolderReadsCSVInAnyCase: a folder of uploaded files named
// META.CSV (as Windows software names them) was read as holding no file,
// and every event went into the next file again (a review).
func TestUploadedFolderReadsCSVInAnyCase(t *testing.T) {
	dir := t.TempDir()
	fh, err := os.Create(filepath.Join(dir, "META.CSV"))
	if err != nil {
		t.Fatal(err)
	}
	w, _ := platformcsv.NewMetaOffline(fh, []identifier.Field{identifier.Email})
	id := eventid.ID("0123456789abcdef0123456789abcdef")
	if err := w.Write(&conversion.Conversion{Platform: identifier.Meta, EventID: id, Time: time.Date(2026, 11, 2, 9, 30, 0, 0, time.UTC),
		Name: "Purchase", HasValue: true, Value: 1, Currency: "TWD"}); err != nil {
		t.Fatal(err)
	}
	w.Close()
	fh.Close()
	os.WriteFile(filepath.Join(dir, "notes.txt"), []byte("not a file of ours"), 0o600)
	var meta platformcsv.Format
	for _, f := range platformcsv.Formats {
		if f.Name == "meta-offline-csv" {
			meta = f
		}
	}
	u, err := readUploaded(meta, []string{dir}, "")
	if err != nil || u.files != 1 || !u.has(id) {
		t.Fatalf("read %+v, err %v; want the one META.CSV and its event", u, err)
	}
}
