# Every dependency comes from a Debian 12 package (cmake/install-debian-deps.sh).
# Each is looked for only when something that is built needs it.
find_package(PkgConfig REQUIRED)

# The library: RE2 (the general pattern path), OpenSSL's libcrypto (the rank
# files' SHA-256), nlohmann-json (header-only: the embedded encodings.json),
# threads, and OpenMP for encode_batch.
find_package(Threads REQUIRED)
# Debian's libre2-dev ships a pkg-config file but no CMake package config.
# The prefix is flashtok's own so that the imported target
# (PkgConfig::FLASHTOK_RE2, recreated by flashtokConfig.cmake for static
# consumers) never clashes with a parent project's.
pkg_check_modules(FLASHTOK_RE2 REQUIRED IMPORTED_TARGET re2)
find_package(OpenSSL REQUIRED COMPONENTS Crypto)
find_package(nlohmann_json 3 REQUIRED)
if(FLASHTOK_USE_OPENMP)
  find_package(OpenMP REQUIRED COMPONENTS CXX)
endif()

if(FLASHTOK_BUILD_CLI)
  find_package(fmt 9 REQUIRED)
  find_package(CLI11 2 REQUIRED)
  # PLplot's CMake package demands every language binding; its pkg-config file does not.
  pkg_check_modules(PLPLOT REQUIRED IMPORTED_TARGET plplot-c++ plplot)
endif()
if(FLASHTOK_BUILD_TESTS)
  find_package(GTest REQUIRED)
endif()
if(FLASHTOK_BUILD_BENCHMARKS)
  find_package(benchmark REQUIRED)
endif()
