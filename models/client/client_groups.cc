// A client's groups: joining one, writing to it, an admin's keys and revocations, and the
// group messages a poll brings.
#include <algorithm>

#include "models/client/client.h"
#include "models/client/client_rpc.h"
#include "models/common/base64.h"
#include "models/group/group_text.h"
#include "models/storage/request_signatures.h"

namespace sessionsim::client {

using detail::add_subaccount_auth;
using detail::signature_by;
using detail::store_params;
using nlohmann::json;

namespace {

const std::vector<storage::Namespace> kGroupPollNamespaces{storage::ns::kGroupKeys,
                                                           storage::ns::kGroupMessages};
/// CONFIG_MESSAGE TTL: keys messages live as long as config messages.
constexpr std::int64_t kConfigTtlMs = 30LL * 24 * 3600 * 1000;

}  // namespace

void Client::join_group(const GroupInvite& invite, std::int64_t now) {
    const identity::AccountId account{static_cast<std::uint8_t>(identity::AccountPrefix::group),
                                      invite.group_key};
    groups_.insert_or_assign(
        account,
        GroupMembership{invite, group::GroupKeyring(invite.group_key, identity_), now, now});
}

const GroupMembership* Client::group(const identity::AccountId& account) const {
    const auto it = groups_.find(account);
    return it == groups_.end() ? nullptr : &it->second;
}

std::pair<std::uint64_t, ClientEvents> Client::send_group_text(const identity::AccountId& group,
                                                               std::string_view text,
                                                               std::int64_t now) {
    const auto it = groups_.find(group);
    if (it == groups_.end())
        throw InvalidInput("not a member of group " + group.to_hex());
    const auto keys = it->second.keyring.keys();
    if (keys.empty())
        throw InvalidInput("no key of group " + group.to_hex() + " is known yet");
    const std::string data =
        to_base64(group::compose_group_text(identity_, group, keys.front(), text, now, random_));
    const std::int64_t ttl = config_.message_ttl_ms;
    const GroupInvite invite = it->second.invite;
    it->second.last_activity_ms = now;
    return enqueue({group, "store",
                    [=](std::int64_t at) {
                        const auto ns = storage::ns::kGroupMessages;
                        json p = store_params(group, ns, data, now, ttl);
                        p["sig_timestamp"] = at;
                        add_subaccount_auth(p, invite, storage::store_signed_string(ns, at));
                        return p;
                    }},
                   now);
}

std::pair<std::uint64_t, ClientEvents> Client::push_group_keys(const group::GroupAdmin& admin,
                                                               const group::KeysMessage& keys,
                                                               std::int64_t now) {
    const auto account = admin.account();
    const auto signer = admin.signing_keys();
    const std::string data = to_base64(keys.data);
    return enqueue({account, "store",
                    [=](std::int64_t at) {
                        const auto ns = storage::ns::kGroupKeys;
                        json p = store_params(account, ns, data, now, kConfigTtlMs);
                        p["sig_timestamp"] = at;
                        p["signature"] =
                            signature_by(signer.secret_key, storage::store_signed_string(ns, at));
                        return p;
                    }},
                   now);
}

std::pair<std::uint64_t, ClientEvents> Client::revoke_group_member(
    const group::GroupAdmin& admin, const storage::SubaccountToken& token, std::int64_t now) {
    const auto account = admin.account();
    const json p{{"pubkey", account.to_hex()},
                 {"revoke", to_base64(token.bytes)},
                 {"signature", admin.revoke_signature(token)}};
    return enqueue({account, "revoke_subaccount", [p](std::int64_t) { return p; }}, now);
}

const std::vector<storage::Namespace>& Client::namespaces_of(
    const identity::AccountId& account) const {
    return groups_.contains(account) ? kGroupPollNamespaces : config_.poll_namespaces;
}

void Client::handle_group_message(GroupMembership& g, storage::Namespace ns,
                                  const std::string& hash, const json& m, std::int64_t now,
                                  ClientEvents& events) {
    try {
        const Bytes data = from_base64(m.at("data").get<std::string>());
        if (ns == storage::ns::kGroupKeys) {
            g.keyring.load(data);
            return;
        }
        auto text = group::open_group_text(data, g.keyring.keys());
        const auto sent = static_cast<std::int64_t>(text.timestamp_ms);
        g.last_activity_ms = std::max(g.last_activity_ms.value_or(sent), sent);
        if (text.sender == identity_.session_id())
            return;  // our own message, seen in the group's swarm
        const identity::AccountId group{static_cast<std::uint8_t>(identity::AccountPrefix::group),
                                        g.invite.group_key};
        events.push_back(MessageReceived{std::move(text), hash, now, group});
    } catch (const std::exception&) {
        ++counters_.undecryptable;
    }
}

}  // namespace sessionsim::client
