// Protocol-core II: onion build/peel, message encrypt/decrypt, storage at 10,000 messages. Each
// has a twin that does only the raw libsodium work underneath (X25519, BLAKE2b, AEAD, Ed25519,
// sealed box); ratio_report.cc prints model/raw after the run, so the overhead is a ratio
// measured on the same machine in the same run.
#include <benchmark/benchmark.h>
#include <sodium.h>

#include "models/crypto/random.h"
#include "models/identity/keys.h"
#include "models/message/session_encrypt.h"
#include "models/onion/builder.h"
#include "models/onion/hop.h"
#include "models/storage/message_hash.h"
#include "models/storage/message_store.h"

namespace {

using namespace sessionsim;

struct Network {
    std::vector<crypto::X25519KeyPair> x;
    std::vector<onion::NodeKeys> keys;
    Network() {
        crypto::SeededRandom random(1, "bench nodes");
        for (int i = 0; i < 4; ++i) {
            crypto::X25519SecretKey sk;
            random.fill(sk.mutable_view());
            x.push_back(crypto::x25519_from_secret(sk));
            keys.push_back({x.back().public_key, random.bytes<32>()});
        }
    }
};

/// BLAKE2b-256(shared || A || B): the xchacha20 layer key, in raw libsodium calls.
void raw_layer_key(const unsigned char* shared, const unsigned char* a, const unsigned char* b,
                   unsigned char* key) {
    crypto_generichash_state h;
    crypto_generichash_init(&h, nullptr, 0, 32);
    crypto_generichash_update(&h, shared, 32);
    crypto_generichash_update(&h, a, 32);
    crypto_generichash_update(&h, b, 32);
    crypto_generichash_final(&h, key, 32);
}

const Bytes& payload() {
    static const Bytes p = [] {
        const std::string s =
            R"({"method":"store","params":{"data":")" + std::string(300, 'A') + "\"}}";
        return Bytes(s.begin(), s.end());
    }();
    return p;
}

void BM_OnionBuild3Hops(benchmark::State& state) {
    const Network net;
    crypto::SeededRandom random(2, "bench");
    const std::vector<onion::NodeKeys> path(net.keys.begin(), net.keys.begin() + 3);
    for (auto _ : state) {
        benchmark::DoNotOptimize(
            onion::build_onion(path, net.keys[3], payload(), onion::EncType::xchacha20, random));
    }
}
BENCHMARK(BM_OnionBuild3Hops);

/// The same primitives: per layer, a fresh X25519 key, the shared secret, BLAKE2b key
/// derivation and XChaCha20-Poly1305 over that layer's size.
void BM_Raw_OnionBuild3Hops(benchmark::State& state) {
    const Network net;
    std::vector<std::size_t> sizes{payload().size() + 18};
    for (int i = 0; i < 3; ++i)
        sizes.push_back(sizes.back() + 40 + 140);
    Bytes buf(sizes.back() + 64, 0x42), out(sizes.back() + 64);
    unsigned char sk[32], pk[32], shared[32], key[32], nonce[24];
    for (auto _ : state) {
        for (int layer = 0; layer < 4; ++layer) {
            randombytes_buf(sk, 32);
            crypto_scalarmult_base(pk, sk);
            if (crypto_scalarmult(shared, sk, net.x[3 - layer].public_key.data()) != 0)
                state.SkipWithError("x25519");
            raw_layer_key(shared, pk, net.x[3 - layer].public_key.data(), key);
            randombytes_buf(nonce, 24);
            unsigned long long n = 0;
            crypto_aead_xchacha20poly1305_ietf_encrypt(out.data(), &n, buf.data(), sizes[layer],
                                                       nullptr, 0, nullptr, nonce, key);
        }
        benchmark::DoNotOptimize(out.data());
    }
}
BENCHMARK(BM_Raw_OnionBuild3Hops);

/// The layer a guard receives for a 3-hop onion to net.keys[3].
onion::LayerEnvelope guard_layer(const Network& net, crypto::RandomSource& random) {
    const std::vector<onion::NodeKeys> path(net.keys.begin(), net.keys.begin() + 3);
    const auto built =
        onion::build_onion(path, net.keys[3], payload(), onion::EncType::xchacha20, random);
    return std::get<onion::LayerEnvelope>(onion::parse_entry_request(built.entry_body));
}

void BM_OnionPeelOneLayer(benchmark::State& state) {
    const Network net;
    crypto::SeededRandom random(3, "bench");
    const auto layer = guard_layer(net, random);
    for (auto _ : state)
        benchmark::DoNotOptimize(onion::peel_layer(layer, net.x[0], random));
}
BENCHMARK(BM_OnionPeelOneLayer);

void BM_Raw_OnionPeelOneLayer(benchmark::State& state) {
    const Network net;
    crypto::SeededRandom random(3, "bench");
    const auto layer = guard_layer(net, random);
    Bytes out(layer.ciphertext.size());
    unsigned char shared[32], key[32];
    for (auto _ : state) {
        if (crypto_scalarmult(shared, net.x[0].secret_key.data(), layer.ephemeral_key.data()) != 0)
            state.SkipWithError("x25519");
        raw_layer_key(shared, layer.ephemeral_key.data(), net.x[0].public_key.data(), key);
        unsigned long long n = 0;
        if (crypto_aead_xchacha20poly1305_ietf_decrypt(
                out.data(), &n, nullptr, layer.ciphertext.data() + 24, layer.ciphertext.size() - 24,
                nullptr, 0, layer.ciphertext.data(), key) != 0) {
            state.SkipWithError("decrypt");
        }
        benchmark::DoNotOptimize(out.data());
    }
}
BENCHMARK(BM_Raw_OnionPeelOneLayer);

