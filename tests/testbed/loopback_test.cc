// The testbed on loopback: real `sessionsim node` processes (each on its own 127.0.x.1 address,
// SQLite file and HTTP port) and real clients. A message goes through a 3-hop onion into the
// recipient's swarm and back out; unsigned requests are refused; and a swarm whose every
// member is killed (SIGKILL) and restarted still serves what it acknowledged; nodes crashed and
// restarted during a workload lose nothing acknowledged.
#include <gtest/gtest.h>

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/asio/ip/tcp.hpp>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <thread>

#include "testbed/client_driver.h"
#include "testbed/http.h"
#include "testbed/http_client.h"
#include "testbed/tls.h"

namespace sessionsim::testbed {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

/// A testbed of `count` node processes from `sessionsim node`, killed when it goes away.
class LoopbackTestbed {
public:
    LoopbackTestbed(std::size_t count, std::uint16_t port)
        : dir_(fs::temp_directory_path() /
               ("sessionsim-testbed-" + std::to_string(::getpid()) + "-" + std::to_string(port))),
          registry_(Registry::make(count, 7, port)) {
        fs::remove_all(dir_);
        fs::create_directories(dir_);
        registry_.save((dir_ / "registry.json").string());
        pids_.resize(count, -1);
        for (std::size_t i = 0; i < count; ++i)
            start(i);
    }
    ~LoopbackTestbed() {
        for (std::size_t i = 0; i < pids_.size(); ++i)
            kill_node(i, SIGKILL);
        fs::remove_all(dir_);
    }

    const Registry& registry() const { return registry_; }

    void start(std::size_t i) {
        const std::string log = (dir_ / ("node" + std::to_string(i) + ".log")).string();
        const pid_t pid = fork();
        if (pid == 0) {
            std::freopen(log.c_str(), "a", stdout);
            std::freopen(log.c_str(), "a", stderr);
            const std::string index = std::to_string(i);
            const std::string db = (dir_ / ("node" + index + ".db")).string();
            const std::string registry = (dir_ / "registry.json").string();
            execl(SESSIONSIM_BINARY, "sessionsim", "node", "--registry", registry.c_str(),
                  "--index", index.c_str(), "--db", db.c_str(), static_cast<char*>(nullptr));
            ::_exit(127);
        }
        pids_[i] = pid;
        wait_listening(i);
    }

    void kill_node(std::size_t i, int signal) {
        if (pids_[i] <= 0)
            return;
        ::kill(pids_[i], signal);
        ::waitpid(pids_[i], nullptr, 0);
        pids_[i] = -1;
    }

    std::string log(std::size_t i) const {
        std::ifstream in(dir_ / ("node" + std::to_string(i) + ".log"));
        return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
    }

private:
    void wait_listening(std::size_t i) const {
        const auto& c = registry_.nodes[i].contact;
        const auto address = boost::asio::ip::make_address(storage::ipv4_string(c.ipv4));
        for (int attempt = 0; attempt < 200; ++attempt) {
            boost::asio::io_context io;
            boost::asio::ip::tcp::socket s(io);
            boost::system::error_code ec;
            s.connect({address, c.https_port}, ec);
            if (!ec)
                return;
            std::this_thread::sleep_for(25ms);
        }
        FAIL() << "node " << i << " did not start listening:\n" << log(i);
    }

