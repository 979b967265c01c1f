#include "sim/apps/attachment_transfer.h"

#include <nlohmann/json.hpp>

#include "models/attachment/attachment.h"
#include "models/crypto/hash.h"

namespace sessionsim::apps {

void upload_attachment(ns3::Ptr<ClientApp> app, const onion::ServerKeys& server, ByteView file,
                       UploadDone done) {
    attachment::Encrypted enc;
    try {
        enc = attachment::encrypt(app->Client().identity().ed25519_seed(), file);
    } catch (const InvalidInput& e) {
        done(std::nullopt, e.what());
        return;
    }
    message::AttachmentPointer pointer;
    pointer.key.assign(enc.key.begin(), enc.key.end());
    const auto digest = crypto::sha256(enc.data);
    pointer.digest.assign(digest.begin(), digest.end());
    pointer.size = static_cast<std::uint32_t>(file.size());
    const std::string base = "http://" + server.host + "/file/";
    app->ServerRequest(
        server,
        {"POST", "/file", nlohmann::json::object(), std::string(enc.data.begin(), enc.data.end())},
        [pointer, base, done](const client::ServerReplied& r) mutable {
            if (r.code != 200) {
                done(std::nullopt, r.code == 0 ? r.error : std::to_string(r.code) + " " + r.body);
                return;
            }
            const auto body = nlohmann::json::parse(r.body, nullptr, false);
            if (!body.is_object() || !body.contains("id") || !body.at("id").is_string()) {
                done(std::nullopt, "file server reply has no id: " + r.body);
                return;
            }
            pointer.url = base + body.at("id").get<std::string>();
            done(pointer, "");
        },
        kFileTransferTimeoutMs);
}

void download_attachment(ns3::Ptr<ClientApp> app, const onion::ServerKeys& server,
                         const message::AttachmentPointer& pointer, DownloadDone done) {
    const auto slash = pointer.url.rfind('/');
    if (slash == std::string::npos || pointer.key.size() != attachment::kKeySize) {
        done(std::nullopt, "malformed attachment pointer");
        return;
    }
    app->ServerRequest(
        server, {"GET", "/file/" + pointer.url.substr(slash + 1), nlohmann::json::object(), {}},
        [pointer, done](const client::ServerReplied& r) {
            if (r.code != 200) {
                done(std::nullopt, r.code == 0 ? r.error : std::to_string(r.code) + " " + r.body);
                return;
            }
            const Bytes data(r.body.begin(), r.body.end());
            const auto digest = crypto::sha256(data);
            if (!std::equal(digest.begin(), digest.end(), pointer.digest.begin(),
                            pointer.digest.end())) {
                done(std::nullopt, "digest mismatch: the downloaded file is not the one sent");
                return;
            }
            FixedBytes<attachment::kKeySize> key;
            std::copy(pointer.key.begin(), pointer.key.end(), key.begin());
            try {
                done(attachment::decrypt(data, key), "");
            } catch (const InvalidInput& e) {
                done(std::nullopt, e.what());
            }
        },
        kFileTransferTimeoutMs);
}

}  // namespace sessionsim::apps
