// Copyright flashtok authors. SPDX-License-Identifier: MIT
#ifndef FLASHTOK_SRC_UTIL_FUNCTION_REF_H_
#define FLASHTOK_SRC_UTIL_FUNCTION_REF_H_

#include <type_traits>
#include <utility>

namespace flashtok::internal {

// A non-owning reference to a callable, so that a virtual function can take a
// lambda without std::function's possible heap allocation on every call. The
// callable must outlive the call it is passed to.
template <typename Signature>
class FunctionRef;

template <typename R, typename... Args>
class FunctionRef<R(Args...)> {
 public:
  template <typename F>
  FunctionRef(F&& f) noexcept  // NOLINT(google-explicit-constructor): used like a lambda
      : object_(const_cast<void*>(static_cast<const void*>(&f))),
        call_([](void* object, Args... args) -> R {
          return (*static_cast<std::remove_reference_t<F>*>(object))(std::forward<Args>(args)...);
        }) {}
  R operator()(Args... args) const { return call_(object_, std::forward<Args>(args)...); }

 private:
  void* object_;
  R (*call_)(void*, Args...);
};

}  // namespace flashtok::internal

#endif  // FLASHTOK_SRC_UTIL_FUNCTION_REF_H_
