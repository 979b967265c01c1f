// The protocol toolbox for Python: byte arguments as `bytes`, results as the same dicts
// `sessionsim proto` prints (hex and base64 strings; python/sessionsim/proto.py converts them).
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <algorithm>
#include <optional>

#include "models/common/errors.h"
#include "models/swarm/rebalance.h"
#include "python/bindings/bindings.h"
#include "sim/cli/proto_ops.h"

namespace py = pybind11;

namespace sessionsim::python {
namespace {

namespace ops = cli::ops;

Bytes bytes_arg(const py::bytes& b) {
    const std::string_view view(b);
    return Bytes(view.begin(), view.end());
}

FixedBytes<32> key_arg(const py::bytes& b, const std::string& what) {
    const Bytes bytes = bytes_arg(b);
    if (bytes.size() != 32)
        throw InvalidInput(what + " must be 32 bytes, got " + std::to_string(bytes.size()));
    FixedBytes<32> key{};
    std::copy(bytes.begin(), bytes.end(), key.begin());
    return key;
}

/// A hop as (x25519_pk, ed25519_pk) bytes.
onion::NodeKeys hop_arg(const py::tuple& hop, const std::string& what) {
    if (hop.size() != 2)
        throw InvalidInput(what + " must be a pair (x25519_pk, ed25519_pk)");
    return {key_arg(hop[0].cast<py::bytes>(), what + " X25519 key"),
            key_arg(hop[1].cast<py::bytes>(), what + " Ed25519 key")};
}

py::object result(const cli::Json& j) {
    return to_python(j.dump());
}

py::object rebalance(const py::dict& swarms, std::uint64_t seed) {
    swarm::SwarmMembers members;
    for (const auto& [id, nodes] : swarms) {
        const auto swarm_id = id.is_none() ? swarm::kUnassignedSwarmId : id.cast<std::uint64_t>();
        auto& list = members[swarm_id];
        for (const auto& node : nodes)
            list.push_back(key_arg(node.cast<py::bytes>(), "node key"));
    }
    const auto report = swarm::rebalance_swarms(members, seed);
    py::dict out;
    for (const auto& [id, nodes] : members) {
        py::list keys;
        for (const auto& key : nodes)
            keys.append(py::bytes(reinterpret_cast<const char*>(key.data()), key.size()));
        out[id == swarm::kUnassignedSwarmId ? py::object(py::none()) : py::int_(id)] = keys;
    }
    py::dict summary;
    summary["nodes_placed"] = report.nodes_placed;
    summary["nodes_stolen"] = report.nodes_stolen;
    summary["swarms_created"] = report.swarms_created;
    summary["swarms_dissolved"] = report.swarms_dissolved;
    return py::make_tuple(out, summary);
}

}  // namespace

py::object to_python(const std::string& json_text) {
    return py::module_::import("json").attr("loads")(json_text);
}

void bind_proto(py::module_& m) {
    m.def(
        "identity", [](const py::bytes& seed) { return result(ops::identity(bytes_arg(seed))); },
        py::arg("seed"));
    m.def(
        "identity_from_phrase",
        [](const std::string& phrase) { return result(ops::identity_from_phrase(phrase)); },
        py::arg("phrase"));
    m.def(
        "mnemonic_encode",
        [](const py::bytes& data, bool checksum) {
            return result(ops::mnemonic_encode(bytes_arg(data), checksum));
        },
        py::arg("data"), py::arg("checksum") = true);
    m.def(
        "mnemonic_decode",
        [](const std::string& phrase) { return result(ops::mnemonic_decode(phrase)); },
        py::arg("phrase"));
    m.def(
        "swarm_space", [](const std::string& pubkey) { return result(ops::swarm_space(pubkey)); },
        py::arg("pubkey_hex"));
    m.def(
        "swarm_pick",
        [](const std::string& pubkey, std::vector<std::uint64_t> ids) {
            return result(ops::swarm_pick(pubkey, std::move(ids)));
        },
        py::arg("pubkey_hex"), py::arg("swarm_ids"));
    m.def(
        "new_swarm_id",
        [](std::vector<std::uint64_t> ids) { return result(ops::new_swarm_id(std::move(ids))); },
        py::arg("existing"));
    m.def("swarm_rebalance", &rebalance, py::arg("swarms"), py::arg("seed"),
          "oxend's rebalance: {swarm_id or None (unassigned): [ed25519 keys]} -> (swarms, report)");
    m.def(
        "onion_build",
        [](const py::list& hops, const py::tuple& dest, const py::bytes& payload,
           const std::string& enc_type, std::optional<std::uint64_t> seed) {
            std::vector<onion::NodeKeys> path;
            for (const auto& hop : hops)
                path.push_back(
                    hop_arg(hop.cast<py::tuple>(), "hop " + std::to_string(path.size() + 1)));
            return result(ops::onion_build(path, hop_arg(dest, "destination"), bytes_arg(payload),
                                           enc_type, seed));
        },
        py::arg("hops"), py::arg("destination"), py::arg("payload"),
        py::arg("enc_type") = "xchacha20", py::arg("seed") = py::none());
    m.def(
        "onion_peel_entry",
        [](const py::bytes& sk, const py::bytes& blob) {
            return result(ops::onion_peel_entry(bytes_arg(sk), bytes_arg(blob)));
        },
        py::arg("x25519_sk"), py::arg("blob"));
    m.def(
        "onion_peel_layer",
        [](const py::bytes& sk, const py::bytes& ciphertext, const py::bytes& ephemeral_key,
           const std::string& enc_type) {
            return result(ops::onion_peel_layer(bytes_arg(sk), bytes_arg(ciphertext),
                                                key_arg(ephemeral_key, "ephemeral_key"), enc_type));
        },
        py::arg("x25519_sk"), py::arg("ciphertext"), py::arg("ephemeral_key"),
        py::arg("enc_type") = "aes-gcm");
    m.def(
        "message_hash",
        [](const std::string& pubkey, int ns, const py::bytes& data) {
            return result(ops::message_hash(pubkey, ns, bytes_arg(data)));
        },
        py::arg("pubkey_hex"), py::arg("namespace"), py::arg("data"));
    m.def(
        "encrypt",
        [](const py::bytes& seed, const std::string& recipient, const py::bytes& plaintext,
           bool deterministic) {
            return result(
                ops::encrypt(bytes_arg(seed), recipient, bytes_arg(plaintext), deterministic));
        },
        py::arg("sender_seed"), py::arg("recipient"), py::arg("plaintext"),
        py::arg("deterministic") = false);
    m.def(
        "decrypt",
        [](const py::bytes& seed, const py::bytes& ciphertext) {
            return result(ops::decrypt(bytes_arg(seed), bytes_arg(ciphertext)));
        },
        py::arg("recipient_seed"), py::arg("ciphertext"));
}

}  // namespace sessionsim::python
