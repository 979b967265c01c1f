#include "sim/scenario/client_settings.h"

#include "models/onion/enc_type.h"

namespace sessionsim::scenario {

client::ClientConfig client_config_for(const Scenario& sc, bool background) {
    const auto ms = [&](const char* key) {
        return static_cast<std::int64_t>(sc.number(key) * 1000);
    };
    client::ClientConfig config;
    config.path_length = static_cast<std::size_t>(sc.integer("onion.hops"));
    config.fresh_paths = sc.text("onion.path_selection") == "fresh";
    config.poll_interval_ms =
        background ? ms("client.background_poll_interval_s") : ms("client.poll_interval_s");
    config.background_poll_interval_ms = ms("client.background_poll_interval_s");
    config.request_timeout_ms = ms("client.request_timeout_s");
    config.send_attempts = static_cast<int>(sc.integer("client.send_attempts"));
    config.enc_type = *onion::parse_enc_type(sc.text("onion.enc_type"));
    config.message_ttl_ms = ms("client.message_ttl_s");
    config.store_ack_signatures = static_cast<int>(sc.integer("client.store_ack_signatures"));
    config.on_wrong_swarm = sc.text("client.on_wrong_swarm") == "refetch"
                                ? client::ClientConfig::WrongSwarm::refetch
                                : client::ClientConfig::WrongSwarm::take_list;
    return config;
}

}  // namespace sessionsim::scenario
