package channels

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/hashgate/hashgate/internal/platform"
	"github.com/hashgate/hashgate/internal/spend"
)

// Which lines of a report have spend data, per span. A download covers the
// days it declares (coverage, spendfiles.go); a day it covers without a
// row is spend 0, a day no download covers is no spend data — never 0.
// A paid channel's spend is known for a span when some download of its
// platform covers a day of it (days missing: incomplete, and said so);
// with none — no download, or downloads of other months — the channel has
// no spend data for the span, as if no --spend were given for it: its
// spend, clicks and claims and every figure dividing them are not
// computed (NoSpendData). The paid and total lines add the paid channels'
// spend against all their patients, so they have spend only when every
// paid platform does: Google's spend over Google's and Meta's patients
// is no paid cost per patient.
type spendData struct {
	files map[platform.Platform][]*spend.File
	cov   coverage
	paid  []platform.Platform // the paid channels' platforms
}

func newSpendData(files []*spend.File, paid []platform.Platform) *spendData {
	d := &spendData{files: map[platform.Platform][]*spend.File{}, cov: coverageOf(files), paid: paid}
	for _, f := range files {
		d.files[f.Platform] = append(d.files[f.Platform], f)
	}
	return d
}

// any reports whether any download was given: the report has spend
// columns.
func (d *spendData) any() bool { return len(d.files) > 0 }

// covers reports whether some download of p covers a day of s.
func (d *spendData) covers(p platform.Platform, s span) bool {
	// Any covered range meeting s: a download without coverage has none.
	return slices.ContainsFunc(d.cov[p], func(c span) bool { return c.from <= s.to && c.to >= s.from })
}

// known reports whether a line's spend is known over s: a paid channel's
// (p its platform) when its downloads cover a day of it; the paid and
// total lines' (p zero) when every paid platform's do.
func (d *spendData) known(p platform.Platform, s span) bool {
	if p != 0 {
		return d.covers(p, s)
	}
	if len(d.paid) == 0 {
		return false
	}
	for _, q := range d.paid {
		if !d.covers(q, s) {
			return false
		}
	}
	return true
}

// SpendGap is a paid platform without spend data for the window.
type SpendGap struct {
	Platform string // google, meta
	// Reason: no_download (no --spend for it, or none at all), or
	// downloads_cover_none_of_window (its downloads are of other days).
	Reason string
}

// gaps lists the paid platforms without spend data for the window —
// with no --spend at all, every one (no_download): the list was empty
// then, beside spend_days_missing counting every day of the window.
func (d *spendData) gaps(window span) []SpendGap {
	out := []SpendGap{}
	for _, p := range platform.All {
		switch {
		case !slices.Contains(d.paid, p) || d.covers(p, window):
		case len(d.files[p]) == 0:
			out = append(out, SpendGap{p.String(), "no_download"})
		default:
			out = append(out, SpendGap{p.String(), "downloads_cover_none_of_window"})
		}
	}
	return out
}

// warnings say, for the person running the report, per paid platform
// with downloads: when they cover none of the window, which downloads and
// what they cover (a download of another month, or one without a row);
// else the days of the window no download covers.
func (d *spendData) warnings(window span) []string {
	var out []string
	days := func(from, to int32) string {
		if from == to {
			return dayTime(from).Format(time.DateOnly)
		}
		return dayTime(from).Format(time.DateOnly) + " to " + dayTime(to).Format(time.DateOnly)
	}
	for _, p := range platform.All {
		if len(d.files[p]) == 0 || !slices.Contains(d.paid, p) {
			continue
		}
		title := p.Spec().Title
		if !d.covers(p, window) {
			var what []string
			for _, f := range d.files[p] {
				if f.CoverFrom.IsZero() {
					what = append(what, f.Name+" holds no day")
				} else {
					what = append(what, f.Name+" covers "+days(dayNumber(f.CoverFrom), dayNumber(f.CoverTo)))
				}
			}
			out = append(out, fmt.Sprintf("%s spend: no download covers any day of the window %s (%s): no spend data, not zero, as if no --spend were given for it; %s spend, clicks and costs are not computed, nor the paid and total lines' spend and costs",
				title, days(window.from, window.to), strings.Join(what, "; "), title))
			continue
		}
		if runs := d.cov.missingRuns(p, window); len(runs) > 0 {
			var ds []string
			for _, r := range runs {
				ds = append(ds, days(r.from, r.to))
			}
			out = append(out, fmt.Sprintf("%s spend download does not cover %s: those days have no spend data (not zero); %s spend is that of the other days only, and every figure divided by it is listed as incomplete",
				title, strings.Join(ds, ", "), title))
		}
	}
	return out
}
