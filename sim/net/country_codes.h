// Country names (as WonderProxy writes them) to ISO 3166-1 alpha-2 codes (as the RIPE data
// uses them), from Debian's iso-codes package.
#pragma once

#include <map>
#include <optional>
#include <string>

namespace sessionsim::net {

class CountryCodes {
public:
    /// Loads /usr/share/iso-codes/json/iso_3166-1.json (or `path`). Throws DataError.
    static CountryCodes load(const std::string& path = "/usr/share/iso-codes/json/iso_3166-1.json");

    /// Matches name, common name or official name, plus a few names the data sets use that
    /// iso-codes spells otherwise (Russia, Turkey, Kosovo).
    std::optional<std::string> code_of(const std::string& name) const;
    bool is_code(const std::string& code) const { return codes_.count(code) > 0; }
    std::size_t size() const { return codes_.size(); }

private:
    std::map<std::string, std::string> by_name_;
    std::map<std::string, std::string> codes_;  // code -> name
};

}  // namespace sessionsim::net
