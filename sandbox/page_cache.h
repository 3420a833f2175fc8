#pragma once
// A least-recently-used cache of encoded answers, bounded by bytes (keys + values), for the
// catalogue pages of one Sandbox instance. Thread-safe.

#include <cstddef>
#include <list>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace esimgo::sandbox {

class PageCache {
 public:
  static constexpr size_t kDefaultMaxBytes = size_t{32} << 20;  // 32 MiB

  explicit PageCache(size_t max_bytes = kDefaultMaxBytes) : max_bytes_(max_bytes) {}

  std::optional<std::string> Get(std::string_view key);
  // Stores `value`, evicting the least recently used entries until it fits. A single entry
  // larger than the whole budget is not stored.
  void Put(std::string key, std::string value);

  size_t bytes() const;
  size_t size() const;

 private:
  using Entry = std::pair<std::string, std::string>;  // key, value
  mutable std::mutex mu_;
  size_t max_bytes_;
  size_t bytes_ = 0;
  std::list<Entry> lru_;  // most recent first
  std::map<std::string, std::list<Entry>::iterator, std::less<>> index_;
};

}  // namespace esimgo::sandbox
