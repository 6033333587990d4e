// The list filter's one reader: the page's query (ParseGridQuery) and the
// bulk API's selection filter (GridFilterFromJson) read it the same way.
#include "shared/records/record_query.h"

#include <catch2/catch.hpp>

#include "shared/core/json_value.h"

namespace deskgate {
namespace {

Result<GridFilter> Filter(std::string_view json) {
  return GridFilterFromJson(ParseJson(json).value());
}

TEST_CASE("A bulk selection's filter reads as the page's query does", "[records][query]") {
  const char* filters[] = {
      R"({})",
      R"({"q":"laptop"})",
      R"({"impact":"high"})",
      R"({"impact":null})",
      R"({"location_id":3,"managed_by_group_id":null})",
      R"({"managed_by_agent_id":7,"q":"ThinkPad","impact":"low"})",
  };
  for (const char* json : filters) {
    INFO(json);
    auto from_bulk = Filter(json);
    auto from_page = ParseGridQuery(json);
    REQUIRE(from_bulk.ok());
    REQUIRE(from_page.ok());
    CHECK(from_bulk.value() == from_page.value().filter);
    // And back: what the grid sends is what the server reads.
    CHECK(Filter(GridFilterToJson(from_bulk.value())).value() == from_bulk.value());
  }
  CHECK_FALSE(Filter(R"({"impact":null})").value().impact);
  const RefFilter none = Filter(R"({"location_id":null})").value().location;
  CHECK(none.set);
  CHECK_FALSE(none.id);
}

TEST_CASE("A bad selection filter names its field under selection.filter", "[records][query]") {
  const std::pair<const char*, const char*> cases[] = {
      {R"({"impact":"none"})", "selection.filter.impact: must be low, medium, high or null"},
      {R"({"location_id":-1})", "selection.filter.location_id: "},
      {R"({"sort":"name"})", "selection.filter: unknown field \"sort\""},
      {R"([1])", "selection.filter: must be a JSON object"},
  };
  for (const auto& [json, message] : cases) {
    INFO(json);
    auto parsed = Filter(json);
    REQUIRE_FALSE(parsed.ok());
    CHECK(parsed.error().rfind(message, 0) == 0);
  }
}

}  // namespace
}  // namespace deskgate
