# Every dependency comes from a Debian 12 package (see README "Dependencies").
find_package(PkgConfig REQUIRED)
find_package(Threads REQUIRED)

# Debian's libre2-dev ships a pkg-config file but no CMake package config.
pkg_check_modules(RE2 REQUIRED IMPORTED_TARGET re2)
find_package(fmt 9 REQUIRED)
find_package(nlohmann_json 3 REQUIRED)
find_package(CLI11 2 REQUIRED)
find_package(OpenSSL REQUIRED COMPONENTS Crypto)
# PLplot's CMake package demands every language binding; its pkg-config file does not.
pkg_check_modules(PLPLOT REQUIRED IMPORTED_TARGET plplot-c++ plplot)

if(FLASHTOK_USE_OPENMP)
  find_package(OpenMP REQUIRED COMPONENTS CXX)
endif()
if(FLASHTOK_BUILD_TESTS)
  find_package(GTest REQUIRED)
endif()
if(FLASHTOK_BUILD_BENCHMARKS)
  find_package(benchmark REQUIRED)
endif()
