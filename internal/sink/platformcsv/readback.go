package platformcsv

import (
	"bufio"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/hashgate/hashgate/internal/eventid"
	"github.com/hashgate/hashgate/internal/platform"
)

// ReadBack reads a file `hashgate write` made — one a person uploaded —
// and calls fn with the event id of each of its rows (the order id
// column). It returns the file's format, known by its header (Google's
// after its Parameters row). A file of no format's header, or a row whose
// order id is no event id, is an error naming the line, never a value.
func ReadBack(r io.Reader, fn func(id eventid.ID)) (Format, error) {
	br := bufio.NewReader(r)
	if b, _ := br.Peek(len("Parameters:")); string(b) == "Parameters:" {
		if _, err := br.ReadString('\n'); err != nil {
			return Format{}, errors.New("no header below its Parameters row")
		}
	}
	cr := csv.NewReader(br)
	cr.FieldsPerRecord, cr.ReuseRecord = -1, true
	header, err := cr.Read()
	if err != nil {
		return Format{}, fmt.Errorf("no header: %w", cleanCSV(err))
	}
	var format Format
	col := -1
	for _, f := range Formats {
		if len(header) > 0 && header[0] == f.First {
			format, col = f, slices.Index(header, f.IDColumn)
			break
		}
	}
	if col < 0 {
		return Format{}, errors.New("its header is no file hashgate writes (" + FormatNames() + ")")
	}
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			return format, nil
		}
		if err != nil {
			return Format{}, cleanCSV(err)
		}
		line, _ := cr.FieldPos(0)
		if col >= len(rec) {
			return Format{}, fmt.Errorf("line %d: its %s is no event id", line, format.IDColumn)
		}
		id := rec[col]
		if format.Platform == platform.Google {
			// Google's Order ID is the transactionId, an all-digit event
			// id prefixed (GoogleTransactionID).
			if bare, ok := strings.CutPrefix(id, "hg"); ok && eventid.Shaped(bare) && platform.GoogleTransactionID(bare) == id {
				id = bare
			}
		}
		if !eventid.Shaped(id) {
			return Format{}, fmt.Errorf("line %d: its %s is no event id", line, format.IDColumn)
		}
		fn(eventid.ID(id))
	}
}

// cleanCSV keeps of a csv error what says where, never a value (a
// *csv.ParseError says line, column and what went wrong).
func cleanCSV(err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return fmt.Errorf("line %d: %v", pe.Line, pe.Err)
	}
	return err
}

// FormatNames is "google-ads-csv or meta-offline-csv".
func FormatNames() string {
	var names []string
	for _, f := range Formats {
		names = append(names, f.Name)
	}
	return strings.Join(names, " or ")
}
