# Periscope: `make demo` runs the platform on this host, `make test` runs every test.
# Each target installs what is missing and rebuilds only what changed.
SHELL := /bin/bash
.DEFAULT_GOAL := help

export NEXT_TELEMETRY_DISABLED := 1
export CI ?=
# node-gyp must build against the installed Node's headers, never download them.
export npm_config_nodedir := $(abspath $(dir $(shell command -v node))/..)

PNPM := pnpm
TSX := node --import tsx
srcs = $(shell find $(1) -type f \( -name '*.ts' -o -name '*.tsx' -o -name '*.css' -o -name '*.sql' -o -name '*.proto' -o -name '*.json' -o -name '*.cc' -o -name '*.h' -o -name '*.gyp' -o -name '*.mjs' \) -not -path '*/node_modules/*' -not -path '*/dist/*' -not -path '*/.next/*' -not -path '*/build/*' -not -name '*.test.ts' -not -name '*.test.tsx' 2>/dev/null)

PROTO_OUT := packages/proto/dist/index.js
BPF_OUT := bpf/build/socket_trace.bpf.o
NATIVE_OUT := packages/agent/build/Release/periscope_native.node
AGENT_OUT := packages/agent/dist/main.js
COLLECTOR_OUT := packages/collector/dist/server.js
UI_OUT := packages/ui/.next/standalone/packages/ui/server.js
DEMO_OUT := demo/dist/frontend.js

.PHONY: help setup deps build demo test bench lint clean images
help:
	@echo "make demo   run Periscope on this host with a demo workload (root)"
	@echo "make test   run the whole test suite (root: kernel, browser and real-server protocol tests)"
	@echo "make bench  run every benchmark; make bench-<name> runs one"
	@echo "make images build the collector, UI and agent images with podman (root; deploy/docker)"

setup:
	@bash scripts/setup/system.sh
	@$(MAKE) --no-print-directory deps

deps: node_modules/.modules.yaml
node_modules/.modules.yaml: pnpm-lock.yaml package.json $(wildcard packages/*/package.json) e2e/package.json bench/package.json charts/package.json demo/package.json
	$(PNPM) install --frozen-lockfile
	@touch $@

build: setup
	@$(MAKE) --no-print-directory $(PROTO_OUT) bpf $(NATIVE_OUT) $(AGENT_OUT) $(COLLECTOR_OUT) $(DEMO_OUT) $(UI_OUT)

$(PROTO_OUT): $(call srcs,packages/proto/src packages/proto/proto)
	$(PNPM) --filter @periscope/proto build
	@touch $@

.PHONY: bpf
bpf:
	@$(MAKE) --no-print-directory -C bpf

$(NATIVE_OUT): $(call srcs,packages/agent/src/native) packages/agent/binding.gyp
	cd packages/agent && $(PNPM) exec node-gyp rebuild --nodedir="$(npm_config_nodedir)" --loglevel=warn

$(AGENT_OUT): $(call srcs,packages/agent/src) $(PROTO_OUT)
	$(PNPM) --filter @periscope/agent build
	@touch $@

$(COLLECTOR_OUT): $(call srcs,packages/collector/src) $(PROTO_OUT)
	$(PNPM) --filter @periscope/collector build
	@touch $@

$(UI_OUT): $(call srcs,packages/ui/src $(wildcard packages/ui/public)) $(wildcard packages/ui/*.ts packages/ui/*.mjs packages/ui/*.json)
	$(PNPM) --filter @periscope/ui build
	@touch $@

$(DEMO_OUT): $(call srcs,demo/src)
	$(PNPM) --filter @periscope/demo build
	@touch $@

demo: build
	@bash scripts/setup/services.sh
	@$(TSX) scripts/stack.ts

# A debootstrapped Debian 12 base (once), then the three images from this build.
images: build
	@bash scripts/images/build.sh

test: build
	@bash scripts/setup/services.sh
	@$(TSX) scripts/run-tests.ts

lint: deps
	$(PNPM) exec biome check .

bench: build
	@$(TSX) bench/run.ts

bench-%: build
	@$(TSX) bench/run.ts $*

clean:
	rm -rf packages/*/dist packages/agent/build packages/ui/.next bpf/build demo/dist .stamps
