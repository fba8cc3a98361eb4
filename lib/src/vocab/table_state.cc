// Copyright flashtok authors. SPDX-License-Identifier: MIT
#include "vocab/table_state.h"

#include <atomic>
#include <map>
#include <mutex>

namespace flashtok::internal {
namespace {

struct Entry {
  std::once_flag built;
  std::shared_ptr<const void> state;
  std::function<std::size_t()> bytes;
  std::atomic<bool> ready{false};  // state and bytes set: read by table_state_bytes while another thread may build
};

struct Registry {
  std::mutex mutex;
  std::map<std::uint64_t, std::shared_ptr<Entry>> by_table_id;
};

Registry& registry() {
  static Registry* const instance = new Registry();  // never destroyed: usable by threads still running at exit
  return *instance;
}

}  // namespace

std::shared_ptr<const void> table_state(std::uint64_t table_id, const std::function<BuiltTableState()>& build) {
  std::shared_ptr<Entry> entry;
  {
    Registry& r = registry();
    std::lock_guard<std::mutex> lock(r.mutex);
    auto& slot = r.by_table_id[table_id];
    if (!slot) slot = std::make_shared<Entry>();
    entry = slot;
  }
  // Built outside the registry's lock: other tables' state stays reachable meanwhile.
  std::call_once(entry->built, [&] {
    BuiltTableState built = build();
    entry->state = std::move(built.state);
    entry->bytes = std::move(built.bytes);
    entry->ready.store(true, std::memory_order_release);
  });
  return entry->state;
}

std::size_t table_state_bytes(std::uint64_t table_id) {
  Registry& r = registry();
  std::lock_guard<std::mutex> lock(r.mutex);
  const auto it = r.by_table_id.find(table_id);
  if (it == r.by_table_id.end() || !it->second->ready.load(std::memory_order_acquire)) return 0;
  return it->second->bytes();
}

void forget_table_state(std::uint64_t table_id) {
  Registry& r = registry();
  std::lock_guard<std::mutex> lock(r.mutex);
  r.by_table_id.erase(table_id);
}

}  // namespace flashtok::internal
