// Copyright flashtok authors. SPDX-License-Identifier: MIT
#ifndef FLASHTOK_SRC_UTIL_SHA256_H_
#define FLASHTOK_SRC_UTIL_SHA256_H_

#include <string>
#include <string_view>

namespace flashtok::internal {

// Lowercase hex SHA-256 of data (OpenSSL's libcrypto does the hashing).
std::string sha256_hex(std::string_view data);

}  // namespace flashtok::internal

#endif  // FLASHTOK_SRC_UTIL_SHA256_H_
