// Copyright flashtok authors. SPDX-License-Identifier: MIT
#ifndef FLASHTOK_EXPORT_H_
#define FLASHTOK_EXPORT_H_

// FLASHTOK_EXPORT marks the public API. The library is compiled with hidden
// visibility, so a shared flashtok exports what carries this mark and
// nothing else; FLASHTOK_NO_EXPORT keeps a member of an exported class that
// only the library calls (a private helper) out of it too. FLASHTOK_SHARED is defined wherever the shared library is
// built or used (the CMake target and flashtok.pc set it); FLASHTOK_BUILDING
// only while the library itself is compiled.
#if defined(_WIN32) || defined(__CYGWIN__)
#define FLASHTOK_NO_EXPORT
#if !defined(FLASHTOK_SHARED)
#define FLASHTOK_EXPORT
#elif defined(FLASHTOK_BUILDING)
#define FLASHTOK_EXPORT __declspec(dllexport)
#else
#define FLASHTOK_EXPORT __declspec(dllimport)
#endif
#elif defined(__GNUC__)
#define FLASHTOK_EXPORT __attribute__((visibility("default")))
#define FLASHTOK_NO_EXPORT __attribute__((visibility("hidden")))
#else
#define FLASHTOK_EXPORT
#define FLASHTOK_NO_EXPORT
#endif

#endif  // FLASHTOK_EXPORT_H_
