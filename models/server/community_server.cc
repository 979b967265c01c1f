#include "models/server/community_server.h"

#include <variant>

#include "models/common/base64.h"
#include "models/crypto/hash.h"
#include "models/identity/blinding.h"
#include "models/message/envelope.h"
#include "models/message/padding.h"

namespace sessionsim::server {

using nlohmann::json;

namespace {

std::string signed_request(const crypto::Ed25519PublicKey& server_key, ByteView nonce,
                           std::int64_t timestamp_s, const std::string& method,
                           const std::string& path, const std::optional<std::string>& body) {
    std::string m(server_key.begin(), server_key.end());
    m.append(nonce.begin(), nonce.end());
    m += std::to_string(timestamp_s) + method + path;
    if (body && !body->empty()) {
        const Bytes h = crypto::blake2b(64, {as_bytes(*body)});
        m.append(h.begin(), h.end());
    }
    return m;
}

onion::V4Request signed_v4(const identity::Identity& user,
                           const crypto::Ed25519PublicKey& server_key, std::string method,
                           std::string path, std::optional<std::string> body, std::int64_t now_ms,
                           crypto::RandomSource& random) {
    const auto nonce = random.bytes<16>();
    const std::int64_t ts = now_ms / 1000;
    const auto sig =
        identity::blind15_sign(user.ed25519().secret_key, server_key,
                               as_bytes(signed_request(server_key, nonce, ts, method, path, body)));
    const auto id = identity::blind15(user.ed25519().secret_key, server_key).id();
    json headers{{"X-SOGS-Pubkey", id.to_hex()},
                 {"X-SOGS-Timestamp", std::to_string(ts)},
                 {"X-SOGS-Nonce", to_base64(nonce)},
                 {"X-SOGS-Signature", to_base64(sig)}};
    if (body)
        headers["Content-Type"] = "application/json";
    return {std::move(method), std::move(path), std::move(headers), std::move(body)};
}

}  // namespace

CommunityServer::CommunityServer(const crypto::Ed25519PublicKey& server_key,
                                 std::vector<std::string> rooms)
    : key_(server_key), rooms_(rooms.begin(), rooms.end()) {}

std::variant<std::string, std::string> CommunityServer::authenticate(
    const onion::V4Request& request, std::int64_t now_ms) {
    using Result = std::variant<std::string, std::string>;
    const auto header = [&](const char* k) -> std::string {
        return request.headers.contains(k) && request.headers.at(k).is_string()
                   ? request.headers.at(k).get<std::string>()
                   : std::string();
    };
    const std::string id = header("X-SOGS-Pubkey");
    const std::string ts = header("X-SOGS-Timestamp");
    const std::string nonce_b64 = header("X-SOGS-Nonce");
    const std::string sig_b64 = header("X-SOGS-Signature");
    if (id.empty() || ts.empty() || nonce_b64.empty() || sig_b64.empty())
        return Result(std::in_place_index<1>, "Missing authentication headers");
    try {
        const auto account = identity::AccountId::parse(id);
        if (account.prefix != 0x15)
            return Result(std::in_place_index<1>, "Only 15-blinded IDs are accepted");
        const std::int64_t t = std::stoll(ts);
        if (std::abs(now_ms / 1000 - t) > 86400)
            return Result(std::in_place_index<1>, "Invalid authentication: X-SOGS-Timestamp");
        const Bytes nonce = from_base64(nonce_b64);
        const Bytes sig = from_base64(sig_b64);
        if (nonce.size() != 16 || sig.size() != 64)
            return Result(std::in_place_index<1>, "Invalid authentication headers");
        if (!nonces_.insert(nonce_b64).second)
            return Result(std::in_place_index<1>, "Invalid authentication: nonce reused");
        crypto::Ed25519Signature s;
        std::copy(sig.begin(), sig.end(), s.begin());
        const auto m =
            signed_request(key_, nonce, t, request.method, request.endpoint, request.body);
        if (!crypto::ed25519_verify(account.key, s, as_bytes(m)))
            return Result(std::in_place_index<1>, "Invalid authentication: signature");
        return Result(std::in_place_index<0>, id);
    } catch (const std::exception&) {
        return Result(std::in_place_index<1>, "Invalid authentication headers");
    }
}

onion::V4Response CommunityServer::handle(const onion::V4Request& request, std::int64_t now_ms) {
    const auto auth = authenticate(request, now_ms);
    if (auth.index() == 1)
        return json_response(401, {{"error", std::get<1>(auth)}});
    const std::string& who = std::get<0>(auth);
    ids_seen_.insert(who);
    // /room/<token>/message  or  /room/<token>/messages/since/<seqno>
    const std::string& path = request.endpoint;
    if (path.rfind("/room/", 0) != 0)
        return json_response(404, {{"error", "Not found: " + path}});
    const auto slash = path.find('/', 6);
    const std::string room = path.substr(6, slash == std::string::npos ? slash : slash - 6);
    if (!rooms_.contains(room))
        return json_response(404, {{"error", "No such room: " + room}});
    const std::string rest = slash == std::string::npos ? "" : path.substr(slash);
    if (rest == "/message" && request.method == "POST") {
        const auto body = json::parse(request.body.value_or(""), nullptr, false);
        if (!body.is_object() || !body.contains("data") || !body.contains("signature"))
            return json_response(400, {{"error", "data and signature are required"}});
        Bytes data;
        try {
            data = from_base64(body.at("data").get<std::string>());
            const Bytes sig = from_base64(body.at("signature").get<std::string>());
            crypto::Ed25519Signature s;
            if (sig.size() != s.size())
                throw InvalidInput("signature size");
            std::copy(sig.begin(), sig.end(), s.begin());
            if (!crypto::ed25519_verify(identity::AccountId::parse(who).key, s, data))
                return json_response(400, {{"error", "Invalid message signature"}});
        } catch (const std::exception&) {
            return json_response(400, {{"error", "data and signature must be base64"}});
        }
        const auto seqno = static_cast<std::int64_t>(posts_.size()) + 1;
        posts_.push_back({seqno, room, who, now_ms, data, body.at("signature").get<std::string>()});
        return json_response(201, {{"id", seqno}, {"seqno", seqno}, {"posted", now_ms / 1000.0}});
    }
    static const std::string since = "/messages/since/";
    if (rest.rfind(since, 0) == 0 && request.method == "GET") {
        std::int64_t after = 0;
        try {
            after = std::stoll(rest.substr(since.size()));
        } catch (const std::exception&) {
            return json_response(400, {{"error", "Invalid seqno"}});
        }
        json out = json::array();
        for (const auto& p : posts_) {
            if (p.room == room && p.seqno > after && out.size() < 256) {
                out.push_back({{"id", p.seqno},
                               {"seqno", p.seqno},
                               {"session_id", p.session_id},
                               {"posted", p.posted_ms / 1000.0},
                               {"data", to_base64(p.data)},
                               {"signature", p.signature}});
            }
        }
        return json_response(200, out);
    }
    return json_response(404, {{"error", "Not found: " + path}});
}

onion::V4Request community_post(const identity::Identity& user,
                                const crypto::Ed25519PublicKey& server_key, const std::string& room,
                                std::string_view text, std::int64_t now_ms,
                                crypto::RandomSource& random) {
    const Bytes data =
        message::pad_message(message::make_text_content(text, static_cast<std::uint64_t>(now_ms)));
    const auto sig = identity::blind15_sign(user.ed25519().secret_key, server_key, data);
    const json body{{"data", to_base64(data)}, {"signature", to_base64(sig)}};
    return signed_v4(user, server_key, "POST", "/room/" + room + "/message", body.dump(), now_ms,
                     random);
}

onion::V4Request community_poll(const identity::Identity& user,
                                const crypto::Ed25519PublicKey& server_key, const std::string& room,
                                std::int64_t since, std::int64_t now_ms,
                                crypto::RandomSource& random) {
    return signed_v4(user, server_key, "GET",
                     "/room/" + room + "/messages/since/" + std::to_string(since), std::nullopt,
                     now_ms, random);
}

}  // namespace sessionsim::server
