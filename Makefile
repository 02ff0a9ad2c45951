# The README's two commands:
#   make run   installs what is missing, builds, starts the demo server and
#              shows Tokenkeeper working on it
#   make test  installs what is missing, builds, runs every test inside a
#              private D-Bus session with an unlocked gnome-keyring
#   make killtest  the long kill test (issue 10), its figures into README.md
BUILD_DIR ?= build
BUILD_TYPE ?= RelWithDebInfo
JOBS ?= 2
OIDC_PEER := tests/peers/oidc

.PHONY: all build run test killtest deps-build deps-test deps-run oidc-peer format clean

all: build

deps-build:
	@sh packaging/install-deps.sh build
deps-test:
	@sh packaging/install-deps.sh test
deps-run:
	@sh packaging/install-deps.sh run

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

run: deps-run build
	sh packaging/run-demo.sh $(BUILD_DIR)

format:
	git ls-files '*.cpp' '*.h' | xargs clang-format -i

clean:
	rm -rf $(BUILD_DIR)
