package channelreport

import (
	"io"

	"github.com/hashgate/hashgate/internal/channels"
)

// WriteHTML writes one self-contained page.
func WriteHTML(w io.Writer, r *channels.Report) error {
	return WriteTable(w, r)
}
