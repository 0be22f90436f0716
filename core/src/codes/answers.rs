//! The code tables of the Ferma API's answers: document status, error
//! source, error codes (§5) and the cashbox monitoring values (§7.1, §7.2).

use super::table::code_table;

code_table! {
    /// The processing status of a document (§3.1.3 table 3.5, §4 tables 4.1–4.2).
    pub enum ReceiptStatus: "receipt_status", "ferma-api §3.1.3, §4", string {
        Wait = "wait" => "ожидание",
        Done = "done" => "готово",
        Fail = "fail" => "ошибка",
    }
}

code_table! {
    /// Where an error comes from (`error.type`, §3.1.3 table 3.5).
    pub enum ErrorSource: "error_type", "ferma-api §3.1.3 table 3.5", string {
        System = "system" => "системная ошибка",
        Unknown = "unknown" => "неизвестная ошибка",
        Wait = "wait" => "ожидание",
    }
}

code_table! {
    /// Ferma's error codes (`error.code`): those the spec's examples show
    /// (§2, §3.1.3, §4) and the cashbox errors of table 5.1, whose symbolic
    /// names are accepted as aliases.
    pub enum FermaErrorCode: "ferma_error", "ferma-api §2, §3.1.3, §4, §5 table 5.1", integer {
        InvalidCredentials = 12 => "Неверный логин или пароль",
        InvalidUuid = 30 => "Передан некорректный UUID. Необходимо повторить запрос с корректными данными",
        ReceiptStateNotFound = 34 => "Состояние чека не найдено. Попробуйте позднее",
        CashboxNotFiscalized = 1070, aliases = ["CASHBOX_NOT_FISCALIZED"]
            => "Касса не фискализирована. По кассе Ferma не завершена регистрация в ФНС",
        CashboxRequiresRegistrationCompletion = 1071, aliases = ["CASHBOX_REQUIRES_REGISTRATION_COMPLETION"]
            => "По кассе требуется завершение регистрации. По кассе Ferma регистрация в ФНС не завершена",
        CashboxToArchiving = 1072, aliases = ["CASHBOX_TO_ARCHIVING"]
            => "Касса подготавливается к архивации. Необходима замена фискального накопителя",
        CashboxArchived = 1073, aliases = ["CASHBOX_ARCHIVED"]
            => "Касса заархивирована. Необходима замена фискального накопителя",
        CashboxReregistrationRequired = 1074, aliases = ["CASHBOX_REREGISTRATION_REQUIRED"]
            => "По кассе требуется перерегистрации. По кассе Ferma перерегистрация в ФНС не завершена",
        CashboxRemovedFromBalancing = 1075, aliases = ["CASHBOX_REMOVED_FROM_BALANCING"]
            => "Касса убрана из балансировки. По кассе проводятся временные технические работы",
        CashboxRequiresReregistrationCompletion = 1076, aliases = ["CASHBOX_REQUIRES_REREGISTRATION_COMPLETION"]
            => "По кассе требуется завершение перерегистрации. По кассе Ferma перерегистрация в ФНС не завершена",
        CashboxRequiresErasure = 1077, aliases = ["CASHBOX_REQUIRES_ERASURE"]
            => "Касса требует обнуления. По кассе проводятся временные технические работы",
        CashboxFirmwareUpdateInProgress = 1078, aliases = ["CASHBOX_FIRMWARE_UPDATE_IN_PROGRESS"]
            => "Проводится прошивка кассы. По кассе проводятся временные технические работы",
        CashboxWithdrawnForNonpayment = 1079, aliases = ["CASHBOX_WITHDRAWN_FOR_NONPAYMENT"]
            => "Касса выведена за неуплату. Не оплачена касса Ferma",
        CashboxStateUnknown = 1080, aliases = ["CASHBOX_STATE_UNKNOWN"]
            => "Нет касс Ferma в статусе 'Готова к работе'",
    }
}

impl FermaErrorCode {
    /// The symbolic name table 5.1 gives (`CASHBOX_ARCHIVED`), if any.
    pub fn symbol(self) -> Option<&'static str> {
        use super::Code;
        self.entry().aliases.first().copied()
    }

    /// Whether the error is about the cashbox (table 5.1): the receipt was
    /// not fiscalised and may be sent again once the cashbox is fixed.
    pub fn is_cashbox_error(self) -> bool {
        use super::Code;
        self.number().is_some_and(|n| (1070..=1080).contains(&n))
    }
}

code_table! {
    /// The state of a cashbox in Ferma (§7.1, `kktState`); the wire form is
    /// the Russian name.
    pub enum KktState: "kkt_state", "ferma-api §7.1", string {
        Ready = "Готова к работе" => "касса принимает фискальные документы в штатном режиме",
        NotFiscalized = "Не фискализована"
            => "касса выделена клиенту и на кассе не сформирован отчет о регистрации, касса не формирует чеки",
        FiscalizationCompletionRequired = "Требуется завершение фискализации"
            => "на кассе клиента сформирован отчет о регистрации, требуется выведения кассы в работу в Личном Кабинете клиента, касса не формирует чеки",
        FnReplaced = "Заменен ФН" => "фискальный накопитель заменен на кассе, касса не формирует чеки",
        ToArchiving = "К архивации" => "на кассе требуется замена фискального накопителя, касса не формирует чеки",
        ReregistrationCompletionRequired = "Требуется завершение перерегистрации"
            => "касса выведена из балансировки, на кассе сформирован Отчет о перерегистрации и требуется завершить перерегистрацию в Личном кабинете клиента, касса не формирует чеки",
        FnInStorage = "ФН на хранении" => "фискальный накопитель переведен в хранение",
        ServiceEnding = "Заканчивается срок обслуживания"
            => "до остановки обслуживания кассы Ferma осталось менее 15 дней, касса принимает фискальные документы в штатном режиме",
        FirmwareUpdate = "Проводится прошивка" => "на кассе осуществляются плановые технические работы, касса не формирует чеки",
    }
}

impl KktState {
    /// Whether the cashbox accepts fiscal documents in this state (§7.1).
    pub fn accepts_receipts(self) -> bool {
        matches!(self, KktState::Ready | KktState::ServiceEnding)
    }
}

code_table! {
    /// The tariff of a cashbox (§7.2, `tariffType`); the wire form is the
    /// Russian name.
    pub enum TariffType: "tariff_type", "ferma-api §7.2", string {
        Monthly = "Стоимость за 1 месяц" => "тарификация осуществляется за 1 календарный месяц",
        Yearly = "Стоимость за 12 месяцев" => "тарификация осуществляется за 12 календарных месяцев",
        PerReceipt = "Стоимость за 1 чек" => "тарификация осуществляется по количеству пробитых чеков",
    }
}
