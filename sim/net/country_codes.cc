#include "sim/net/country_codes.h"

#include <fstream>
#include <nlohmann/json.hpp>

#include "sim/net/csv_table.h"

namespace sessionsim::net {

CountryCodes CountryCodes::load(const std::string& path) {
    std::ifstream in(path);
    if (!in)
        throw DataError(path + ": cannot open (apt-get install iso-codes)");
    const auto doc = nlohmann::json::parse(in, nullptr, false);
    if (doc.is_discarded() || !doc.contains("3166-1"))
        throw DataError(path + ": not iso-codes JSON");
    CountryCodes cc;
    for (const auto& c : doc.at("3166-1")) {
        const std::string code = c.at("alpha_2");
        cc.codes_[code] = c.at("name");
        for (const char* key : {"name", "common_name", "official_name"}) {
            if (c.contains(key))
                cc.by_name_[c.at(key)] = code;
        }
    }
    // Names the measured data sets use that iso-codes spells otherwise. XK (Kosovo) is the
    // user-assigned code RIPE/iptoasn use; iso-codes has no entry for it.
    cc.by_name_["Russia"] = "RU";
    cc.by_name_["Turkey"] = "TR";
    cc.by_name_["Kosovo"] = "XK";
    cc.codes_["XK"] = "Kosovo";
    return cc;
}

std::optional<std::string> CountryCodes::code_of(const std::string& name) const {
    const auto it = by_name_.find(name);
    if (it == by_name_.end())
        return std::nullopt;
    return it->second;
}

}  // namespace sessionsim::net
