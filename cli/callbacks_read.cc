// esimgo callbacks tail|replay|prune — reading the stored stream, re-sending stored callbacks,
// and retention.

#include <fmt/core.h>
#include <httplib.h>
#include <sys/wait.h>

#include <cstdio>
#include <thread>

#include "callbacks_internal.h"
#include "esimgo/webhook.h"
#include "signals.h"

namespace esimgo::cli {
namespace {

// Stops a following stream on SIGINT/SIGTERM (signals are blocked everywhere and waited for by
// this thread, as in the other long-running commands).
class StopOnSignal {
 public:
  explicit StopOnSignal(callbacks::EventStream& stream) : stream_(stream) {
    thread_ = std::thread([this] {
      WaitForStopSignal();
      stopped_ = true;
      stream_.Stop();
    });
  }
  ~StopOnSignal() {
    if (!stopped_) {
      // Wake the waiting thread ourselves; the process is ending anyway.
      pthread_kill(thread_.native_handle(), SIGTERM);
    }
    thread_.join();
  }

 private:
  callbacks::EventStream& stream_;
  std::atomic<bool> stopped_{false};
  std::thread thread_;
};

bool PrintLine(const std::string& line) {
  if (std::fputs(line.c_str(), stdout) < 0 || std::fputc('\n', stdout) < 0) return false;
  return std::fflush(stdout) == 0;
}

}  // namespace

int RunTail(Context& ctx, const TailArgs& a) {
  callbacks::StreamOptions so;
  if (!a.type.empty()) so.filter.alert_type = a.type;
  if (!a.iccid.empty()) so.filter.iccid = a.iccid;
  if (auto s = ApplySince(a.since, so.filter); !s) return ctx.Fail(s.error());
  if (!a.consumer.empty()) so.consumer = a.consumer;
  auto target = StoreTarget(a.store);
  if (!target) return ctx.Fail(target.error());
  auto store = OpenCallbackStore(*target, {}, /*must_exist=*/true);
  if (!store) return ctx.Fail(store.error());
  auto stream = (*store)->OpenStream(so);
  if (!stream) return ctx.Fail(stream.error());
  const bool table = ctx.out().format() == Format::kTable;

  BlockStopSignals();
  std::optional<StopOnSignal> stopper;
  if (a.follow) stopper.emplace(**stream);
  std::size_t printed = 0;
  auto backoff = std::chrono::milliseconds(250);
  for (;;) {
    auto page = a.follow ? (*stream)->Wait(std::chrono::seconds(5)) : (*stream)->Next();
    if (!page) {
      if (!a.follow) return ctx.Fail(page.error());
      // Following through an outage: say so once per failure, retry with backoff.
      ctx.Info(
          fmt::format("the event store is not answering ({}); retrying", page.error().message));
      std::this_thread::sleep_for(backoff);
      backoff = std::min(backoff * 2, std::chrono::milliseconds(5000));
      if ((*stream)->stopped()) break;
      continue;
    }
    backoff = std::chrono::milliseconds(250);
    const callbacks::Event* last = nullptr;
    for (const auto& e : *page) {
      if (!PrintLine(table ? EventTableLine(e) : EventJsonLine(e))) {
        return kExitOk;  // the reader went away (tail | head): not an error
      }
      last = &e;
      ++printed;
      if (a.limit > 0 && printed >= a.limit) break;
    }
    // Saved after printing: a restart re-prints at most the last page (at-least-once). When
    // --limit cut the page short, the offset is the last printed event, not the page's end.
    if (so.consumer) {
      auto saved = last != nullptr && last != &page->back()
                       ? (*store)->SaveOffset(*so.consumer, last->cursor)
                       : (*stream)->Commit();
      if (!saved) return ctx.Fail(saved.error());
    }
    if (a.limit > 0 && printed >= a.limit) break;
    if (a.follow ? (*stream)->stopped() : page->empty()) break;
  }
  return kExitOk;
}

int RunReplay(Context& ctx, const ReplayArgs& a) {
  if (a.ids.empty() == a.since.empty()) {
    return ctx.Fail(kExitInvalidArgument,
                    "say which events to replay: --id N (repeatable) or --since ID|DURATION|TIME "
                    "[--until …], not both");
  }
  if (!a.until.empty() && a.since.empty()) {
    return ctx.Fail(kExitInvalidArgument, "--until needs --since");
  }
  if (a.forward_to.empty() == a.exec.empty()) {
    return ctx.Fail(kExitInvalidArgument,
                    "say where to replay to: --forward-to URL or --exec CMD (one of them)");
  }
  auto keys = ResolveKeys(ctx, a.previous_api_key);
  if (!keys) return ctx.Fail(keys.error());
  std::unique_ptr<httplib::Client> http;
  std::string path;
  if (!a.forward_to.empty()) {
    auto scheme = a.forward_to.find("://");
    if (a.forward_to.rfind("http://", 0) != 0 && a.forward_to.rfind("https://", 0) != 0) {
      return ctx.Fail(kExitInvalidArgument,
                      "--forward-to must be an http:// or https:// URL, e.g. "
                      "http://127.0.0.1:8080/callback");
    }
    auto slash = a.forward_to.find('/', scheme + 3);
    path = slash == std::string::npos ? "/" : a.forward_to.substr(slash);
    http = std::make_unique<httplib::Client>(a.forward_to.substr(0, slash));
    http->set_connection_timeout(std::chrono::seconds(5));
    http->set_read_timeout(std::chrono::seconds(30));
  }
  auto target = StoreTarget(a.store);
  if (!target) return ctx.Fail(target.error());
  auto store = OpenCallbackStore(*target, {}, /*must_exist=*/true);
  if (!store) return ctx.Fail(store.error());

  std::vector<callbacks::Event> events;
  if (!a.ids.empty()) {
    auto got = (*store)->Get(a.ids);
    if (!got) return ctx.Fail(got.error());
    events = std::move(*got);
    if (events.size() != a.ids.size()) {
      ctx.Info(fmt::format("{} of the {} ids are not in the store (pruned or never stored)",
                           a.ids.size() - events.size(), a.ids.size()));
    }
  } else {
    callbacks::ReadFilter filter;
    if (auto s = ApplySince(a.since, filter); !s) return ctx.Fail(s.error());
    if (auto u = ApplyUntil(a.until, filter); !u) return ctx.Fail(u.error());
    callbacks::Cursor after = callbacks::Cursor::Start();
    for (;;) {
      auto page = (*store)->Read(after, filter, 500);
      if (!page) return ctx.Fail(page.error());
      if (page->events.empty() && page->next == after) break;
      for (auto& e : page->events) events.push_back(std::move(e));
      after = page->next;
    }
  }

  int failed = 0;
  for (const auto& e : events) {
    // The stored bytes, signed again with the key that verified them: byte for byte the
    // header eSIM Go sent (same key, same body). Unverified events go out unsigned.
    std::string signature;
    if (e.key_slot && *e.key_slot == 0) {
      signature = webhook::ComputeSignature(keys->current, e.body);
    } else if (e.key_slot && *e.key_slot == 1 && !keys->previous.empty()) {
      signature = webhook::ComputeSignature(keys->previous, e.body);
    }
    int status = 0;
    std::string detail;
    if (http) {
      httplib::Headers h = {{"X-Esimgo-Event-Id", std::to_string(e.id)}, {"X-Esimgo-Replay", "1"}};
      if (!signature.empty()) h.emplace(std::string(webhook::kSignatureHeader), signature);
      auto res = http->Post(path, h, e.body, "application/json");
      if (res) {
        status = res->status;
        detail = fmt::format("HTTP {}", status);
      } else {
        detail = fmt::format("not delivered: {}", httplib::to_string(res.error()));
      }
    } else {
      int ws = RunCommand(a.exec,
                          {{"ESIMGO_EVENT_ID", std::to_string(e.id)},
                           {"ESIMGO_REPLAY", "1"},
                           {"ESIMGO_ALERT_TYPE", e.alert_type.value_or("")},
                           {"ESIMGO_ICCID", e.iccid.value_or("")},
                           {"ESIMGO_VERIFIED", e.verified ? "1" : "0"}},
                          e.body);
      status = ws >= 0 && WIFEXITED(ws) && WEXITSTATUS(ws) == 0 ? 200 : 0;
      detail = ws < 0          ? "could not start the command"
               : WIFEXITED(ws) ? fmt::format("exit status {}", WEXITSTATUS(ws))
                               : "killed by a signal";
    }
    bool ok = status >= 200 && status < 300;
    if (!ok) ++failed;
    ctx.out().EmitRecord(Json::Object()
                             .Set("id", e.id)
                             .Set("replayed", ok)
                             .Set("result", detail)
                             .Set("signed", !signature.empty()),
                         {{"Event", std::to_string(e.id)}, {"Result", detail}});
  }
  if (failed > 0) {
    return ctx.Fail(kExitFailure, fmt::format("{} of {} replays failed", failed, events.size()));
  }
  if (events.empty()) ctx.Info("no stored events matched: nothing replayed");
  return kExitOk;
}

int RunPrune(Context& ctx, const std::string& store_flag, const std::string& older_than,
             const std::string& dedupe_window) {
  auto age = PositiveDuration(older_than, "--older-than");
  if (!age) return ctx.Fail(age.error());
  auto window = PositiveDuration(dedupe_window, "--dedupe-window");
  if (!window) return ctx.Fail(window.error());
  auto target = StoreTarget(store_flag);
  if (!target) return ctx.Fail(target.error());
  // The window decides which dedupe keys are old enough to go: it must be the receivers' own,
  // or a redelivery inside their window would be stored a second time.
  callbacks::StoreOptions options{
      .dedupe_window = std::max(std::chrono::seconds(1),
                                std::chrono::duration_cast<std::chrono::seconds>(*window))};
  auto store = OpenCallbackStore(*target, options, /*must_exist=*/true);
  if (!store) return ctx.Fail(store.error());
  auto stats = (*store)->Prune(std::chrono::duration_cast<std::chrono::seconds>(*age));
  if (!stats) return ctx.Fail(stats.error());
  ctx.out().EmitRecord(Json::Object()
                           .Set("events", stats->events)
                           .Set("dedupe_keys", stats->dedupe_keys)
                           .Set("hooks_done", stats->hooks_done),
                       {{"Events deleted", std::to_string(stats->events)},
                        {"Dedupe keys deleted", std::to_string(stats->dedupe_keys)},
                        {"Finished hooks deleted", std::to_string(stats->hooks_done)}});
  return kExitOk;
}

}  // namespace esimgo::cli
