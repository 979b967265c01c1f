// `sessionsim proto onion build` and the observer tables agree on what each hop learns.
//
// The CLI's `layers[].sees` is the teaching view of an onion: it is computed from the builder's
// trace, not from a node. The observer tables (sim/observe, the adversary's raw material) come
// from node::HopView, which a real ServiceNode reports after decrypting a layer. Two sources for
// one claim can drift apart, so this test feeds the CLI's blob to real nodes and checks, hop by
// hop, that what the CLI says each hop sees is what the node that handled it reported.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "models/common/base64.h"
#include "models/crypto/hash.h"
#include "models/identity/keys.h"
#include "models/node/hop_view.h"
#include "models/storage/namespaces.h"
#include "models/storage/request_signatures.h"
#include "tests/cli/cli_runner.h"
#include "tests/support/node_network.h"

namespace sessionsim::test {
namespace {

using nlohmann::json;
using node::HopView;
constexpr std::int64_t kNow = 1'700'000'000'000;

std::string hop_arg(const onion::NodeKeys& k) {
    return to_hex(k.x25519) + ":" + to_hex(k.ed25519);
}

/// A signed retrieve of one namespace, built the way Client::poll_swarm builds each subrequest.
json signed_retrieve(const identity::Identity& account, storage::Namespace ns) {
    return {{"method", "retrieve"},
            {"params",
             {{"pubkey", account.session_id().to_hex()},
              {"pubkey_ed25519", to_hex(account.ed25519().public_key)},
              {"timestamp", kNow},
              {"namespace", ns},
              {"signature",
               storage::sign_request(account, storage::retrieve_signed_string(ns, kNow))}}}};
}

TEST(OnionObserverAgreement, CliLayersMatchWhatEachNodeReports) {
    NodeNetwork net(4, 11);  // 0 = guard, 1 = r1, 2 = r2, 3 = destination
    const auto account = identity::Identity::from_ed25519_seed(
        crypto::Ed25519Seed::from(crypto::blake2b_256({as_bytes("observed account")})));
    const std::string request = signed_retrieve(account, storage::ns::kUserProfile).dump();

    const auto built = run({"proto", "onion", "build", "--hops",
                            hop_arg(net.onion_keys(0)) + "," + hop_arg(net.onion_keys(1)) + "," +
                                hop_arg(net.onion_keys(2)),
                            "--dest", hop_arg(net.onion_keys(3)), "--payload-b64",
                            to_base64(as_bytes(request)), "--seed", "1"});
    ASSERT_EQ(built.exit_code, 0) << built.err;
    const json cli = built.json();
    const json& layers = cli.at("layers");
    ASSERT_EQ(layers.size(), 4u);

    // Every node reports what it learns, in the order the layers are handled.
    struct Seen {
        crypto::Ed25519PublicKey node;
        HopView view;
    };
    std::vector<Seen> seen;
    for (std::size_t i = 0; i < net.size(); ++i) {
        net.at(i).set_hop_observer([&seen, id = net.at(i).id()](const HopView& v) {
            seen.push_back({id, v});
        });
    }
    const auto reply =
        net.onion_request(0, from_base64(cli.at("blob_b64").get<std::string>()), kNow);
    EXPECT_EQ(reply.status, 200) << reply.body;
    ASSERT_EQ(seen.size(), layers.size());

    const std::vector<std::string> roles{"guard", "middle", "exit", "destination"};
    for (std::size_t i = 0; i < layers.size(); ++i) {
        SCOPED_TRACE("hop " + std::to_string(i + 1));
        const json& layer = layers[i];
        const json& sees = layer.at("sees");
        const HopView& view = seen[i].view;
        EXPECT_EQ(layer.at("hop"), i + 1);
        EXPECT_EQ(layer.at("role"), roles[i]);
        // The node that handled layer i is the one the CLI names for hop i.
        EXPECT_EQ(to_hex(seen[i].node), layer.at("node_ed25519"));
        // Only the guard hears from the client; the CLI says so in `from`.
        EXPECT_EQ(view.from_client, i == 0);
        EXPECT_EQ(sees.at("from") == "the client's IP address", i == 0) << sees.at("from");
        if (i > 0) {
            EXPECT_EQ(sees.at("from"),
                      "node " + layers[i - 1].at("node_ed25519").get<std::string>());
        }
        // layer_bytes and ciphertext_bytes measure the same thing: the layer's ciphertext alone.
        // For the guard that is the ciphertext inside the entry body [len][ct][json], without
        // the length prefix or the JSON trailer; for later hops the ciphertext inside the
        // forwarded bencoded envelope. So the two are equal, and each layer wraps the next.
        EXPECT_EQ(view.layer_bytes, sees.at("ciphertext_bytes").get<std::size_t>());
        if (i + 1 < layers.size()) {
            EXPECT_GT(view.layer_bytes, layers[i + 1].at("sees").at("ciphertext_bytes"));
        }
        EXPECT_TRUE(view.server.empty());

        if (layer.at("role") != "destination") {
            // A relay learns the next hop and nothing of the request.
            EXPECT_EQ(view.outcome, HopView::Outcome::forwarded);
            ASSERT_TRUE(view.next);
            EXPECT_EQ(to_hex(*view.next), sees.at("next"));
            EXPECT_EQ(sees.at("next"), layers[i + 1].at("node_ed25519"));
            EXPECT_FALSE(sees.contains("request_b64"));
            EXPECT_TRUE(view.method.empty()) << view.method;
            EXPECT_TRUE(view.account.empty()) << view.account;
            EXPECT_FALSE(view.ns);
        } else {
            // The destination reads the request the CLI shows it, and names no next hop.
            EXPECT_EQ(view.outcome, HopView::Outcome::executed);
            EXPECT_FALSE(view.next);
            EXPECT_FALSE(sees.contains("next"));
            const Bytes inner = from_base64(sees.at("request_b64").get<std::string>());
            EXPECT_EQ(std::string(inner.begin(), inner.end()), request);
            const json decoded = json::parse(inner.begin(), inner.end());
            EXPECT_EQ(view.method, decoded.at("method"));
            EXPECT_EQ(view.account, decoded.at("params").at("pubkey"));
            ASSERT_TRUE(view.ns);
            EXPECT_EQ(*view.ns, decoded.at("params").at("namespace"));
            // ...and those are the request we built: a retrieve of the account's profile.
            EXPECT_EQ(view.method, "retrieve");
            EXPECT_EQ(view.account, account.session_id().to_hex());
            EXPECT_EQ(*view.ns, storage::ns::kUserProfile);
        }
    }
}

}  // namespace
}  // namespace sessionsim::test
