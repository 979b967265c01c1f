#include "sim/apps/frame.h"

#include <algorithm>

namespace sessionsim::apps {
namespace {

void put_le(std::string& out, std::uint64_t v, int bytes) {
    for (int i = 0; i < bytes; ++i)
        out.push_back(static_cast<char>(v >> (8 * i)));
}

std::uint64_t get_le(const std::string& in, std::size_t at, int bytes) {
    std::uint64_t v = 0;
    for (int i = bytes - 1; i >= 0; --i)
        v = (v << 8) | static_cast<std::uint8_t>(in[at + i]);
    return v;
}

}  // namespace

std::string encode_frame(const Frame& frame) {
    std::string out;
    out.reserve(13 + frame.payload.size());
    put_le(out, 9 + frame.payload.size(), 4);
    out.push_back(static_cast<char>(frame.kind));
    put_le(out, frame.request_id, 8);
    out += frame.payload;
    return out;
}

std::string encode_reply(std::uint64_t request_id, int status, const std::string& body) {
    std::string payload;
    put_le(payload, static_cast<std::uint16_t>(status), 2);
    payload += body;
    return encode_frame({FrameKind::reply, request_id, std::move(payload)});
}

std::optional<std::pair<int, std::string>> decode_reply(const std::string& payload) {
    if (payload.size() < 2)
        return std::nullopt;
    return std::make_pair(static_cast<int>(get_le(payload, 0, 2)), payload.substr(2));
}

std::uint8_t* FrameReader::append(std::size_t size) {
    // next() empties the buffer once everything in it is read, so there is nothing to drop here.
    const std::size_t at = buffer_.size();
    buffer_.resize(at + size);
    return reinterpret_cast<std::uint8_t*>(buffer_.data() + at);
}

void FrameReader::feed(const std::uint8_t* data, std::size_t size) {
    std::copy_n(data, size, append(size));
}

std::optional<Frame> FrameReader::next() {
    if (broken_ || buffer_.size() - offset_ < 4)
        return std::nullopt;
    const std::uint64_t length = get_le(buffer_, offset_, 4);
    if (length < 9 || length > max_frame_) {
        broken_ = true;
        return std::nullopt;
    }
    if (buffer_.size() - offset_ - 4 < length)
        return std::nullopt;
    const auto kind = static_cast<std::uint8_t>(buffer_[offset_ + 4]);
    if (kind < 1 || kind > kLastFrameKind) {
        broken_ = true;
        return std::nullopt;
    }
    Frame f{static_cast<FrameKind>(kind), get_le(buffer_, offset_ + 5, 8),
            buffer_.substr(offset_ + 13, length - 9)};
    offset_ += 4 + length;
    if (offset_ == buffer_.size()) {
        // Everything received has been handed on. Give the memory back rather than clear():
        // a cleared string keeps its capacity, so every connection a 10 MB attachment crossed
        // held 10 MB until it closed, and every idle connection its largest frame.
        std::string().swap(buffer_);
        offset_ = 0;
    } else if (offset_ > (1 << 20)) {  // compact now and then
        buffer_.erase(0, offset_);
        offset_ = 0;
    }
    return f;
}

}  // namespace sessionsim::apps
