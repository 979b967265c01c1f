// sessionsim proto: exactly one JSON object on success; exit 2, one stderr line and empty stdout
// on bad input.
#include <gtest/gtest.h>

#include "tests/cli/cli_runner.h"

namespace sessionsim::test {
namespace {

void expect_bad_input(const std::vector<std::string>& args, const std::string& reason_part) {
    const auto r = run(args);
    std::string joined;
    for (const auto& a : args)
        joined += a + " ";
    EXPECT_EQ(r.exit_code, 2) << joined;
    EXPECT_TRUE(r.out.empty()) << joined << " printed: " << r.out;
    ASSERT_FALSE(r.err.empty()) << joined;
    EXPECT_EQ(r.err.find('\n'), r.err.size() - 1) << "want exactly one line: " << r.err;
    EXPECT_NE(r.err.find(reason_part), std::string::npos) << joined << " said: " << r.err;
}

TEST(ProtoIdentity, SixteenByteSeedGivesTheOfficialSessionId) {
    const auto r = run({"proto", "identity", "0123456789abcdef0123456789abcdef"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const auto j = r.json();
    EXPECT_EQ(j.at("seed"), "0123456789abcdef0123456789abcdef");
    EXPECT_EQ(j.at("ed25519_pk"),
              "4cb76fdc6d32278e3f83dbf608360ecc6b65727934b85d2fb86862ff98c46ab7");
    EXPECT_EQ(j.at("x25519_pk"),
              "d2ad010eeb72d72e561d9de7bd7b6989af77dcabffa03a5111a6c859ae5c3a72");
    EXPECT_EQ(j.at("session_id"),
              "05d2ad010eeb72d72e561d9de7bd7b6989af77dcabffa03a5111a6c859ae5c3a72");
    EXPECT_EQ(j.at("phrase"),
              "vexed enjoy pigment films adept voted vexed enjoy pigment films adept voted adept");
    EXPECT_EQ(j.at("swarm_space"), "4206793176619794052");
}

TEST(ProtoIdentity, PaddedAndFullThirtyTwoByteSeeds) {
    const auto padded = run(
        {"proto", "identity", "0123456789abcdef0123456789abcdef00000000000000000000000000000000"});
    ASSERT_EQ(padded.exit_code, 0);
    EXPECT_EQ(padded.json().at("session_id"),
              "05d2ad010eeb72d72e561d9de7bd7b6989af77dcabffa03a5111a6c859ae5c3a72");
    EXPECT_EQ(
        padded.json().at("phrase").get<std::string>().size(),
        std::string(
            "vexed enjoy pigment films adept voted vexed enjoy pigment films adept voted adept")
            .size());
    const auto full = run(
        {"proto", "identity", "4cb76fdc6d32278e3f83dbf608360ecc6b65727934b85d2fb86862ff98c46ab7"});
    ASSERT_EQ(full.exit_code, 0);
    EXPECT_EQ(full.json().at("session_id"),
              "0577cb6c50ed49a2c45e383ac3ca855375c68300f7ff0c803ea93cb18437d61f46");
    std::istringstream words(full.json().at("phrase").get<std::string>());
    EXPECT_EQ(std::distance(std::istream_iterator<std::string>(words), {}), 25);
}

TEST(ProtoIdentity, FromPhrase) {
    const auto r = run({"proto", "identity", "--phrase",
                        "love love love love love love love love love love love love love"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.json().at("session_id"),
              "053db493811f729da20289e31498b8fe2b28edc90358cd3ec11a6b12ac1b9fb818");
}

TEST(ProtoIdentity, BadInput) {
    expect_bad_input({"proto", "identity", "0123"}, "16 bytes");
    expect_bad_input({"proto", "identity", std::string(32, 'g')}, "not hex");
    expect_bad_input({"proto", "identity", std::string(33, 'a')}, "odd number");
    expect_bad_input({"proto", "identity"}, "SEED_HEX or --phrase");
    expect_bad_input({"proto", "identity", "--phrase", "abbey abbey zoom"}, "32-bit");
    expect_bad_input({"proto", "identity", "--phrase", "abbey abbey abbey"}, "16 bytes");
    expect_bad_input({"proto", "identity", "00", "--phrase", "x"}, "excludes");
}

TEST(ProtoMnemonic, EncodeAndDecode) {
    const auto enc = run({"proto", "mnemonic", "encode", "000102030405060708090a0b0c0d0e0f"});
    ASSERT_EQ(enc.exit_code, 0) << enc.err;
    EXPECT_EQ(enc.json(), nlohmann::json({{"phrase",
                                           "amaze buffet cake entrance symptoms tiger lamb maze "
                                           "nestle python dusted faxed faxed"}}));
    const auto plain = run({"proto", "mnemonic", "encode", "01020304", "--no-checksum"});
    EXPECT_EQ(plain.json().at("phrase"), "object anxiety asked");

    const auto dec =
        run({"proto", "mnemonic", "decode", "ama buf cak ent sym tig lam maz nes pyt dus fax fax"});
    ASSERT_EQ(dec.exit_code, 0) << dec.err;
    EXPECT_EQ(dec.json().at("seed"), "000102030405060708090a0b0c0d0e0f");
    EXPECT_EQ(dec.json().at("checksum"), true);
    // Unquoted words work too.
    const auto split = run({"proto", "mnemonic", "decode", "object", "anxiety", "asked"});
    EXPECT_EQ(split.json().at("seed"), "01020304");
}

TEST(ProtoMnemonic, BadInput) {
    expect_bad_input({"proto", "mnemonic", "encode", "010203"}, "multiple of 4");
    expect_bad_input({"proto", "mnemonic", "encode", "zz"}, "not hex");
    expect_bad_input({"proto", "mnemonic", "encode"}, "HEX");
    expect_bad_input({"proto", "mnemonic", "decode", "abbey abbey zoom"}, "32-bit value");
    expect_bad_input({"proto", "mnemonic", "decode",
                      "buffet amaze cake entrance symptoms tiger lamb maze nestle python dusted "
                      "faxed faxed"},
                     "checksum");
    expect_bad_input({"proto", "mnemonic", "decode", "abbey abbey"}, "got 2 words");
    expect_bad_input({"proto", "mnemonic", "decode", "abbey blorp abbey"}, "unknown word 'blorp'");
    expect_bad_input({"proto", "mnemonic", "decode", "   "}, "empty");
    expect_bad_input({"proto", "mnemonic"}, "subcommand");
}

TEST(ProtoSwarm, SpacePickAndNewId) {
    const auto space = run({"proto", "swarm-space",
                            "050000000000000000000000000000000000000000000000000123456789abcdef"});
    ASSERT_EQ(space.exit_code, 0) << space.err;
    EXPECT_EQ(space.json(), nlohmann::json({{"swarm_space", "81985529216486895"}}));
    const auto raw = run({"proto", "swarm-space",
                          "0000000000000000000000000000000000000000000000000123456789abcdef"});
    EXPECT_EQ(raw.json().at("swarm_space"), "81985529216486895");

    const auto pick = run({"proto", "swarm-pick",
                           "0500000000000000000000000000000000000000000000000000000000000001f2",
                           "--swarms", "694,100,200,300,399,498,596"});
    ASSERT_EQ(pick.exit_code, 0) << pick.err;
    EXPECT_EQ(pick.json(), nlohmann::json({{"swarm_id", "498"}}));

    EXPECT_EQ(run({"proto", "new-swarm-id"}).json().at("swarm_id"), "0");
    EXPECT_EQ(run({"proto", "new-swarm-id", "--existing", "0"}).json().at("swarm_id"),
              "9223372036854775807");
    EXPECT_EQ(
        run({"proto", "new-swarm-id", "--existing", "9223372036854775807,0"}).json().at("swarm_id"),
        "13835058055282163711");
}

TEST(ProtoSwarm, BadInput) {
    expect_bad_input({"proto", "swarm-space", "05abcd"}, "64 hex");
    expect_bad_input({"proto", "swarm-space", std::string(64, 'x')}, "not hex");
    expect_bad_input({"proto", "swarm-space"}, "PUBKEY_HEX");
    const std::string pk(64, '0');
    expect_bad_input({"proto", "swarm-pick", pk}, "--swarms");
    expect_bad_input({"proto", "swarm-pick", pk, "--swarms", ""}, "no swarm ids");
    expect_bad_input({"proto", "swarm-pick", pk, "--swarms", "1,two"}, "'two'");
    expect_bad_input({"proto", "swarm-pick", pk, "--swarms", "1,-2"}, "'-2'");
    expect_bad_input({"proto", "swarm-pick", pk, "--swarms", "5,5"}, "listed twice");
    expect_bad_input({"proto", "swarm-pick", pk, "--swarms", "18446744073709551615"}, "reserved");
    expect_bad_input({"proto", "swarm-pick", pk, "--swarms", "18446744073709551616"}, "2^64-1");
    expect_bad_input({"proto", "new-swarm-id", "--existing", "1,,2"}, "empty");
    expect_bad_input({"proto", "new-swarm-id", "--existing", "18446744073709551615"}, "reserved");
    expect_bad_input({"proto", "new-swarm-id", "--existing", "7,7"}, "listed twice");
}

TEST(Cli, UnknownCommandsAndHelp) {
    expect_bad_input({}, "subcommand");
    expect_bad_input({"frobnicate"}, "frobnicate");
    expect_bad_input({"proto", "identity", "--bogus"}, "bogus");
    const auto help = run({"proto", "--help"});
    EXPECT_EQ(help.exit_code, 0);
    EXPECT_NE(help.out.find("swarm-pick"), std::string::npos);
    const auto version = run({"--version"});
    EXPECT_EQ(version.exit_code, 0);
    EXPECT_EQ(version.out.rfind("0.", 0), 0u);
}

}  // namespace
}  // namespace sessionsim::test
