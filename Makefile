# hashgate — everyday targets. `make help` lists them.
GO        ?= go
SHARED    ?= ../shared
FUZZTIME  ?= 60s
PKG       := ./...
# The checks build without cmd/hashgate/default.pgo (profile-guided
# optimisation, docs/performance.md): the profile changes no result, and
# with it go test, go vet and go run would compile every package hashgate
# links a second time beside the copies the other packages' checks need
# (measured: docs/performance.md). go build, install, the benchmarks, the
# Dockerfile and releases use it (-pgo=auto, Go's default).
CHECKPGO  := -pgo=off

# goreleaser is installed from the Go module proxy into .tools/ on first use.
# v2.17.0 is the newest release that builds with Go 1.26 (v2.18 needs 1.27).
GORELEASER_VERSION ?= v2.17.0
TOOLS     := $(CURDIR)/.tools

.PHONY: help build install docs release-check test consent-check race vet fmt-check tidy-check lint demo bench bench-upload bench-channels bench-go bench-startup bench-cell bench-wide test-resave exports-sweep fuzz golden channels-screenshot clean mutants attack bench-withdrawals bench-ledger bench-check pgo pgo-check

help: ## list targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-11s %s\n", $$1, $$2}'

build: ## build bin/hashgate
	$(GO) build -o bin/hashgate ./cmd/hashgate

install: ## go install ./cmd/hashgate into GOBIN (default: GOPATH/bin)
	$(GO) install ./cmd/hashgate

docs: ## man pages and shell completions into build/docs (from the command tree)
	$(GO) run ./cmd/hashgate-docs -out build/docs

release-check: ## validate .goreleaser.yaml with goreleaser check (first run installs goreleaser: a large build; not in CI)
	@test -x $(TOOLS)/goreleaser || GOBIN=$(TOOLS) $(GO) install github.com/goreleaser/goreleaser/v2@$(GORELEASER_VERSION)
	$(TOOLS)/goreleaser check

# Go's default test timeout is 10 minutes per package binary; internal/cli's
# suite under -race passed it on a loaded 2-core machine. 30m leaves room for
# that, and still stops a test that hangs.
TESTTIMEOUT ?= 30m

test: ## the test command of README and CI: go test -race over every package
	$(GO) test -race $(CHECKPGO) -timeout $(TESTTIMEOUT) $(PKG)

consent-check: ## the consent gate against testdata/consent fixtures (exit 5 on a mismatch)
	$(GO) run $(CHECKPGO) ./cmd/hashgate check --config configs/example.yaml testdata/consent/example.csv
	$(GO) run $(CHECKPGO) ./cmd/hashgate check --config testdata/consent/split.yaml testdata/consent/split.csv
	$(GO) run $(CHECKPGO) ./cmd/hashgate check --config testdata/consent/withdrawn.yaml testdata/consent/withdrawn.csv

vet: ## go vet
	$(GO) vet $(CHECKPGO) $(PKG)

fmt-check: ## fail if gofmt would change a file
	@out=$$(gofmt -l $$(git ls-files '*.go')); if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi

tidy-check: ## fail if go mod tidy would change go.mod or go.sum
	@cp go.mod /tmp/hashgate.go.mod && cp go.sum /tmp/hashgate.go.sum && $(GO) mod tidy && \
	  if ! cmp -s go.mod /tmp/hashgate.go.mod || ! cmp -s go.sum /tmp/hashgate.go.sum; then \
	    echo "go mod tidy changes go.mod/go.sum: run it and commit"; exit 1; fi

lint: fmt-check vet tidy-check ## gofmt, go vet, go mod tidy

demo: ## dry-run the bundled example (no credentials, no network)
	$(GO) run $(CHECKPGO) ./cmd/hashgate upload --dry-run --config configs/example.yaml testdata/example/appointments.csv

bench: ## 1M- and 10M-row dry-runs (stdin and file) beside the floor program and the Python baseline: medians of PAIRS alternating rounds, Python in the first BASELINE_PAIRS (ROWS="…", PAIRS=3, BASELINE_PAIRS=3, SHARED=…)
	SHARED=$(SHARED) ./testdata/bench/bench.sh

bench-channels: ## the channel report over a generated 1M-row export and a year of daily spend, beside a dry-run of it (ROWS=…, PAIRS=3)
	./testdata/bench/channels.sh

bench-upload: ## uploads of 100k and 1M rows, and onto a year-full ledger, against loopback fakes (ROWS="…", YEARFULL=rows, PAIRS=rounds of the 1M CPU ratio)
	@mkdir -p .bench
	$(GO) build -o .bench/hashgate ./cmd/hashgate
	$(GO) build -o .bench/bench-upload ./testdata/bench/upload
	.bench/bench-upload -shared $(SHARED) -rows "$(or $(ROWS),100000 1000000)" -yearfull $(or $(YEARFULL),100000) -pairs $(or $(PAIRS),3)

