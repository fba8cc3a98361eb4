# Warnings and build flags shared by every flashtok target.
add_library(flashtok_options INTERFACE)
if(MSVC)
  target_compile_options(flashtok_options INTERFACE /W4 /utf-8)
else()
  target_compile_options(flashtok_options INTERFACE -Wall -Wextra -Wpedantic
                         $<$<CONFIG:Release>:-O3>)
endif()

if(FLASHTOK_ENABLE_LTO AND CMAKE_BUILD_TYPE STREQUAL "Release" AND NOT FLASHTOK_SANITIZE)
  include(CheckIPOSupported)
  check_ipo_supported(RESULT flashtok_ipo_ok OUTPUT flashtok_ipo_msg LANGUAGES CXX)
  if(flashtok_ipo_ok)
    set(CMAKE_INTERPROCEDURAL_OPTIMIZATION ON)
  endif()
endif()

if(FLASHTOK_SANITIZE)
  # -fno-omit-frame-pointer keeps sanitizer stack traces readable.
  add_compile_options(-fsanitize=${FLASHTOK_SANITIZE} -fno-omit-frame-pointer -fno-sanitize-recover=all)
  add_link_options(-fsanitize=${FLASHTOK_SANITIZE})
endif()
