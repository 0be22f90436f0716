// The header in a C++17 translation unit: it compiles, links and works.
#include <cstdio>
#include <cstring>
#include <memory>
#include <string>

#include "ofdkit.h"

namespace {

struct StringFree {
    void operator()(char *s) const { ofdkit_string_free(s); }
};
using OwnedString = std::unique_ptr<char, StringFree>;

struct ViolationsFree {
    void operator()(OfdkitViolations *v) const { ofdkit_violations_free(v); }
};

}  // namespace

int main() {
    const std::string json = R"({"external_id": "cpp-1", "receipt": {"company": {"sno": "osn", "inn": "1234567891",
        "payment_address": "shop"}, "items": [], "payments": []}})";
    OfdkitViolations *raw = nullptr;
    int status = ofdkit_validate_receipt(json.data(), json.size(), "sell", &raw);
    std::unique_ptr<OfdkitViolations, ViolationsFree> violations(raw);
    if (status != OFDKIT_E_INVALID_REQUEST || ofdkit_violations_count(violations.get()) == 0) {
        return 1;
    }
    bool inn = false;
    for (std::size_t i = 0; i < ofdkit_violations_count(violations.get()); ++i) {
        const OfdkitViolation *v = ofdkit_violations_get(violations.get(), i);
        inn = inn || std::strcmp(v->code, "inn_checksum") == 0;
    }
    char *vat = nullptr;
    if (!inn || ofdkit_vat("120", "vat120", &vat) != OFDKIT_OK) {
        return 1;
    }
    OwnedString owned(vat);
    if (std::string(owned.get()) != "20.00") {
        return 1;
    }
    // Said aloud, so a runner that cannot trust the exit status (a 32-bit
    // program under a 64-bit-only Wine exits 0 silently) sees it passed.
    std::puts("test_cpp: checks passed");
    return 0;
}
