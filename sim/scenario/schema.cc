#include "sim/scenario/schema.h"

#include <cstdio>

#include "models/central/driver_config.h"
#include "models/client/client_config.h"
#include "models/client/driver_config.h"
#include "models/client/profiles.h"
#include "models/node/driver_config.h"
#include "models/onion/enc_type.h"
#include "sim/net/wan_links.h"
#include "sim/registry/rules.h"
#include "sim/scenario/survival.h"

namespace sessionsim::scenario {

namespace {
double seconds(std::int64_t ms) {
    return static_cast<double>(ms) / 1000;
}
}  // namespace

const std::vector<KeySpec>& schema() {
    // A default that belongs to the protocol core, the network model or the registry is read from
    // the struct that applies it, so the schema, the C++ structs and the ns-3 attributes (which
    // read the same structs) cannot drift apart; defaults_agree_test.cc checks all three.
    const client::ClientConfig client_config;
    const client::DriverConfig client_driver;
    const node::DriverConfig node_driver;
    const central::DriverConfig central_driver;
    const net::WanLinkOptions links;
    const registry::RegistryRules registry_rules;
    const SurvivalRules survival_defaults;
    static const std::vector<KeySpec> keys{
        {"seed",
         std::int64_t{1},
         0,
         9.2e18,
         {},
         "Run seed: same scenario and seed give identical results"},
        {"duration_s", 180.0, 1, 30 * 24 * 3600.0, {}, "Simulated time to run, seconds"},
        {"warmup_s",
         10.0,
         0,
         3600.0,
         {},
         "Time before the workload starts (paths and swarms form)"},

        {"messenger",
         std::string("session"),
         {},
         {},
         {"session", "central"},
         "session: onion requests to service-node swarms; central: the centralized baseline, "
         "clients connected to one operator's data centres (central.*), same workload"},
        {"crypto",
         std::string("real"),
         {},
         {},
         {"real", "modelled"},
         "real: libsodium's curve arithmetic for every key agreement and signature (the "
         "reference); modelled: one-use keys, key agreement and signatures as keyed hashes with "
         "the same sizes, decisions and random draws, every result the same, for large "
         "populations (docs/crypto-modes.md)"},

        {"network.service_nodes", std::int64_t{300}, 7, 100000, {}, "Number of service nodes"},
        {"network.clients", std::int64_t{200}, 2, 1000000, {}, "Number of clients"},
        {"network.transport",
         std::string("packet"),
         {},
         {},
         {"packet", "message"},
         "packet: ns-3's TCP/IP on every host, real segments over the access links (the "
         "reference); message: modelled connections with the same handshakes, links and "
         "latency, one event per burst and no internet stack, for large populations "
         "(docs/transport.md)"},
        {"network.latency_model",
         std::string("measured"),
         {},
         {},
         {"measured", "uniform", "matrix"},
         "measured: WonderProxy/RIPE data in shared/data; uniform: every one-way delay equal; "
         "matrix: a CSV of country-pair RTTs"},
        {"network.uniform_one_way_ms",
         50.0,
         0,
         10000,
         {},
         "One-way delay of the uniform model, ms"},
        {"network.matrix_file",
         std::string(""),
         {},
         {},
         {},
         "CSV with columns a,b,rtt_ms (matrix model)"},
        {"network.nodes_per_subnet",
         std::int64_t{4},
         1,
         254,
         {},
         "Service nodes sharing a provider /24"},
        {"network.access_up",
         links.up_rate,
         {},
         {},
         {},
         "Access-link upload rate (ns-3 DataRate; 0bps: none)"},
        {"network.access_down", links.down_rate, {}, {}, {}, "Access-link download rate"},
        {"network.tcp_segment_bytes",
         std::int64_t{links.tcp_segment_bytes},
         static_cast<double>(net::kMinTcpSegmentBytes),
         static_cast<double>(net::kMaxTcpSegmentBytes),
         {},
         "Payload bytes per TCP segment (MSS): 1448 is Linux's on a 1500-byte MTU, and sets the "
         "initial window (10 segments); 536, ns-3's default, reproduces results before "
         "2026-12-04"},
        {"network.tcp_slow_start_restart",
         links.tcp_slow_start_restart,
         {},
         {},
         {},
         "Restart slow start on a connection idle longer than its retransmission timeout, as "
         "Linux does (tcp_slow_start_after_idle, on by default); false keeps ns-3's grown "
         "window, as every result before 2026-12-04 did"},
        {"network.jitter_ms",
         0.0,
         0,
         1000,
         {},
         "Mean of an exponential extra one-way delay per packet, ms"},
        {"network.loss", 0.0, 0, 1, {}, "Probability that the core loses a packet"},

        {"node.processing_delay_us",
         static_cast<double>(node_driver.processing_delay_us),
         0,
         1e6,
         {},
         "CPU time a node spends per request, µs (default: measured peel cost)"},
        {"node.handshake_round_trips",
         std::int64_t{node_driver.handshake_round_trips},
         0,
         5,
         {},
         "Extra round trips to open a node-to-node connection"},
        {"node.idle_timeout_s",
         seconds(node_driver.idle_timeout_ms),
         0,
         86400,
         {},
         "A node closes a connection it opened (to a peer or a file/push server) once idle this "
         "long (OxenMQ's default send keep-alive, 30 s; 0: never)"},

        {"clients.profile_mix",
         std::string(client::kDefaultProfileMix),
         {},
         {},
         {},
         "Several profiles in one run: each profile gets its share of the clients (rounded to "
         "whole clients, dealt at random from the seed). The default is today's Session as "
         "docs/clients.md argues it. Empty: every client is client.profile; a scenario that "
         "names client.profile runs that one profile instead; messenger = \"central\" ignores the "
         "mix (the baseline's clients are one kind)"},
        {"clients.clock_offset_sd_s",
         0.0,
         0,
         3600,
         {},
         "Client clocks: each client's clock is off by a normal draw with this standard "
         "deviation, seconds (0: perfect clocks; phones synchronised by NTP are typically "
         "within about 0.3 s, MNTP, IMC 2016)"},
        {"clients.clock_far_fraction",
         0.0,
         0,
         1,
         {},
         "Client clocks: the fraction of clients whose clock is set wrong by "
         "clients.clock_far_offset_s, either way (OpenSignal 2013: 3.5% of Android clocks more "
         "than an hour off)"},
        {"clients.clock_far_offset_s",
         0.0,
         0,
         30 * 86400.0,
         {},
         "Client clocks: how far off a wrongly set clock is, seconds (storage servers refuse "
         "signatures more than 60 s off with 406)"},
        {"client.profile",
         std::string("composite"),
         {},
         {},
         client::client_profile_names(),
         "Which shipped Session client every client behaves as (docs/clients.md): desktop, "
         "android, ios (libsession's network, the iOS poller), libsession (the library's "
         "defaults, polled as desktop polls), or composite (sessionsim's first client, kept so "
         "that earlier results stay reproducible). Sets every key marked \"per profile\"; a key "
         "set in the scenario overrides its profile's value"},
        {"client.poll_schedule",
         std::string("fixed_clock"),
         {},
         {},
         {"fixed_clock", "after_completion"},
         "Per profile. When the next poll starts: fixed_clock, every poll_interval_s from the "
         "previous start; after_completion, poll_interval_s after every retrieve of the previous "
         "poll was answered or timed out (all shipped clients)"},
        {"client.poll_nodes",
         static_cast<std::int64_t>(client_config.poll_nodes),
         1,
         10,
         {},
         "Per profile. Swarm members asked at each poll (desktop RETRIEVE_SNODES_COUNT: 2; "
         "phones: 1)"},
        {"client.poll_node_choice",
         std::string("random_sample"),
         {},
         {},
         {"random_sample", "drain"},
         "Per profile. random_sample: a fresh random sample of poll_nodes members each poll "
         "(desktop); drain: members in a shuffled order without replacement, each kept for "
         "poll_node_reuse polls (Android 1, iOS 6)"},
        {"client.poll_node_reuse",
         std::int64_t{client_config.poll_node_reuse},
         1,
         1000,
         {},
         "Per profile. With poll_node_choice = drain: polls a member serves before the next one "
         "(iOS: 6)"},
        {"client.poll_namespaces",
         std::string("0"),
         {},
         {},
         {},
         "Per profile. Namespaces of the own inbox each poll retrieves, comma-separated (every "
         "shipped client: 0,2,3,4,5, the inbox and the four user-config namespaces)"},
        {"client.poll_retry_first_s",
         seconds(client_config.poll_retry_first_ms),
         0,
         3600,
         {},
         "Per profile. after_completion only: after a failed poll (no retrieve answered) the "
         "next waits poll_retry_first_s, then poll_retry_step_s more after each further "
         "failure, at most poll_retry_max_s (Android: 4, 2, 10; iOS: 0.3, 0.3, 15)"},
        {"client.poll_retry_step_s",
         seconds(client_config.poll_retry_step_ms),
         0,
         3600,
         {},
         "Per profile. See client.poll_retry_first_s"},
        {"client.poll_retry_max_s",
         seconds(client_config.poll_retry_max_ms),
         0,
         3600,
         {},
         "Per profile. See client.poll_retry_first_s"},
        {"client.swarm_lookup",
         std::string("get_swarm"),
         {},
         {},
         {"get_swarm", "local"},
         "Per profile. How a client learns a swarm: get_swarm, a request through a path to a "
         "random node (desktop, Android), or local, computed from the node list it holds "
         "(libsession: no request; stale until the list is refetched)"},
        {"client.network_time",
         std::string("none"),
         {},
         {},
         {"none", "reply_average", "info_median"},
         "Per profile. How a client corrects its clock to the network's: none; reply_average, "
         "from the t of every answer, the mean of the last 10 (desktop); info_median, from info "
         "requests to 3 nodes at the start and after a 406, the median (libsession, Android)"},
        {"client.on_clock_refusal",
         std::string("fail"),
         {},
         {},
         {"fail", "resync_and_retry"},
         "Per profile. What a store refused with 406 (clock out of sync) does: fail the message "
         "(desktop, libsession) or resynchronise and try once more (Android)"},
        {"client.sync_copies",
         client_config.sync_copies,
         {},
         {},
         {},
         "Per profile. Store a copy of each sent one-to-one message in the sender's own swarm "
         "(the sync message for the account's other devices; every shipped client does)"},
        {"client.guard_test",
         std::string("none"),
         {},
         {},
         {"none", "get_swarm", "connect"},
         "Per profile. How a new guard is tried before its path is used: none (Android), "
         "get_swarm (desktop: a direct get_swarm for the client's own account, which shows the "
         "guard the client's address and Session ID), or connect (libsession's QUIC handshake, "
         "modelled as a direct info request). Requests wait while their paths are tested"},
        {"client.guard_test_timeout_s",
         seconds(client_config.guard_test_timeout_ms),
         0.1,
         120,
         {},
         "Per profile. Timeout of a guard test (desktop: 10; libsession: 3)"},
        {"client.guard_test_attempts",
         std::int64_t{client_config.guard_test_attempts},
         1,
         1000,
         {},
         "Per profile. Failed guard tests in a row before the waiting requests fail (desktop: "
         "12, two candidates a round for six rounds; libsession: 10)"},
        {"client.guard_test_failure_strikes",
         client_config.guard_test_failure_strikes,
         {},
         {},
         {},
         "Per profile. A failed guard test strikes the guard (libsession) rather than only "
         "skipping it (desktop)"},
        {"client.path_rotation_s",
         seconds(client_config.path_rotation_ms),
         0,
         30 * 86400.0,
         {},
         "Per profile. Replace a path's relays, keeping its guard, after this long (libsession "
         "and Android: 600; 0: never, paths stay until they fail)"},
        {"client.guard_lifetime_s",
         seconds(client_config.guard_lifetime_ms),
         0,
         365 * 86400.0,
         {},
         "Per profile. Replace a guard after it has served this long (libsession's edge-node "
         "cache: 10 days; 0: until its path fails)"},
        {"client.subnet_diversity",
         std::string("per_path"),
         {},
         {},
         {"none", "per_path", "all_paths"},
         "Per profile. Where no two path nodes may share an IPv4 /24: none (Android), per_path, "
         "or all_paths, across every path the client keeps (desktop, libsession)"},
        {"client.path_failure_strikes",
         std::string("path_only"),
         {},
         {},
         {"path_only", "relays", "all_nodes", "all_nodes_when_dropped"},
         "Per profile. Which nodes a failed path (an error status such as 504, or an answer "
         "that does not open) strikes besides the path's own count: path_only, relays (desktop: "
         "every node after the guard), all_nodes (Android), all_nodes_when_dropped (libsession: "
         "each node once, when the path reaches 3 strikes)"},
        {"client.timeout_strikes",
         std::string("path_failure"),
         {},
         {},
         {"path_failure", "path_and_guard", "none"},
         "Per profile. What a request with no answer within the client's timeout counts as: a "
         "path failure (desktop), a strike on the path and its guard (Android), or nothing "
         "(libsession)"},
        {"client.connection_loss",
         std::string("ignored"),
         {},
         {},
         {"ignored", "drops_path"},
         "Per profile. What a lost connection to a guard (closed by the peer, silent past "
         "liveness_timeout_s, or never opened) does: nothing (its requests find out at their "
         "timeout), or its path fails at once as if it had reached its strike threshold "
         "(libsession's failure listener on the guard's QUIC connection)"},
        {"client.strike_expiry_s",
         seconds(client_config.strike_expiry_ms),
         0,
         30 * 86400.0,
         {},
         "Per profile. A strike older than this no longer counts (0: never by time)"},
        {"client.strikes_cleared_on_refresh",
         client_config.strikes_cleared_on_refresh,
         {},
         {},
         {},
         "Per profile. Each node-list refresh clears every strike count (desktop)"},
        {"client.pool_refresh_interval_s",
         seconds(client_config.pool_refresh_interval_ms),
         60,
         30 * 86400.0,
         {},
         "Per profile. Refetch the service-node list this often (desktop: hourly; libsession "
         "cache_expiration: 2 h). The fetch is not simulated as traffic"},
        {"client.pool_min_size",
         static_cast<std::int64_t>(client_config.pool_min_size),
         0,
         100000,
         {},
         "Per profile. Refetch the node list at once when strikes leave fewer nodes than this "
         "(libsession cache_min_size: 12)"},
        {"client.connection_reuse",
         std::string("keep_alive"),
         {},
         {},
         {"keep_alive", "per_request"},
         "Per profile. keep_alive: a connection to a guard serves every request until it is "
         "idle for idle_timeout_s; per_request: a new connection (and handshake) for each "
         "request, closed after its answer (desktop's https.Agent keeps none)"},
        {"client.poll_interval_s",
         seconds(client_config.poll_interval_ms),
         0.1,
         3600,
         {},
         "Per profile. Seconds between polls of the own swarm (desktop: 5)"},
        {"client.mode",
         std::string("foreground"),
         {},
         {},
         {"foreground", "background_poll", "push"},
         "foreground: poll every poll_interval_s (the app open); background_poll: poll every "
         "background_poll_interval_s (a phone app in the background, no push); push: subscribe "
         "to the push server, get notified through the platform (push.*), and poll every "
         "background_poll_interval_s as a safety net"},
        {"client.background_poll_interval_s",
         seconds(client_config.background_poll_interval_ms),
         1,
         86400,
         {},
         "Poll interval in the background modes (Android's WorkManager runs jobs at most every "
         "15 minutes)"},
        {"client.active_fraction",
         0.0,
         0,
         1,
         {},
         "In the background modes (background_poll, push): the fraction of clients, drawn at "
         "random, whose app is open all run and polls every poll_interval_s, as the active users "
         "of a full-scale network do; the rest stay in the background"},
        {"client.handshake_round_trips",
         std::int64_t{client_driver.handshake_round_trips},
         0,
         5,
         {},
         "Per profile. Extra round trips to open a connection to a guard after TCP's own (TLS "
         "1.3: 1; QUIC, whose handshake is that one round trip: 0)"},
        {"client.idle_timeout_s",
         seconds(client_driver.idle_timeout_ms),
         0,
         86400,
         {},
         "Per profile. With the app open: close a connection to a node unused this long (0: "
         "never)"},
        {"client.multiplexed",
         client_driver.multiplexed,
         {},
         {},
         {},
         "Per profile. Concurrent requests to one guard share its kept connection, answered in "
         "any order (QUIC streams: iOS, libsession), or each needs a connection of its own "
         "(HTTP/1.1: Android's OkHttp pool; desktop). The testbed follows it; the simulator's "
         "kept connections always multiplex"},
        {"client.keep_alive_s",
         seconds(client_driver.keep_alive_ms),
         0,
         86400,
         {},
         "Per profile. Send a keep-alive ping on a connection to a node silent this long "
         "(libsession's QUIC keep_alive: 10; 0: never)"},
        {"client.liveness_timeout_s",
         seconds(client_driver.liveness_timeout_ms),
         0,
         86400,
         {},
         "Per profile. Give a connection to a node up once data sent on it has waited this long "
         "for the peer's acknowledgement (QUIC's idle timeout, libquic: 30; 0: never, TCP's "
         "retries decide); its requests then fail at once"},
        {"client.handshake_timeout_s",
         seconds(client_driver.handshake_timeout_ms),
         0,
         86400,
         {},
         "Per profile. Give a connection to a node up if it has not opened this long after it "
         "was started (libsession: 3; 0: TCP's connect retries decide)"},
        {"client.background_idle_timeout_s",
         seconds(client_driver.background_idle_timeout_ms),
         0,
         86400,
         {},
         "With the app in the background: close a connection this long after its last use (the "
         "OS suspends an app soon after a background fetch or push wakes it; iOS allows about "
         "30 s; 0: never)"},
        {"client.request_timeout_s",
         seconds(client_config.request_timeout_ms),
         0.1,
         120,
         {},
         "Per profile. Onion request timeout, seconds"},
        {"client.message_ttl_s",
         seconds(client_config.message_ttl_ms),
         10,
         1209600,
         {},
         "TTL of sent messages, seconds (desktop CONTENT_MESSAGE: 14 days; storage server "
         "allows 10 s to 14 days)"},
        {"client.store_ack_signatures",
         std::int64_t{client_config.store_ack_signatures},
         0,
         10,
         {},
         "A what-if defence, not what Session does: accept a store only when its answer carries "
         "valid signatures over the message's hash from this many distinct swarm members (0: "
         "trust any 200, as the real clients do)"},
        {"client.on_wrong_swarm",
         std::string(client_config.on_wrong_swarm == client::ClientConfig::WrongSwarm::refetch
                         ? "refetch"
                         : "take_list"),
         {},
         {},
         {"take_list", "refetch"},
         "Per profile. What a 421 does: take_list (use the swarm it names, as session desktop "
         "does) or "
         "refetch (forget the cached swarm and ask a random node: closer to libsession, which "
         "computes swarms from its own node list)"},
        {"client.send_attempts",
         std::int64_t{client_config.send_attempts},
         1,
         20,
         {},
         "Tries per message before it is reported failed"},

        {"onion.hops",
         static_cast<std::int64_t>(client_config.path_length),
         1,
         15,
         {},
         "Path length, guard included (real clients: 3)"},
        {"onion.path_selection",
         std::string(client_config.fresh_paths ? "fresh" : "guards"),
         {},
         {},
         {"guards", "fresh"},
         "guards: one path per guard, kept until it fails (Session); fresh: a new random path "
         "for every request (a what-if without guards, for the guard-plateau comparison)"},
        {"onion.enc_type",
         std::string(onion::to_string(client_config.enc_type)),
         {},
         {},
         {"xchacha20", "aes-gcm"},
         "Per profile. Per-hop encryption (desktop: aes-gcm; libsession: xchacha20)"},

        {"registry.enabled",
         true,
         {},
         {},
         {},
         "Run the staking chain: blocks, uptime proofs, quorum tests, decommissions and swarm "
         "rebalances (false: swarms never change, failed nodes are never replaced)"},
        {"registry.block_s",
         seconds(registry_rules.block_ms),
         1,
         3600,
         {},
         "Seconds between blocks (Oxen: 120)"},
        {"registry.reachability_checks",
         registry_rules.reachability_checks,
         {},
         {},
         {},
         "Quorums also fail a node whose storage server was unreachable for over 1 h 05 "
         "(false: only a lapsed uptime proof fails it, the closed form of §3.2)"},
        {"registry.max_node_age_days",
         365.0,
         0,
         3650,
         {},
         "Nodes present at the start registered uniformly up to this many days ago (their "
         "decommission credit follows)"},

        {"churn.model",
         std::string("none"),
         {},
         {},
         {"none", "exponential", "weibull", "trace"},
         "Independent per-node up/down process: exponential, Weibull (heavy-tailed), or a "
         "trace file"},
        {"churn.up_mean_s", 604800.0, 1, 1e9, {}, "Exponential: mean up time, seconds"},
        {"churn.down_mean_s", 3600.0, 1, 1e9, {}, "Exponential: mean down time, seconds"},
        {"churn.up_shape", 0.5, 0.05, 20, {}, "Weibull: shape k of up times (k < 1: heavy tail)"},
        {"churn.up_scale_s", 302400.0, 1, 1e9, {}, "Weibull: scale of up times, seconds"},
        {"churn.down_shape", 0.5, 0.05, 20, {}, "Weibull: shape k of down times"},
        {"churn.down_scale_s", 1800.0, 1, 1e9, {}, "Weibull: scale of down times, seconds"},
        {"churn.trace_file",
         std::string(""),
         {},
         {},
         {},
         "Trace: CSV node,down_s,up_s (0-based service node; empty up_s: never returns)"},
        {"churn.lifetime_mean_s",
         0.0,
         0,
         1e10,
         {},
         "Every node leaves for good after an exponential lifetime of this mean (0: never)"},
        {"churn.exit_fraction",
         0.0,
         0,
         1,
         {},
         "Fraction of nodes that leave for good at uniform times during the run"},
        {"churn.outage_group",
         std::string(""),
         {},
         {},
         {},
         "Correlated failure: \"all\", \"provider:<name>\" (e.g. provider:Hetzner) or "
         "\"country:<CC>\"; empty: none"},
        {"churn.outage_fraction", 0.3, 0, 1, {}, "Fraction of the group that fails"},
        {"churn.outage_at_s", 600.0, 0, 1e9, {}, "When the correlated failure starts, seconds"},
        {"churn.outage_duration_s", 7200.0, 0, 1e9, {}, "How long it lasts, seconds"},
        {"churn.keep_database",
         true,
         {},
         {},
         {},
         "A crashed node keeps its stored messages (the server's SQLite file survives)"},
        {"churn.joins",
         std::int64_t{0},
         0,
         100000,
         {},
         "Extra service nodes that register during the run (new operators or Sybils)"},
        {"churn.join_at_s", 600.0, 0, 1e9, {}, "When the extra nodes register, seconds"},

        {"adversary.fraction",
         0.0,
         0,
         1,
         {},
         "Fraction of the service nodes present at the start that the adversary runs; they "
         "record every onion layer they handle to observations.csv"},
        {"adversary.placement",
         std::string("random"),
         {},
         {},
         {},
         "How the adversary's nodes are chosen: \"random\", \"packed_subnets\" (whole /24s, as "
         "a cheap operator would), \"provider:<name>\" (all in one hosting provider) or "
         "\"joiners\" (Sybils: the churn.joins nodes registering at churn.join_at_s)"},

        {"adversary.links",
         std::string(""),
         {},
         {},
         {},
         "A passive link observer: \"global\" (every link), \"country:<CC>\" (links with an "
         "end in that country) or \"provider:<name>\" (a hosting network, or a client ISP "
         "\"isp-<CC>\"); it sees addresses and timing, not content. Empty: none"},
        {"adversary.correlation_window_s",
         1.0,
         0,
         3600,
         {},
         "Timing correlator: a destination sighting is linked to every guard sighting at most "
         "this many seconds before it"},
        {"adversary.endpoint",
         std::int64_t{-1},
         -1,
         1000000,
         {},
         "A client whose device is compromised (spyware): endpoint.csv lists everything its app "
         "holds in clear -- what end-to-end encryption and onion routing cannot protect. -1: none"},

        {"hostile.fraction",
         0.0,
         0,
         1,
         {},
         "Fraction of the service nodes present at the start that misbehave (hostile.behaviour), "
         "drawn from their own random stream: apart from adversary.fraction's observers"},
        {"hostile.behaviour",
         std::string("drop"),
         {},
         {},
         {"drop", "delay", "replay", "corrupt", "malformed", "wrong_swarm", "forge_ack"},
         "What the hostile nodes do: drop (relay and answer nothing), delay (hold each relayed "
         "layer hostile.delay_s), replay (relay each layer twice, the copy hostile.delay_s "
         "later), corrupt (flip a byte of each layer relayed and reply returned), malformed "
         "(answer 200 with fields of the wrong JSON types), wrong_swarm (answer 421 naming the "
         "hostile nodes as the account's swarm), forge_ack (acknowledge stores, as destination "
         "or swarm peer, without keeping them)"},
        {"hostile.probability",
         1.0,
         0,
         1,
         {},
         "Chance that a hostile node spoils each request it could spoil (below 1: harder to "
         "spot)"},
        {"hostile.delay_s",
         3.0,
         0,
         120,
         {},
         "delay: how long a hostile relay holds each layer; replay: when it sends the copy"},

        {"central.datacentres",
         std::string("US, IE, SG"),
         {},
         {},
         {},
         "Countries of the operator's data centres; each client uses the nearest one"},
        {"central.outage_at_s", 600.0, 0, 1e9, {}, "When the operator becomes unreachable"},
        {"central.outage_duration_s",
         0.0,
         0,
         1e9,
         {},
         "How long it stays unreachable (0: no outage; 25 Oct 2022: about 7200 s)"},
        {"central.reconnect_interval_s",
         seconds(central_driver.reconnect_interval_ms),
         0.1,
         3600,
         {},
         "A client reconnects this long after losing its connection"},
        {"central.keepalive_interval_s",
         seconds(central_driver.keepalive_interval_ms),
         1,
         3600,
         {},
         "Clients ping their data centre this often; an unanswered ping means reconnect"},

        {"sweep.key",
         std::string(""),
         {},
         {},
         {},
         "Run once per value of this scenario key (e.g. churn.outage_fraction); results go to "
         "<out>/<key>=<value>/ and a table to <out>/sweep.csv"},
        {"sweep.values", std::string(""), {}, {}, {}, "Comma-separated values for sweep.key"},

        {"metrics.late_after_s",
         survival_defaults.late_after_s,
         0,
         1e9,
         {},
         "A message delivered later than this after sending counts as delivered_late"},
        {"metrics.resource_sample_s",
         0.0,
         0,
         86400,
         {},
         "Every this many simulated seconds, write the process's resident memory, wall time and "
         "event count, with the messages held by all nodes and the nodes running, to "
         "resources.csv (0: off). Memory and wall time are the host's: that file alone differs "
         "between two runs of one scenario and seed"},
        {"metrics.node_load",
         false,
         {},
         {},
         {},
         "Count every node's requests by traffic type (relay, store, poll, group store/keys/poll, "
         "get_swarm, server relay) into node_load.csv and summary.json's load block; costs time"},
        {"trace.journeys",
         true,
         {},
         {},
         {},
         "journeys.csv: each direct message's journey -- the onion hops of the store request "
         "that was acknowledged and of the poll that delivered it, with the time each node "
         "handled its layer, and when each node stored the message (the explorer draws them). "
         "Watches every node's onion layers; Session runs only"},
        {"trace.pcap",
         std::string(""),
         {},
         {},
         {},
         "pcap traces of WAN devices in <out>/pcap/host-<i>.pcap (raw IPv4 with TCP, for tshark "
         "and Wireshark; i as in hosts.csv): \"all\", \"nodes\", \"clients\" or host indices "
         "\"0, 305\" (empty: none). Every packet is written: keep it to small runs or a few "
         "hosts. Session runs only"},

        {"workload.message_interval_s",
         60.0,
         0.1,
         1e6,
         {},
         "Mean seconds between messages a client sends (exponential)"},
        {"workload.message_bytes", std::int64_t{100}, 1, 60000, {}, "Text length of each message"},
        {"workload.send_until_s",
         1e9,
         0,
         1e9,
         {},
         "Clients stop sending new messages at this time (a burst, then watch what survives)"},
        {"workload.offline_fraction",
         0.0,
         0,
         0.99,
         {},
         "Fraction of clients that are offline (phone off): they receive but neither send nor "
         "poll until offline_until_s"},
        {"workload.offline_until_s",
         1e9,
         0,
         1e9,
         {},
         "When the offline clients come back and poll (beyond duration_s: offline for the whole "
         "run, and messages waiting for them end as awaiting_recipient)"},
        {"workload.probe_interval_s",
         0.0,
         0,
         1e6,
         {},
         "Mean seconds between latency probe rounds per client (exponential; 0: no probes). A "
         "round "
         "sends an info request to one random node per entry of probe_hops"},
        {"workload.probe_hops",
         std::string("0,1,2,3,4"),
         {},
         {},
         {},
         "Comma-separated path lengths for probes; 0 is a direct request without an onion"},
        {"groups.count",
         std::int64_t{0},
         0,
         100000,
         {},
         "Groups v2 closed groups (03 accounts with their own swarm); 0: none"},
        {"groups.members",
         std::int64_t{10},
         2,
         100,
         {},
         "Members per group, drawn from the online clients; the first is the admin"},
        {"groups.message_interval_s",
         60.0,
         0.1,
         1e6,
         {},
         "Mean seconds between messages in each group (exponential), each from a random member"},
        {"groups.remove_member_at_s",
         -1.0,
         -1,
         1e9,
         {},
         "When each group's admin removes one random member: rekey for the rest and revoke its "
         "subaccount (-1: never)"},
        {"attachments.fraction",
         0.0,
         0,
         1,
         {},
         "Share of one-to-one messages that carry a file: uploaded to the file server through an "
         "onion request before sending, downloaded by the recipient when the message arrives"},
        {"attachments.bytes",
         std::int64_t{1000000},
         1,
         10000000,
         {},
         "Size of each attached file (the apps allow up to 10,000,000 bytes)"},
        {"attachments.file_server_country",
         std::string("DE"),
         {},
         {},
         {},
         "Where the file server (filev2.getsession.org) is hosted; an assumption, no public "
         "source says"},
        {"push.service",
         std::string("apns"),
         {},
         {},
         {"apns", "firebase"},
         "The platform push service the devices use (client.mode = push)"},
        {"push.server_country",
         std::string("DE"),
         {},
         {},
         {},
         "Where the push server (push.getsession.org) runs; an assumption"},
        {"push.platform_country",
         std::string("US"),
         {},
         {},
         {},
         "Where the platform push service (APNs/FCM) answers devices; a single-site stand-in"},
        {"push.devices_per_frontend",
         std::int64_t{2000},
         1,
         10'000'000,
         {},
         "Devices per platform front-end host: the platform holds its devices' connections on "
         "ceil(clients / this) hosts at its site, as APNs and FCM spread them over many servers "
         "(one host with 100,000 connections also costs ns-3 a scan of them all per packet)"},
        {"communities.count",
         std::int64_t{0},
         0,
         10000,
         {},
         "Rooms on one community server (SOGS), reached through onion v4 requests; 0: none"},
        {"communities.members",
         std::int64_t{20},
         2,
         1000000,
         {},
         "Members per room, drawn from the online clients"},
        {"communities.message_interval_s",
         60.0,
         0.1,
         1e6,
         {},
         "Mean seconds between posts in each room (exponential), each by a random member"},
        {"communities.poll_interval_s",
         5.0,
         1,
         3600,
         {},
         "How often each member polls each of its rooms (an assumption for an open app)"},
        {"communities.server_country",
         std::string("DE"),
         {},
         {},
         {},
         "Where the community server runs"},
        {"behaviour.model",
         std::string("always_foreground"),
         {},
         {},
         {"always_foreground", "daily"},
         "always_foreground: apps stay open (client.mode decides polling); daily: apps open a few "
         "minutes at a time, more in the evening, and sit in the background otherwise"},
        {"behaviour.sessions_per_day",
         24.0,
         0.1,
         1000,
         {},
         "daily: times a user opens the app per day (an assumption)"},
        {"behaviour.session_minutes",
         4.0,
         0.1,
         600,
         {},
         "daily: mean minutes the app stays open (exponential; an assumption)"},
        {"behaviour.peak_hour",
         20.0,
         0,
         24,
         {},
         "daily: hour of the day (simulated clock, starting at 00:00) with most activity"},
        {"behaviour.diurnal_amplitude",
         0.8,
         0,
         1,
         {},
         "daily: A in 1 + A cos(2 pi (hour - peak) / 24), for app opens and messages alike"},
    };
    return keys;
}

const KeySpec* find_key(const std::string& key) {
    for (const auto& k : schema()) {
        if (k.key == key)
            return &k;
    }
    return nullptr;
}

std::string type_name(const Value& v) {
    switch (v.index()) {
        case 0:
            return "integer";
        case 1:
            return "number";
        case 2:
            return "boolean";
        default:
            return "string";
    }
}

std::string render(const Value& v) {
    if (const auto* i = std::get_if<std::int64_t>(&v))
        return std::to_string(*i);
    if (const auto* d = std::get_if<double>(&v)) {
        char buf[64];
        std::snprintf(buf, sizeof(buf), "%.17g", *d);
        std::string s(buf);
        if (s.find_first_of(".eEn") == std::string::npos)
            s += ".0";  // stay a TOML float
        return s;
    }
    if (const auto* b = std::get_if<bool>(&v))
        return *b ? "true" : "false";
    std::string out = "\"";
    for (const char c : std::get<std::string>(v)) {
        if (c == '"' || c == '\\')
            out += '\\';
        out += c;
    }
    return out + "\"";
}

}  // namespace sessionsim::scenario
