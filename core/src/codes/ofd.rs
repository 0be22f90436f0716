//! The code tables of the OFD.ru KKT registration API
//! (ofd-kkt-registration-api.ru.txt §§2.1.1–2.5.2 and appendix 1).

use super::table::code_table;

code_table! {
    /// The status of a registration application (§2.1.1, `Status`).
    pub enum ApplicationStatus: "application_status", "ofd-kkt-registration §2.1.1", string {
        New = "New" => "заявка создана",
        AwaitingDocuments = "AwaitingDocuments" => "ожидается формирование документов по заявке",
        AwaitingSignature = "AwaitingSignature" => "ожидается подпись документов с помощью ЭЦП",
        ProcessingSignedDocuments = "ProcessingSignedDocuments" => "идет проверка данных заявки",
        ReadyToBeSentToFns = "ReadyToBeSentToFns" => "заявка проверена, производится отправка в ФНС",
        SentToFns = "SentToFns" => "заявка отправлена в ФНС",
        Rejected = "Rejected" => "заявка отклонена",
        Approved = "Approved" => "заявка одобрена",
        UnknownError = "UnknownError" => "ошибка обработки заявки",
    }
}

code_table! {
    /// The processing stage of an application (§2.1.3, `Stage`).
    pub enum ApplicationStage: "application_stage", "ofd-kkt-registration §2.1.3", string {
        Initialization = "Initialization" => "регистрация заявки",
        Finalization = "Finalization" => "завершение регистрации",
    }
}

code_table! {
    /// What the application is for (table 1 `purpose`, §2.1.4 `Purpose`).
    /// Table 1 writes `Reregistration` and `Unregistration`, §2.1.4
    /// `ReRegistration` and `UnRegistration`: both are read, table 1's
    /// spelling is written.
    pub enum ApplicationPurpose: "application_purpose", "ofd-kkt-registration table 1, §2.1.4", string {
        InitialRegistration = "InitialRegistration" => "постановка кассы на учет в ФНС",
        Reregistration = "Reregistration", aliases = ["ReRegistration"] => "перерегистрация кассы",
        Unregistration = "Unregistration", aliases = ["UnRegistration"] => "снятие кассы с учета",
    }
}

code_table! {
    /// The kind of company (§2.1.2, `CompanyType`). The wire spelling
    /// `PrivateEnterpreneur` is the server's and is kept; the correct
    /// spelling is read too.
    pub enum CompanyType: "company_type", "ofd-kkt-registration §2.1.2", string {
        LegalEntity = "LegalEntity" => "юридическое лицо",
        PrivateEnterpreneur = "PrivateEnterpreneur", aliases = ["PrivateEntrepreneur"] => "частный предприниматель",
    }
}

code_table! {
    /// The kind of an application's document (§2.3.2, `Kind`): the number
    /// of its form, sent as a string.
    pub enum DocumentKind: "document_kind", "ofd-kkt-registration §2.3.2", string {
        RegistrationApplication = "1110061", number = 1110061
            => "заявление о регистрации (перерегистрации) контрольно-кассовой техники",
        UnregistrationApplication = "1110062", number = 1110062
            => "заявление о снятии контрольно-кассовой техники с регистрационного учета",
        RegistrationReport = "1110201", number = 1110201 => "данные отчета о регистрации",
        RegNumberNotice = "1110211", number = 1110211
            => "уведомление о присвоении регистрационного номера контрольно-кассовой технике",
        RegistrationCard = "1110066", number = 1110066 => "карточка регистрации",
        RefusalNotice = "1167003", number = 1167003 => "уведомление об отказе",
        UnregistrationCard = "1110065", number = 1110065
            => "карточка о снятии контрольно-кассовой техники с регистрационного учета",
    }
}

code_table! {
    /// The state of a document's digital signature (§2.3.3, `Signature`).
    pub enum SignatureState: "signature_state", "ofd-kkt-registration §2.3.3", string {
        Signed = "Signed" => "документ подписан",
        Unsigned = "Unsigned" => "документ не подписан",
        NotNeeded = "NotNeeded" => "цифровая подпись не нужна",
    }
}

code_table! {
    /// The error values of the application endpoints (§§2.1.5, 2.2.1,
    /// 2.3.1, 2.4.1, 2.5.2). `Missing_<Field>` is not a fixed value: see
    /// [`OfdError`](crate::ofd::OfdError).
    pub enum ApplicationError: "application_error", "ofd-kkt-registration §§2.1.5–2.5.2", string {
        OfdAgreementNotFound = "OfdAgreementNotFound" => "не найдены данные о компании",
        AccessDenied = "AccessDenied"
            => "пользователю запрещено создавать заявки; нет доступа к заявке",
        ApplicationNotFound = "ApplicationNotFound" => "не найдена заявка",
        InvalidStatus = "InvalidStatus" => "у заявки неверный статус",
        ErrorAutoFillingCompanyData = "ErrorAutoFillingCompanyData"
            => "не удалось автоматически получить данные о компании",
        ErrorAutoFillingDirectorData = "ErrorAutoFillingDirectorData"
            => "не удалось автоматически получить данные о руководителе компании",
        ErrorAutoFillingCompanyAddress = "ErrorAutoFillingCompanyAddress"
            => "не удалось автоматически получить данные об адресе компании",
        ErrorAutoFillingKktInstallmentPlace = "ErrorAutoFillingKktInstallmentPlace"
            => "не удалось автоматически получить данные об адресе установки ККТ",
    }
}

code_table! {
    /// The error values of partner client registration (appendix 1, table П1.2).
    pub enum PartnerError: "partner_error", "ofd-kkt-registration appendix 1, table П1.2", string {
        ValidationError = "ValidationError" => "Введенные данные непригодны к использованию",
        AccessDenied = "AccessDenied" => "Нет прав доступа",
        AgreementNotFound = "AgreementNotFound" => "Не найден ЛК",
        InternalError = "InternalError" => "Непредвиденная ошибка",
    }
}
