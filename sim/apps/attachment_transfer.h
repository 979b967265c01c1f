// Attachments as the apps move them: encrypt on the device (models/attachment), upload through
// an onion request to the file server, and put the download link, key and digest in the
// message; the recipient downloads through its own paths, checks the digest, then decrypts.
#pragma once

#include <functional>
#include <optional>
#include <string>

#include <ns3/ptr.h>

#include "models/message/envelope.h"
#include "models/onion/builder.h"
#include "sim/apps/client_app.h"

namespace sessionsim::apps {

/// Uploads and downloads may take far longer than a storage request.
inline constexpr std::int64_t kFileTransferTimeoutMs = 120'000;

using UploadDone =
    std::function<void(std::optional<message::AttachmentPointer> pointer, std::string error)>;
using DownloadDone = std::function<void(std::optional<Bytes> file, std::string error)>;

/// Encrypts `file` with the uploader's key and POSTs it to the file server.
void upload_attachment(ns3::Ptr<ClientApp> app, const onion::ServerKeys& server, ByteView file,
                       UploadDone done);

/// GETs the pointer's file, checks its SHA-256 against the digest, and decrypts it.
void download_attachment(ns3::Ptr<ClientApp> app, const onion::ServerKeys& server,
                         const message::AttachmentPointer& pointer, DownloadDone done);

}  // namespace sessionsim::apps