pgo: ## regenerate cmd/hashgate/default.pgo, the CPU profile go build optimises hashgate with: the bench's dry-runs (DRY=2 each from stdin and the file) and the channel report (UPLOAD=1 adds an upload and rerun), ROWS=1000000; refused if it moves a variable to the heap that -pgo=off keeps on the stack (measure before committing it: docs/performance.md)
	SHARED=$(SHARED) ./testdata/bench/pgo.sh

pgo-check: ## does cmd/hashgate/default.pgo move a variable to the heap that -pgo=off keeps on the stack? (make pgo's guard; minutes of CPU after the profile changes)
	./testdata/bench/pgocheck.sh cmd/hashgate/default.pgo

bench-startup: ## what every command pays before it starts: ROUNDS (21) alternating runs of version and the example dry-run, BASE (653f6f0) against the tree; CPU and wall medians, inittrace totals
	BASE=$(or $(BASE),653f6f0) ROUNDS=$(or $(ROUNDS),21) ./testdata/bench/startup.sh

bench-go: ## Go benchmarks: per-row time and allocations of the pipeline
	$(GO) test -run '^$$' -bench . -benchmem ./internal/pipeline ./internal/identifier ./internal/channels ./internal/ledger

test-resave: ## the re-saved export suite uploading every variant of every base (CI uploads a quarter of them)
	HASHGATE_RESAVE_FULL=1 $(GO) test -race -timeout $(TESTTIMEOUT) -run 'TestResavedExportKeepsEventIDs' -count=1 ./internal/cli

attack: ## the channel report's privacy sweeps beyond CI: the attack suite on TABLES random exports (default 200) under -race (minutes; not in CI)
	HASHGATE_ATTACK_SWEEP=$(or $(TABLES),200) $(GO) test -race -run 'TestAttacksOnRandomTables|TestAttacksOnBookingsMadeAndAsOf|TestFeeAttacks|TestBounds|TestEveryFigureIsADifferenceOfRunningTotals|TestReleasedFiguresStayUseful|TestPrintLessAcrossLines|TestSummedTotalsCost' -count=1 -timeout 60m ./internal/channels

bench-ledger: ## peak RSS of ledger confirm, an upload's reads of a ledger of N unanswered events, and the year-full Filter over OLD older acceptances fed N re-dated events, each in a process of its own, against 40 MB (64 for the unanswered, whose sets returned grow by 28 bytes an event) (N=1000000, OLD=1000000)
	@mkdir -p .bench
	$(GO) build -o .bench/bench-ledger ./testdata/bench/ledger
	.bench/bench-ledger -dir .bench/ledger -n $(or $(N),1000000) -old $(or $(OLD),1000000)

bench-withdrawals: ## dry-runs of exports with patients, repeated orders and 5% withdrawals after their rows (testdata/bench/withdrawals, kept in BENCH_DIR): CPU-s and peak RSS <= 64 MB (ROWS="…", default 1000000)
	@mkdir -p $(or $(BENCH_DIR),.bench)
	$(GO) build -o $(or $(BENCH_DIR),.bench)/hashgate ./cmd/hashgate
	$(GO) build -o $(or $(BENCH_DIR),.bench)/withdrawals ./testdata/bench/withdrawals
	@set -e; T=$(or $(BENCH_DIR),.bench); missed=0; for n in $(or $(ROWS),1000000); do \
	  csv=$$T/withdrawals-$$n.csv; [ -s $$csv ] || $$T/withdrawals -rows $$n > $$csv; \
	  /usr/bin/time -f "%e %U %S %M" -o $$T/withdrawals.time $$T/hashgate upload --dry-run --quiet --config testdata/bench/withdrawals.yaml $$csv > /dev/null; \
	  awk -v n=$$n '{ printf "%d rows: %.1f s wall, %.2f CPU-s, peak RSS %.1f MB (target <= 64)\n", n, $$1, $$2 + $$3, $$4 / 1024 }' $$T/withdrawals.time; \
	  awk '{ exit !($$4 / 1024 > 64) }' $$T/withdrawals.time && missed=1; \
	done; exit $$missed

bench-check: ## peak RSS of check, text and --json, over a generated fixture of ROWS rows (default 1000000; not 10M on a shared machine), half mismatching: target <= 64 MB
	ROWS=$(or $(ROWS),1000000) ./testdata/bench/check.sh

bench-cell: ## peak RSS of a dry-run over one 100 MB cell (target < 100 MB; CELL_MB=…)
	./testdata/bench/cell.sh

bench-wide: ## peak RSS over a header as wide as hashgate reads, and the refusal of a wider one (target < 64 MB; ROWS=…)
	./testdata/bench/wide.sh

exports-sweep: ## config init over many generated variants of every testdata/exports layout (VARIANTS=…, default 20)
	$(GO) test ./internal/cli -run '^TestExportsGenerator$$' -count=1 -timeout 30m -exports-sweep $(or $(VARIANTS),20) -v | grep -E 'generator:|FAIL|ok'