struct Pair {
    identity::Identity alice =
        identity::Identity::from_ed25519_seed(crypto::Ed25519Seed::from(Bytes(32, 1)));
    identity::Identity bob =
        identity::Identity::from_ed25519_seed(crypto::Ed25519Seed::from(Bytes(32, 2)));
    Bytes message = Bytes(320, 0x61);  // two padding blocks
};

void BM_MessageEncryptDecrypt(benchmark::State& state) {
    const Pair p;
    crypto::SeededRandom random(4, "bench");
    for (auto _ : state) {
        const Bytes ct =
            message::encrypt_for_recipient(p.alice, p.bob.x25519().public_key, p.message, random);
        benchmark::DoNotOptimize(message::decrypt_incoming(p.bob, ct));
    }
}
BENCHMARK(BM_MessageEncryptDecrypt);

/// Ed25519 sign + sealed box, then sealed-box open + verify + Ed25519->X25519.
void BM_Raw_MessageEncryptDecrypt(benchmark::State& state) {
    const Pair p;
    const std::size_t inner_len = p.message.size() + 96;
    Bytes inner(inner_len), signed_part(p.message.size() + 64),
        sealed(inner_len + crypto_box_SEALBYTES), opened(inner_len);
    unsigned char sig[64], xpk[32];
    for (auto _ : state) {
        crypto_sign_detached(sig, nullptr, signed_part.data(), signed_part.size(),
                             p.alice.ed25519().secret_key.data());
        crypto_box_seal(sealed.data(), inner.data(), inner.size(),
                        p.bob.x25519().public_key.data());
        if (crypto_box_seal_open(opened.data(), sealed.data(), sealed.size(),
                                 p.bob.x25519().public_key.data(),
                                 p.bob.x25519().secret_key.data()) != 0) {
            state.SkipWithError("open");
        }
        benchmark::DoNotOptimize(crypto_sign_verify_detached(
            sig, signed_part.data(), signed_part.size(), p.alice.ed25519().public_key.data()));
        benchmark::DoNotOptimize(
            crypto_sign_ed25519_pk_to_curve25519(xpk, p.alice.ed25519().public_key.data()));
    }
}
BENCHMARK(BM_Raw_MessageEncryptDecrypt);

constexpr int kStoredMessages = 10'000;

std::vector<storage::StoredMessage> sample_messages() {
    crypto::SeededRandom random(5, "bench messages");
    std::vector<storage::StoredMessage> out;
    std::vector<identity::AccountId> owners(100);
    for (auto& o : owners)
        o.key = random.bytes<32>();
    for (int i = 0; i < kStoredMessages; ++i) {
        storage::StoredMessage m;
        m.owner = owners[i % owners.size()];
        m.data.resize(400);
        random.fill(m.data);
        m.timestamp_ms = 1'700'000'000'000 + i;
        m.expiry_ms = m.timestamp_ms + 14LL * 24 * 3600 * 1000;
        out.push_back(std::move(m));
    }
    return out;
}

/// Hash, store and page through 10,000 messages (100 accounts, 100 each, 50 per page).
void BM_Store10kThenRetrieveAll(benchmark::State& state) {
    const auto messages = sample_messages();
    for (auto _ : state) {
        storage::MessageStore store;
        for (const auto& m : messages) {
            auto copy = m;
            copy.hash = storage::message_hash(copy.owner, copy.ns, copy.data);
            store.store(std::move(copy));
        }
        std::size_t seen = 0;
        for (int a = 0; a < 100; ++a) {
            std::string last;
            while (true) {
                const auto page = store.retrieve(messages[a].owner, 0, last, 50, 7'800'000);
                seen += page.messages.size();
                if (page.messages.empty())
                    break;
                last = page.messages.back()->hash;
                if (!page.more)
                    break;
            }
        }
        if (seen != kStoredMessages)
            state.SkipWithError("lost messages");
    }
    state.SetItemsProcessed(state.iterations() * kStoredMessages);
}
BENCHMARK(BM_Store10kThenRetrieveAll)->Unit(benchmark::kMillisecond);

/// The only cryptography in storing: BLAKE2b-256 of each message for its hash.
void BM_Raw_Store10kThenRetrieveAll(benchmark::State& state) {
    const auto messages = sample_messages();
    unsigned char h[32];
    for (auto _ : state) {
        for (const auto& m : messages) {
            crypto_generichash_state s;
            crypto_generichash_init(&s, nullptr, 0, 32);
            crypto_generichash_update(&s, &m.owner.prefix, 1);
            crypto_generichash_update(&s, m.owner.key.data(), 32);
            crypto_generichash_update(&s, m.data.data(), m.data.size());
            crypto_generichash_final(&s, h, 32);
            benchmark::DoNotOptimize(h);
        }
    }
    state.SetItemsProcessed(state.iterations() * kStoredMessages);
}
BENCHMARK(BM_Raw_Store10kThenRetrieveAll)->Unit(benchmark::kMillisecond);

}  // namespace
