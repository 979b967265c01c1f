// Shared by the libFuzzer targets: the precise errors bad input may earn (anything else thrown
// escapes to libFuzzer and counts as a finding, as a crash does), round-trip oracles that abort
// on a violation, and a service node in a one-swarm network so that every account's requests
// reach the storage code.
#pragma once

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <optional>
#include <span>
#include <string_view>

#include "models/common/bytes.h"
#include "models/common/errors.h"
#include "models/crypto/random.h"
#include "models/node/service_node.h"
#include "models/storage/swarm_view.h"

namespace sessionsim::fuzz {

inline constexpr std::int64_t kNowMs = 1'700'000'000'000;  // fixed: runs are reproducible

inline ByteView bytes_of(const std::uint8_t* data, std::size_t size) {
    return ByteView(data, size);
}

inline std::string_view text_of(const std::uint8_t* data, std::size_t size) {
    return std::string_view(reinterpret_cast<const char*>(data), size);
}

/// Runs `parse`; InvalidInput (and its kinds: the errors with reasons) is the expected answer
/// to garbage. CryptoError too, for decryption that fails.
template <class F>
void expect_precise_errors(F&& parse) {
    try {
        parse();
    } catch (const InvalidInput&) {
    } catch (const CryptoError&) {
    }
}

/// Runs `parse` like expect_precise_errors, but returns what it parsed (nullopt if it refused).
/// Whatever the caller then does with the result runs outside the try: an error there escapes
/// to libFuzzer and is a finding.
template <class F>
auto parsed_or_nullopt(F&& parse) -> std::optional<decltype(parse())> {
    try {
        return parse();
    } catch (const InvalidInput&) {
    } catch (const CryptoError&) {
    }
    return std::nullopt;
}

/// A round-trip oracle: if `holds` is false, names the violated property on stderr and aborts,
/// so that libFuzzer saves the input as a finding (a wrong answer counts as much as a crash).
inline void require(bool holds, const char* property) {
    if (!holds) {
        std::fprintf(stderr, "sessionsim fuzz oracle violated: %s\n", property);
        std::abort();
    }
}

/// A node whose swarm holds every account, rebuilt every `kFreshEvery` inputs so that stored
/// messages do not pile up over a long run.
class FuzzNode {
public:
    node::ServiceNode& get() {
        if (!node_ || ++uses_ % kFreshEvery == 0) {
            random_ = std::make_unique<crypto::SeededRandom>(1, "fuzz node");
            node_ = std::make_unique<node::ServiceNode>(
                node::NodeKeys::from_seed(crypto::derived_seed(1, "service node ", 0)), *random_);
            const auto& k = node_->keys();
            storage::NodeContact self{k.ed25519.public_key, k.x25519.public_key, 0x0a000001};
            node_->set_swarms(std::make_shared<storage::SwarmView>(
                std::map<swarm::SwarmId, std::vector<storage::NodeContact>>{{0, {self}}}));
        }
        return *node_;
    }

private:
    static constexpr std::uint64_t kFreshEvery = 10'000;
    std::unique_ptr<crypto::SeededRandom> random_;
    std::unique_ptr<node::ServiceNode> node_;
    std::uint64_t uses_ = 0;
};

}  // namespace sessionsim::fuzz
