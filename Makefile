# Paritrana: two commands do all set-up on a fresh machine with only Python.
#   make demo   install, start the embedded PostgreSQL, migrate, load reference + demo data, serve
#   make test   ruff, mypy, import contracts, then the whole test suite against real PostgreSQL

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
HOST   ?= 127.0.0.1:8000
AXE_VERSION := 4.10.2
AXE    := var/axe/node_modules/axe-core/axe.min.js

.PHONY: demo test install lint typecheck contracts pytest browser serve bench clean-db

$(STAMP): pyproject.toml
	@echo "==> Memasang Paritrana ke $(VENV) (sekali saja)"
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@$(BIN)/python -m pip install -q --upgrade pip
	@$(BIN)/python -m pip install -q -e ".[dev]"
	@touch $(STAMP)

install: $(STAMP)

demo: install
	@$(BIN)/paritrana demo
	@echo "==> Melayani di http://$(HOST)/ dengan pekerja antrean  (Ctrl+C untuk berhenti; 'paritrana db stop' menghentikan basis data)"
	@$(BIN)/paritrana serve --bind $(HOST)

serve: install
	@$(BIN)/paritrana serve --bind $(HOST)

test: install browser lint typecheck contracts pytest

lint:
	@echo "==> ruff"
	@$(BIN)/ruff check .
	@$(BIN)/ruff format --check .

typecheck:
	@echo "==> mypy"
	@$(BIN)/mypy paritrana config

contracts:
	@echo "==> import-linter"
	@$(BIN)/lint-imports

pytest:
	@echo "==> pytest ($${DATABASE_URL:+DATABASE_URL}$${DATABASE_URL:-PostgreSQL tertanam})"
	@$(BIN)/pytest -q

# Browser tests drive Debian's Chromium. Install it when missing and possible (root with apt);
# otherwise the browser tests skip with a reason.
browser:
	@test -x /usr/bin/chromium || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "==> Memasang Chromium dari Debian (untuk uji peramban)"; \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
	      || echo "    Chromium gagal dipasang: uji peramban akan dilewati"; \
	  else echo "==> Chromium tidak ada: uji peramban akan dilewati"; fi; }
	@test -f $(AXE) || { \
	  if command -v npm >/dev/null; then \
	    echo "==> Memasang axe-core $(AXE_VERSION) dari npm (uji aksesibilitas)"; \
	    npm install --silent --no-save --no-audit --no-fund --prefix var/axe axe-core@$(AXE_VERSION) >/dev/null \
	      || echo "    axe-core gagal dipasang: uji aksesibilitas akan dilewati"; \
	  else echo "==> npm tidak ada: uji aksesibilitas akan dilewati"; fi; }

bench: install
	@$(BIN)/python bench/bench_synth.py

clean-db:
	@$(BIN)/paritrana db stop
	rm -rf var/pg
