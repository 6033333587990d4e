#include "server/services/demo_data.h"

#include <cstdio>
#include <iterator>
#include <random>

namespace deskgate::services {
namespace {

constexpr const char* kLocations[] = {
    "London HQ",     "Manchester Office", "Edinburgh Office", "Dublin Office", "New York Office",
    "Austin Office", "Toronto Office",    "Berlin Office",    "Paris Office",  "Singapore Office",
    "Sydney Office", "Data Centre A",     "Data Centre B",    "Remote"};

constexpr const char* kGroups[] = {"Service Desk", "Infrastructure",     "Field Services",
                                   "Network Team", "End-User Computing", "Security Operations"};

constexpr const char* kFirstNames[] = {"Alex",  "Priya", "Sam",    "Maria", "Tom",   "Aisha",
                                       "Chen",  "Lucas", "Emma",   "Omar",  "Sofia", "Jack",
                                       "Grace", "Ravi",  "Hannah", "Diego", "Mei",   "Noah",
                                       "Zara",  "Liam",  "Ingrid", "Kofi",  "Elena", "Yuki"};
constexpr const char* kLastNames[] = {"Morgan", "Shah",  "Taylor", "Garcia", "Walsh", "Khan",
                                      "Wei",    "Silva", "Brown",  "Haddad", "Rossi", "Murphy"};

struct AssetModel {
  const char* type;
  const char* model;
  const char* prefix;
};
constexpr AssetModel kAssetModels[] = {{"Laptop", "Dell Latitude 7440", "LT"},
                                       {"Laptop", "Lenovo ThinkPad T14", "LT"},
                                       {"Laptop", "HP EliteBook 840 G10", "LT"},
                                       {"Laptop", "Apple MacBook Pro 14\"", "LT"},
                                       {"Desktop", "Dell OptiPlex 7010", "DT"},
                                       {"Desktop", "HP ProDesk 400 G9", "DT"},
                                       {"Monitor", "Dell P2723DE 27\"", "MN"},
                                       {"Monitor", "LG 34WN80C-B UltraWide", "MN"},
                                       {"Phone", "Apple iPhone 15", "PH"},
                                       {"Phone", "Samsung Galaxy S24", "PH"},
                                       {"Tablet", "Apple iPad Air", "TB"},
                                       {"Printer", "HP LaserJet Pro M404dn", "PR"},
                                       {"Printer", "Brother MFC-L8900CDW", "PR"},
                                       {"Server", "Dell PowerEdge R650", "SV"},
                                       {"Server", "HPE ProLiant DL380 Gen11", "SV"},
                                       {"Network", "Cisco Catalyst 9200 Switch", "NW"},
                                       {"Network", "Ubiquiti UniFi AP U6 Pro", "NW"},
                                       {"Projector", "Epson EB-L210W", "PJ"}};

struct SoftwareTitle {
  const char* name;
  const char* publisher;
};
constexpr SoftwareTitle kSoftware[] = {{"Microsoft 365 Apps", "Microsoft"},
                                       {"Microsoft Teams", "Microsoft"},
                                       {"Visual Studio Code", "Microsoft"},
                                       {"Adobe Acrobat Reader", "Adobe"},
                                       {"Adobe Photoshop", "Adobe"},
                                       {"Slack", "Salesforce"},
                                       {"Zoom Workplace", "Zoom"},
                                       {"Google Chrome", "Google"},
                                       {"Mozilla Firefox", "Mozilla"},
                                       {"7-Zip", "Igor Pavlov"},
                                       {"Notepad++", "Don Ho"},
                                       {"VLC media player", "VideoLAN"},
                                       {"Jira Software", "Atlassian"},
                                       {"Confluence", "Atlassian"},
                                       {"Tableau Desktop", "Salesforce"},
                                       {"AutoCAD", "Autodesk"},
                                       {"Docker Desktop", "Docker"},
                                       {"1Password", "AgileBits"},
                                       {"CrowdStrike Falcon Sensor", "CrowdStrike"},
                                       {"Cisco Secure Client", "Cisco"}};

template <typename T, size_t N>
const T& Pick(const T (&items)[N], std::mt19937_64& rng) {
  return items[std::uniform_int_distribution<size_t>(0, N - 1)(rng)];
}

// Mostly Low, some Medium, few High: how impact spreads in real inventories.
Impact PickImpact(std::mt19937_64& rng) {
  const int roll = std::uniform_int_distribution<int>(0, 99)(rng);
  return roll < 60 ? Impact::kLow : roll < 90 ? Impact::kMedium : Impact::kHigh;
}

// An index into a list of `n`, or none `none_percent` of the time.
std::optional<size_t> MaybeIndex(size_t n, int none_percent, std::mt19937_64& rng) {
  if (std::uniform_int_distribution<int>(0, 99)(rng) < none_percent) return std::nullopt;
  return std::uniform_int_distribution<size_t>(0, n - 1)(rng);
}

}  // namespace

store::SeedRecords MakeDemoData(int assets, int software, uint64_t seed, int64_t tag_offset) {
  std::mt19937_64 rng(seed);
  store::SeedRecords data;
  data.locations.assign(std::begin(kLocations), std::end(kLocations));
  data.groups.assign(std::begin(kGroups), std::end(kGroups));
  for (size_t i = 0; i < std::size(kFirstNames); ++i) {
    const std::string first = kFirstNames[i], last = kLastNames[i % std::size(kLastNames)];
    std::string email = first + "." + last + "@demo.deskgate.test";
    for (char& c : email) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    data.agents.push_back({email, first + " " + last, i % std::size(kGroups)});
  }
  const size_t agents = data.agents.size();
  for (int i = 0; i < assets; ++i) {
    const AssetModel& m = Pick(kAssetModels, rng);
    char tag[32];
    std::snprintf(tag, sizeof tag, "%s-%06lld", m.prefix,
                  static_cast<long long>(tag_offset + i + 1));
    store::SeedRecords::Row row{m.model,
                                tag,
                                m.type,
                                PickImpact(rng),
                                MaybeIndex(std::size(kLocations), 5, rng),
                                MaybeIndex(std::size(kGroups), 10, rng),
                                MaybeIndex(agents, 25, rng)};
    data.assets.push_back(std::move(row));
  }
  for (int i = 0; i < software; ++i) {
    const SoftwareTitle& t = Pick(kSoftware, rng);
    std::uniform_int_distribution<int> major(1, 30), minor(0, 20), patch(0, 999);
    const std::string version = std::to_string(major(rng)) + "." + std::to_string(minor(rng)) +
                                "." + std::to_string(patch(rng));
    data.software.push_back({t.name, t.publisher, version, PickImpact(rng),
                             MaybeIndex(std::size(kLocations), 30, rng),
                             MaybeIndex(std::size(kGroups), 10, rng), MaybeIndex(agents, 40, rng)});
  }
  return data;
}

}  // namespace deskgate::services
