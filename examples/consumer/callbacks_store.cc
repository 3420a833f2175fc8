// A service reading callbacks with the installed esimgo::callbacks: store one callback in a
// scratch SQLite store through the group-commit writer, then read it back from the stream.
// Proves the library, its headers and its dependencies install and link from outside the tree.

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>

#include "esimgo/callbacks/callbacks.h"

int main() {
  namespace cb = esimgo::callbacks;
  const auto dir =
      std::filesystem::temp_directory_path() / ("esimgo-consumer-" + std::to_string(std::rand()));
  std::filesystem::create_directories(dir);
  const std::string db = (dir / "callbacks.db").string();
  int rc = 1;
  {
    auto store = cb::Store::Open(db, {.source = "consumer"});
    if (!store) {
      std::fprintf(stderr, "open: %s\n", store.error().ToString().c_str());
      return 1;
    }
    const std::string body = R"({"alertType":"Utilisation","iccid":"8944000000000000001"})";
    auto writer = (*store)->NewWriter();
    if (!writer) return 1;
    auto first = (*writer)->Submit({.body = body, .verified = true}).get();
    auto again = (*writer)->Submit({.body = body, .verified = true}).get();  // a redelivery
    auto page = (*store)->Read(cb::Cursor::Start(), {}, 10);
    if (first && first->stored && again && !again->stored && page && page->events.size() == 1 &&
        page->events[0].body == body) {
      std::printf("callbacks store: event %lld stored once, read back\n",
                  static_cast<long long>(first->id));
      rc = 0;
    } else {
      std::fprintf(stderr, "callbacks store: unexpected result\n");
    }
  }
  std::filesystem::remove_all(dir);
  return rc;
}