    fs::path dir_;
    Registry registry_;
    std::vector<pid_t> pids_;
};

identity::Identity person(std::uint8_t n) {
    FixedBytes<32> seed{};
    seed.fill(n);
    return identity::Identity::from_ed25519_seed(crypto::Ed25519Seed::from(seed));
}

/// The lines of a results table (the header first).
std::vector<std::string> csv_rows(const fs::path& file) {
    std::ifstream in(file);
    std::vector<std::string> rows;
    for (std::string line; std::getline(in, line);)
        rows.push_back(line);
    return rows;
}

/// The fields of one line of a results table (they hold no quoted commas).
std::vector<std::string> csv_fields(const std::string& line) {
    std::vector<std::string> fields;
    std::stringstream in(line);
    for (std::string field; std::getline(in, field, ',');)
        fields.push_back(field);
    return fields;
}

/// Bob polls until the message arrives (or `limit` passes).
bool poll_until_received(boost::asio::io_context& io, ClientDriver& bob,
                         std::chrono::milliseconds limit) {
    const auto end = std::chrono::steady_clock::now() + limit;
    while (bob.received.empty() && std::chrono::steady_clock::now() < end) {
        bob.poll();
        run_until(
            io, [&] { return bob.in_flight() == 0; }, 5s);
        if (bob.received.empty())
            run_until(
                io, [] { return false; }, 200ms);
    }
    return !bob.received.empty();
}

/// Alice sends to Bob and waits until the swarm acknowledged the message; true if it did.
bool send_and_wait_stored(boost::asio::io_context& io, ClientDriver& alice, const ClientDriver& bob,
                          const std::string& text) {
    alice.send_text(bob.client().identity().session_id(), text);
    run_until(
        io, [&] { return !alice.stored.empty() || !alice.failed.empty(); }, 20s);
    return !alice.stored.empty();
}

TEST(Testbed, AMessageGoesThroughAThreeHopOnionAcrossNodeProcessesAndIsRetrieved) {
    LoopbackTestbed testbed(12, 23101);  // and 23102 for peers: each test its own pair
    boost::asio::io_context io;
    ClientDriver alice(io, testbed.registry(), person(1), 1);
    ClientDriver bob(io, testbed.registry(), person(2), 2);
    ASSERT_TRUE(send_and_wait_stored(io, alice, bob, "hello over real sockets"))
        << (alice.failed.empty() ? "no answer" : alice.failed[0].event.reason);
    EXPECT_GE(alice.onion_requests, 1u);
    ASSERT_TRUE(poll_until_received(io, bob, 20s));
    EXPECT_EQ(bob.received[0].event.message.text, "hello over real sockets");
    EXPECT_EQ(bob.received[0].event.hash, alice.stored[0].event.hash);
}

TEST(Testbed, AMultiplexedClientSendsItsRequestsAsFramesOfOneConnectionPerGuard) {
    // The QUIC clients' stand-in: the nodes serve /onion_req/v2 and /storage_rpc/v1 on their
    // peer port's client channels, and a client keeps one connection per guard whatever is in
    // flight (without multiplexing, concurrent requests to a guard need one connection each).
    LoopbackTestbed testbed(12, 23111);
    boost::asio::io_context io;
    const HttpClientOptions http{
        .idle_timeout = kClientIdleTimeout, .local_address = {}, .tls = nullptr};
    ClientDriver alice(io, testbed.registry(), person(6), 6, {}, http, true);
    ClientDriver bob(io, testbed.registry(), person(7), 7, {}, http, true);
    ASSERT_TRUE(send_and_wait_stored(io, alice, bob, "hello over frames"))
        << (alice.failed.empty() ? "no answer" : alice.failed[0].event.reason);
    ASSERT_TRUE(poll_until_received(io, bob, 20s));
    EXPECT_EQ(bob.received[0].event.message.text, "hello over frames");
    const auto guards = alice.client().paths().guards().size();
    EXPECT_EQ(guards, 2u);
    EXPECT_LE(alice.connections_opened(), guards) << "one connection per guard";
    EXPECT_GE(alice.connections_opened(), 1u);
}

TEST(Testbed, ANodeRefusesUnsignedRetrievesWithTheStorageServersErrors) {
    LoopbackTestbed testbed(1, 23103);
    boost::asio::io_context io;
    const auto& node = testbed.registry().nodes[0].contact;
    const std::string pubkey = person(3).session_id().to_hex();
    const auto ask = [&](const std::string& params) {
        std::optional<HttpReply> reply;
        bool answered = false;
        http_post(
            io, storage::ipv4_string(node.ipv4), node.https_port, "/storage_rpc/v1",
            R"({"method":"retrieve","params":{"pubkey":")" + pubkey + "\"" + params + "}}", 5s,
            [&](std::optional<HttpReply> r) {
                reply = std::move(r);
                answered = true;
            },
            unverified_client_context());
        EXPECT_TRUE(run_until(
            io, [&] { return answered; }, 10s));
        return reply.value_or(HttpReply{});
    };
    // No authentication fields at all: the handler's own check.
    const auto bare = ask("");
    EXPECT_EQ(bare.status, 401);
    EXPECT_EQ(bare.body, "retrieve: request signature required");
    // A private namespace named but no signature: the request does not parse.
    const auto partial = ask(R"(,"namespace":0)");
    EXPECT_EQ(partial.status, 400);
    EXPECT_EQ(partial.body, "invalid request: Required field 'signature' missing");
    // The node still serves afterwards.
    EXPECT_EQ(ask("").status, 401);
}

