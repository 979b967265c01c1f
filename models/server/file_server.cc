#include "models/server/file_server.h"

namespace sessionsim::server {

onion::V4Response FileServer::handle(const onion::V4Request& request, std::int64_t now_ms) {
    expire(now_ms);
    onion::V4Response response;
    std::string id;
    if (request.endpoint == "/file" && request.method == "POST") {
        response = upload(request, now_ms);
        if (response.code == 200)
            id = nlohmann::json::parse(response.body).at("id").get<std::string>();
    } else if (request.endpoint.rfind("/file/", 0) == 0 && request.method == "GET") {
        id = request.endpoint.substr(6);
        response = download(id, now_ms);
    } else {
        response = json_response(404, {{"error", "Not found: " + request.endpoint}});
    }
    const std::size_t bytes = request.method == "POST" ? request.body.value_or("").size()
                              : response.code == 200   ? response.body.size()
                                                       : 0;
    log_.push_back({now_ms, request.method, id, bytes, response.code});
    return response;
}

onion::V4Response FileServer::upload(const onion::V4Request& request, std::int64_t now_ms) {
    if (!request.body || request.body->empty())
        return json_response(400, {{"error", "No file data provided"}});
    if (request.body->size() > max_upload()) {
        return json_response(
            413, {{"error", "File too large: " + std::to_string(request.body->size()) +
                                " bytes; the limit is " + std::to_string(max_upload())}});
    }
    const std::string id = std::to_string(next_id_++);
    const std::int64_t expires = now_ms + kExpiryMs;
    bytes_ += request.body->size();
    files_[id] = File{*request.body, expires};
    return json_response(200, {{"id", id}, {"expires", static_cast<double>(expires) / 1000}});
}

onion::V4Response FileServer::download(const std::string& id, std::int64_t now_ms) {
    const auto it = files_.find(id);
    if (it == files_.end() || it->second.expires_ms <= now_ms)
        return json_response(404, {{"error", "File not found"}});
    return {200, {{"content-type", "application/octet-stream"}}, it->second.data};
}

void FileServer::expire(std::int64_t now_ms) {
    if (now_ms - last_sweep_ms_ < 60'000)
        return;  // downloads check expiry themselves; the sweep only frees memory
    last_sweep_ms_ = now_ms;
    for (auto it = files_.begin(); it != files_.end();) {
        if (it->second.expires_ms <= now_ms) {
            bytes_ -= it->second.data.size();
            it = files_.erase(it);
        } else {
            ++it;
        }
    }
}

}  // namespace sessionsim::server
