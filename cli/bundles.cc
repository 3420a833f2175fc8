// esimgo bundles list|show|revoke — bundles applied to an eSIM (#7, #9, #10, #11).

#include <fmt/core.h>

#include "commands.h"
#include "fields.h"

namespace esimgo::cli {
namespace {

struct RevokeArgs {
  std::string iccid, bundle, assignment, offer_id;
  bool validate = false, refund_to_balance = false, yes = false;
};

// Assignments of one or more bundles in one table: the bundle's name in front of each row.
void AddRows(Table& t, const std::string& name, const std::vector<BundleAssignment>& as) {
  for (auto& row : TableOf(as).rows) {
    row.insert(row.begin(), name);
    t.rows.push_back(std::move(row));
  }
}

Table AssignmentTable() {
  Table t = TableOf(std::vector<BundleAssignment>{});
  t.headers.insert(t.headers.begin(), "BUNDLE");
  t.right_align.insert(t.right_align.begin(), false);
  return t;
}

Outcome<> RunList(Context& ctx, const std::string& iccid, bool include_used,
                  std::optional<int> limit) {
  auto client = ctx.client();
  if (!client) return tl::unexpected(client.error());
  ListBundlesRequest req{.limit = limit};
  if (include_used) req.include_used = true;
  auto r = (*client)->esims().ListBundles(iccid, req);
  if (!r) return tl::unexpected(r.error());
  Table t = AssignmentTable();
  for (const auto& b : *r) AddRows(t, b.name, b.assignments);
  ctx.out().Emit(ToJsonArray(*r), t);
  return {};
}

Outcome<> RunShow(Context& ctx, const std::string& iccid, const std::string& bundle) {
  auto client = ctx.client();
  if (!client) return tl::unexpected(client.error());
  auto r = (*client)->esims().GetBundle(iccid, bundle);
  if (!r) return tl::unexpected(r.error());
  Table t = AssignmentTable();
  AddRows(t, bundle, *r);
  ctx.out().Emit(ToJsonArray(*r), t);
  return {};
}

Outcome<> RunRevoke(Context& ctx, const RevokeArgs& a) {
  // How the flags combine is the CLI's syntax; the SDK checks the values (ICCID, names, and
  // that a refund to the balance has an offer ID).
  if (!a.offer_id.empty() && !a.refund_to_balance) {
    return Invalid("--offer-id only makes sense with --refund-to-balance");
  }
  if (!a.assignment.empty() && a.refund_to_balance) {
    return Invalid(
        "--refund-to-balance is not available with --assignment (the API has no such option "
        "there)");
  }
  auto client = ctx.client();
  if (!client) return tl::unexpected(client.error());
  auto esims = (*client)->esims();
  RevokeBundleRequest req;
  if (a.refund_to_balance) {
    req.refund_to_balance = true;
    if (!a.offer_id.empty()) req.offer_id = a.offer_id;
  }
  auto send = [&](RevokeType type) {
    if (!a.assignment.empty()) return esims.RevokeAssignment(a.iccid, a.bundle, a.assignment, type);
    RevokeBundleRequest r = req;
    r.type = type;
    return esims.RevokeBundle(a.iccid, a.bundle, r);
  };
  auto check = send(RevokeType::kValidate);
  if (!check) return tl::unexpected(check.error());
  Json data = Json::Object()
                  .Set("iccid", a.iccid)
                  .Set("bundle", a.bundle)
                  .Set("assignment_id", a.assignment.empty() ? Json() : Json(a.assignment))
                  .Set("validate", a.validate);
  if (a.validate) {
    data.Set("status", check->status);
    ctx.out().EmitRecord(data, {{"Validation", check->status}, {"Charged", "nothing (validate)"}});
    return {};
  }
  std::fputs(fmt::format("Revoking {}{} on {}: {}\n", a.bundle,
                         a.assignment.empty() ? "" : " (assignment " + a.assignment + ")", a.iccid,
                         check->status)
                 .c_str(),
             stderr);
  if (auto ok = ctx.Confirm(fmt::format("revoke {} from {}", a.bundle, a.iccid), a.yes); !ok) {
    return ok;
  }
  auto done = send(RevokeType::kTransaction);
  if (!done) return tl::unexpected(done.error());
  data.Set("status", done->status);
  ctx.out().EmitRecord(data, RecordOf(*done));
  return {};
}

}  // namespace

void RegisterBundles(CLI::App& app, Context& ctx) {
  auto* group = Sub(app, "bundles", "Bundles applied to an eSIM: status, revoke");
  group->require_subcommand(1);

  struct L {
    std::string iccid;
    bool include_used = false;
    std::optional<int> limit;
  };
  auto l = std::make_shared<L>();
  auto* list =
      Sub(*group, "list", "Bundles of an eSIM with data left (GET /esims/{iccid}/bundles)");
  list->add_option("ICCID", l->iccid, "ICCID")->required();
  list->add_flag("--include-used", l->include_used, "Include depleted/expired bundles");
  list->add_option("--limit", l->limit, "At most N assignments (API default 15)");
  OnRun(list, ctx, [&ctx, l] { return RunList(ctx, l->iccid, l->include_used, l->limit); });

  auto s = std::make_shared<std::pair<std::string, std::string>>();
  auto* show = Sub(*group, "show", "Assignments of one bundle on an eSIM");
  show->add_option("ICCID", s->first, "ICCID")->required();
  show->add_option("BUNDLE", s->second, "Bundle name")->required();
  OnRun(show, ctx, [&ctx, s] { return RunShow(ctx, s->first, s->second); });

  auto r = std::make_shared<RevokeArgs>();
  auto* revoke = Sub(*group, "revoke", "Revoke a bundle from an eSIM (refunds unused ones)");
  revoke->add_option("ICCID", r->iccid, "ICCID")->required();
  revoke->add_option("BUNDLE", r->bundle, "Bundle name")->required();
  revoke->add_option("--assignment", r->assignment, "Revoke this assignment ID");
  revoke->add_flag("--validate", r->validate, "Only check what would happen");
  revoke->add_flag("--refund-to-balance", r->refund_to_balance,
                   "Refund to the balance instead of inventory (needs --offer-id)");
  revoke->add_option("--offer-id", r->offer_id, "Offer ID for --refund-to-balance");
  revoke->add_flag("-y,--yes", r->yes, "Do not ask for confirmation");
  OnRun(revoke, ctx, [&ctx, r] { return RunRevoke(ctx, *r); });
}

}  // namespace esimgo::cli
