#include "sim/cli/testbed_run.h"

#include <boost/asio/io_context.hpp>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <ostream>
#include <thread>

#include "models/common/version.h"
#include "models/crypto/random.h"
#include "models/identity/keys.h"
#include "sim/scenario/records.h"
#include "sim/scenario/run_support.h"
#include "testbed/client_driver.h"

namespace sessionsim::cli {

namespace {

using Clock = std::chrono::steady_clock;
namespace fs = std::filesystem;

/// One client of the workload and how far its reports have been read.
struct WorkloadClient {
    std::unique_ptr<testbed::ClientDriver> driver;
    std::map<std::uint64_t, std::size_t> message_of_app_id;  ///< app id -> messages index
    std::size_t stored_seen = 0, received_seen = 0, failed_seen = 0;
    double next_send_s = 0;
};

}  // namespace

int run_testbed_workload(const TestbedRunArgs& args, CommandOutput& io) {
    const auto registry = testbed::Registry::load((fs::path(args.dir) / "registry.json").string());
    if (args.clients < 2)
        throw InvalidInput("--clients: a workload needs at least 2 clients");
    boost::asio::io_context context;
    crypto::SeededRandom random(args.seed, "testbed workload");
    const auto start = Clock::now();
    const auto seconds = [&](Clock::time_point t) {
        return std::chrono::duration<double>(t - start).count();
    };
    const auto exponential = [&](double mean) { return -mean * std::log(1 - random.unit()); };

    std::vector<scenario::MessageRecord> messages;
    std::vector<scenario::RequestRow> requests;
    std::vector<WorkloadClient> clients(args.clients);
    client::ClientConfig config;
    config.poll_interval_ms = static_cast<std::int64_t>(args.poll_interval_s * 1000);
    for (std::size_t c = 0; c < args.clients; ++c) {
        crypto::SeededRandom keys(args.seed, "testbed workload client " + std::to_string(c));
        auto& wc = clients[c];
        wc.driver = std::make_unique<testbed::ClientDriver>(
            context, registry,
            identity::Identity::from_ed25519_seed(crypto::Ed25519Seed::from(keys.bytes<32>())),
            args.seed + c, config);
        wc.driver->on_request = [&requests, &seconds, c](const testbed::RequestSeen& r) {
            requests.push_back({c, r.request_id, to_hex(r.guard), to_hex(r.destination),
                                seconds(r.start), seconds(r.end), r.status, r.hops, false});
        };
        wc.next_send_s = exponential(args.message_interval_s);
    }

    // Reads what each client reported since the last look into the message records.
    const auto collect = [&](std::size_t c, double now) {
        auto& wc = clients[c];
        auto& d = *wc.driver;
        for (; wc.stored_seen < d.stored.size(); ++wc.stored_seen) {
            const auto& s = d.stored[wc.stored_seen];
            if (auto it = wc.message_of_app_id.find(s.message_id);
                it != wc.message_of_app_id.end()) {
                messages[it->second].stored_s = now;
                messages[it->second].hash = s.hash;
            }
        }
        for (; wc.failed_seen < d.failed.size(); ++wc.failed_seen) {
            const auto& f = d.failed[wc.failed_seen];
            if (auto it = wc.message_of_app_id.find(f.message_id); it != wc.message_of_app_id.end())
                messages[it->second].failure = f.reason;
        }
        for (; wc.received_seen < d.received.size(); ++wc.received_seen) {
            const auto id = scenario::message_id_of(d.received[wc.received_seen].message.text);
            if (id && *id < messages.size() && messages[*id].recipient == c &&
                !messages[*id].delivered_s)
                messages[*id].delivered_s = now;
        }
    };

    constexpr std::size_t kMessageBytes = 100;
    const double end_s = args.duration_s + args.drain_s;
    for (double now = 0; now < end_s; now = seconds(Clock::now())) {
        for (std::size_t c = 0; c < clients.size(); ++c) {
            auto& wc = clients[c];
            wc.driver->poll();  // the client polls when its own schedule says so
            if (now < args.duration_s && now >= wc.next_send_s) {
                std::size_t to = static_cast<std::size_t>(random.uniform(clients.size() - 1));
                to += to >= c;  // anyone but oneself
                scenario::MessageRecord m;
                m.id = messages.size();
                m.sender = c;
                m.recipient = to;
                m.sent_s = now;
                m.bytes = kMessageBytes;
                m.hops = 3;
                messages.push_back(m);
                const auto app_id =
                    wc.driver->send_text(clients[to].driver->client().identity().session_id(),
                                         scenario::message_text(m.id, kMessageBytes));
                wc.message_of_app_id[app_id] = m.id;
                wc.next_send_s = now + exponential(args.message_interval_s);
            }
            collect(c, now);
        }
        context.restart();
        if (context.run_for(std::chrono::milliseconds(10)) == 0)
            std::this_thread::sleep_for(std::chrono::milliseconds(5));  // nothing in flight
    }

    fs::create_directories(args.out);
    const fs::path out(args.out);
    auto summary = scenario::summarize(messages, requests);
    summary["testbed"] = {{"registry", (fs::path(args.dir) / "registry.json").string()},
                          {"nodes", registry.nodes.size()},
                          {"clients", args.clients},
                          {"duration_s", args.duration_s},
                          {"message_interval_s", args.message_interval_s},
                          {"poll_interval_s", args.poll_interval_s},
                          {"drain_s", args.drain_s},
                          {"seed", args.seed},
                          {"version", std::string(version())}};
    std::ofstream(out / "summary.json") << summary.dump(2) << '\n';
    std::ofstream m(out / "messages.csv");
    scenario::write_messages_csv(m, messages);
    std::ofstream r(out / "requests.csv");
    scenario::write_requests_csv(r, requests);
    io.out << "sessionsim testbed run: " << registry.nodes.size() << " nodes, " << args.clients
           << " clients, " << args.duration_s << " s (+" << args.drain_s << " s drain)\n"
           << "  summary: " << summary.dump() << "\n  results: " << args.out
           << "/{summary.json,messages.csv,requests.csv}\n";
    return 0;
}

}  // namespace sessionsim::cli
