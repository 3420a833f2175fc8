#pragma once
/// @file pager.h
/// Pages of list results and a range that walks them all.

#include <cstddef>
#include <functional>
#include <iterator>
#include <optional>
#include <utility>
#include <vector>

#include "esimgo/result.h"

namespace esimgo {

/// One page of a list operation.
template <class T>
struct Page {
  std::vector<T> items;           ///< The items of this page.
  int page = 1;                   ///< The page number that was asked for (1-based).
  std::optional<int> page_count;  ///< Total pages, when the API says (catalogue).
  std::optional<int64_t> rows;    ///< Total rows, when the API says (catalogue).
  bool has_more = false;          ///< True if another page should be fetched.
};

/// Walks every page of a list operation lazily, one request per page.
/// Iterating yields `Result<T>`: an error ends the walk after it is yielded, so
///   `for (const auto& r : pager) { if (!r) { handle(r.error()); break; } use(*r); }`
/// Not thread-safe: use one pager per thread. A pager from a `Client`'s view shares the
/// client's state, so it stays valid after the `Client` is destroyed.
template <class T>
class Pager {
 public:
  /// Fetches one page by number (1-based).
  using FetchPage = std::function<Result<Page<T>>(int page)>;

  /// Walks the pages `fetch` returns, starting at `first_page`.
  explicit Pager(FetchPage fetch, int first_page = 1)
      : fetch_(std::move(fetch)), next_page_(first_page) {}

  /// The input iterator of a pager: yields `Result<T>`, one item at a time.
  class iterator {
   public:
    using iterator_category = std::input_iterator_tag;  ///< Single pass.
    using value_type = Result<T>;            ///< Each item, or the error that ended the walk.
    using difference_type = std::ptrdiff_t;  ///< Required by the iterator concepts.
    using pointer = const value_type*;       ///< Pointer to the current result.
    using reference = const value_type&;     ///< The current result.

    iterator() = default;
    /// Positioned on the pager's next item.
    explicit iterator(Pager* p) : pager_(p) { Advance(); }
    /// The current item or error.
    reference operator*() const { return *current_; }
    /// The current item or error.
    pointer operator->() const { return &*current_; }
    /// Moves to the next item, fetching a page when needed.
    iterator& operator++() {
      Advance();
      return *this;
    }
    /// Moves to the next item, fetching a page when needed.
    void operator++(int) { Advance(); }
    /// Equal when both are at the end, or both walk the same pager.
    bool operator==(const iterator& o) const { return pager_ == o.pager_; }

   private:
    void Advance() {
      if (pager_ == nullptr) return;
      current_ = pager_->NextItem();
      if (!current_) pager_ = nullptr;
    }
    Pager* pager_ = nullptr;
    std::optional<Result<T>> current_;
  };

  /// Starts (or continues) the walk: fetches the next page if needed.
  iterator begin() { return iterator(this); }
  /// The end of the walk.
  iterator end() { return iterator(); }

  /// Collects every item, or the first error.
  [[nodiscard]] Result<std::vector<T>> Collect() {
    std::vector<T> all;
    for (auto& r : *this) {
      if (!r) return tl::unexpected(r.error());
      all.push_back(std::move(*r));
    }
    return all;
  }

  /// Number of pages fetched so far.
  [[nodiscard]] int pages_fetched() const { return pages_fetched_; }

 private:
  std::optional<Result<T>> NextItem() {
    while (index_ >= buffer_.size()) {
      if (done_) return std::nullopt;
      auto page = fetch_(next_page_);
      ++pages_fetched_;
      if (!page) {
        done_ = true;
        return Result<T>(tl::unexpected(page.error()));
      }
      buffer_ = std::move(page->items);
      index_ = 0;
      done_ = !page->has_more || buffer_.empty();
      ++next_page_;
    }
    return Result<T>(std::move(buffer_[index_++]));
  }

  FetchPage fetch_;
  int next_page_;
  std::vector<T> buffer_;
  std::size_t index_ = 0;
  bool done_ = false;
  int pages_fetched_ = 0;
};

}  // namespace esimgo
