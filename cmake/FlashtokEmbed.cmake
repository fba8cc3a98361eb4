# flashtok_embed_file(TARGET SYMBOL FILE)
# Links FILE's bytes into TARGET as `extern "C" const unsigned char SYMBOL[]` and
# `extern "C" const unsigned long long SYMBOL_size`, both hidden: a shared
# library does not export them.
# GCC and Clang get an `.incbin` assembly stub (no multi-megabyte C array to compile);
# other compilers get a generated C file, which is slower to build but portable.
if(CMAKE_CXX_COMPILER_ID MATCHES "GNU|Clang" AND NOT WIN32)
  enable_language(ASM)
endif()

function(flashtok_embed_file target symbol file)
  get_filename_component(file "${file}" ABSOLUTE)
  set(out_dir "${CMAKE_CURRENT_BINARY_DIR}/embedded")
  file(MAKE_DIRECTORY "${out_dir}")
  if(CMAKE_CXX_COMPILER_ID MATCHES "GNU|Clang" AND NOT WIN32)
    set(stub "${out_dir}/${symbol}.S")
    file(WRITE "${stub}.in"
      "    .section .rodata\n"
      "    .global ${symbol}\n"
      "    .global ${symbol}_size\n"
      "    .hidden ${symbol}\n"
      "    .hidden ${symbol}_size\n"
      "    .balign 16\n"
      "${symbol}:\n"
      "    .incbin \"${file}\"\n"
      "${symbol}_end:\n"
      "    .byte 0\n"
      "    .balign 8\n"
      "${symbol}_size:\n"
      "    .quad ${symbol}_end - ${symbol}\n"
      "    .section .note.GNU-stack,\"\",@progbits\n")
    configure_file("${stub}.in" "${stub}" COPYONLY)
    set_source_files_properties("${stub}" PROPERTIES OBJECT_DEPENDS "${file}" LANGUAGE ASM)
    target_sources(${target} PRIVATE "${stub}")
  else()
    set(stub "${out_dir}/${symbol}.c")  # hidden by the target's C_VISIBILITY_PRESET
    file(READ "${file}" hex HEX)
    string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," hex "${hex}")
    file(WRITE "${stub}"
      "const unsigned char ${symbol}[] = {${hex} 0};\n"
      "const unsigned long long ${symbol}_size = sizeof(${symbol}) - 1;\n")
    target_sources(${target} PRIVATE "${stub}")
  endif()
endfunction()
