# hashgate in a minimal image: a static binary on distroless, run as the
# non-root user (65532), its state (ledger, run reports, last-run file and
# the token of `hashgate auth google`) in one volume.
#
# NOT BUILT IN CI: the CI machine has no container engine. Build it with
#   docker build --build-arg VERSION=$(git describe --tags --always) -t hashgate .
# and see README ("Container image") for a run.

FROM golang:1.26 AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
ARG VERSION=""
RUN CGO_ENABLED=0 go build -trimpath \
      -ldflags "-s -w -X github.com/hashgate/hashgate/internal/cli.Version=${VERSION}" \
      -o /out/hashgate ./cmd/hashgate \
 && mkdir -p /out/state/hashgate

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/hashgate /usr/local/bin/hashgate
# The state directory exists and belongs to the non-root user, so a fresh
# named volume mounted there starts writable.
COPY --from=build --chown=65532:65532 /out/state/hashgate /var/lib/hashgate
# $XDG_STATE_HOME/hashgate and $XDG_CONFIG_HOME/hashgate both land in the volume.
ENV XDG_STATE_HOME=/var/lib \
    XDG_CONFIG_HOME=/var/lib/hashgate/config
VOLUME ["/var/lib/hashgate"]
# The config (./hashgate.yaml) and exports are mounted here.
WORKDIR /work
USER 65532:65532
ENTRYPOINT ["/usr/local/bin/hashgate"]
CMD ["--help"]
