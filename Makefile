# Thin wrappers over CMake so that a newcomer needs two commands (see README).
BUILD ?= build
ASAN_BUILD ?= build-asan
FUZZ_BUILD ?= build-fuzz
JOBS ?= $(shell nproc)
CMAKE_FLAGS ?=

.PHONY: deps build demo test asan fuzz consumer package docs bench format clean

deps:
	./scripts/install-deps.sh

build: deps
	cmake -S . -B $(BUILD) -G Ninja $(CMAKE_FLAGS)
	cmake --build $(BUILD) -j $(JOBS)

# The main job: a tour of the toolkit against the embedded sandbox (no account needed);
# with ESIMGO_API_KEY set it talks to the live API instead.
demo: build
	./scripts/demo.sh $(BUILD)

test: build
	ctest --test-dir $(BUILD) --output-on-failure -j $(JOBS) --timeout 300

# Unit and integration tests again under AddressSanitizer + UndefinedBehaviorSanitizer.
asan: deps
	cmake -S . -B $(ASAN_BUILD) -G Ninja -DCMAKE_BUILD_TYPE=Debug -DESIMGO_SANITIZE=ON $(CMAKE_FLAGS)
	cmake --build $(ASAN_BUILD) -j $(JOBS)
	ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
	  ctest --test-dir $(ASAN_BUILD) --output-on-failure -j $(JOBS) --timeout 600

# libFuzzer targets (clang), each run briefly.
fuzz: deps
	CXX=clang++ cmake -S . -B $(FUZZ_BUILD) -G Ninja -DCMAKE_BUILD_TYPE=Debug -DESIMGO_BUILD_FUZZ=ON \
	  -DESIMGO_BUILD_TESTS=OFF -DESIMGO_BUILD_SANDBOX=OFF -DESIMGO_BUILD_CLI=OFF
	cmake --build $(FUZZ_BUILD) -j $(JOBS) --target fuzzers
	./scripts/run-fuzzers.sh $(FUZZ_BUILD) 20

# Installs the SDK into a prefix and builds examples/consumer with find_package(esimgo).
consumer: build
	./scripts/check-consumer.sh $(BUILD)

# Debian packages (libesimgo<SOVERSION>, libesimgo-dev, esimgo) from the same build tree, into
# $(BUILD)/packages; docs/adr/0011-packages-and-abi.md.
package: build
	cd $(BUILD) && cpack -G DEB
	@ls -1 $(BUILD)/packages/*.deb

# The API reference (Doxygen HTML, warnings are errors) into $(BUILD)/docs/html.
docs: deps
	cmake -S . -B $(BUILD) -G Ninja $(CMAKE_FLAGS)
	cmake --build $(BUILD) --target docs

bench: deps
	cmake -S . -B build-bench -G Ninja -DCMAKE_BUILD_TYPE=Release -DESIMGO_BUILD_BENCH=ON -DESIMGO_BUILD_TESTS=OFF
	cmake --build build-bench -j $(JOBS)
	./bench/run.sh build-bench

format:
	find include src sandbox cli tests bench fuzz examples -name '*.h' -o -name '*.cc' | xargs clang-format -i

clean:
	rm -rf $(BUILD) $(ASAN_BUILD) $(FUZZ_BUILD) build-bench
