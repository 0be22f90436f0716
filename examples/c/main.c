/* Build a receipt, check it, send it to Ferma (or the sandbox) and print its fiscal sign. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <ofdkit.h>

int main(void) {
    OfdkitReceiptBuilder *b = NULL;
    OfdkitFermaClient *ferma = NULL;
    char *receipt = NULL, *result = NULL, *sign = NULL;
    const char *url = getenv("OFDKIT_BASE_URL");
    char external_id[32];
    int status, done = 0;

    /* Every sale needs an external_id of its own: Ferma refuses one it has
       seen (table 3.2). A real POS uses its document number. */
    snprintf(external_id, sizeof external_id, "pos-%ld", (long)time(NULL));
    ofdkit_receipt_builder_new("sell", external_id, &b);
    ofdkit_receipt_builder_set_company(b, "osn", "7825706086", "Магазин на Невском, 1");
    ofdkit_receipt_builder_set_client(b, "buyer@example.ru", NULL);
    ofdkit_receipt_builder_add_item(b, "Чай зелёный", "249.90", "2", "vat20", 1, 0, NULL);
    ofdkit_receipt_builder_pay_rest(b, 1);
    status = ofdkit_receipt_builder_build(b, &receipt, NULL);
    if (status == OFDKIT_OK)
        status = ofdkit_ferma_client_new(url ? url : "https://ferma-test-at.ofd.ru", "fermatest2", "Go2999483Mb", "1", 0, 0, &ferma);
    if (status == OFDKIT_OK)
        status = ofdkit_ferma_fiscalize(ferma, "sell", receipt, strlen(receipt), 60000, &result);
    if (status == OFDKIT_OK && ofdkit_json_get(result, strlen(result), "/parts/0/payload/fiscal_document_attribute", &sign) == OFDKIT_OK)
        done = printf("fiscalised, fiscal sign %s\n", sign) > 0;
    else
        fprintf(stderr, "error %d: %s\n%s\n", status ? status : ofdkit_last_error_code(), ofdkit_last_error_message(), result ? result : "");
    ofdkit_string_free(sign);
    ofdkit_string_free(result);
    ofdkit_string_free(receipt);
    ofdkit_ferma_client_free(ferma);
    ofdkit_receipt_builder_free(b);
    return done ? 0 : 1;
}
