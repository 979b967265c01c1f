#include "testbed/tls.h"

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

#include <stdexcept>

namespace sessionsim::testbed {

namespace ssl = boost::asio::ssl;

namespace {

[[noreturn]] void fail(const char* what) {
    char reason[256] = "unknown";
    if (const unsigned long e = ERR_get_error())
        ERR_error_string_n(e, reason, sizeof reason);
    throw std::runtime_error(std::string("TLS: ") + what + ": " + reason);
}

struct KeyDeleter {
    void operator()(EVP_PKEY* k) const { EVP_PKEY_free(k); }
};
struct CertDeleter {
    void operator()(X509* c) const { X509_free(c); }
};

}  // namespace

std::shared_ptr<ssl::context> self_signed_server_context(const std::string& common_name) {
    std::unique_ptr<EVP_PKEY, KeyDeleter> key(EVP_EC_gen("P-256"));
    if (!key)
        fail("key generation");
    std::unique_ptr<X509, CertDeleter> cert(X509_new());
    if (!cert)
        fail("certificate");
    X509_set_version(cert.get(), 2);
    ASN1_INTEGER_set(X509_get_serialNumber(cert.get()), 1);
    X509_gmtime_adj(X509_getm_notBefore(cert.get()), 0);
    X509_gmtime_adj(X509_getm_notAfter(cert.get()), 60L * 60 * 24 * 365 * 10);
    X509_set_pubkey(cert.get(), key.get());
    X509_NAME* name = X509_get_subject_name(cert.get());
    X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                               reinterpret_cast<const unsigned char*>(common_name.c_str()), -1, -1,
                               0);
    X509_set_issuer_name(cert.get(), name);
    if (X509_sign(cert.get(), key.get(), EVP_sha256()) == 0)
        fail("signing the certificate");

    auto context = std::make_shared<ssl::context>(ssl::context::tls_server);
    context->set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 |
                         ssl::context::no_sslv3 | ssl::context::no_tlsv1 |
                         ssl::context::no_tlsv1_1);
    if (SSL_CTX_use_certificate(context->native_handle(), cert.get()) != 1)
        fail("using the certificate");
    if (SSL_CTX_use_PrivateKey(context->native_handle(), key.get()) != 1)
        fail("using the key");
    return context;
}

std::shared_ptr<ssl::context> unverified_client_context() {
    auto context = std::make_shared<ssl::context>(ssl::context::tls_client);
    context->set_verify_mode(ssl::verify_none);
    return context;
}

}  // namespace sessionsim::testbed
