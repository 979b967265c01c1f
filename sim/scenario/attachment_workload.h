// Attachments in a Session run: a share of the one-to-one messages carries a file. The sender
// encrypts it, uploads it to the file server through an onion request, then sends the message
// with the pointer; the recipient downloads it through its own paths when the message arrives,
// checks the digest and decrypts it. attachments.csv has one row per file (upload and download
// times, whether the file that came out is the one that went in); the file server's own log is
// what that server learns (times and sizes, no addresses: requests reach it from exit nodes).
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <ostream>
#include <set>
#include <vector>

#include <ns3/ptr.h>
#include <nlohmann/json.hpp>

#include "models/onion/builder.h"
#include "models/server/file_server.h"
#include "sim/apps/client_app.h"
#include "sim/apps/directory.h"
#include "sim/apps/server_app.h"
#include "sim/net/latency_model.h"
#include "sim/net/placement.h"
#include "sim/scenario/scenario_config.h"

namespace sessionsim::scenario {

struct AttachmentRecord {
    std::uint64_t message = 0;
    std::size_t sender = 0, recipient = 0;
    std::size_t bytes = 0;
    double upload_start_s = 0;
    std::optional<double> uploaded_s, download_start_s, downloaded_s;
    bool intact = false;  ///< the downloaded file's SHA-256 is the sent file's
    std::string error;
};

class AttachmentWorkload {
public:
    AttachmentWorkload(const Scenario& sc, std::uint64_t seed);
    bool active() const { return fraction_ > 0; }

    /// The file server's host (attachments.file_server_country), to append after the clients.
    net::PlacedHost place(const net::MeasuredLatency* cities, const net::LatencyModel& model) const;
    /// Starts the file server on `node` and makes its name resolve to `address`.
    void install(ns3::Ptr<ns3::Node> node, ns3::Ipv4Address address,
                 apps::NodeDirectory& directory);

    /// Whether the next message (in send order) carries a file.
    bool draw();
    /// Uploads message `id`'s file, then sends the message with its pointer; `sent` gets the
    /// app's message id, or nullopt and the reason if the upload failed (nothing is sent).
    void send(ns3::Ptr<apps::ClientApp> from, std::size_t sender, std::size_t recipient,
              const identity::AccountId& to, std::uint64_t id, const std::string& text,
              std::function<void(std::optional<std::uint64_t> app_id, std::string error)> sent);
    /// A message arrived: download what it points to.
    void on_received(ns3::Ptr<apps::ClientApp> at, std::size_t client,
                     const client::MessageReceived& received, std::uint64_t message_id);

    /// `client_addresses`: every client's address, to check the server never saw one.
    nlohmann::ordered_json summary(const std::set<std::uint32_t>& client_addresses) const;
    void write_csv(std::ostream& out) const;

private:
    Bytes file_of(std::uint64_t id) const;
    void on_request(ns3::Ipv4Address from, std::uint32_t request_bytes, std::uint32_t reply_bytes);

    const Scenario& sc_;
    std::uint64_t seed_;
    double fraction_;
    std::size_t bytes_;
    crypto::SeededRandom random_;
    onion::ServerKeys server_keys_;
    crypto::X25519KeyPair keys_;
    std::shared_ptr<server::FileServer> server_;
    ns3::Ptr<apps::ServerApp> app_;
    std::vector<AttachmentRecord> records_;
    std::map<std::uint64_t, std::size_t> by_message_;
    std::set<std::uint32_t> addresses_seen_;  ///< who connected to the file server
};

}  // namespace sessionsim::scenario
