# The README's two commands:
#   make run   installs what is missing, builds, starts the demo server and
#              shows Tokenkeeper working on it
#   make test  installs what is missing, builds, runs every test inside a
#              private D-Bus session with an unlocked gnome-keyring
#   make killtest  the long kill test (issue 10), its figures into README.md
#   make fuzz      every libFuzzer target FUZZ_SECONDS (300) under ASan and
#                  UBSan, its figures into README.md
#   make test-sanitize  every test, built with clang under ASan and UBSan
#   make check-short    what CI adds to `make test`: 10 s per fuzz target,
#                  and the sanitized unit, agent and fault tests
BUILD_DIR ?= build
BUILD_TYPE ?= RelWithDebInfo
JOBS ?= 2
OIDC_PEER := tests/peers/oidc
SANITIZE_DIR ?= build-sanitize
FUZZ_SECONDS ?= 300
# Any report (a leak too) ends the test that caused it.
SANITIZER_ENV := ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:detect_stack_use_after_return=1 \
	UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
# The sanitized tests CI runs (check-short): pure logic, the agent, the faults.
SANITIZE_SHORT := tst_jwt tst_text tst_credentials tst_preset tst_tokeninspection tst_authclient \
	tst_refreshscheduler tst_profilestore tst_profilevalidator tst_httpclient tst_apirequest \
	tst_curlcommand tst_requesthistory tst_tokenservice tst_agent tst_cli_faults

.PHONY: all build run test killtest deps-build deps-test deps-run deps-sanitize oidc-peer format clean \
	fuzz fuzz-short test-sanitize test-sanitize-short check-short

all: build

deps-build:
	@sh packaging/install-deps.sh build
deps-test:
	@sh packaging/install-deps.sh test
deps-run:
	@sh packaging/install-deps.sh run
deps-sanitize:
	@sh packaging/install-deps.sh sanitize

$(BUILD_DIR)/build.ninja:
	cmake -S . -B $(BUILD_DIR) -G Ninja -DCMAKE_BUILD_TYPE=$(BUILD_TYPE)

build: deps-build $(BUILD_DIR)/build.ninja
	cmake --build $(BUILD_DIR) -j $(JOBS)

# The independent OAuth peer, pinned by its package-lock.json.
$(OIDC_PEER)/node_modules/.package-lock.json: $(OIDC_PEER)/package-lock.json
	cd $(OIDC_PEER) && npm ci --no-audit --no-fund --loglevel=error
oidc-peer: $(OIDC_PEER)/node_modules/.package-lock.json

test: deps-test build oidc-peer
	sh tests/run-in-keyring.sh ctest --test-dir $(BUILD_DIR) --output-on-failure

# The long check of issue 10: 200 SIGKILLs per case at random moments of
# rotating refreshes; its figures go to README.md (CTest runs 5 per case).
killtest: deps-test build
	sh tests/killtest.sh $(BUILD_DIR)

# clang, because libFuzzer is clang's; one build for the fuzzers and the
# sanitized tests alike.
$(SANITIZE_DIR)/build.ninja:
	CC=clang CXX=clang++ cmake -S . -B $(SANITIZE_DIR) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
		-DTOKENKEEPER_SANITIZE=ON -DTOKENKEEPER_FUZZ=ON

fuzz: deps-sanitize $(SANITIZE_DIR)/build.ninja
	cmake --build $(SANITIZE_DIR) -j $(JOBS) --target fuzzers
	sh fuzz/run.sh $(SANITIZE_DIR) $(FUZZ_SECONDS) --readme
fuzz-short: deps-sanitize $(SANITIZE_DIR)/build.ninja
	cmake --build $(SANITIZE_DIR) -j $(JOBS) --target fuzzers
	sh fuzz/run.sh $(SANITIZE_DIR) 10

test-sanitize: deps-sanitize $(SANITIZE_DIR)/build.ninja oidc-peer
	cmake --build $(SANITIZE_DIR) -j $(JOBS)
	$(SANITIZER_ENV) sh tests/run-in-keyring.sh ctest --test-dir $(SANITIZE_DIR) --output-on-failure
test-sanitize-short: deps-sanitize $(SANITIZE_DIR)/build.ninja
	cmake --build $(SANITIZE_DIR) -j $(JOBS) --target tokenkeeper tokenkeeper-demo-server $(SANITIZE_SHORT)
	$(SANITIZER_ENV) sh tests/run-in-keyring.sh ctest --test-dir $(SANITIZE_DIR) --output-on-failure \
		-R '^($(subst $(eval) ,|,$(strip $(SANITIZE_SHORT))))$$'

check-short: fuzz-short test-sanitize-short

run: deps-run build
	sh packaging/run-demo.sh $(BUILD_DIR)

format:
	git ls-files '*.cpp' '*.h' | xargs clang-format -i

clean:
	rm -rf $(BUILD_DIR) $(SANITIZE_DIR)
