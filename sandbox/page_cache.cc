#include "page_cache.h"

namespace esimgo::sandbox {

std::optional<std::string> PageCache::Get(std::string_view key) {
  std::lock_guard lock(mu_);
  auto it = index_.find(key);
  if (it == index_.end()) return std::nullopt;
  lru_.splice(lru_.begin(), lru_, it->second);
  return it->second->second;
}

void PageCache::Put(std::string key, std::string value) {
  size_t cost = key.size() + value.size();
  std::lock_guard lock(mu_);
  if (cost > max_bytes_) return;
  if (auto it = index_.find(key); it != index_.end()) {
    bytes_ -= it->second->first.size() + it->second->second.size();
    lru_.erase(it->second);
    index_.erase(it);
  }
  while (!lru_.empty() && bytes_ + cost > max_bytes_) {
    const Entry& old = lru_.back();
    bytes_ -= old.first.size() + old.second.size();
    index_.erase(old.first);
    lru_.pop_back();
  }
  lru_.emplace_front(std::move(key), std::move(value));
  index_.emplace(lru_.front().first, lru_.begin());
  bytes_ += cost;
}

size_t PageCache::bytes() const {
  std::lock_guard lock(mu_);
  return bytes_;
}

size_t PageCache::size() const {
  std::lock_guard lock(mu_);
  return lru_.size();
}

}  // namespace esimgo::sandbox
