// Recovery phrases as a user might type them: any text.
#include "fuzz/fuzz_support.h"
#include "models/identity/mnemonic.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace sessionsim;
    fuzz::expect_precise_errors(
        [&] { (void)identity::mnemonic::decode_phrase(fuzz::text_of(data, size)); });
    return 0;
}
