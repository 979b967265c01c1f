#include "models/node/message_relay.h"

#include "models/common/bencode.h"

namespace sessionsim::node {

std::string encode_message_batch(const std::vector<const storage::StoredMessage*>& messages) {
    bencode::List list;
    list.reserve(messages.size());
    for (const auto* m : messages) {
        const std::string owner(1, static_cast<char>(m->owner.prefix));
        list.emplace_back(
            bencode::Dict{{"@", owner + std::string(m->owner.key.begin(), m->owner.key.end())},
                          {"d", std::string(m->data.begin(), m->data.end())},
                          {"e", std::int64_t{m->expiry_ms}},
                          {"h", m->hash},
                          {"n", std::int64_t{m->ns}},
                          {"t", std::int64_t{m->timestamp_ms}}});
    }
    return bencode::encode(list);
}

std::vector<storage::StoredMessage> decode_message_batch(std::string_view batch) {
    std::vector<storage::StoredMessage> out;
    const bencode::Value decoded = bencode::decode(batch);  // must outlive the loop below
    for (const auto& item : decoded.as_list()) {
        const auto& d = item.as_dict();
        const std::string& owner = bencode::at(d, "@").as_string();
        if (owner.size() != 33)
            throw InvalidInput("sn.data: owner must be 33 bytes");
        const std::int64_t ns = bencode::at(d, "n").as_int();
        if (ns < INT16_MIN || ns > INT16_MAX)
            throw InvalidInput("sn.data: namespace out of range");
        storage::StoredMessage m;
        m.owner.prefix = static_cast<std::uint8_t>(owner[0]);
        std::copy(owner.begin() + 1, owner.end(), m.owner.key.begin());
        m.ns = static_cast<storage::Namespace>(ns);
        m.hash = bencode::at(d, "h").as_string();
        m.timestamp_ms = bencode::at(d, "t").as_int();
        m.expiry_ms = bencode::at(d, "e").as_int();
        const std::string& data = bencode::at(d, "d").as_string();
        m.data.assign(data.begin(), data.end());
        out.push_back(std::move(m));
    }
    return out;
}

}  // namespace sessionsim::node
