// Sync the bundle catalogue into your database (SQLite) and report what changed since the last
// sync: new bundles, removed bundles and price changes.
//
//   catalogue_sync [--db catalogue.db]
//
// Run it from cron: each run is one sync, compared with the one before (kept in --db).
// Reading the catalogue spends nothing, so with ESIMGO_API_KEY set it reads the live API.
// Without it, it syncs twice from an in-process sandbox; the sandbox's rate sheet never
// changes, so between the two syncs the demo edits three stored prices to have something to
// report.

#include <sqlite3.h>

#include <cstdio>
#include <cstdlib>
#include <map>
#include <memory>
#include <string>
#include <string_view>

#include "esimgo/esimgo.h"
#include "esimgo/sandbox/sandbox.h"

namespace {

using Db = std::unique_ptr<sqlite3, decltype(&sqlite3_close)>;

bool Exec(sqlite3* db, const char* sql) {
  char* error = nullptr;
  if (sqlite3_exec(db, sql, nullptr, nullptr, &error) != SQLITE_OK) {
    std::fprintf(stderr, "sqlite: %s\n", error ? error : "error");
    sqlite3_free(error);
    return false;
  }
  return true;
}

// Prices are stored as integer millionths (Money::micros), never as REAL: a float would turn
// 1.33 into 1.3300000000000001 and report changes that are not there.
constexpr char kSchema[] = R"sql(
  CREATE TABLE IF NOT EXISTS bundles (
    name          TEXT PRIMARY KEY,
    description   TEXT NOT NULL,
    price_micros  INTEGER NOT NULL,
    data_mb       INTEGER NOT NULL,
    duration_days INTEGER NOT NULL,
    unlimited     INTEGER NOT NULL,
    countries     TEXT NOT NULL,
    synced_at     TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
  ) STRICT;
)sql";

struct Changes {
  int added = 0, removed = 0, repriced = 0, total = 0;
};

