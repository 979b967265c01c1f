// A recipient opening whatever its swarm holds: envelope, decryption, unpadding, content.
#include "fuzz/fuzz_support.h"
#include "models/identity/keys.h"
#include "models/message/envelope.h"
#include "models/message/one_to_one.h"
#include "models/message/padding.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace sessionsim;
    static const auto recipient =
        identity::Identity::from_ed25519_seed(crypto::derived_seed(1, "client ", 0));
    const auto input = fuzz::bytes_of(data, size);
    fuzz::expect_precise_errors([&] { (void)message::open_text_message(recipient, input); });
    fuzz::expect_precise_errors([&] { (void)message::unpad_message(input); });
    fuzz::expect_precise_errors([&] { (void)message::unwrap_envelope(input); });
    fuzz::expect_precise_errors([&] { (void)message::parse_text_content(input); });
    return 0;
}
