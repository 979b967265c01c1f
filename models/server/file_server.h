// The Session file server (session-file-server), sans-I/O: encrypted attachments uploaded with
// POST /file and fetched with GET /file/<id>, each kept for three weeks (FILE_EXPIRY). It never
// sees plaintext or keys, and through onion requests not the client's address either, but it
// does see every upload's and download's time and size: its log is a vantage point.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "models/attachment/attachment.h"
#include "models/server/onion_server.h"

namespace sessionsim::server {

/// What the file server could log about one request.
struct FileAccess {
    std::int64_t at_ms = 0;
    std::string method;  ///< POST (upload) or GET (download)
    std::string id;
    std::size_t bytes = 0;
    int code = 0;
};

class FileServer : public V4Server {
public:
    /// The largest upload: an attachment of the apps' 10 MB limit, encrypted and padded.
    static std::size_t max_upload() {
        return attachment::encrypted_size(attachment::kMaxAttachmentBytes);
    }
    static constexpr std::int64_t kExpiryMs = 21LL * 24 * 3600 * 1000;

    onion::V4Response handle(const onion::V4Request& request, std::int64_t now_ms) override;

    std::size_t files() const { return files_.size(); }
    std::size_t stored_bytes() const { return bytes_; }
    const std::vector<FileAccess>& log() const { return log_; }

private:
    struct File {
        std::string data;
        std::int64_t expires_ms = 0;
    };
    onion::V4Response upload(const onion::V4Request& request, std::int64_t now_ms);
    onion::V4Response download(const std::string& id, std::int64_t now_ms);
    void expire(std::int64_t now_ms);

    std::map<std::string, File> files_;
    std::size_t bytes_ = 0;
    std::uint64_t next_id_ = 1;
    std::int64_t last_sweep_ms_ = 0;
    std::vector<FileAccess> log_;
};

}  // namespace sessionsim::server
