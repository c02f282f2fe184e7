# mxprobe: the two entry points for a fresh Debian 12 machine (as root).
#   make demo   install, build, start the local MX fixtures, print mxprobe's reports
#   make test   install, build, run the whole test suite (unit, ASan+UBSan, fuzz, integration)
# Everything else is CMake presets (CMakePresets.json); this file only strings them together.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
MXFIX := tests/integration/mxfix
MXPROBE := build/linux/mxprobe

# The firmware presets and the Linux appliance builds (glibc aarch64, armhf,
# hard-float mipsel; the soft-float musl routers MIPS 24Kc LE/BE and ARMv5,
# tested under FPU-less CPUs), as CMakePresets.json lists them.
BOARDS := $(shell tests/run_suites.py --presets boards)
APPLIANCES := $(shell tests/run_suites.py --presets appliances)
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

# Static, stripped mxprobe for Linux routers; prints each size. The soft-float
# router presets build their musl sysroot on first configure (build-sysroot.sh).
build-appliances: deps
	@mkdir -p build; for p in $(APPLIANCES); do \
	  cmake --preset $$p >build/$$p.configure.log 2>&1 || { cat build/$$p.configure.log; exit 1; }; \
	  grep -E '^build-sysroot: .* (built|ready) in' build/$$p.configure.log || true; \
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

# Single suites, for a developer (the same runner as `make test`).
unit: build
	@tests/run_suites.py unit

asan: build-asan
	@tests/run_suites.py asan-unit asan-integration

integration: build
	@tests/run_suites.py integration

fuzz: build-fuzz
	@tests/run_suites.py fuzz

qemu: build build-boards
	@tests/run_suites.py $(addprefix qemu-,$(BOARDS))

# Each appliance build's binary checks and integration tests under QEMU user
# mode (the routers' CPUs without FPU), same verdicts as build/linux.
appliances: build build-appliances
	@tests/run_suites.py $(addprefix appliance-,$(APPLIANCES))

# The whole suite, after every build: unit and integration tests on the
# release build, both again under ASan+UBSan (leaks and UB in real runs
# against postfix), a bounded libFuzzer run of every parser, the netns path
# testbed, every board's firmware under QEMU and every appliance build under
# QEMU user mode against the same fixtures, and the formatting check.
# tests/run_suites.py runs them several at once over one set of fixtures and
# prints a table of results and wall times.
test: build build-asan build-fuzz build-boards build-appliances
	@tests/run_suites.py

bench: build build-boards build-appliances
	@tests/bench/bench.py
	@echo
	@tests/bench/firmware_mem.py
	@echo
	@tests/bench/appliance.py

netns: build
	@tests/run_suites.py netns

clean:
	rm -rf build
