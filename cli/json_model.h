#pragma once
/// @file json_model.h
/// The CLI's JSON shapes of the SDK's types (stable, documented in docs/cli.md): snake_case
/// names equal to the SDK's member names; ICCIDs, references and IDs as strings; money as
/// exact decimal numbers; times as ISO-8601 UTC strings or null.

#include "esimgo/esimgo.h"
#include "output.h"

namespace esimgo::cli {

Json ToJson(const Country& c);
Json ToJson(const CatalogueBundle& b);
Json ToJson(const OrderLine& l);
Json ToJson(const OrderValidation& v);
Json ToJson(const Order& o);
Json ToJson(const EsimSummary& e);
Json ToJson(const EsimDetails& e);
Json ToJson(const HistoryEvent& h);
Json ToJson(const EsimLocation& l);
Json ToJson(const ApplyBundleResponse& r);
Json ToJson(const EsimInstall& e);
Json ToJson(const BundleAssignment& a);
Json ToJson(const AppliedBundle& b);
Json ToJson(const InventoryBundle& b);
Json ToJson(const Organisation& o);  ///< Never includes the API key.
Json ToJson(const TopUpResult& t);
Json ToJson(const BundleGroup& g);
Json ToJson(const CountryNetworks& c);
Json ToJson(const StatusMessage& s);
Json ToJson(const webhook::Alert& a);

template <class T>
Json ToJsonArray(const std::vector<T>& items) {
  Json a = Json::Array();
  for (const auto& i : items) a.Push(ToJson(i));
  return a;
}

}  // namespace esimgo::cli
