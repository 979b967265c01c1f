// One value per default. A scenario key's default, the default of the C++ config struct field it
// sets, and the default of every ns-3 attribute it sets must agree, or a program that sets up its
// apps without a scenario (examples/, the helpers) simulates something other than the default
// scenario, and the testbed something other than the simulator. The rows are what the runner
// applies: client_settings.cc (ClientConfig), session_network.cc and central_run.cc (app
// attributes), build_network (WAN attributes), survival_rules and the registry's rules; a key
// with its default in one place only has no row.
#include <gtest/gtest.h>

#include <ns3/boolean.h>
#include <ns3/data-rate.h>
#include <ns3/double.h>
#include <ns3/integer.h>
#include <ns3/nstime.h>
#include <ns3/pointer.h>
#include <ns3/random-variable-stream.h>
#include <ns3/uinteger.h>

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "models/central/driver_config.h"
#include "models/client/client_config.h"
#include "models/client/driver_config.h"
#include "models/node/driver_config.h"
#include "sim/apps/central_client_app.h"
#include "sim/apps/client_app.h"
#include "sim/apps/service_node_app.h"
#include "sim/net/tcp_settings.h"
#include "sim/net/wan_channel.h"
#include "sim/net/wan_links.h"
#include "sim/registry/rules.h"
#include "sim/scenario/client_settings.h"
#include "sim/scenario/scenario_config.h"
#include "sim/scenario/schema.h"
#include "sim/scenario/survival.h"
#include "testbed/client_driver.h"
#include "testbed/node_daemon.h"

