# Warnings and optimization for flashtok's own targets. Linked PRIVATE (or,
# for exported targets, as $<BUILD_INTERFACE:...>): nothing here reaches a
# project that uses flashtok.
add_library(flashtok_options INTERFACE)
if(MSVC)
  target_compile_options(flashtok_options INTERFACE /W4 /utf-8)
else()
  target_compile_options(flashtok_options INTERFACE -Wall -Wextra -Wpedantic
                         $<$<CONFIG:Release>:-O3>)
  # Off by default: a portable build is what packages and CI need. On, the
  # compiler may use the machine's vector extensions (AVX2, BMI2, AVX-512):
  # 6-10% on real text (docs/PERFORMANCE.md), the flag quicktok's
  # Makefile always uses.
  if(FLASHTOK_NATIVE)
    target_compile_options(flashtok_options INTERFACE -march=native)
  endif()
endif()

# Link-time optimization of flashtok's targets (this directory and below
# only). The library's objects are compiled with GCC's -ffat-lto-objects as
# well (lib/CMakeLists.txt): the installed archive then holds machine code
# any compiler and linker can use, and GCC bytecode for those that want LTO.
set(FLASHTOK_IPO OFF)
if(FLASHTOK_ENABLE_LTO AND CMAKE_BUILD_TYPE STREQUAL "Release" AND NOT FLASHTOK_SANITIZE)
  include(CheckIPOSupported)
  check_ipo_supported(RESULT flashtok_ipo_ok OUTPUT flashtok_ipo_msg LANGUAGES CXX)
  if(flashtok_ipo_ok)
    set(FLASHTOK_IPO ON)
    set(CMAKE_INTERPROCEDURAL_OPTIMIZATION ON)
  endif()
endif()

if(FLASHTOK_SANITIZE)
  # -fno-omit-frame-pointer keeps sanitizer stack traces readable.
  add_compile_options(-fsanitize=${FLASHTOK_SANITIZE} -fno-omit-frame-pointer -fno-sanitize-recover=all)
  add_link_options(-fsanitize=${FLASHTOK_SANITIZE})
endif()
