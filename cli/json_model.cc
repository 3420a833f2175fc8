#include "json_model.h"

namespace esimgo::cli {

Json ToJson(const Country& c) {
  return Json::Object().Set("name", c.name).Set("region", c.region).Set("iso", c.iso);
}

Json ToJson(const CatalogueBundle& b) {
  return Json::Object()
      .Set("name", b.name)
      .Set("description", b.description)
      .Set("groups", b.groups)
      .Set("countries", ToJsonArray(b.countries))
      .Set("data_amount_mb", b.data_amount_mb)
      .Set("duration_days", b.duration_days)
      .Set("speed", b.speed)
      .Set("autostart", b.autostart)
      .Set("unlimited", b.unlimited)
      .Set("roaming_enabled", ToJsonArray(b.roaming_enabled))
      .Set("price", b.price)
      .Set("billing_type", b.billing_type);
}

namespace {
Json EsimOf(const OrderEsim& e) {
  return Json::Object()
      .Set("iccid", e.iccid)
      .Set("matching_id", e.matching_id)
      .Set("smdp_address", e.smdp_address);
}
}  // namespace

Json ToJson(const OrderLine& l) {
  Json esims = Json::Array();
  for (const auto& e : l.esims) esims.Push(EsimOf(e));
  return Json::Object()
      .Set("type", l.type)
      .Set("item", l.item)
      .Set("quantity", l.quantity)
      .Set("sub_total", l.sub_total)
      .Set("price_per_unit", l.price_per_unit)
      .Set("allow_reassign", l.allow_reassign)
      .Set("iccids", l.iccids)
      .Set("esims", esims);
}

Json ToJson(const OrderValidation& v) {
  return Json::Object()
      .Set("valid", v.valid)
      .Set("total", v.total)
      .Set("currency", v.currency)
      .Set("assigned", v.assigned)
      .Set("created_date", v.created_date)
      .Set("order", ToJsonArray(v.order));
}

Json ToJson(const Order& o) {
  return Json::Object()
      .Set("order_reference", o.order_reference)
      .Set("status", o.status.raw)
      .Set("status_message", o.status_message)
      .Set("total", o.total)
      .Set("currency", o.currency)
      .Set("created_date", o.created_date)
      .Set("assigned", o.assigned)
      .Set("reconciled", o.reconciled)
      .Set("order", ToJsonArray(o.order));
}

Json ToJson(const EsimSummary& e) {
  return Json::Object()
      .Set("iccid", e.iccid)
      .Set("customer_ref", e.customer_ref)
      .Set("last_action", e.last_action)
      .Set("action_date", e.action_date)
      .Set("physical", e.physical)
      .Set("assigned_date", e.assigned_date);
}

Json ToJson(const EsimDetails& e) {
  Json j = Json::Object()
               .Set("iccid", e.iccid)
               .Set("pin", e.pin)
               .Set("puk", e.puk)
               .Set("matching_id", e.matching_id)
               .Set("smdp_address", e.smdp_address)
               .Set("lpa", e.smdp_address.empty() || e.matching_id.empty()
                               ? Json()
                               : Json(LpaString(e.smdp_address, e.matching_id)))
               .Set("profile_status", e.profile_status)
               .Set("first_installed", e.first_installed)
               .Set("customer_ref", e.customer_ref);
  if (!e.apple_install_url.empty()) j.Set("apple_install_url", e.apple_install_url);
  return j;
}

Json ToJson(const HistoryEvent& h) {
  return Json::Object().Set("name", h.name).Set("bundle_name", h.bundle_name).Set("date", h.date);
}

Json ToJson(const EsimLocation& l) {
  return Json::Object()
      .Set("mobile_network_code", l.mobile_network_code)
      .Set("network_name", l.network_name)
      .Set("network_brand_name", l.network_brand_name)
      .Set("country", l.country)
      .Set("last_seen", l.last_seen);
}

Json ToJson(const ApplyBundleResponse& r) {
  Json esims = Json::Array();
  for (const auto& e : r.esims) {
    esims.Push(
        Json::Object().Set("iccid", e.iccid).Set("status", e.status).Set("bundle", e.bundle));
  }
  return Json::Object().Set("apply_reference", r.apply_reference).Set("esims", esims);
}

Json ToJson(const EsimInstall& e) {
  Json j = Json::Object()
               .Set("iccid", e.iccid)
               .Set("matching_id", e.matching_id)
               .Set("smdp_address", e.smdp_address)
               .Set("lpa", e.smdp_address.empty() || e.matching_id.empty()
                               ? Json()
                               : Json(LpaString(e.smdp_address, e.matching_id)))
               .Set("profile_status", e.profile_status)
               .Set("pin", e.pin)
               .Set("puk", e.puk)
               .Set("first_installed", e.first_installed)
               .Set("bundle", e.bundle)
               .Set("reference", e.reference);
  if (!e.apple_install_url.empty()) j.Set("apple_install_url", e.apple_install_url);
  return j;
}

Json ToJson(const BundleAssignment& a) {
  return Json::Object()
      .Set("id", a.id)
      .Set("call_type_group", a.call_type_group)
      .Set("initial_quantity", a.initial_quantity)
      .Set("remaining_quantity", a.remaining_quantity)
      .Set("assignment_date_time", a.assignment_date_time)
      .Set("assignment_reference", a.assignment_reference)
      .Set("bundle_state", a.bundle_state.raw)
      .Set("unlimited", a.unlimited);
}

Json ToJson(const AppliedBundle& b) {
  return Json::Object()
      .Set("name", b.name)
      .Set("description", b.description)
      .Set("assignments", ToJsonArray(b.assignments));
}

Json ToJson(const InventoryBundle& b) {
  Json lots = Json::Array();
  for (const auto& l : b.available) {
    lots.Push(Json::Object()
                  .Set("id", std::to_string(l.id))
                  .Set("total", l.total)
                  .Set("remaining", l.remaining)
                  .Set("expiry", l.expiry));
  }
  Json allowances = Json::Array();
  for (const auto& a : b.allowances) {
    allowances.Push(Json::Object()
                        .Set("type", a.type)
                        .Set("service", a.service)
                        .Set("description", a.description)
                        .Set("amount", a.amount)
                        .Set("unit", a.unit)
                        .Set("unlimited", a.unlimited));
  }
  return Json::Object()
      .Set("name", b.name)
      .Set("desc", b.desc)
      .Set("available", lots)
      .Set("countries", b.countries)
      .Set("data_mb", b.data_mb)
      .Set("duration", b.duration)
      .Set("duration_unit", b.duration_unit)
      .Set("autostart", b.autostart)
      .Set("unlimited", b.unlimited)
      .Set("speed", b.speed)
      .Set("allowances", allowances);
}

Json ToJson(const Organisation& o) {
  Json users = Json::Array();
  for (const auto& u : o.users) {
    users.Push(Json::Object()
                   .Set("first_name", u.first_name)
                   .Set("last_name", u.last_name)
                   .Set("role", u.role)
                   .Set("email_address", u.email_address)
                   .Set("phone_number", u.phone_number)
                   .Set("time_zone", u.time_zone));
  }
  // `api_key` is deliberately absent: the API sends it in clear, we never print it.
  return Json::Object()
      .Set("name", o.name)
      .Set("currency", o.currency)
      .Set("balance", o.balance)
      .Set("test_credit", o.test_credit)
      .Set("test_credit_expiry", o.test_credit_expiry)
      .Set("tax_liable", o.tax_liable)
      .Set("addr1", o.addr1)
      .Set("addr2", o.addr2)
      .Set("city", o.city)
      .Set("country", o.country)
      .Set("postcode", o.postcode)
      .Set("callback_url", o.callback_url)
      .Set("notes", o.notes)
      .Set("business_type", o.business_type)
      .Set("website", o.website)
      .Set("product_description", o.product_description)
      .Set("groups", o.groups)
      .Set("users", users);
}

Json ToJson(const TopUpResult& t) {
  return Json::Object().Set("amount", t.amount).Set("balance", t.balance).Set("ref", t.ref);
}

Json ToJson(const BundleGroup& g) {
  return Json::Object()
      .Set("name", g.name)
      .Set("price_list_url", g.price_list_url)
      .Set("desc", g.desc)
      .Set("icon", g.icon);
}

Json ToJson(const CountryNetworks& c) {
  Json nets = Json::Array();
  for (const auto& n : c.networks) {
    nets.Push(Json::Object()
                  .Set("name", n.name)
                  .Set("brand_name", n.brand_name)
                  .Set("mcc", n.mcc)
                  .Set("mnc", n.mnc)
                  .Set("tag_id", n.tag_id)
                  .Set("speed", n.speed));
  }
  return Json::Object().Set("name", c.name).Set("iso", c.iso).Set("networks", nets);
}

Json ToJson(const StatusMessage& s) { return Json::Object().Set("status", s.status); }

Json ToJson(const webhook::Alert& a) {
  Json j = Json::Object().Set("alert_type", a.alert_type.raw).Set("iccid", a.iccid);
  if (a.bundle) {
    const auto& b = *a.bundle;
    j.Set("bundle", Json::Object()
                        .Set("id", b.id)
                        .Set("reference", b.reference)
                        .Set("name", b.name)
                        .Set("description", b.description)
                        .Set("initial_quantity", b.initial_quantity)
                        .Set("remaining_quantity", b.remaining_quantity)
                        .Set("start_time", b.start_time)
                        .Set("end_time", b.end_time)
                        .Set("unlimited", b.unlimited)
                        .Set("unit", b.unit));
  }
  if (a.country)
    j.Set("country", Json::Object().Set("code", a.country->code).Set("name", a.country->name));
  if (a.balance_info) {
    j.Set("balance_info",
          Json::Object()
              .Set("balance", a.balance_info->balance)
              .Set("threshold", a.balance_info->threshold)
              .Set("threshold_percent_remaining", a.balance_info->threshold_percent_remaining));
  }
  return j;
}

}  // namespace esimgo::cli