fuzz: ## run every fuzz target for FUZZTIME each (default 60s)
	$(GO) test ./internal/export -run '^$$' -fuzz '^FuzzReader$$' -fuzztime $(FUZZTIME)
	$(GO) test ./internal/export -run '^$$' -fuzz '^FuzzScanner$$' -fuzztime $(FUZZTIME)
	$(GO) test ./internal/identifier -run '^$$' -fuzz '^FuzzPrepare$$' -fuzztime $(FUZZTIME)
	$(GO) test ./internal/identifier -run '^$$' -fuzz '^FuzzFastPhone$$' -fuzztime $(FUZZTIME)
	$(GO) test ./internal/sink/reviewcsv -run '^$$' -fuzz '^FuzzQuoting$$' -fuzztime $(FUZZTIME)
	$(GO) test ./internal/sink/reviewcsv -run '^$$' -fuzz '^FuzzHashedCell$$' -fuzztime $(FUZZTIME)
	$(GO) test ./internal/sink/reviewcsv -run '^$$' -fuzz '^FuzzPrepareIsWrite$$' -fuzztime $(FUZZTIME)
	$(GO) test ./internal/sink/reviewcsv -run '^$$' -fuzz '^FuzzWritePreparedIsShuffled$$' -fuzztime $(FUZZTIME)
	$(GO) test ./internal/identifier -run '^$$' -fuzz '^FuzzEmailRules$$' -fuzztime $(FUZZTIME)
	$(GO) test ./internal/conversion -run '^$$' -fuzz '^FuzzCodecRead$$' -fuzztime $(FUZZTIME)
	$(GO) test ./internal/eventtime -run '^$$' -fuzz '^FuzzParse$$' -fuzztime $(FUZZTIME)
	$(GO) test ./internal/eventtime -run '^$$' -fuzz '^FuzzFastISO$$' -fuzztime $(FUZZTIME)
	$(GO) test ./internal/identifier -run '^$$' -fuzz '^FuzzValues$$' -fuzztime $(FUZZTIME)
	$(GO) test ./internal/run -run '^$$' -fuzz '^FuzzWholeRecords$$' -fuzztime $(FUZZTIME)
	$(GO) test ./internal/csvcell -run '^$$' -fuzz '^FuzzNeutralised$$' -fuzztime $(FUZZTIME)
	$(GO) test ./internal/spend -run '^$$' -fuzz '^FuzzRead$$' -fuzztime $(FUZZTIME)
	$(GO) test ./internal/plaintext -run '^$$' -fuzz '^FuzzClickID$$' -fuzztime $(FUZZTIME)
	$(GO) test ./internal/destination -run '^$$' -fuzz '^FuzzAnswer$$' -fuzztime $(FUZZTIME)

golden: ## rewrite golden files after reviewing the change they show
	$(GO) test ./internal/cli -run 'TestDryRunGolden|TestWriteFormatsGolden|TestTraps|TestInspectGolden|TestChannelsGolden|TestConfigInit' -update

CHROMIUM ?= chromium
SCREENSHOTS ?= docs

# One page per language (the fixtures' configs: en; region TW → zh-Hant;
# region CN → zh-Hans), 1280 px wide, as a clinic PC shows it. The Chinese
# pages need CJK fonts: apt-get install fonts-noto-cjk.
channels-screenshot: build ## the channels HTML report of each fixture language, opened by headless Chromium: screenshots for README (needs chromium, fonts-noto-cjk)
	@mkdir -p .screenshot $(SCREENSHOTS)
	@set -e; for spec in en:en:google-ads.csv:meta-daily.csv zh-tw:zh-Hant:google-ads-excel.csv:meta-daily.csv zh-cn:zh-Hans::; do \
	  fx=$${spec%%:*}; rest=$${spec#*:}; lang=$${rest%%:*}; rest=$${rest#*:}; g=$${rest%%:*}; m=$${rest#*:}; \
	  spend=""; if [ -n "$$g" ]; then spend="--spend google=testdata/channels/$$g --spend meta=testdata/channels/$$m"; fi; \
	  ./bin/hashgate channels -q --config testdata/channels/$$fx.yaml $$spend \
	    --from 2026-08-01 --to 2026-11-30 --as-of 2026-11-26 --period month --html .screenshot/channels-$$lang.html testdata/channels/export-$$fx.csv; \
	  if grep -qiE '<script|<link|src="https?:|@import|url\(' .screenshot/channels-$$lang.html; then echo "the page loads something"; exit 1; fi; \
	  $(CHROMIUM) --headless --no-sandbox --disable-gpu --disable-background-networking --disable-component-update \
	    --no-first-run --hide-scrollbars --window-size=1280,2000 --screenshot=$(CURDIR)/.screenshot/channels-$$lang.png \
	    file://$(CURDIR)/.screenshot/channels-$$lang.html 2>/dev/null; \
	  test -s .screenshot/channels-$$lang.png || { echo "no screenshot taken"; exit 1; }; \
	  cp .screenshot/channels-$$lang.png $(SCREENSHOTS)/channels-report-$$lang.png; ls -l $(SCREENSHOTS)/channels-report-$$lang.png; \
	done

clean: ## remove build, docs, release and bench output
	rm -rf bin build dist .bench

mutants: ## apply each named mutation (testdata/mutants) to a scratch copy; fail if any survives (minutes; not in CI)
	$(GO) run ./testdata/mutants $(if $(RUN),-run $(RUN))
