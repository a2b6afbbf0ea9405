# `make` builds out/ from raw/; `make test` type-checks and runs every test.
# Make tracks only coarse dependencies (inputs, code, schemas, lockfile);
# per-article work happens inside the pipeline, in one process.
SHELL := /bin/bash
.DELETE_ON_ERROR:
.DEFAULT_GOAL := all

RAW ?= raw
OUT ?= out
# Set ALLOW_REJECTS=1 to accept input files that cannot be decoded (they stay listed in report.json).
ALLOW_REJECTS ?=
# Set NO_TEXTS=1 to publish everything but the article texts (for sources that cannot be
# redistributed; offsets and hashes stay). Use it with its own OUT, e.g. make OUT=out-no-texts NO_TEXTS=1.
NO_TEXTS ?=
# The per-article cache (keyed by raw bytes and code version); a build holds it alone while it runs.
CACHE ?= .cache

NODE_DEPS := node_modules/.package-lock.json
SCHEMAS := $(wildcard schemas/*.json)
PIPELINE_SOURCES := $(shell find pipeline -name '*.ts' -not -path 'pipeline/tools/*' -not -name '*.generated.ts')
CLI := dist/pipeline/cli.js
# Inputs are compared with the output without listing every input file as a prerequisite (GNU make
# spends a minute on a list of 100,000): the folder itself (its time changes when a file is added,
# removed or renamed) and, when any file was modified after the last build, a forced rebuild.
INPUTS_CHANGED := $(shell find "$(RAW)" -mindepth 1 -maxdepth 1 -newer "$(OUT)/SHA256SUMS" -print -quit 2>/dev/null)

.PHONY: all test typecheck eval bench clean-build help dist screenshot FORCE
FORCE:
EVAL_DIR := dist/eval
all: $(OUT)/SHA256SUMS

help:
	@echo "make            build $(OUT)/ from $(RAW)/ (make RAW=dir OUT=dir for other folders; ALLOW_REJECTS=1 to accept bad inputs)"
	@echo "make test       install, type-check and run every test"
	@echo "make eval       precision/recall/F1 against the gold annotations (seeds, development set, held-out set)"
	@echo "make dist       release archives dist/<name>-<version>.zip and .tar.gz of $(OUT)/, with dist/SHA256SUMS"
	@echo "make screenshot docs/screenshot.png of $(OUT)/index.html in headless Chromium"

# Dependencies come from the lockfile only.
$(NODE_DEPS): package.json package-lock.json
	npm ci --no-audit --no-fund
	@touch $@

# TypeScript record types are generated from the JSON Schemas (single source of truth).
pipeline/records.generated.ts: $(SCHEMAS) pipeline/tools/generate-records.ts pipeline/schema.ts $(NODE_DEPS)
	npx tsx pipeline/tools/generate-records.ts

# The gazetteer index, built once from the data packages (country-state-city, world-countries) and
# pipeline/extract/geo/*.json, so that a process or worker thread reads it in milliseconds instead of
# building it (about a second each). Derived data: not committed; places.ts builds the index itself
# when the file is missing or does not match its inputs.
GAZETTEER := pipeline/extract/geo/gazetteer.generated.txt
$(GAZETTEER): pipeline/tools/generate-gazetteer.ts $(wildcard pipeline/extract/*.ts) $(wildcard pipeline/extract/geo/*.json) $(NODE_DEPS)
	npx tsx pipeline/tools/generate-gazetteer.ts $@

# The UTF-16-length validators as ajv standalone code beside the compiled pipeline (validate.ts loads them
# instead of compiling them in every process and worker thread, and compiles them itself when the file is
# missing or was made from other schemas).
$(CLI): $(PIPELINE_SOURCES) pipeline/records.generated.ts pipeline/tools/generate-validators.ts $(GAZETTEER) $(SCHEMAS) package.json tsconfig.json tsconfig.build.json $(NODE_DEPS)
	rm -rf dist
	npx tsc -p tsconfig.build.json
	cp $(GAZETTEER) dist/pipeline/extract/geo/
	npx tsx pipeline/tools/generate-validators.ts dist/pipeline/validators.generated.cjs
	chmod +x $@
	@# npx resolves bins from node_modules/.bin only; link the package's own bin there.
	ln -sfn ../../$(CLI) node_modules/.bin/unesco-edu-pipeline

# The CLI replaces $(OUT) atomically itself and still publishes the good
# articles when some inputs are rejected (exit 1), so make must not delete
# the checksum file on that error.
.PRECIOUS: $(OUT)/SHA256SUMS
$(OUT)/SHA256SUMS: $(CLI) $(RAW) $(if $(INPUTS_CHANGED),FORCE)
	node $(CLI) build --raw "$(RAW)" --out "$(OUT)" --cache "$(CACHE)" $(if $(ALLOW_REJECTS),--allow-rejects) $(if $(NO_TEXTS),--no-texts)

typecheck: $(NODE_DEPS) pipeline/records.generated.ts
	npx tsc --noEmit -p tsconfig.json

# The landing page is tested in Debian's Chromium (driven by playwright-core) and the release zip
# with unzip: installed from Debian's packages when missing (as root, or with sudo).
APT_INSTALL = $(if $(filter 0,$(shell id -u)),,sudo) sh -c 'apt-get update && apt-get install -y --no-install-recommends $(1)'
/usr/bin/chromium:
	$(call APT_INSTALL,chromium)
/usr/bin/unzip:
	$(call APT_INSTALL,unzip)

test: typecheck $(CLI) /usr/bin/chromium /usr/bin/unzip
	npx vitest run --reporter=default --reporter=json --outputFile.json=dist/test-results.json
	@node -e "const r = require('./dist/test-results.json'); console.log('tests: ' + r.numPassedTests + ' passed, ' + r.numFailedTests + ' failed, ' + r.numPendingTests + ' skipped')"

# Quality against the gold annotations kept in tests/fixtures/gold (seeds and development set).
eval: $(CLI)
	node $(CLI) build --raw raw --out $(EVAL_DIR)/seeds --allow-rejects --no-progress
	node $(CLI) build --raw tests/fixtures/devset --out $(EVAL_DIR)/devset --allow-rejects --no-progress
	npx tsx pipeline/tools/evaluate.ts $(EVAL_DIR)/seeds tests/fixtures/gold/seeds
	npx tsx pipeline/tools/evaluate.ts $(EVAL_DIR)/devset tests/fixtures/gold/devset
	node $(CLI) build --raw tests/fixtures/heldout/raw --out $(EVAL_DIR)/heldout --allow-rejects --no-progress
	npx tsx pipeline/tools/evaluate.ts $(EVAL_DIR)/heldout tests/fixtures/heldout/gold
	node $(CLI) build --raw tests/fixtures/heldout2/raw --out $(EVAL_DIR)/heldout2 --allow-rejects --no-progress
	npx tsx pipeline/tools/evaluate.ts $(EVAL_DIR)/heldout2 tests/fixtures/heldout2/gold

# Speed and memory on synthetic corpora (BENCH_SIZES, BENCH_RUNS, BENCH_WORKERS to change); results go to BENCHMARKS.md by hand.
bench: $(CLI)
	npx tsx pipeline/tools/bench.ts

clean-build:
	rm -rf dist

# Release archives of $(OUT) (the version comes from package.json). They live in dist/ beside the
# compiled code, so a rebuild of the CLI removes them: make dist again after it.
dist: $(OUT)/SHA256SUMS
	npx tsx pipeline/tools/dist.ts --out "$(OUT)" --dist dist

# The picture of the landing page in README.md (needs Chromium: apt-get install chromium).
screenshot: $(OUT)/SHA256SUMS
	npx tsx pipeline/tools/screenshot.ts "$(OUT)/index.html" docs/screenshot.png