TEST(Testbed, ASwarmKilledAndRestartedStillServesWhatItAcknowledged) {
    LoopbackTestbed testbed(12, 23105);
    boost::asio::io_context io;
    ClientDriver alice(io, testbed.registry(), person(4), 4);
    ClientDriver bob(io, testbed.registry(), person(5), 5);
    ASSERT_TRUE(send_and_wait_stored(io, alice, bob, "kept across kill -9"));
    // Every member of Bob's swarm dies without warning, then comes back from its database.
    const auto view = testbed.registry().swarm_view();
    const auto swarm = view->swarm_of(bob.client().identity().session_id());
    std::vector<std::size_t> members;
    for (const auto& n : testbed.registry().nodes)
        if (n.swarm == swarm)
            members.push_back(n.index);
    ASSERT_FALSE(members.empty());
    for (const auto i : members)
        testbed.kill_node(i, SIGKILL);
    for (const auto i : members)
        testbed.start(i);
    std::size_t loaded_somewhere = 0;
    for (const auto i : members)
        loaded_somewhere += testbed.log(i).find("1 messages loaded") != std::string::npos;
    EXPECT_GT(loaded_somewhere, 0u);
    ASSERT_TRUE(poll_until_received(io, bob, 20s));
    EXPECT_EQ(bob.received[0].event.message.text, "kept across kill -9");
}

}  // namespace
}  // namespace sessionsim::testbed

namespace sessionsim::testbed {
namespace {

/// How many of the registry's nodes answer an `info` request within `timeout`.
std::size_t nodes_answering(const Registry& registry, std::chrono::milliseconds timeout) {
    boost::asio::io_context io;
    std::size_t answered = 0, done = 0;
    for (const auto& n : registry.nodes) {
        http_post(
            io, storage::ipv4_string(n.contact.ipv4), n.contact.https_port, "/storage_rpc/v1",
            R"({"method":"info","params":{}})", timeout,
            [&](std::optional<HttpReply> r) {
                answered += r && r->status == 200;
                ++done;
            },
            unverified_client_context());
    }
    run_until(
        io, [&] { return done == registry.nodes.size(); }, timeout + 1s);
    return answered;
}

TEST(Testbed, UpStartsEveryNodeInTheBackgroundAndDownStopsThem) {
    const auto dir = fs::temp_directory_path() / ("sessionsim-up-" + std::to_string(::getpid()));
    fs::remove_all(dir);
    const std::string binary = SESSIONSIM_BINARY;
    ASSERT_EQ(std::system((binary + " testbed up --nodes 6 --port 23107 --dir " + dir.string() +
                           " > /dev/null")
                              .c_str()),
              0);
    const auto registry = Registry::load((dir / "registry.json").string());
    ASSERT_EQ(registry.nodes.size(), 6u);
    EXPECT_EQ(nodes_answering(registry, 5s), registry.nodes.size());
    ASSERT_EQ(
        std::system((binary + " testbed down --dir " + dir.string() + " > /dev/null").c_str()), 0);
    EXPECT_EQ(nodes_answering(registry, 1s), 0u) << "nodes still answer after down";
    fs::remove_all(dir);
}

}  // namespace
}  // namespace sessionsim::testbed