namespace sessionsim::scenario {
namespace {

double seconds(std::int64_t ms) {
    return static_cast<double>(ms) / 1000;
}

/// An ns-3 attribute a key sets, and how the runner turns the key's value into the attribute's.
struct Attribute {
    ns3::TypeId type;
    std::string name;
    std::function<ns3::Ptr<ns3::AttributeValue>(const Value&)> from_key;
};

struct Row {
    std::string key;
    std::optional<Value> config;  ///< the C++ struct field's default, in the key's type and unit
    std::vector<Attribute> attributes;
};

// The conversions session_network.cc, central_run.cc and build_network make.
ns3::Ptr<ns3::AttributeValue> time_s(const Value& v) {
    return ns3::Create<ns3::TimeValue>(ns3::Seconds(std::get<double>(v)));
}
ns3::Ptr<ns3::AttributeValue> time_us(const Value& v) {
    return ns3::Create<ns3::TimeValue>(
        ns3::MicroSeconds(static_cast<std::int64_t>(std::get<double>(v))));
}
ns3::Ptr<ns3::AttributeValue> integer(const Value& v) {
    return ns3::Create<ns3::IntegerValue>(std::get<std::int64_t>(v));
}
ns3::Ptr<ns3::AttributeValue> unsigned_integer(const Value& v) {
    return ns3::Create<ns3::UintegerValue>(static_cast<std::uint64_t>(std::get<std::int64_t>(v)));
}
ns3::Ptr<ns3::AttributeValue> real(const Value& v) {
    return ns3::Create<ns3::DoubleValue>(std::get<double>(v));
}
ns3::Ptr<ns3::AttributeValue> data_rate(const Value& v) {
    return ns3::Create<ns3::DataRateValue>(ns3::DataRate(std::get<std::string>(v)));
}
ns3::Ptr<ns3::AttributeValue> boolean(const Value& v) {
    return ns3::Create<ns3::BooleanValue>(std::get<bool>(v));
}
ns3::Ptr<ns3::AttributeValue> background_phone(const Value& v) {
    // A phone stays in the background in the background modes (unless drawn as active).
    return ns3::Create<ns3::BooleanValue>(std::get<std::string>(v) != "foreground");
}

std::vector<Row> rows() {
    const client::ClientConfig client_config;
    const client::DriverConfig client_driver;
    const node::DriverConfig node_driver;
    const central::DriverConfig central_driver;
    const net::WanLinkOptions links;
    const registry::RegistryRules registry_rules;
    const auto client_app = apps::ClientApp::GetTypeId();
    const auto node_app = apps::ServiceNodeApp::GetTypeId();
    const auto central_app = apps::CentralClientApp::GetTypeId();
    const auto channel = net::WanChannel::GetTypeId();
    const auto device = net::WanNetDevice::GetTypeId();
    const auto tcp_settings = net::TcpSettings::GetTypeId();
    return {
        // ClientConfig, through client_settings_for.
        {"onion.hops", static_cast<std::int64_t>(client_config.path_length), {}},
        {"onion.path_selection", std::string(client_config.fresh_paths ? "fresh" : "guards"), {}},
        {"onion.enc_type", std::string(onion::to_string(client_config.enc_type)), {}},
        {"client.poll_interval_s", seconds(client_config.poll_interval_ms), {}},
        {"client.background_poll_interval_s",
         seconds(client_config.background_poll_interval_ms),
         {}},
        {"client.request_timeout_s",
         seconds(client_config.request_timeout_ms),
         {{central_app, "AckTimeout", time_s}}},
        {"client.send_attempts", std::int64_t{client_config.send_attempts}, {}},
        {"client.message_ttl_s", seconds(client_config.message_ttl_ms), {}},
        {"client.store_ack_signatures", std::int64_t{client_config.store_ack_signatures}, {}},
        {"client.on_wrong_swarm",
         std::string(client_config.on_wrong_swarm == client::ClientConfig::WrongSwarm::refetch
                         ? "refetch"
                         : "take_list"),
         {}},
        // The client apps.
        {"client.mode", std::nullopt, {{client_app, "BackgroundPhone", background_phone}}},
        {"client.idle_timeout_s",
         seconds(client_driver.idle_timeout_ms),
         {{client_app, "IdleTimeout", time_s}}},
        {"client.background_idle_timeout_s",
         seconds(client_driver.background_idle_timeout_ms),
         {{client_app, "BackgroundIdleTimeout", time_s}}},
        {"client.handshake_round_trips",
         std::int64_t{client_driver.handshake_round_trips},
         {{client_app, "HandshakeRoundTrips", integer},
          {central_app, "HandshakeRoundTrips", integer}}},
        {"central.reconnect_interval_s",
         seconds(central_driver.reconnect_interval_ms),
         {{central_app, "ReconnectInterval", time_s}}},
        {"central.keepalive_interval_s",
         seconds(central_driver.keepalive_interval_ms),
         {{central_app, "KeepaliveInterval", time_s}}},
        // The service-node app.
        {"node.processing_delay_us",
         static_cast<double>(node_driver.processing_delay_us),
         {{node_app, "ProcessingDelay", time_us}}},
        {"node.handshake_round_trips",
         std::int64_t{node_driver.handshake_round_trips},
         {{node_app, "HandshakeRoundTrips", integer}}},
        {"node.idle_timeout_s",
         seconds(node_driver.idle_timeout_ms),
         {{node_app, "IdleTimeout", time_s}}},
        // The WAN (network.jitter_ms, a random variable, has its own test below).
        {"network.access_up", links.up_rate, {{device, "UpRate", data_rate}}},
        {"network.access_down", links.down_rate, {{device, "DownRate", data_rate}}},
        {"network.loss", std::nullopt, {{channel, "LossRate", real}}},
        {"network.tcp_segment_bytes",
         std::int64_t{links.tcp_segment_bytes},
         {{tcp_settings, "SegmentSize", unsigned_integer}}},
        {"network.tcp_slow_start_restart",
         links.tcp_slow_start_restart,
         {{tcp_settings, "SlowStartRestart", boolean}}},
        // The registry's rules and the survival rules.
        {"registry.block_s", seconds(registry_rules.block_ms), {}},
        {"registry.reachability_checks", registry_rules.reachability_checks, {}},
        {"metrics.late_after_s", SurvivalRules{}.late_after_s, {}},
    };
}

const Value& schema_default(const std::string& key) {
    const auto* spec = find_key(key);
    if (spec == nullptr)
        throw std::runtime_error("no scenario key " + key);
    return spec->default_value;
}

TEST(Defaults, SchemaDefaultsAreTheConfigStructDefaults) {
    std::size_t checked = 0;
    for (const auto& row : rows()) {
        ASSERT_NE(find_key(row.key), nullptr) << row.key;
        if (!row.config)
            continue;
        // Same alternative (integer, number, boolean, string) and same value.
        EXPECT_EQ(schema_default(row.key), *row.config)
            << row.key << ": schema " << render(schema_default(row.key)) << ", struct "
            << render(*row.config);
        ++checked;
    }
    EXPECT_EQ(checked, 25u);  // the table's size: a row added or lost shows here
}

TEST(Defaults, NsThreeAttributeDefaultsAreTheSchemaDefaults) {
    std::size_t checked = 0;
    for (const auto& row : rows()) {
        for (const auto& a : row.attributes) {
            ns3::TypeId::AttributeInformation info;
            ASSERT_TRUE(a.type.LookupAttributeByName(a.name, &info))
                << a.type.GetName() << " has no attribute " << a.name;
            // What the runner sets for the key's default, compared through the attribute's own
            // checker: e.g. Time's "+30s" against "+30000ms" would be a false alarm as text.
            const auto set = a.from_key(schema_default(row.key));
            ASSERT_TRUE(info.checker->Check(*set)) << row.key << " -> " << a.name;
            EXPECT_EQ(info.initialValue->SerializeToString(info.checker),
                      set->SerializeToString(info.checker))
                << row.key << " (" << render(schema_default(row.key)) << ") vs " << a.type.GetName()
                << "::" << a.name;
            ++checked;
        }
    }
    EXPECT_EQ(checked, 16u);  // likewise
}

TEST(Defaults, TheDefaultJitterIsNoJitter) {
    // JitterMs is a random variable; the runner sets an exponential one only when
    // network.jitter_ms > 0, so the schema's 0 must mean the attribute's constant 0.
    EXPECT_EQ(std::get<double>(schema_default("network.jitter_ms")), 0.0);
    const auto channel = ns3::CreateObject<net::WanChannel>();
    ns3::PointerValue jitter;
    channel->GetAttribute("JitterMs", jitter);
    const auto constant = jitter.Get<ns3::ConstantRandomVariable>();
    ASSERT_TRUE(constant) << "JitterMs's default is not a constant";
    EXPECT_EQ(constant->GetConstant(), 0.0);
}

TEST(Defaults, TheDefaultScenarioConfiguresTheDefaultClient) {
    // client_settings.cc's unit conversions and mapping: the default scenario gives the default
    // ClientConfig, field by field (background: the background poll interval).
    const auto sc = Scenario::load(std::nullopt, {});
    const client::ClientConfig expected;
    for (const bool background : {false, true}) {
        const auto c = client_settings_for(sc, "composite", background).config;
        EXPECT_EQ(c.path_length, expected.path_length);
        EXPECT_EQ(c.fresh_paths, expected.fresh_paths);
        EXPECT_EQ(c.poll_interval_ms,
                  background ? expected.background_poll_interval_ms : expected.poll_interval_ms);
        EXPECT_EQ(c.background_poll_interval_ms, expected.background_poll_interval_ms);
        EXPECT_EQ(c.request_timeout_ms, expected.request_timeout_ms);
        EXPECT_EQ(c.send_attempts, expected.send_attempts);
        EXPECT_EQ(c.enc_type, expected.enc_type);
        EXPECT_EQ(c.message_ttl_ms, expected.message_ttl_ms);
        EXPECT_EQ(c.store_ack_signatures, expected.store_ack_signatures);
        EXPECT_EQ(c.on_wrong_swarm, expected.on_wrong_swarm);
    }
    EXPECT_EQ(survival_rules(sc, 100, 5).late_after_s, SurvivalRules{}.late_after_s);
}

TEST(Defaults, TheTestbedKeepsConnectionsAsTheSimulatorDoes) {
    EXPECT_EQ(std::chrono::duration<double>(testbed::kClientIdleTimeout).count(),
              std::get<double>(schema_default("client.idle_timeout_s")));
    EXPECT_EQ(std::chrono::duration<double>(testbed::kPeerIdleTimeout).count(),
              std::get<double>(schema_default("node.idle_timeout_s")));
}

}  // namespace
}  // namespace sessionsim::scenario
