#pragma once
// A throwaway PostgreSQL 15 cluster for tests (issue 11): initdb + pg_ctl in a short temp
// directory, unix socket only (parallel test binaries never fight over ports), trust auth,
// user `esimgo`. As root (CI, this machine) the server runs as the `postgres` user, since
// initdb refuses root. One cluster per test binary, a fresh database per test; stop, crash
// (immediate stop) and restart for durability tests; stopped and deleted at exit.
// fsync stays on: the durability tests depend on it.
//
//   auto& pg = esimgo::testing::PgCluster::Shared();   // starts on first use
//   if (!pg.ok()) GTEST_SKIP() << pg.error();           // or FAIL(): see RequirePg()
//   std::string conninfo = pg.NewDatabase();            // "host=/tmp/pgXXXX port=5432 ..."
//
// The shell twin is scripts/pg-throwaway.sh.

#include <string>
#include <string_view>

namespace esimgo::testing {

class PgCluster {
 public:
  /// The binary's cluster, started on first use (thread-safe).
  static PgCluster& Shared();

  /// True if the cluster started; otherwise error() says why.
  [[nodiscard]] bool ok() const { return ok_; }
  [[nodiscard]] const std::string& error() const { return error_; }
  /// The cluster directory (also the socket directory).
  [[nodiscard]] const std::string& dir() const { return dir_; }

  /// Conninfo of database `db` (keyword form).
  [[nodiscard]] std::string Conninfo(std::string_view db) const;
  /// The same as a postgresql:// URL (host as a percent-encoded socket directory).
  [[nodiscard]] std::string Url(std::string_view db) const;
  /// Creates a fresh, empty database and returns its conninfo ("" on failure, see error()).
  std::string NewDatabase();
  /// Runs one SQL statement on `conninfo`; returns the first column of the first row ("" if
  /// none), or "ERROR: …" when it failed.
  std::string Query(const std::string& conninfo, const std::string& sql) const;

  /// pg_ctl -m immediate stop: like a power cut for the server process (no shutdown
  /// checkpoint; recovery replays the WAL at the next start).
  bool Crash();
  /// pg_ctl -m fast stop.
  bool Stop();
  /// Starts the stopped or crashed cluster again (waits until it accepts connections).
  bool Start();

  ~PgCluster();

 private:
  PgCluster();
  bool Run(const std::string& command, bool as_server_user);

  bool ok_ = false;
  std::string error_;
  std::string dir_;
  std::string bin_;
  int databases_ = 0;
};

}  // namespace esimgo::testing
