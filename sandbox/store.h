#pragma once
// SQLite persistence of the sandbox state: one row per entity (JSON body, STRICT table) plus
// the money ledger. Every state change is committed as ONE transaction. Not thread-safe:
// the engine serialises writers with its own mutex.

#include <sqlite3.h>

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "esimgo/result.h"

namespace esimgo::sandbox {

struct LedgerEntry {
  int64_t id = 0;
  int64_t at_ms = 0;
  std::string kind;           // initial, topup, order, refund
  int64_t amount_micros = 0;  // + credit, − debit
  std::string ref;
};

struct EntityRow {
  std::string kind;
  std::string id;
  std::string body;  // empty body = delete
};

class Store {
 public:
  ~Store();
  // Opens `path` (empty = in-memory) with WAL, busy_timeout and the schema.
  static Result<std::unique_ptr<Store>> Open(const std::string& path);

  Result<std::vector<EntityRow>> LoadAll();
  Result<std::vector<LedgerEntry>> Ledger();
  // Upserts/deletes `rows` and appends `ledger` in one transaction.
  Result<void> Commit(const std::vector<EntityRow>& rows, const std::vector<LedgerEntry>& ledger);
  Result<void> Clear();

  // Test hook: the next `n` calls of Commit fail (after BEGIN, before any write) as a full disk
  // or a lost lock would, so tests can prove that a failed commit leaves nothing behind.
  void FailNextCommits(int n) { fail_next_commits_ = n; }

 private:
  Result<void> Exec(const char* sql);
  sqlite3* db_ = nullptr;
  int fail_next_commits_ = 0;
};

}  // namespace esimgo::sandbox
