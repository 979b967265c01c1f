#include "sim/scenario/attachment_workload.h"

#include <sstream>

#include <fstream>

#include <ns3/callback.h>
#include <ns3/simulator.h>

#include "models/crypto/hash.h"
#include "sim/apps/attachment_transfer.h"
#include "sim/scenario/records.h"
#include "sim/scenario/run_support.h"
#include "sim/scenario/session_run.h"

namespace sessionsim::scenario {

AttachmentWorkload::AttachmentWorkload(const Scenario& sc, std::uint64_t seed)
    : sc_(sc),
      seed_(seed),
      fraction_(sc.number("attachments.fraction")),
      bytes_(static_cast<std::size_t>(sc.integer("attachments.bytes"))),
      text_bytes_(static_cast<std::size_t>(sc.integer("workload.message_bytes"))),
      random_(seed, "attachments") {
    keys_ = crypto::x25519_from_secret(
        crypto::X25519SecretKey::from(derived_seed(seed, "file server", 0).view()));
    server_keys_ = {.host = "filev2.getsession.org", .x25519 = keys_.public_key};
}

void AttachmentWorkload::place(SessionRun& run) {
    host_.place(run, "attachments.file_server_country", "file-server", 0x1f000000, seed_);
}

void AttachmentWorkload::install(SessionRun& run) {
    server_ = std::make_shared<server::FileServer>();
    auto app = ns3::CreateObject<apps::ServerApp>();
    app->Configure(server_, keys_, seed_);
    host_.start(run, app, server_keys_.host);
}

bool AttachmentWorkload::draw() {
    return active() && random_.unit() < fraction_;
}

Bytes AttachmentWorkload::file_of(std::uint64_t id) const {
    Bytes f(bytes_);
    crypto::SeededRandom(seed_, "attachment " + std::to_string(id)).fill(f);
    return f;
}

void AttachmentWorkload::send(ns3::Ptr<apps::ClientApp> from, std::size_t sender,
                              std::size_t recipient, const identity::AccountId& to,
                              std::uint64_t id, const std::string& text,
                              std::function<void(std::optional<std::uint64_t>, std::string)> sent) {
    by_message_[id] = records_.size();
    AttachmentRecord record;
    record.message = id;
    record.sender = sender;
    record.recipient = recipient;
    record.bytes = bytes_;
    record.upload_start_s = sim_now_s();
    records_.push_back(std::move(record));
    apps::upload_attachment(from, server_keys_, file_of(id),
                            [this, from, to, id, text, sent](
                                std::optional<message::AttachmentPointer> p, std::string error) {
                                auto& r = records_[by_message_.at(id)];
                                if (!p) {
                                    r.error = "upload: " + error;
                                    sent(std::nullopt, r.error);
                                    return;
                                }
                                r.uploaded_s = sim_now_s();
                                sent(from->SendText(to, text, {*p}), "");
                            });
}

bool AttachmentWorkload::on_send(SessionRun& run, std::size_t sender, std::size_t recipient,
                                 std::uint64_t id) {
    if (!draw())
        return false;
    const auto to = run.clients[recipient]->Client().identity().session_id();
    send(run.clients[sender], sender, recipient, to, id, message_text(id, text_bytes_),
         [&run, sender, id](std::optional<std::uint64_t> app_id, std::string error) {
             if (app_id)
                 run.message_index[sender][*app_id] = id;
             else
                 run.messages[id].failure = error;
         });
    return true;
}

bool AttachmentWorkload::on_received(SessionRun& run, std::size_t client,
                                     const client::MessageReceived& m,
                                     std::optional<std::uint64_t> id) {
    if (id && !m.message.attachments.empty())
        download(run.clients[client], client, m, *id);
    return false;
}

void AttachmentWorkload::summarize(const SessionRun& run, RunReport& report) {
    this->report(run.client_addresses, report);
}

void AttachmentWorkload::write(const SessionRun&, const std::filesystem::path& dir) const {
    std::ofstream out(dir / "attachments.csv");
    write_csv(out);
}

void AttachmentWorkload::download(ns3::Ptr<apps::ClientApp> at, std::size_t client,
                                  const client::MessageReceived& received,
                                  std::uint64_t message_id) {
    const auto it = by_message_.find(message_id);
    if (it == by_message_.end() || received.message.attachments.empty())
        return;
    auto& r = records_[it->second];
    if (r.recipient != client || r.download_start_s)
        return;
    r.download_start_s = sim_now_s();
    const auto expected = crypto::sha256(file_of(message_id));
    apps::download_attachment(
        at, server_keys_, received.message.attachments.front(),
        [this, index = it->second, expected](std::optional<Bytes> file, std::string error) {
            auto& rec = records_[index];
            if (!file) {
                rec.error = "download: " + error;
                return;
            }
            rec.downloaded_s = sim_now_s();
            rec.intact = crypto::sha256(*file) == expected;
        });
}

void AttachmentWorkload::report(const std::set<std::uint32_t>& client_addresses,
                                RunReport& report) const {
    const auto clients_seen = host_.clients_seen(client_addresses);
    std::size_t uploaded = 0, downloaded = 0, intact = 0;
    std::vector<double> up_ms, down_ms;
    for (const auto& r : records_) {
        if (r.uploaded_s) {
            ++uploaded;
            up_ms.push_back((*r.uploaded_s - r.upload_start_s) * 1000);
        }
        if (r.downloaded_s) {
            ++downloaded;
            down_ms.push_back((*r.downloaded_s - *r.download_start_s) * 1000);
        }
        intact += r.intact;
    }
    std::size_t gets = 0, posts = 0;
    for (const auto& a : server_ ? server_->log() : std::vector<server::FileAccess>{})
        (a.method == "POST" ? posts : gets) += 1;
    const auto upload = distribution_of(up_ms), download = distribution_of(down_ms);
    report.summary["attachments"] = {{"files", records_.size()},
                                     {"bytes_each", bytes_},
                                     {"encrypted_bytes_each", attachment::encrypted_size(bytes_)},
                                     {"uploaded", uploaded},
                                     {"downloaded", downloaded},
                                     {"intact", intact},
                                     {"upload_ms", upload.to_json()},
                                     {"download_ms", download.to_json()},
                                     {"file_server",
                                      {{"uploads_seen", posts},
                                       {"downloads_seen", gets},
                                       {"stored_bytes", server_ ? server_->stored_bytes() : 0},
                                       {"addresses_seen", host_.addresses_seen()},
                                       {"client_addresses_seen", clients_seen}}}};
    std::ostringstream line;
    line << records_.size() << " attachments of " << bytes_ << " bytes ("
         << attachment::encrypted_size(bytes_) << " encrypted), " << uploaded << " uploaded (p50 "
         << ms_text(upload.p50) << "), " << downloaded << " downloaded (p50 "
         << ms_text(download.p50) << "), " << intact << " intact; the file server saw "
         << host_.addresses_seen() << " addresses, " << clients_seen << " of them clients'";
    report.line("files", line.str());
    report.count("attachments_uploaded", uploaded);
    report.count("attachments_intact", intact);
    report.measure("attachment_upload_p50_ms", upload.p50);
    report.measure("attachment_download_p50_ms", download.p50);
}

void AttachmentWorkload::write_csv(std::ostream& out) const {
    out << "message,sender,recipient,bytes,upload_start_s,uploaded_s,download_start_s,"
           "downloaded_s,intact,error\n";
    const auto opt = [](const std::optional<double>& v) { return v ? fixed(*v, 6) : ""; };
    for (const auto& r : records_) {
        out << r.message << ',' << r.sender << ',' << r.recipient << ',' << r.bytes << ','
            << fixed(r.upload_start_s, 6) << ',' << opt(r.uploaded_s) << ','
            << opt(r.download_start_s) << ',' << opt(r.downloaded_s) << ',' << (r.intact ? 1 : 0)
            << ',' << r.error << '\n';
    }
}

}  // namespace sessionsim::scenario