// One sync: reads the whole catalogue first (so a failure half-way changes nothing), then
// replaces the table in one transaction and reports the differences.
esimgo::Result<Changes> Sync(const esimgo::Client& client, sqlite3* db) {
  // 1000 per page: the most the API gives, so ~6 requests for ~5,000 bundles.
  auto bundles = client.catalogue().ListAll({.per_page = 1000}).Collect();
  if (!bundles) return tl::unexpected(bundles.error());

  std::map<std::string, int64_t> before;  // name → price in micros
  sqlite3_stmt* read = nullptr;
  if (sqlite3_prepare_v2(db, "SELECT name, price_micros FROM bundles", -1, &read, nullptr) !=
      SQLITE_OK) {
    return esimgo::Fail(esimgo::ErrorCode::kInvalidArgument, sqlite3_errmsg(db));
  }
  while (sqlite3_step(read) == SQLITE_ROW) {
    before[reinterpret_cast<const char*>(sqlite3_column_text(read, 0))] =
        sqlite3_column_int64(read, 1);
  }
  sqlite3_finalize(read);
  const bool first_sync = before.empty();

  Changes changes;
  sqlite3_stmt* insert = nullptr;
  if (!Exec(db, "BEGIN IMMEDIATE")) {
    return esimgo::Fail(esimgo::ErrorCode::kInvalidArgument, "the database is busy or read-only");
  }
  if (!Exec(db, "DELETE FROM bundles") ||
      sqlite3_prepare_v2(db,
                         "INSERT INTO bundles (name, description, price_micros, data_mb, "
                         "duration_days, unlimited, countries) VALUES (?, ?, ?, ?, ?, ?, ?)",
                         -1, &insert, nullptr) != SQLITE_OK) {
    Exec(db, "ROLLBACK");
    return esimgo::Fail(esimgo::ErrorCode::kInvalidArgument, sqlite3_errmsg(db));
  }
  for (const auto& b : *bundles) {
    std::string countries;
    for (const auto& c : b.countries) countries += (countries.empty() ? "" : ",") + c.iso;
    sqlite3_bind_text(insert, 1, b.name.c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(insert, 2, b.description.c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(insert, 3, b.price.micros());
    sqlite3_bind_int64(insert, 4, b.data_amount_mb);
    sqlite3_bind_int(insert, 5, b.duration_days);
    sqlite3_bind_int(insert, 6, b.unlimited ? 1 : 0);
    sqlite3_bind_text(insert, 7, countries.c_str(), -1, SQLITE_TRANSIENT);
    if (sqlite3_step(insert) != SQLITE_DONE) {
      const std::string why = sqlite3_errmsg(db);
      sqlite3_finalize(insert);
      Exec(db, "ROLLBACK");
      return esimgo::Fail(esimgo::ErrorCode::kInvalidArgument, "storing " + b.name + ": " + why);
    }
    sqlite3_reset(insert);
    ++changes.total;

    auto old = before.find(b.name);
    if (old == before.end()) {
      if (!first_sync)
        std::printf("new      %-32s %10s\n", b.name.c_str(), b.price.ToString().c_str());
      ++changes.added;
      continue;
    }
    if (old->second != b.price.micros()) {
      const auto was = esimgo::Money::FromMicros(old->second);
      std::printf("price    %-32s %10s -> %s\n", b.name.c_str(), was.ToString().c_str(),
                  b.price.ToString().c_str());
      ++changes.repriced;
    }
    before.erase(old);
  }
  sqlite3_finalize(insert);
  for (const auto& [name, micros] : before) {
    std::printf("removed  %-32s %10s\n", name.c_str(),
                esimgo::Money::FromMicros(micros).ToString().c_str());
    ++changes.removed;
  }
  if (!Exec(db, "COMMIT")) {
    Exec(db, "ROLLBACK");
    return esimgo::Fail(esimgo::ErrorCode::kInvalidArgument, "could not commit the sync");
  }
  return changes;
}

void Report(const char* label, const Changes& c) {
  std::printf("%s: %d bundles; %d new, %d removed, %d price changes\n", label, c.total, c.added,
              c.removed, c.repriced);
}

}  // namespace

int main(int argc, char** argv) {
  std::string db_path = "catalogue.db";
  for (int i = 1; i < argc; ++i) {
    if (std::string_view(argv[i]) == "--db" && i + 1 < argc) {
      db_path = argv[++i];
    } else {
      std::fprintf(stderr, "usage: catalogue_sync [--db catalogue.db]\n");
      return 2;
    }
  }

  std::unique_ptr<esimgo::sandbox::Sandbox> sandbox;
  esimgo::ClientOptions options;
  if (std::getenv("ESIMGO_API_KEY") != nullptr) {
    auto env = esimgo::ClientOptions::FromEnv();
    if (!env) {
      std::fprintf(stderr, "%s\n", env.error().ToString().c_str());
      return 2;
    }
    options = *env;
  } else {
    auto started = esimgo::sandbox::Sandbox::Start({.api_key = "example-key"});
    if (!started) {
      std::fprintf(stderr, "sandbox: %s\n", started.error().ToString().c_str());
      return 1;
    }
    sandbox = std::move(*started);
    options = {.api_key = "example-key", .base_url = sandbox->base_url()};
  }
  esimgo::Client client(options);

  sqlite3* raw = nullptr;
  if (sqlite3_open(db_path.c_str(), &raw) != SQLITE_OK) {
    std::fprintf(stderr, "cannot open %s: %s\n", db_path.c_str(), sqlite3_errmsg(raw));
    sqlite3_close(raw);
    return 1;
  }
  Db db(raw, &sqlite3_close);
  if (!Exec(db.get(), "PRAGMA journal_mode=WAL") || !Exec(db.get(), kSchema)) return 1;

  auto first = Sync(client, db.get());
  if (!first) {
    std::fprintf(stderr, "sync: %s\n", first.error().ToString().c_str());
    return 1;
  }
  Report("sync", *first);
  if (!sandbox) return 0;

  // Demo only: pretend the last sync saw other prices, and one bundle that has since gone.
  Exec(db.get(),
       "UPDATE bundles SET price_micros = price_micros + 500000 WHERE name IN "
       "('esim_1GB_7D_GB_V2', 'esim_3GB_30D_GB_V2', 'esim_1GB_7D_FR_V2');"
       "INSERT INTO bundles (name, description, price_micros, data_mb, duration_days, "
       "unlimited, countries) VALUES ('esim_retired_V1', 'retired', 1000000, 1000, 7, 0, 'GB');");
  auto second = Sync(client, db.get());
  if (!second) {
    std::fprintf(stderr, "sync: %s\n", second.error().ToString().c_str());
    return 1;
  }
  Report("second sync", *second);
  return second->repriced == 3 && second->removed == 1 && second->added == 0 ? 0 : 1;
}
