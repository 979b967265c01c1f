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
#include "sim/scenario/external_server.h"
#include "sim/scenario/feature.h"
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

class AttachmentWorkload : public Feature {
public:
    AttachmentWorkload(const Scenario& sc, std::uint64_t seed);
    std::string_view name() const override { return "attachments"; }
    bool active() const override { return fraction_ > 0; }

    /// The file server's host (attachments.file_server_country).
    void place(SessionRun& run) override;
    /// Starts the file server and makes its name resolve to its address.
    void install(SessionRun& run) override;
    /// attachments.fraction of the messages carry a file: upload it, then send the message.
    bool on_send(SessionRun& run, std::size_t sender, std::size_t recipient,
                 std::uint64_t id) override;
    /// A message with a file arrived: download what it points to.
    bool on_received(SessionRun& run, std::size_t client, const client::MessageReceived& m,
                     std::optional<std::uint64_t> id) override;
    /// summary.json "attachments"; the file server never saw a client's address.
    void summarize(const SessionRun& run, RunReport& report) override;
    /// attachments.csv
    void write(const SessionRun& run, const std::filesystem::path& dir) const override;

private:
    /// Whether the next message (in send order) carries a file.
    bool draw();
    /// Uploads message `id`'s file, then sends the message with its pointer; `sent` gets the
    /// app's message id, or nullopt and the reason if the upload failed (nothing is sent).
    void send(ns3::Ptr<apps::ClientApp> from, std::size_t sender, std::size_t recipient,
              const identity::AccountId& to, std::uint64_t id, const std::string& text,
              std::function<void(std::optional<std::uint64_t> app_id, std::string error)> sent);
    void download(ns3::Ptr<apps::ClientApp> at, std::size_t client,
                  const client::MessageReceived& received, std::uint64_t message_id);
    /// `client_addresses`: every client's address, to check the server never saw one.
    /// The "attachments" block, line and cells.
    void report(const std::set<std::uint32_t>& client_addresses, RunReport& report) const;
    void write_csv(std::ostream& out) const;
    Bytes file_of(std::uint64_t id) const;

    const Scenario& sc_;
    std::uint64_t seed_;
    double fraction_;
    std::size_t bytes_;
    std::size_t text_bytes_;  ///< workload.message_bytes: the message that points to the file
    crypto::SeededRandom random_;
    onion::ServerKeys server_keys_;
    crypto::X25519KeyPair keys_;
    std::shared_ptr<server::FileServer> server_;
    std::vector<AttachmentRecord> records_;
    std::map<std::uint64_t, std::size_t> by_message_;
    ExternalServer host_;  ///< where the file server runs, and who reached it
};

}  // namespace sessionsim::scenario
