# mxprobe: the two entry points for a fresh Debian 12 machine (as root).
#   make demo   install, build, start the local MX fixtures, print mxprobe's reports
#   make test   install, build, run the whole test suite (unit, ASan+UBSan, fuzz, integration)
# Everything else is CMake presets (CMakePresets.json); this file only strings them together.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
MXFIX := tests/integration/mxfix
MXPROBE := build/linux/mxprobe

BOARDS := mps2-an385 mps2-an386 mps2-an505 lm3s6965evb
APPLIANCES := linux-aarch64 linux-armhf linux-mipsel
DEMO_BOARD := mps2-an385

# netns: the path-diagnostics testbed (network namespaces; needs root)
.PHONY: netns demo test deps build build-asan build-fuzz build-boards build-appliances unit asan fuzz integration qemu appliances bench clean

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

# Every firmware image; each build prints its --print-memory-usage.
# A relink prints --print-memory-usage; an image already up to date shows its
# section sizes instead (a build failure shows the whole log and stops).
build-boards: deps
	@for b in $(BOARDS); do \
	  cmake --preset $$b >/dev/null; \
	  cmake --build --preset $$b > build/$$b.log 2>&1 || { cat build/$$b.log; exit 1; }; \
	  grep -E "Memory region|FLASH:|RAM:" build/$$b.log | sed "s/^/$$b: /" || \
	    arm-none-eabi-size build/$$b/mxprobe-fw.elf | sed "s/^/$$b: /"; \
	done

# Static, stripped mxprobe for Linux routers (aarch64, armhf, mipsel); prints each size.
build-appliances: deps
	@for p in $(APPLIANCES); do \
	  cmake --preset $$p >/dev/null && \
	  { out=$$(cmake --build --preset $$p 2>&1) || { echo "$$out"; exit 1; }; } && \
	  echo "$$p: mxprobe $$(stat -c %s build/$$p/mxprobe) bytes (static, stripped)"; \
	done

# The main job: the local modern and legacy MX profiles, probed as a user
# would on Linux, then the same from the reference board booted under QEMU
# (its serial console, the fixtures seen through QEMU's 10.0.2.2).
demo: build
	@cmake --preset $(DEMO_BOARD) >/dev/null && cmake --build --preset $(DEMO_BOARD) >/dev/null
	@$(MXFIX) start modern legacy >/dev/null
	@trap '$(MXFIX) stop >/dev/null' EXIT; \
	for target in "127.0.0.1:10025 --sni mx.modern.test" "127.0.0.1:10026 --sni mx.legacy.test"; do \
	  echo "\$$ mxprobe $$target"; \
	  $(MXPROBE) $$target || true; \
	  echo; \
	done; \
	echo "==== $(DEMO_BOARD) firmware under QEMU, serial console ===="; \
	python3 tests/qemu/qemu_console.py --board $(DEMO_BOARD) --elf build/$(DEMO_BOARD)/mxprobe-fw.elf \
	  --append "probe 10.0.2.2 10025; probe 10.0.2.2 10026; mem" --expect "autorun> mem" \
	  --expect "mxprobe> "

unit: build
	@ctest --preset linux -L unit

asan: build-asan
	@ctest --preset asan

integration: build
	@ctest --preset integration

fuzz: build-fuzz
	@ctest --preset fuzz

qemu: build build-boards
	@for b in $(BOARDS); do ctest --preset $$b || exit 1; done

# Each appliance build's integration tests under QEMU user mode, same verdicts as build/linux.
appliances: build build-appliances
	@for p in $(APPLIANCES); do ctest --preset $$p || exit 1; done

# The whole suite: unit and integration tests on the release build, both
# again under ASan+UBSan (leaks and UB in real runs against postfix), a
# bounded libFuzzer run of every parser, then every board's firmware under
# QEMU against the same fixtures, and the appliance builds' integration tests
# under QEMU user mode.
test: build build-asan build-fuzz build-boards build-appliances
	@ctest --preset linux
	@ctest --preset integration
	@ctest --preset netns
	@ctest --preset asan
	@ctest --preset asan-integration
	@ctest --preset fuzz
	@for b in $(BOARDS); do ctest --preset $$b || exit 1; done
	@for p in $(APPLIANCES); do ctest --preset $$p || exit 1; done

bench: build build-boards build-appliances
	@tests/bench/bench.py
	@echo
	@tests/bench/firmware_mem.py
	@echo
	@tests/bench/appliance.py

netns: build
	@ctest --preset netns

clean:
	rm -rf build
