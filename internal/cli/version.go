package cli

import (
	"encoding/json"
	"fmt"
	"io"
	"runtime"
	"runtime/debug"

	"github.com/spf13/cobra"
)

// Version is set at link time by release builds (GoReleaser:
// -ldflags "-X github.com/hashgate/hashgate/internal/cli.Version=v1.2.3").
// Left empty, the version comes from the build info the Go toolchain
// embeds: the module version for `go install …@v1.2.3` or `@latest`, else
// "(devel)" with the VCS revision when the build recorded one.
var Version = ""

// buildInfo is what `hashgate version --json` prints. Its keys are part of
// the documented JSON surface (README, "JSON output").
type buildInfo struct {
	Version   string `json:"version"`
	Commit    string `json:"commit,omitempty"`
	CommitAt  string `json:"commit_time,omitempty"`
	Modified  bool   `json:"modified,omitempty"`
	GoVersion string `json:"go_version"`
	OS        string `json:"os"`
	Arch      string `json:"arch"`
}

// readBuildInfo gathers the version and build settings from the binary.
func readBuildInfo() buildInfo {
	bi := buildInfo{Version: Version, GoVersion: runtime.Version(), OS: runtime.GOOS, Arch: runtime.GOARCH}
	info, ok := debug.ReadBuildInfo()
	if !ok {
		if bi.Version == "" {
			bi.Version = "(devel)"
		}
		return bi
	}
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			bi.Commit = s.Value
		case "vcs.time":
			bi.CommitAt = s.Value
		case "vcs.modified":
			bi.Modified = s.Value == "true"
		}
	}
	if bi.Version == "" {
		bi.Version = info.Main.Version
	}
	if bi.Version == "" {
		bi.Version = "(devel)"
	}
	return bi
}

// version returns the one-line version: the release or module version, or
// "(devel)" followed by the short revision when the build recorded one.
func version() string {
	bi := readBuildInfo()
	if bi.Version != "(devel)" || bi.Commit == "" {
		return bi.Version
	}
	rev := bi.Commit
	if len(rev) > 12 {
		rev = rev[:12]
	}
	if bi.Modified {
		rev += "-dirty"
	}
	return "(devel) " + rev
}

func newVersionCmd(f *Factory) *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "version",
		Short: "Print version and build information",
		Long: `version prints the version, the Go toolchain and the platform hashgate was
built for; hashgate --version prints the version alone. Release builds carry
the release tag; 'go install …@VERSION' builds carry the module version; a
build from a clone says (devel) and, when Go recorded it, the git revision.`,
		Example: `  hashgate version
  hashgate version --json | jq -r .version`,
		Args: usageArgs(cobra.NoArgs),
		RunE: func(*cobra.Command, []string) error {
			bi := readBuildInfo()
			if asJSON {
				return writeJSON(f.IO.Out, bi)
			}
			_, err := fmt.Fprintf(f.IO.Out, "hashgate %s (%s, %s/%s)\n", version(), bi.GoVersion, bi.OS, bi.Arch)
			return err
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print version and build information as JSON")
	return cmd
}

// writeJSON writes v as indented JSON and a newline: the one format of every
// --json output.
func writeJSON(w io.Writer, v any) error {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	_, err = w.Write(append(b, '\n'))
	return err
}
