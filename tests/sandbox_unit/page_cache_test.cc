// The catalogue page cache is bounded by bytes and evicts the least recently used page.

#include "page_cache.h"

#include <gtest/gtest.h>

namespace esimgo::sandbox {
namespace {

TEST(PageCache, StaysWithinItsByteBudgetAndEvictsTheLeastRecentlyUsed) {
  PageCache cache(100);
  cache.Put("a", std::string(40, 'a'));  // 41 bytes
  cache.Put("b", std::string(40, 'b'));  // 82
  ASSERT_TRUE(cache.Get("a"));           // a is now the most recent
  cache.Put("c", std::string(40, 'c'));  // 123 > 100: b goes
  EXPECT_LE(cache.bytes(), 100u);
  EXPECT_TRUE(cache.Get("a"));
  EXPECT_FALSE(cache.Get("b"));
  EXPECT_TRUE(cache.Get("c"));
}

TEST(PageCache, AnEntryLargerThanTheBudgetIsNotStored) {
  PageCache cache(10);
  cache.Put("k", std::string(20, 'x'));
  EXPECT_FALSE(cache.Get("k"));
  EXPECT_EQ(cache.bytes(), 0u);
}

TEST(PageCache, ReplacingAKeyCountsOnlyTheNewValue) {
  PageCache cache(100);
  cache.Put("k", std::string(50, 'x'));
  cache.Put("k", std::string(10, 'y'));
  EXPECT_EQ(cache.bytes(), 11u);
  EXPECT_EQ(cache.size(), 1u);
  EXPECT_EQ(*cache.Get("k"), std::string(10, 'y'));
}

TEST(PageCache, ManyDistinctPagesNeverExceedTheDefaultBudget) {
  PageCache cache;
  std::string page(600 * 1024, 'p');  // a 1000-bundle page is about this size
  for (int i = 0; i < 200; ++i) cache.Put("q" + std::to_string(i), page);
  EXPECT_LE(cache.bytes(), PageCache::kDefaultMaxBytes);
  EXPECT_GT(cache.size(), 10u);
}

}  // namespace
}  // namespace esimgo::sandbox
