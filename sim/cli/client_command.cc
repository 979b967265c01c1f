// sessionsim client: a real Session client against a testbed (testbed/client_driver.h).
//
//   sessionsim client new                                   a fresh account: phrase and Session ID
//   sessionsim client --registry R --phrase "..." status    Session ID, swarm and its members
//   sessionsim client --registry R --phrase "..." send --to 05... --text "hi"
//   sessionsim client --registry R --phrase "..." poll [--wait 10]
//
// Each prints one JSON object. The account comes from its recovery phrase (13 words), as in the
// app; send goes through a 3-hop onion path, poll retrieves from two members of the own swarm.
#include <CLI/CLI.hpp>
#include <boost/asio/io_context.hpp>
#include <chrono>
#include <ostream>
#include <random>

#include "models/common/errors.h"
#include "models/crypto/random.h"
#include "models/identity/keys.h"
#include "models/identity/mnemonic.h"
#include "sim/cli/command.h"
#include "testbed/client_driver.h"
#include "testbed/http.h"

namespace sessionsim::cli {

namespace {

struct ClientArgs {
    std::string registry;
    std::string phrase;
    std::string to, text;
    double wait_s = 10;
};

identity::Identity from_phrase(const std::string& phrase) {
    const auto decoded = identity::mnemonic::decode_phrase(phrase);
    if (decoded.bytes.size() != 16)
        throw InvalidInput(
            "--phrase: a Session recovery phrase is 12 or 13 words (16 bytes), not " +
            std::to_string(decoded.bytes.size()) + " bytes");
    return identity::Identity::from_account_seed(identity::AccountSeed::from(decoded.bytes));
}

std::chrono::milliseconds wait_of(double seconds) {
    return std::chrono::milliseconds(static_cast<std::int64_t>(seconds * 1000));
}

void client_send(const ClientArgs& a, CommandOutput& io) {
    const auto registry = testbed::Registry::load(a.registry);
    boost::asio::io_context context;
    testbed::ClientDriver client(context, registry, from_phrase(a.phrase),
                                 static_cast<std::uint64_t>(std::random_device{}()));
    const auto to = identity::AccountId::parse(a.to);
    const auto started = std::chrono::steady_clock::now();
    client.send_text(to, a.text);
    testbed::run_until(
        context, [&] { return !client.stored.empty() || !client.failed.empty(); },
        wait_of(a.wait_s));
    const double took =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    Json out{{"to", a.to}, {"onion_requests", client.onion_requests}, {"seconds", took}};
    if (!client.stored.empty()) {
        out["stored"] = true;
        out["hash"] = client.stored[0].event.hash;
        out["attempts"] = client.stored[0].event.attempts;
    } else {
        out["stored"] = false;
        out["error"] =
            client.failed.empty() ? "no answer within --wait" : client.failed[0].event.reason;
    }
    io.out << out.dump() << '\n';
    if (client.stored.empty())
        throw CLI::RuntimeError(1);
}

void client_poll(const ClientArgs& a, CommandOutput& io) {
    const auto registry = testbed::Registry::load(a.registry);
    boost::asio::io_context context;
    testbed::ClientDriver client(context, registry, from_phrase(a.phrase),
                                 static_cast<std::uint64_t>(std::random_device{}()));
    client.poll();
    testbed::run_until(
        context, [&] { return client.in_flight() == 0; }, wait_of(a.wait_s));
    Json messages = Json::array();
    for (const auto& [m, at] : client.received)
        messages.push_back(
            {{"from", m.message.sender.to_hex()}, {"text", m.message.text}, {"hash", m.hash}});
    io.out << Json{{"session_id", client.client().identity().session_id().to_hex()},
                   {"messages", messages},
                   {"failed_requests", client.failed_requests}}
                  .dump()
           << '\n';
}

void client_status(const ClientArgs& a, CommandOutput& io) {
    const auto registry = testbed::Registry::load(a.registry);
    const auto id = from_phrase(a.phrase).session_id();
    const auto view = registry.swarm_view();
    const auto swarm = view->swarm_of(id);
    Json members = Json::array();
    for (const auto& m : view->members(swarm))
        members.push_back(
            {{"ed25519", to_hex(m.ed25519)},
             {"address", storage::ipv4_string(m.ipv4) + ":" + std::to_string(m.https_port)}});
    io.out << Json{{"session_id", id.to_hex()},
                   {"swarm", std::to_string(swarm)},
                   {"members", members}}
                  .dump()
           << '\n';
}

}  // namespace

void add_client_command(CLI::App& app, CommandOutput& io) {
    auto args = std::make_shared<ClientArgs>();
    auto* client = app.add_subcommand("client", "A Session client against a testbed");
    client->require_subcommand(1);
    client->add_option("--registry", args->registry, "testbed registry file");
    client->add_option("--phrase", args->phrase, "the account's recovery phrase (13 words)");
    const auto needs_account = [args] {
        if (args->registry.empty() || args->phrase.empty())
            throw CLI::ValidationError("client", "--registry and --phrase are required");
    };
    client->add_subcommand("new", "A new account: its recovery phrase and Session ID")
        ->callback([&io] {
            crypto::SystemRandom random;
            const auto seed = random.bytes<16>();
            const auto id =
                identity::Identity::from_account_seed(identity::AccountSeed::from(seed));
            io.out << Json{{"phrase", identity::mnemonic::encode_phrase(seed)},
                           {"session_id", id.session_id().to_hex()}}
                          .dump()
                   << '\n';
        });
    auto* send = client->add_subcommand("send", "Send a text through a 3-hop onion path");
    send->add_option("--to", args->to, "recipient Session ID (66 hex)")->required();
    send->add_option("--text", args->text, "message text")->required();
    send->add_option("--wait", args->wait_s, "seconds to wait for the swarm's answer")
        ->capture_default_str();
    send->callback([args, &io, needs_account] {
        needs_account();
        client_send(*args, io);
    });
    auto* poll = client->add_subcommand("poll", "Retrieve new messages from the own swarm");
    poll->add_option("--wait", args->wait_s, "seconds to wait for answers")->capture_default_str();
    poll->callback([args, &io, needs_account] {
        needs_account();
        client_poll(*args, io);
    });
    client->add_subcommand("status", "The account's Session ID, swarm and swarm members")
        ->callback([args, &io, needs_account] {
            needs_account();
            client_status(*args, io);
        });
}

}  // namespace sessionsim::cli