namespace sessionsim::testbed {
namespace {

/// The run judged every message it sent, by the simulator's survival rules.
void expect_every_message_judged(const nlohmann::json& summary) {
    const auto& s = summary.at("survival");
    const int judged = s.at("delivered").get<int>() + s.at("delivered_late").get<int>() +
                       s.at("pending_at_end").get<int>() + s.at("awaiting_recipient").get<int>() +
                       s.at("lost").get<int>();
    EXPECT_EQ(judged, summary.at("messages").at("sent").get<int>()) << s.dump();
    EXPECT_EQ(s.at("delivered").get<int>() + s.at("delivered_late").get<int>(),
              summary.at("messages").at("delivered").get<int>());
}

TEST(Testbed, RunRecordsAWorkloadInTheSimulatorsResultsTables) {
    const auto dir = fs::temp_directory_path() / ("sessionsim-run-" + std::to_string(::getpid()));
    fs::remove_all(dir);
    const std::string binary = SESSIONSIM_BINARY;
    const auto tb = (dir / "tb").string();
    const auto out = (dir / "results").string();
    ASSERT_EQ(
        std::system(
            (binary + " testbed up --nodes 8 --port 23109 --dir " + tb + " > /dev/null").c_str()),
        0);
    const int rc = std::system((binary + " testbed run --dir " + tb +
                                " --clients 6 --duration 4 --message-interval 1 --drain 6 --out " +
                                out + " > /dev/null")
                                   .c_str());
    std::system((binary + " testbed down --dir " + tb + " > /dev/null").c_str());
    ASSERT_EQ(rc, 0);
    std::ifstream in(dir / "results" / "summary.json");
    const auto summary = nlohmann::json::parse(in);
    const auto sent = summary.at("messages").at("sent").get<int>();
    EXPECT_GT(sent, 5);
    EXPECT_EQ(summary.at("messages").at("delivered").get<int>(), sent);
    EXPECT_GT(summary.at("onion_requests").at("ok").get<int>(), sent);
    expect_every_message_judged(summary);
    // The default mix: its iOS clients multiplex their requests (QUIC's stand-in), the Android
    // and desktop clients speak HTTP/1.1.
    const auto& profiles = summary.at("profiles");
    ASSERT_TRUE(profiles.contains("ios")) << profiles.dump();
    EXPECT_GT(profiles.at("ios").at("clients").get<int>(), 0);
    EXPECT_EQ(summary.at("clients").at("multiplexed_clients").get<int>(),
              profiles.at("ios").at("clients").get<int>());
    // A message is stored when the sender's store request ends and delivered when the
    // recipient's poll ends, to the microsecond, as in the simulator: not when the run's loop next
    // looks at the clients.
    const auto message_rows = csv_rows(dir / "results" / "messages.csv");
    const auto request_rows = csv_rows(dir / "results" / "requests.csv");
    ASSERT_FALSE(message_rows.empty());
    EXPECT_EQ(message_rows[0].rfind("id,sent_s,stored_s,delivered_s,sender,recipient", 0), 0u);
    EXPECT_EQ(request_rows[0].rfind("client,request_id,guard,destination,start_s,end_s", 0), 0u);
    std::set<std::pair<std::string, std::string>> request_ends;  // (client, end_s)
    for (std::size_t i = 1; i < request_rows.size(); ++i) {
        const auto f = csv_fields(request_rows[i]);
        request_ends.emplace(f.at(0), f.at(5));
    }
    for (std::size_t i = 1; i < message_rows.size(); ++i) {
        const auto f = csv_fields(message_rows[i]);
        EXPECT_TRUE(f.at(2).empty() || request_ends.contains({f.at(4), f.at(2)}))
            << "stored_s of " << message_rows[i] << " is no request end of its sender";
        EXPECT_TRUE(f.at(3).empty() || request_ends.contains({f.at(5), f.at(3)}))
            << "delivered_s of " << message_rows[i] << " is no request end of its recipient";
    }
    fs::remove_all(dir);
}

TEST(Testbed, ClientsOfTwoProfilesRunTheirOwnRulesOverRealConnections) {
    // Half desktop (guard tests, a connection per request, sync copies), half Android (no guard
    // test, kept connections, one node per poll): both deliver everything, each by its rules.
    const auto dir =
        fs::temp_directory_path() / ("sessionsim-profiles-" + std::to_string(::getpid()));
    fs::remove_all(dir);
    fs::create_directories(dir);
    const auto scenario = (dir / "mix.toml").string();
    std::ofstream(scenario) << "seed = 4\nduration_s = 14\nwarmup_s = 2\n"
                               "[network]\nclients = 6\n"
                               "[clients]\nprofile_mix = \"desktop=0.5 android=0.5\"\n"
                               "[workload]\nmessage_interval_s = 2\nsend_until_s = 7\n";
    const std::string binary = SESSIONSIM_BINARY;
    const auto tb = (dir / "tb").string();
    const auto out = (dir / "results").string();
    ASSERT_EQ(
        std::system(
            (binary + " testbed up --nodes 8 --port 23209 --dir " + tb + " > /dev/null").c_str()),
        0);
    const int rc = std::system((binary + " testbed run --dir " + tb + " --scenario " + scenario +
                                " --out " + out + " > /dev/null")
                                   .c_str());
    std::system((binary + " testbed down --dir " + tb + " > /dev/null").c_str());
    ASSERT_EQ(rc, 0);
    std::ifstream in(dir / "results" / "summary.json");
    const auto summary = nlohmann::json::parse(in);
    const auto sent = summary.at("messages").at("sent").get<int>();
    EXPECT_GT(sent, 3);
    EXPECT_EQ(summary.at("messages").at("delivered").get<int>(), sent);
    const auto& desktop = summary.at("profiles").at("desktop");
    const auto& android = summary.at("profiles").at("android");
    EXPECT_EQ(desktop.at("clients").get<int>(), 3);
    EXPECT_EQ(android.at("clients").get<int>(), 3);
    EXPECT_EQ(desktop.at("guard_tests").get<int>(), 6) << "two guards tested per desktop client";
    EXPECT_EQ(android.at("guard_tests").get<int>(), 0);
    EXPECT_EQ(summary.at("clients").at("multiplexed_clients").get<int>(), 0) << "HTTP/1.1 both";
    EXPECT_EQ(
        desktop.at("sync_copies_stored").get<int>() + android.at("sync_copies_stored").get<int>(),
        sent)
        << "every sent message has its sync copy";
    // Desktop opens a connection per request; Android keeps one per guard.
    EXPECT_GT(summary.at("clients").at("connections_opened").get<int>(),
              desktop.at("requests_per_client_hour").get<double>() * 3 * 14 / 3600 * 0.9);
    fs::remove_all(dir);
}

TEST(Testbed, NodesCrashedAndRestartedDuringARunLoseNothingAcknowledged) {
    const auto dir = fs::temp_directory_path() / ("sessionsim-kill-" + std::to_string(::getpid()));
    fs::remove_all(dir);
    const std::string binary = SESSIONSIM_BINARY;
    const auto tb = (dir / "tb").string();
    ASSERT_EQ(
        std::system(
            (binary + " testbed up --nodes 10 --port 23111 --dir " + tb + " > /dev/null").c_str()),
        0);
    const int rc = std::system(
        (binary + " testbed run --dir " + tb +
         " --clients 8 --duration 12 --message-interval 1 --drain 12 --kill-nodes 3 --kill-at 4 "
         "--restart-at 8 --out " +
         (dir / "results").string() + " > /dev/null")
            .c_str());
    std::system((binary + " testbed down --dir " + tb + " > /dev/null").c_str());
    ASSERT_EQ(rc, 0);
    std::ifstream in(dir / "results" / "summary.json");
    const auto summary = nlohmann::json::parse(in);
    EXPECT_EQ(summary.at("disruption").at("killed_nodes").size(), 3u);
    EXPECT_GT(summary.at("disruption").at("restarted_at_s").get<double>(), 0);
    const auto stored = summary.at("messages").at("stored").get<int>();
    EXPECT_GT(stored, 40);
    // Every message a swarm acknowledged reaches its recipient, across the crash and restart.
    EXPECT_EQ(summary.at("messages").at("delivered").get<int>(), stored);
    expect_every_message_judged(summary);
    // What was lost, the senders gave up on (their 3 attempts failed during the outage).
    EXPECT_EQ(summary.at("survival").at("lost").get<int>(),
              summary.at("messages").at("failed").get<int>());
    // The clients met the dead nodes: requests through them failed (and were retried).
    const auto& requests = summary.at("onion_requests");
    EXPECT_GT(requests.at("timeouts").get<int>() + requests.at("other_errors").get<int>(), 0);
    // And recovered: requests sent 3 s after the restart succeed again. The 3 s cover starting
    // the node processes and reopening their databases, which a loaded machine slows; the run
    // goes on sending until 12 s and polling until 24 s, so the window still holds ~100 requests.
    const double back = summary.at("disruption").at("restarted_at_s").get<double>() + 3;
    std::ifstream rows(dir / "results" / "requests.csv");
    std::string line;
    std::getline(rows,
                 line);  // client,request_id,guard,destination,start_s,end_s,rtt_ms,status,...
    int after = 0, ok_after = 0;
    while (std::getline(rows, line)) {
        std::vector<std::string> f;
        std::stringstream fields(line);
        for (std::string x; std::getline(fields, x, ',');)
            f.push_back(x);
        if (f.size() > 7 && std::stod(f[4]) > back) {
            ++after;
            ok_after += f[7] == "200";
        }
    }
    EXPECT_GT(after, 10);
    EXPECT_GE(ok_after, after * 95 / 100) << ok_after << " of " << after << " after the restart";
    fs::remove_all(dir);
}

}  // namespace
}  // namespace sessionsim::testbed
