// esimgo esims suspend|unsuspend|suspension|delete — the v2.5 eSIM operations:
// POST /esims/{iccid}/suspend, GET /esims/{iccid}/suspend, DELETE /esims/{iccid}.
//
// Each needs a v2.5 client (--api-version 2.5, or a base URL ending in /v2.5). On a v2.4 client
// the SDK refuses before sending (kInvalidArgument → exit 3, with its "how to switch" message);
// the CLI asks for that refusal before it asks the user anything, so nobody confirms an
// operation that cannot run.

#include <unistd.h>

#include <fmt/core.h>

#include "commands.h"
#include "fields.h"

namespace esimgo::cli {
namespace {

// The SDK's own refusal of a v2.5 operation on a v2.4 client, before any question. `refused`
// runs the operation only on a v2.4 client, where the SDK documents (esims.h, "v2.5") and
// tests (api_version_test) that it fails before anything is sent.
template <class Op>
Outcome<> RefuseOnV24(Client& client, Op refused) {
  if (client.api_version() != ApiVersion::kV2_4) return {};
  auto r = refused();
  if (r) return Stop(kExitFailure, "the SDK did not refuse a v2.5 operation on a v2.4 client");
  return tl::unexpected(r.error());
}

// A `{status}` answer with the request's identifiers in front.
void PrintStatus(Context& ctx, const StatusMessage& s, Json extra) {
  extra.Set("status", s.status);
  ctx.out().EmitRecord(extra, RecordOf(s));
}

Outcome<> RunSuspend(Context& ctx, const std::string& iccid, bool suspend, bool yes) {
  // The SDK's ICCID rule first: do not ask about an eSIM that cannot exist.
  if (auto ok = ValidateIccid(iccid); !ok) return tl::unexpected(ok.error());
  auto client = ctx.client();
  if (!client) return tl::unexpected(client.error());
  EsimsApi esims = (*client)->esims();
  if (auto ok = RefuseOnV24(**client, [&] { return esims.Suspend(iccid, suspend); }); !ok) {
    return ok;
  }
  std::fputs((suspend ? fmt::format("Suspending {} cuts the customer off the network until it "
                                    "is unsuspended; its bundles stay.\n",
                                    iccid)
                      : fmt::format("Unsuspending {} reconnects the customer.\n", iccid))
                 .c_str(),
             stderr);
  if (auto ok = ctx.Confirm((suspend ? "suspend " : "unsuspend ") + iccid, yes); !ok) return ok;
  // Never retried by the SDK (it acts on the network): an ambiguous failure says so.
  auto s = esims.Suspend(iccid, suspend);
  if (!s) return tl::unexpected(s.error());
  PrintStatus(ctx, *s, Json::Object().Set("iccid", iccid).Set("suspended", suspend));
  return {};
}

Outcome<> RunSuspension(Context& ctx, const std::string& iccid) {
  auto client = ctx.client();
  if (!client) return tl::unexpected(client.error());
  auto s = (*client)->esims().Suspension(iccid);
  if (!s) return tl::unexpected(s.error());
  // The answer's shape is inferred (esims.h, SuspensionStatus): when it did not say, the body
  // is shown as received instead of guessing.
  Json j = Json::Object().Set("iccid", iccid);
  j.Set("suspended", s->suspended ? Json(*s->suspended) : Json());
  Record kv = {{"ICCID", iccid},
               {"Suspended", s->suspended ? YesNo(*s->suspended) : std::string("unknown")}};
  if (!s->suspended) {
    j.Set("answer", s->raw_json);
    kv.emplace_back("Answer", s->raw_json);
  }
  ctx.out().EmitRecord(j, kv);
  return {};
}

// Deleting is irreversible: a y/N is too easy to give by reflex, so on a terminal the user
// types the ICCID back; scripts say --yes. Without a terminal and without --yes: exit 2.
Outcome<> ConfirmByTyping(Context& ctx, const std::string& iccid, bool yes) {
  if (yes) return {};
  if (isatty(STDIN_FILENO) != 1) {
    return Stop(kExitUsage,
                fmt::format("refusing to delete {} without confirmation: stdin is not a "
                            "terminal; re-run with --yes to confirm (deleting is irreversible)",
                            iccid));
  }
  std::fputs("Type the ICCID to delete it: ", stderr);
  std::fflush(stderr);
  std::string answer;
  if (!std::getline(std::cin, answer)) answer.clear();
  while (!answer.empty() && (answer.back() == ' ' || answer.back() == '\r')) answer.pop_back();
  if (answer == iccid) return {};
  ctx.Info("the ICCID did not match: nothing was deleted");
  return Stop(kExitFailure, "");
}

Outcome<> RunDelete(Context& ctx, const std::string& iccid, bool yes) {
  if (auto ok = ValidateIccid(iccid); !ok) return tl::unexpected(ok.error());
  auto client = ctx.client();
  if (!client) return tl::unexpected(client.error());
  EsimsApi esims = (*client)->esims();
  if (auto ok = RefuseOnV24(**client, [&] { return esims.Delete(iccid); }); !ok) return ok;
  std::fputs(fmt::format("Deleting {} is IRREVERSIBLE: every bundle on it is revoked without a "
                         "refund and the eSIM is deactivated for good.\n",
                         iccid)
                 .c_str(),
             stderr);
  if (auto ok = ConfirmByTyping(ctx, iccid, yes); !ok) return ok;
  // Sent once: the SDK never retries a delete after it may have been sent (kAmbiguous then).
  auto s = esims.Delete(iccid);
  if (!s) return tl::unexpected(s.error());
  PrintStatus(ctx, *s, Json::Object().Set("iccid", iccid).Set("deleted", true));
  return {};
}

}  // namespace

void RegisterEsimsV25(CLI::App& group, Context& ctx) {
  for (bool suspend : {true, false}) {
    auto iccid = std::make_shared<std::string>();
    auto yes = std::make_shared<bool>(false);
    auto* sub =
        Sub(group, suspend ? "suspend" : "unsuspend",
            suspend ? "Suspend an eSIM: no network until unsuspended (v2.5; asks first)"
                    : "Lift a suspension you set (v2.5; asks first; not a policy suspension)");
    sub->add_option("ICCID", *iccid, "ICCID")->required();
    sub->add_flag("-y,--yes", *yes, "Do not ask for confirmation");
    OnRun(sub, ctx, [&ctx, iccid, yes, suspend] { return RunSuspend(ctx, *iccid, suspend, *yes); });
  }

  auto s_iccid = std::make_shared<std::string>();
  auto* suspension =
      Sub(group, "suspension", "Is an eSIM suspended? (v2.5, GET /esims/{iccid}/suspend)");
  suspension->add_option("ICCID", *s_iccid, "ICCID")->required();
  OnRun(suspension, ctx, [&ctx, s_iccid] { return RunSuspension(ctx, *s_iccid); });

  auto d_iccid = std::make_shared<std::string>();
  auto d_yes = std::make_shared<bool>(false);
  auto* del = Sub(group, "delete",
                  "Delete an eSIM: IRREVERSIBLE, revokes its bundles without refund (v2.5; asks "
                  "you to type the ICCID)");
  del->add_option("ICCID", *d_iccid, "ICCID")->required();
  del->add_flag("-y,--yes", *d_yes, "Do not ask (scripts); deleting is irreversible");
  OnRun(del, ctx, [&ctx, d_iccid, d_yes] { return RunDelete(ctx, *d_iccid, *d_yes); });
}

}  // namespace esimgo::cli
