#include "models/central/operator_protocol.h"

#include "models/common/bencode.h"
#include "models/common/errors.h"

namespace sessionsim::central {
namespace {

using bencode::Dict;

std::string str(ByteView b) {
    return {b.begin(), b.end()};
}
Bytes bytes_of(const std::string& s) {
    return {s.begin(), s.end()};
}
std::int64_t i64(std::uint64_t v) {
    return static_cast<std::int64_t>(v);
}

template <std::size_t N>
FixedBytes<N> fixed(const Dict& d, const std::string& key) {
    const auto& s = bencode::at(d, key).as_string();
    if (s.size() != N) {
        throw InvalidInput("'" + key + "' must be " + std::to_string(N) + " bytes, not " +
                           std::to_string(s.size()));
    }
    FixedBytes<N> out;
    std::copy(s.begin(), s.end(), out.begin());
    return out;
}
std::uint64_t u64(const Dict& d, const std::string& key) {
    const auto v = bencode::at(d, key).as_int();
    if (v < 0)
        throw InvalidInput("'" + key + "' must not be negative");
    return static_cast<std::uint64_t>(v);
}
int status(const Dict& d) {
    const auto v = bencode::at(d, "s").as_int();
    if (v < 100 || v > 599)
        throw InvalidInput("'s' is not an HTTP status: " + std::to_string(v));
    return static_cast<int>(v);
}
const std::string& text(const Dict& d, const std::string& key) {
    return bencode::at(d, key).as_string();
}

struct Encoder {
    Dict operator()(const Login& m) const {
        return {{"t", "L"},
                {"a", m.account},
                {"k", str(m.ed25519)},
                {"ts", m.timestamp_ms},
                {"sig", str(m.signature)}};
    }
    Dict operator()(const LoginAck& m) const { return {{"t", "l"}, {"s", m.status}}; }
    Dict operator()(const Send& m) const {
        return {{"t", "S"}, {"i", i64(m.id)}, {"r", m.recipient}, {"c", str(m.ciphertext)}};
    }
    Dict operator()(const SendAck& m) const {
        return {{"t", "s"}, {"i", i64(m.id)}, {"s", m.status}};
    }
    Dict operator()(const Deliver& m) const {
        return {{"t", "D"},
                {"d", i64(m.delivery)},
                {"f", m.sender},
                {"i", i64(m.id)},
                {"c", str(m.ciphertext)}};
    }
    Dict operator()(const DeliverAck& m) const { return {{"t", "d"}, {"d", i64(m.delivery)}}; }
    Dict operator()(const Ping& m) const { return {{"t", "P"}, {"n", i64(m.nonce)}}; }
    Dict operator()(const Pong& m) const { return {{"t", "p"}, {"n", i64(m.nonce)}}; }
    Dict operator()(const Relay& m) const {
        return {{"t", "R"},         {"dc", i64(m.from_dc)}, {"f", m.sender},
                {"r", m.recipient}, {"i", i64(m.id)},       {"c", str(m.ciphertext)}};
    }
    Dict operator()(const RelayAck& m) const {
        return {{"t", "r"}, {"f", m.sender}, {"i", i64(m.id)}, {"s", m.status}};
    }
};

}  // namespace

std::string encode(const Message& message) {
    return bencode::encode(std::visit(Encoder{}, message));
}

Message decode(std::string_view bytes) {
    const auto value = bencode::decode(bytes, 4);
    const auto& d = value.as_dict();
    const auto& type = text(d, "t");
    if (type == "L")
        return Login{text(d, "a"), fixed<32>(d, "k"), bencode::at(d, "ts").as_int(),
                     fixed<64>(d, "sig")};
    if (type == "l")
        return LoginAck{status(d)};
    if (type == "S")
        return Send{u64(d, "i"), text(d, "r"), bytes_of(text(d, "c"))};
    if (type == "s")
        return SendAck{u64(d, "i"), status(d)};
    if (type == "D")
        return Deliver{u64(d, "d"), text(d, "f"), u64(d, "i"), bytes_of(text(d, "c"))};
    if (type == "d")
        return DeliverAck{u64(d, "d")};
    if (type == "P")
        return Ping{u64(d, "n")};
    if (type == "p")
        return Pong{u64(d, "n")};
    if (type == "R")
        return Relay{static_cast<std::size_t>(u64(d, "dc")), text(d, "f"), text(d, "r"),
                     u64(d, "i"), bytes_of(text(d, "c"))};
    if (type == "r")
        return RelayAck{text(d, "f"), u64(d, "i"), status(d)};
    throw InvalidInput("unknown message type '" + type + "'");
}

Bytes login_message(const std::string& account, std::int64_t timestamp_ms) {
    const std::string m = "central-login" + account + std::to_string(timestamp_ms);
    return bytes_of(m);
}

}  // namespace sessionsim::central
