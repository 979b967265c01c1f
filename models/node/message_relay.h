// sn.data: the bencoded message batches a node pushes to others when swarms change, stored
// by the receiver with insert-or-ignore (storage server relay_messages / bulk_store).
#pragma once

#include <string>
#include <vector>

#include "models/storage/message_store.h"

namespace sessionsim::node {

std::string encode_message_batch(const std::vector<const storage::StoredMessage*>& messages);

/// Throws InvalidInput on malformed input (nothing is stored from a batch that fails to parse).
std::vector<storage::StoredMessage> decode_message_batch(std::string_view batch);

}  // namespace sessionsim::node
