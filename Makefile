# mxprobe: the two entry points for a fresh Debian 12 machine (as root).
#   make demo   install, build, start the local MX fixtures, print mxprobe's reports
#   make test   install, build, run the whole test suite (unit, ASan+UBSan, fuzz, integration)
# Everything else is CMake presets (CMakePresets.json); this file only strings them together.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
MXFIX := tests/integration/mxfix
MXPROBE := build/linux/mxprobe

.PHONY: demo test deps build build-asan build-fuzz unit asan fuzz integration bench clean

deps:
	@toolchain/install-deps.sh

build: deps
	@cmake --preset linux >/dev/null
	@cmake --build --preset linux

build-asan: deps
	@cmake --preset asan >/dev/null
	@cmake --build --preset asan

build-fuzz: deps
	@cmake --preset fuzz >/dev/null
	@cmake --build --preset fuzz

# The main job: the local modern and legacy MX profiles, probed as a user would.
demo: build
	@$(MXFIX) start modern legacy >/dev/null
	@trap '$(MXFIX) stop >/dev/null' EXIT; \
	for target in "127.0.0.1:10025 --sni mx.modern.test" "127.0.0.1:10026 --sni mx.legacy.test"; do \
	  echo "\$$ mxprobe $$target"; \
	  $(MXPROBE) $$target || true; \
	  echo; \
	done

unit: build
	@ctest --preset linux -L unit

asan: build-asan
	@ctest --preset asan

integration: build
	@ctest --preset integration

fuzz: build-fuzz
	@ctest --preset fuzz

# The whole suite: unit and integration tests on the release build, both
# again under ASan+UBSan (leaks and UB in real runs against postfix), then a
# bounded libFuzzer run of every parser.
test: build build-asan build-fuzz
	@ctest --preset linux
	@ctest --preset integration
	@ctest --preset asan
	@ctest --preset asan-integration
	@ctest --preset fuzz

bench: build
	@tests/bench/bench.py

clean:
	rm -rf build
