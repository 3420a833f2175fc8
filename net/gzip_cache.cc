// gzip-compressed copies of large answers (see esimgo/net/gzip_cache.h).

#include "esimgo/net/gzip_cache.h"

#include <httplib.h>

#include <functional>

namespace esimgo::net {

std::string Gzip(std::string_view body) {
  // cpp-httplib already links zlib and exports its gzip compressor; using it keeps zlib out of
  // the project's own dependency list.
  httplib::detail::gzip_compressor compressor;
  std::string out;
  out.reserve(body.size() / 8 + 64);
  bool ok =
      compressor.compress(body.data(), body.size(), /*last=*/true, [&](const char* data, size_t n) {
        out.append(data, n);
        return true;
      });
  if (!ok) out.clear();
  return out;
}

std::shared_ptr<const std::string> GzipCache::Compress(std::string_view body) {
  const size_t key = std::hash<std::string_view>{}(body);
  {
    std::lock_guard lock(mu_);
    auto it = entries_.find(key);
    if (it != entries_.end() && it->second.original == body) {
      lru_.splice(lru_.begin(), lru_, it->second.lru);
      ++stats_.hits;
      return it->second.compressed;
    }
    ++stats_.misses;
  }
  // Compressed outside the lock: two callers may compress the same page once each, but nobody
  // waits behind a compression.
  std::string gz = Gzip(body);
  if (gz.empty()) return nullptr;
  auto compressed = std::make_shared<const std::string>(std::move(gz));
  const size_t cost = body.size() + compressed->size();
  if (cost > max_bytes_ / 4) return compressed;
  std::lock_guard lock(mu_);
  if (auto it = entries_.find(key); it != entries_.end()) {
    bytes_ -= it->second.original.size() + it->second.compressed->size();
    lru_.erase(it->second.lru);
    entries_.erase(it);
  }
  lru_.push_front(key);
  entries_.emplace(key, Entry{std::string(body), compressed, lru_.begin()});
  bytes_ += cost;
  EvictLocked();
  return compressed;
}

void GzipCache::EvictLocked() {
  while (bytes_ > max_bytes_ && !lru_.empty()) {
    auto it = entries_.find(lru_.back());
    bytes_ -= it->second.original.size() + it->second.compressed->size();
    entries_.erase(it);
    lru_.pop_back();
  }
}

GzipCache::Stats GzipCache::stats() const {
  std::lock_guard lock(mu_);
  Stats s = stats_;
  s.entries = entries_.size();
  s.bytes = bytes_;
  return s;
}

}  // namespace esimgo::net
