#include "store.h"

#include <memory>

namespace esimgo::sandbox {
namespace {

tl::unexpected<Error> DbError(sqlite3* db, std::string_view what) {
  return Fail(ErrorCode::kServer,
              std::string("sandbox database: ") + std::string(what) + ": " +
                  (db ? sqlite3_errmsg(db) : "cannot allocate") +
                  " (check the --db path is writable, or delete a corrupt file)");
}

struct Stmt {
  sqlite3_stmt* s = nullptr;
  ~Stmt() { sqlite3_finalize(s); }
};

}  // namespace

Store::~Store() { sqlite3_close(db_); }

Result<void> Store::Exec(const char* sql) {
  char* err = nullptr;
  if (sqlite3_exec(db_, sql, nullptr, nullptr, &err) != SQLITE_OK) {
    std::string msg = err ? err : "unknown error";
    sqlite3_free(err);
    return Fail(ErrorCode::kServer, "sandbox database: " + msg);
  }
  return {};
}

Result<std::unique_ptr<Store>> Store::Open(const std::string& path) {
  auto store = std::unique_ptr<Store>(new Store());
  std::string target = path.empty() ? ":memory:" : path;
  int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX;
  if (sqlite3_open_v2(target.c_str(), &store->db_, flags, nullptr) != SQLITE_OK) {
    return DbError(store->db_, "cannot open " + target);
  }
  sqlite3_busy_timeout(store->db_, 5000);
  if (!path.empty()) {
    if (auto r = store->Exec("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"); !r) {
      return tl::unexpected(r.error());
    }
  }
  auto r = store->Exec(
      "CREATE TABLE IF NOT EXISTS entities (kind TEXT NOT NULL, id TEXT NOT NULL, body TEXT NOT "
      "NULL, PRIMARY KEY (kind, id)) STRICT, WITHOUT ROWID;"
      "CREATE TABLE IF NOT EXISTS ledger (id INTEGER PRIMARY KEY, at_ms INTEGER NOT NULL, kind "
      "TEXT NOT NULL, amount_micros INTEGER NOT NULL, ref TEXT NOT NULL) STRICT;");
  if (!r) return tl::unexpected(r.error());
  return store;
}

Result<std::vector<EntityRow>> Store::LoadAll() {
  Stmt st;
  if (sqlite3_prepare_v2(db_, "SELECT kind, id, body FROM entities", -1, &st.s, nullptr) !=
      SQLITE_OK) {
    return DbError(db_, "load");
  }
  std::vector<EntityRow> out;
  while (sqlite3_step(st.s) == SQLITE_ROW) {
    auto col = [&](int i) {
      auto* t = reinterpret_cast<const char*>(sqlite3_column_text(st.s, i));
      return std::string(t ? t : "");
    };
    out.push_back({col(0), col(1), col(2)});
  }
  return out;
}

Result<std::vector<LedgerEntry>> Store::Ledger() {
  Stmt st;
  if (sqlite3_prepare_v2(db_, "SELECT id, at_ms, kind, amount_micros, ref FROM ledger ORDER BY id",
                         -1, &st.s, nullptr) != SQLITE_OK) {
    return DbError(db_, "ledger");
  }
  std::vector<LedgerEntry> out;
  while (sqlite3_step(st.s) == SQLITE_ROW) {
    LedgerEntry e;
    e.id = sqlite3_column_int64(st.s, 0);
    e.at_ms = sqlite3_column_int64(st.s, 1);
    e.kind = reinterpret_cast<const char*>(sqlite3_column_text(st.s, 2));
    e.amount_micros = sqlite3_column_int64(st.s, 3);
    e.ref = reinterpret_cast<const char*>(sqlite3_column_text(st.s, 4));
    out.push_back(std::move(e));
  }
  return out;
}

Result<void> Store::Commit(const std::vector<EntityRow>& rows,
                           const std::vector<LedgerEntry>& ledger) {
  if (rows.empty() && ledger.empty()) return {};
  if (auto r = Exec("BEGIN IMMEDIATE"); !r) return r;
  if (fail_next_commits_ > 0) {
    --fail_next_commits_;
    (void)Exec("ROLLBACK");
    return Fail(ErrorCode::kServer, "sandbox database: commit failed (injected by a test)");
  }
  auto fail = [&](std::string_view what) {
    auto e = DbError(db_, what);
    (void)Exec("ROLLBACK");
    return e;
  };
  {
    Stmt up, del, led;
    if (sqlite3_prepare_v2(db_,
                           "INSERT INTO entities(kind,id,body) VALUES(?,?,?) ON CONFLICT(kind,id) "
                           "DO UPDATE SET body=excluded.body",
                           -1, &up.s, nullptr) != SQLITE_OK ||
        sqlite3_prepare_v2(db_, "DELETE FROM entities WHERE kind=? AND id=?", -1, &del.s,
                           nullptr) != SQLITE_OK ||
        sqlite3_prepare_v2(db_, "INSERT INTO ledger(at_ms,kind,amount_micros,ref) VALUES(?,?,?,?)",
                           -1, &led.s, nullptr) != SQLITE_OK) {
      return fail("prepare");
    }
    for (const auto& row : rows) {
      sqlite3_stmt* s = row.body.empty() ? del.s : up.s;
      sqlite3_reset(s);
      sqlite3_bind_text(s, 1, row.kind.data(), static_cast<int>(row.kind.size()), SQLITE_STATIC);
      sqlite3_bind_text(s, 2, row.id.data(), static_cast<int>(row.id.size()), SQLITE_STATIC);
      if (!row.body.empty()) {
        sqlite3_bind_text(s, 3, row.body.data(), static_cast<int>(row.body.size()), SQLITE_STATIC);
      }
      if (sqlite3_step(s) != SQLITE_DONE) return fail("write " + row.kind);
    }
    for (const auto& e : ledger) {
      sqlite3_reset(led.s);
      sqlite3_bind_int64(led.s, 1, e.at_ms);
      sqlite3_bind_text(led.s, 2, e.kind.data(), static_cast<int>(e.kind.size()), SQLITE_STATIC);
      sqlite3_bind_int64(led.s, 3, e.amount_micros);
      sqlite3_bind_text(led.s, 4, e.ref.data(), static_cast<int>(e.ref.size()), SQLITE_STATIC);
      if (sqlite3_step(led.s) != SQLITE_DONE) return fail("write ledger");
    }
  }
  if (auto r = Exec("COMMIT"); !r) {
    (void)Exec("ROLLBACK");
    return r;
  }
  return {};
}

Result<void> Store::Clear() { return Exec("DELETE FROM entities; DELETE FROM ledger;"); }

}  // namespace esimgo::sandbox
