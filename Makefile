# The two commands: `make run` serves Clientele; `make test` runs every test.
# Both install what they need on a fresh machine first, and skip what is already there.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c

CARGO_LEPTOS_VERSION := 0.3.10
WASM_BINDGEN_VERSION := 0.2.130
BINARYEN_VERSION     := 132
PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD := 1
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD
# wasm-opt for release builds, from npm: Debian's is too old and breaks hydration.
export PATH := $(CURDIR)/.tools/node_modules/.bin:$(PATH)

.PHONY: run test tools browser-tools postgres lint unit-and-integration end2end seed bench bench-flood bench-load bench-upload bench-import bench-mail bench-portal bench-pages

## Serve http://127.0.0.1:3000 with an SQLite database in ./data (release build).
# Erased component types make the WASM a sixth smaller. The assets are served precompressed;
# cargo-leptos's gzip level is low, so the .gz files are made again at gzip's best.
run: tools
	RUSTFLAGS="--cfg erase_components" cargo leptos build --release --precompress
	find target/site/pkg -type f ! -name '*.gz' ! -name '*.br' -exec gzip -9 -k -f {} \;
	LEPTOS_SITE_ROOT=target/site LEPTOS_HASH_FILES=true target/release/server

## Unit, integration (SQLite and PostgreSQL) and browser tests, with format and lint checks.
test: tools browser-tools postgres lint unit-and-integration end2end

tools:
	@rustup target list --installed | grep -qx wasm32-unknown-unknown || rustup target add wasm32-unknown-unknown
	@cargo leptos --version 2>/dev/null | grep -q " $(CARGO_LEPTOS_VERSION)$$" \
		|| cargo install cargo-leptos --version $(CARGO_LEPTOS_VERSION) --locked
	@wasm-bindgen --version 2>/dev/null | grep -q " $(WASM_BINDGEN_VERSION)$$" \
		|| cargo install wasm-bindgen-cli --version $(WASM_BINDGEN_VERSION)
	@[ -x .tools/node_modules/.bin/wasm-opt ] \
		|| (mkdir -p .tools && cd .tools && npm install --no-audit --no-fund --silent binaryen@$(BINARYEN_VERSION))

browser-tools:
	@command -v chromium >/dev/null || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium)
	@cd end2end && npm ci --no-audit --no-fund --silent

# The storage tests need the PostgreSQL server of this machine; start it if it is stopped.
postgres:
	@pg_isready -q -h 127.0.0.1 -p 5432 \
		|| pg_ctlcluster --skip-systemctl-redirect $$(ls /etc/postgresql) main start
	@for i in $$(seq 1 30); do pg_isready -q -h 127.0.0.1 -p 5432 && exit 0; sleep 1; done; \
		echo "PostgreSQL did not start on 127.0.0.1:5432" >&2; exit 1

# cargo-leptos builds debug servers with these settings; giving the same to cargo test and clippy
# lets all three share one build instead of rebuilding every crate in turn.
lint unit-and-integration: export RUSTFLAGS := --cfg erase_components
lint unit-and-integration: export LEPTOS_OUTPUT_NAME := clientele
lint unit-and-integration: export LEPTOS_SITE_ROOT := target/site
lint unit-and-integration: export LEPTOS_SITE_PKG_DIR := pkg

lint:
	cargo fmt --all --check
	cargo clippy -p app -p server --all-targets -- -D warnings

unit-and-integration:
	cargo test -p app -p server

end2end:
	cargo leptos build
	cd end2end && npx playwright test

## Demo data at real volume into a new database: ./data (or $$DATABASE_URL); SCALE=0.1 for a tenth.
seed: export RUSTFLAGS := --cfg erase_components
seed:
	cargo run --release -p server -- seed --scale $${SCALE:-1}

## Search latency: needs `make run` in another terminal and a staff user (BENCH_EMAIL, BENCH_PASSWORD).
bench: export RUSTFLAGS := --cfg erase_components
bench:
	cargo run --release -p server -- bench

## Every page and search at 10% and 100% of the seeded volume, on SQLite and PostgreSQL.
bench-pages: export RUSTFLAGS := --cfg erase_components
bench-pages: postgres
	cargo run --release -p server -- bench-pages --scales $${SCALES:-0.1,1} --postgres $${TEST_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/test}

## Upload throughput of a 25 MB document and the server's peak memory, on a server of its own.
## 2,000 sign-in attempts at once: answers, peak memory, /healthz meanwhile.
bench-flood: export RUSTFLAGS := --cfg erase_components
bench-flood:
	cargo run --release -p server -- bench-flood --attempts $${ATTEMPTS:-2000}

## 64 clients for 60 s over a mix of pages, searches, saves and uploads (SQLite).
bench-load: export RUSTFLAGS := --cfg erase_components
bench-load:
	cargo run --release -p server -- bench-load --connections $${CONNECTIONS:-64} --seconds $${DURATION:-60}

bench-upload: export RUSTFLAGS := --cfg erase_components
bench-upload:
	cargo run --release -p server -- bench-upload --megabytes $${MEGABYTES:-25}

## Preview and import of a 100,000-row customers workbook, on SQLite and on PostgreSQL.
bench-import: export RUSTFLAGS := --cfg erase_components
bench-import: postgres
	cargo run --release -p server -- bench-import --rows $${ROWS:-100000}
	cargo run --release -p server -- bench-import --rows $${ROWS:-100000} --postgres $${TEST_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/test}

## Emails per second the outbox worker delivers to a local SMTP server.
bench-mail: export RUSTFLAGS := --cfg erase_components
bench-mail:
	cargo run --release -p server -- bench-mail --emails $${EMAILS:-2000}

## The portal's catalog page for a customer with ITEMS items (5,000 by default).
bench-portal: export RUSTFLAGS := --cfg erase_components
bench-portal: tools browser-tools
	cargo leptos build --release --precompress
	LEPTOS_SITE_ROOT=target/site LEPTOS_HASH_FILES=true cargo run --release -p server -- bench-portal --items $${ITEMS:-5000} --browser
