// libpq is loaded at run time (callbacks/src/pq_api.h): nothing maps it before the first
// PostgreSQL connection, the process-wide load happens once, and a machine without it gets an
// error that says what to install instead of a loader failure before main().
//
// This binary must not link libpq itself (tests/callbacks/CMakeLists.txt): only then does
// "not mapped" say something about esimgo::callbacks.

#include <dlfcn.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "esimgo/callbacks/callbacks.h"
#include "pq_api.h"

namespace esimgo::callbacks {
namespace {

// True if any libpq is mapped into this process, whatever its soname or path.
bool LibpqMapped() {
  std::ifstream maps("/proc/self/maps");
  std::string line;
  while (std::getline(maps, line)) {
    if (line.find("/libpq.so") != std::string::npos) return true;
  }
  return false;
}

// Evaluated while the program starts, before any test runs: every library the executable
// needs (DT_NEEDED, transitively) is mapped by then.
const bool kLibpqMappedAtStart = LibpqMapped();

// A PostgreSQL target that fails at once without touching the network: a Unix-socket
// directory that does not exist.
std::string UnreachablePostgres() {
  auto dir = std::filesystem::path(testing::TempDir()) /
             ("esimgo-no-postgres-" + std::to_string(getpid()));
  return "host=" + dir.string() + " dbname=events";
}

// Runs in a process of its own (a ctest of its own): no other test may have loaded libpq yet.
TEST(PqLoaderFirstOpen, LibpqIsMappedByTheFirstPostgresOpenAndNotBefore) {
  ASSERT_FALSE(kLibpqMappedAtStart)
      << "libpq was mapped before main(): something links it (DT_NEEDED) again";

  // A SQLite store is the common case (the CLI's default): it must not load libpq either.
  auto dir =
      std::filesystem::path(testing::TempDir()) / ("esimgo-pq-loader-" + std::to_string(getpid()));
  std::filesystem::create_directories(dir);
  {
    auto sqlite = Store::Open((dir / "events.db").string(), {});
    ASSERT_TRUE(sqlite) << sqlite.error().message;
  }
  std::filesystem::remove_all(dir);
  EXPECT_FALSE(LibpqMapped()) << "opening a SQLite store loaded libpq";

  // The first PostgreSQL open loads it, even when the database is not there: the error is the
  // connection's (libpq was found), not the loader's.
  auto pg = Store::Open(UnreachablePostgres(), {});
  ASSERT_FALSE(pg);
  EXPECT_EQ(pg.error().code, ErrorCode::kUnavailable);
  EXPECT_NE(pg.error().message.find("cannot connect to the PostgreSQL event store"),
            std::string::npos)
      << pg.error().message;
  EXPECT_TRUE(LibpqMapped()) << "a PostgreSQL open did not map libpq";
  ASSERT_TRUE(internal::Libpq()) << internal::Libpq().error().message;
}

TEST(PqLoader, TheProcessWideLibpqLoadsOnceForEveryThread) {
  std::vector<const internal::PqApi*> seen(4, nullptr);
  std::vector<std::thread> threads;
  for (size_t i = 0; i < seen.size(); ++i) {
    threads.emplace_back([&seen, i] {
      const auto& api = internal::Libpq();
      if (api) seen[i] = api->get();
    });
  }
  for (auto& t : threads) t.join();
  ASSERT_NE(seen[0], nullptr) << internal::Libpq().error().message;
  for (const auto* api : seen) EXPECT_EQ(api, seen[0]);
  EXPECT_EQ(&internal::Pq(), seen[0]);
  EXPECT_NE(seen[0]->connectdb_params, nullptr);
  EXPECT_NE(seen[0]->freemem, nullptr);
  // One library: the loader's soname, the one the package depends on.
  void* h = dlopen(internal::kLibpqName, RTLD_NOW | RTLD_NOLOAD);
  ASSERT_NE(h, nullptr) << internal::kLibpqName << " is not the library that was loaded";
  EXPECT_EQ(dlsym(h, "PQconnectdbParams"), reinterpret_cast<void*>(seen[0]->connectdb_params));
  dlclose(h);
}

TEST(PqLoader, AMissingLibpqIsAClearErrorNamingWhatToInstall) {
  auto api = internal::LoadLibpq("libpq-esimgo-test-missing.so.5");
  ASSERT_FALSE(api);
  // Not kUnavailable: callers retry that, and waiting does not install a library.
  EXPECT_EQ(api.error().code, ErrorCode::kTransport);
  EXPECT_FALSE(api.error().maybe_sent);
  EXPECT_FALSE(api.error().retry_after);
  const std::string& m = api.error().message;
  EXPECT_NE(m.find("cannot load libpq (libpq-esimgo-test-missing.so.5)"), std::string::npos) << m;
  EXPECT_NE(m.find("apt-get install libpq5"), std::string::npos) << m;
}

TEST(PqLoader, ALibraryWithoutLibpqsFunctionsIsRefusedByName) {
  // libc is loaded in every process and has none of libpq's functions.
  auto api = internal::LoadLibpq("libc.so.6");
  ASSERT_FALSE(api);
  EXPECT_NE(api.error().message.find("it lacks PQconnectdbParams"), std::string::npos)
      << api.error().message;
}

TEST(PqLoader, AnUnreachableDatabaseAfterTheLoadIsStillUnavailableNotALoaderError) {
  for (int i = 0; i < 2; ++i) {
    auto pg = Store::Open(UnreachablePostgres(), {});
    ASSERT_FALSE(pg);
    EXPECT_EQ(pg.error().code, ErrorCode::kUnavailable);
    EXPECT_EQ(pg.error().message.find("cannot load libpq"), std::string::npos)
        << pg.error().message;
  }
}

}  // namespace
}  // namespace esimgo::callbacks
