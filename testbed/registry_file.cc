#include "testbed/registry_file.h"

#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <stdexcept>

#include "models/common/errors.h"
#include "models/crypto/random.h"
#include "models/swarm/assignment.h"

namespace sessionsim::testbed {

node::NodeKeys testbed_node_keys(std::uint64_t seed, std::size_t index) {
    return node::NodeKeys::from_seed(crypto::derived_seed(seed, "service node ", index));
}

Registry Registry::make(std::size_t count, std::uint64_t seed, std::uint16_t port) {
    if (count == 0 || count > 65'000)
        throw std::invalid_argument("a testbed needs 1 to 65,000 nodes");
    std::vector<std::uint32_t> loopback;
    for (std::size_t i = 0; i < count; ++i)
        loopback.push_back((127u << 24) | (static_cast<std::uint32_t>(i + 1) << 8) | 1u);
    return make(loopback, seed, port);
}

Registry Registry::make(const std::vector<std::uint32_t>& addresses, std::uint64_t seed,
                        std::uint16_t port) {
    if (port == 0 || port == 65535)
        throw std::invalid_argument("the node port must be 1 to 65534 (the peer port is above it)");
    Registry r;
    r.seed = seed;
    swarm::SwarmAssignment assignment;
    for (std::size_t i = 0; i < addresses.size(); ++i) {
        const auto keys = testbed_node_keys(seed, i);
        RegistryNode n;
        n.index = i;
        n.contact.ed25519 = keys.ed25519.public_key;
        n.contact.x25519 = keys.x25519.public_key;
        n.contact.ipv4 = addresses[i];
        n.contact.https_port = port;
        n.contact.omq_port = static_cast<std::uint16_t>(port + 1);  // node to node (peer_link.h)
        n.contact.quic_port = port;
        r.nodes.push_back(n);
        assignment[keys.ed25519.public_key] = swarm::kUnassignedSwarmId;
    }
    swarm::rebalance_assignment(assignment, seed);
    for (auto& n : r.nodes)
        n.swarm = assignment.at(n.contact.ed25519);
    return r;
}

namespace {
template <std::size_t N>
FixedBytes<N> key_from(const nlohmann::json& j, const char* field) {
    return fixed_from_hex<N>(j.at(field).get<std::string>(), field);
}

std::uint32_t parse_ipv4(const std::string& text) {
    unsigned a = 0, b = 0, c = 0, d = 0;
    char tail = 0;
    if (std::sscanf(text.c_str(), "%u.%u.%u.%u%c", &a, &b, &c, &d, &tail) != 4 || a > 255 ||
        b > 255 || c > 255 || d > 255)
        throw std::invalid_argument("'" + text + "' is not an IPv4 address");
    return a << 24 | b << 16 | c << 8 | d;
}

RegistryLocation location_from(const nlohmann::json& j) {
    return {j.value("country", std::string()), j.value("city", -1)};
}

void add_location(nlohmann::ordered_json& j, const RegistryLocation& where) {
    if (where.country.empty())
        return;
    j["country"] = where.country;
    j["city"] = where.city;
}
}  // namespace

Registry Registry::load(const std::string& path) {
    std::ifstream in(path);
    if (!in)
        throw InvalidInput(path + ": cannot read the testbed registry");
    Registry r;
    std::size_t at = 0;
    nlohmann::json j;
    try {
        j = nlohmann::json::parse(in);
        r.seed = j.at("seed").get<std::uint64_t>();
        for (const auto& node : j.at("nodes")) {
            RegistryNode n;
            n.index = node.at("index").get<std::size_t>();
            n.contact.ed25519 = key_from<32>(node, "ed25519");
            n.contact.x25519 = key_from<32>(node, "x25519");
            n.contact.ipv4 = parse_ipv4(node.at("ip").get<std::string>());
            n.contact.https_port = node.at("port").get<std::uint16_t>();
            if (n.contact.https_port == 65535)
                throw std::invalid_argument("port 65535 leaves no room for the peer port above it");
            n.contact.quic_port = n.contact.https_port;
            n.contact.omq_port = static_cast<std::uint16_t>(n.contact.https_port + 1);
            n.swarm = std::stoull(node.at("swarm").get<std::string>());
            n.location = location_from(node);
            r.nodes.push_back(n);
            ++at;
        }
    } catch (const std::exception& e) {
        throw InvalidInput(path + ": nodes[" + std::to_string(at) + "]: " + e.what());
    }
    at = 0;
    try {
        r.netns = j.value("netns", std::string());
        for (const auto& client : j.value("clients", nlohmann::json::array())) {
            r.clients.push_back({client.at("index").get<std::size_t>(),
                                 parse_ipv4(client.at("ip").get<std::string>()),
                                 location_from(client)});
            ++at;
        }
    } catch (const std::exception& e) {
        throw InvalidInput(path + ": clients[" + std::to_string(at) + "]: " + e.what());
    }
    return r;
}

void Registry::save(const std::string& path) const {
    nlohmann::ordered_json j{{"seed", seed}, {"nodes", nlohmann::json::array()}};
    for (const auto& n : nodes) {
        j["nodes"].push_back({{"index", n.index},
                              {"ed25519", to_hex(n.contact.ed25519)},
                              {"x25519", to_hex(n.contact.x25519)},
                              {"ip", storage::ipv4_string(n.contact.ipv4)},
                              {"port", n.contact.https_port},
                              {"swarm", std::to_string(n.swarm)}});
        add_location(j["nodes"].back(), n.location);
    }
    if (!netns.empty()) {
        j["netns"] = netns;
        j["clients"] = nlohmann::json::array();
        for (const auto& c : clients) {
            j["clients"].push_back({{"index", c.index}, {"ip", storage::ipv4_string(c.ipv4)}});
            add_location(j["clients"].back(), c.location);
        }
    }
    std::ofstream out(path);
    out << j.dump(2) << '\n';
    if (!out)
        throw std::runtime_error(path + ": cannot write the testbed registry");
}

std::shared_ptr<const storage::SwarmView> Registry::swarm_view() const {
    std::map<swarm::SwarmId, std::vector<storage::NodeContact>> swarms;
    for (const auto& n : nodes)
        swarms[n.swarm].push_back(n.contact);
    return std::make_shared<storage::SwarmView>(std::move(swarms));
}

client::NodePool Registry::pool() const {
    std::vector<client::NodeInfo> infos;
    for (const auto& n : nodes)
        infos.push_back({n.contact.ed25519, n.contact.x25519, n.contact.ipv4});
    return client::NodePool(std::move(infos));
}

}  // namespace sessionsim::testbed
