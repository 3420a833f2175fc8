#pragma once
/// @file gzip_cache.h
/// gzip-compressed copies of large answers, kept so that a page served again (the catalogue's
/// pages are the same for every caller) costs a hash and a compare instead of a compression
/// (docs/adr/0005).

#include <cstddef>
#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

namespace esimgo::net {

class GzipCache {
 public:
  /// `max_bytes` bounds the memory held: originals and compressed copies together. Answers
  /// larger than a quarter of it are compressed but not kept.
  explicit GzipCache(std::size_t max_bytes = 32u << 20) : max_bytes_(max_bytes) {}

  /// The gzip encoding of `body`, from the cache when the same bytes were compressed before.
  /// nullptr when compression failed (then send the body as it is).
  std::shared_ptr<const std::string> Compress(std::string_view body);

  struct Stats {
    std::size_t hits = 0, misses = 0, entries = 0, bytes = 0;
  };
  Stats stats() const;

 private:
  struct Entry {
    std::string original;
    std::shared_ptr<const std::string> compressed;
    std::list<size_t>::iterator lru;  // position of this entry's key in lru_
  };
  void EvictLocked();

  const std::size_t max_bytes_;
  mutable std::mutex mu_;
  // Keyed by a hash of the bytes; `original` is compared on a hit, so a collision costs a miss,
  // never a wrong answer. One entry per hash (a colliding newcomer replaces the old one).
  std::unordered_map<size_t, Entry> entries_;
  std::list<size_t> lru_;  // most recently used first
  std::size_t bytes_ = 0;
  Stats stats_;
};

/// The gzip encoding of `body` (cpp-httplib's compressor: zlib level 6); empty when it failed.
std::string Gzip(std::string_view body);

}  // namespace esimgo::net
