//! The component's methods and properties as 1C sees them: each name in
//! English and Russian, each parameter with its default. One list makes
//! both the table the platform reads and the enum the calls dispatch on,
//! so a number cannot point at the wrong method.

use crate::native::{Default, Method, Names, Param, Property};

const fn param(en: &'static str, ru: &'static str) -> Param {
    Param { name: Names { en, ru }, default: None }
}

const fn optional(en: &'static str, ru: &'static str, default: Default) -> Param {
    Param { name: Names { en, ru }, default: Some(default) }
}

const RECEIPT: Param = param("Receipt", "Чек");
const OPERATION: Param = optional("Operation", "Операция", Default::Str("sell"));
/// Seconds until a call that waits gives up: Ferma answers within a minute
/// or two in practice, and the caller can pass longer.
const DEADLINE: Param = optional("DeadlineSeconds", "СрокСекунд", Default::Int(60));
const UUID: Param = param("Uuid", "ИдентификаторЧека");
const APPLICATION: Param = param("Application", "Заявление");
const APPLICATION_ID: Param = param("ApplicationId", "ИдентификаторЗаявления");
const UPDATE: Param = param("Update", "Изменение");
const CHECK: Param = optional("Check", "Проверка", Default::Str("draft"));
const DOCUMENT_ID: Param = param("DocumentId", "ИдентификаторДокумента");
const REGISTRATION: Param = param("Registration", "Регистрация");

macro_rules! methods {
    ($( $id:ident: $en:literal / $ru:literal ( $($param:expr),* ) $(-> $returns:ident)? ;)+) => {
        /// Every method, in the order of [`METHODS`].
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        pub enum MethodId { $($id),+ }

        impl MethodId {
            pub const ALL: &'static [MethodId] = &[$(MethodId::$id),+];
        }

        pub const METHODS: &[Method] = &[$(
            Method { name: Names { en: $en, ru: $ru }, params: &[$($param),*], returns: methods!(@returns $($returns)?) }
        ),+];
    };
    (@returns value) => { true };
    (@returns) => { false };
}

methods! {
    ValidateReceipt: "ValidateReceipt" / "ПроверитьЧек" (RECEIPT, OPERATION) -> value;
    NormalizeReceipt: "NormalizeReceipt" / "НормализоватьЧек" (RECEIPT, OPERATION) -> value;
    FillTotals: "FillTotals" / "ЗаполнитьИтоги" (RECEIPT) -> value;
    VatOfSum: "VatOfSum" / "НДССуммы" (param("Sum", "Сумма"), param("VatType", "СтавкаНДС")) -> value;
    CodeTable: "CodeTable" / "ТаблицаКодов" (optional("TableName", "ИмяТаблицы", Default::Str(""))) -> value;
    KktRegistrationNumber: "KktRegistrationNumber" / "РегистрационныйНомерККТ" (
        param("FirstTenDigits", "ПервыеДесятьЦифр"), param("Inn", "ИНН"), param("SerialNumber", "ЗаводскойНомер")
    ) -> value;
    ValidateApplication: "ValidateApplication" / "ПроверитьЗаявление" (APPLICATION, CHECK) -> value;
    ValidateApplicationUpdate: "ValidateApplicationUpdate" / "ПроверитьИзменениеЗаявления" (UPDATE, CHECK) -> value;
    ValidatePartnerRegistration: "ValidatePartnerRegistration" / "ПроверитьРегистрациюКлиента" (REGISTRATION) -> value;
    SendReceipt: "SendReceipt" / "ОтправитьЧек" (RECEIPT, OPERATION) -> value;
    FiscalizeReceipt: "FiscalizeReceipt" / "ФискализироватьЧек" (RECEIPT, OPERATION, DEADLINE) -> value;
    RecoverReceipt: "RecoverReceipt" / "ВосстановитьЧек" (RECEIPT, OPERATION) -> value;
    ReceiptStatus: "ReceiptStatus" / "СтатусЧека" (UUID) -> value;
    WaitForReceipt: "WaitForReceipt" / "ОжидатьЧек" (UUID, DEADLINE) -> value;
    CreateApplication: "CreateApplication" / "СоздатьЗаявление" (APPLICATION) -> value;
    UpdateApplication: "UpdateApplication" / "ИзменитьЗаявление" (APPLICATION_ID, UPDATE) -> value;
    ListApplications: "ListApplications" / "СписокЗаявлений" (param("OfdAgreementId", "ИдентификаторДоговора")) -> value;
    GetApplication: "GetApplication" / "ПолучитьЗаявление" (APPLICATION_ID) -> value;
    PrepareDocuments: "PrepareDocuments" / "ПодготовитьДокументы" (APPLICATION_ID) -> value;
    SignDocument: "SignDocument" / "ПодписатьДокумент" (
        APPLICATION_ID, DOCUMENT_ID, param("SignatureBase64", "ПодписьBase64")
    ) -> value;
    DownloadDocument: "DownloadDocument" / "СкачатьДокумент" (APPLICATION_ID, DOCUMENT_ID) -> value;
    RegisterPartnerClient: "RegisterPartnerClient" / "ЗарегистрироватьКлиента" (REGISTRATION) -> value;
}

macro_rules! properties {
    ($( $id:ident: $en:literal / $ru:literal $access:ident ;)+) => {
        /// Every property, in the order of [`PROPERTIES`].
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        pub enum PropertyId { $($id),+ }

        impl PropertyId {
            pub const ALL: &'static [PropertyId] = &[$(PropertyId::$id),+];
        }

        pub const PROPERTIES: &[Property] = &[$(
            Property { name: Names { en: $en, ru: $ru }, readable: properties!(@read $access), writable: properties!(@write $access) }
        ),+];
    };
    (@read read_write) => { true };
    (@read read) => { true };
    (@read write) => { false };
    (@write read_write) => { true };
    (@write read) => { false };
    (@write write) => { true };
}

properties! {
    BaseUrl: "BaseUrl" / "АдресСервера" read_write;
    Login: "Login" / "Логин" read_write;
    // Secrets can be set, never read back.
    Password: "Password" / "Пароль" write;
    GroupCode: "GroupCode" / "КодГруппы" read_write;
    ConnectTimeout: "ConnectTimeoutSeconds" / "ТаймаутСоединенияСекунд" read_write;
    RequestTimeout: "RequestTimeoutSeconds" / "ТаймаутЗапросаСекунд" read_write;
    // One whole call, every attempt included: it ends by then.
    CallTimeout: "CallTimeoutSeconds" / "ТаймаутВызоваСекунд" read_write;
    // "" (the environment's proxy variables), "direct" or a proxy URL.
    Proxy: "Proxy" / "Прокси" read_write;
    RegistrationBaseUrl: "RegistrationBaseUrl" / "АдресРегистрации" read_write;
    PartnerBaseUrl: "PartnerBaseUrl" / "АдресПартнёрскогоAPI" read_write;
    RegistrationToken: "RegistrationToken" / "ТокенРегистрации" write;
    Violations: "Violations" / "Нарушения" read;
    LastError: "LastError" / "ПоследняяОшибка" read;
    ErrorCode: "ErrorCode" / "КодОшибки" read;
    Version: "Version" / "Версия" read;
    // "spec" (warnings are warnings) or "strict" (every warning is an error).
    Strictness: "Strictness" / "Строгость" read_write;
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::native::same_name;

    #[test]
    fn the_enums_follow_the_tables() {
        assert_eq!(MethodId::ALL.len(), METHODS.len());
        assert_eq!(PropertyId::ALL.len(), PROPERTIES.len());
        for (id, method) in MethodId::ALL.iter().zip(METHODS) {
            assert_eq!(format!("{id:?}"), method.name.en);
        }
    }

    #[test]
    fn every_name_is_unique_in_either_language_ignoring_case() {
        let names: Vec<&str> = METHODS
            .iter()
            .flat_map(|m| [m.name.en, m.name.ru])
            .chain(PROPERTIES.iter().flat_map(|p| [p.name.en, p.name.ru]))
            .collect();
        for (i, a) in names.iter().enumerate() {
            for b in &names[i + 1..] {
                assert!(!same_name(a, b), "{a} and {b}");
            }
        }
    }

    /// The example common module (examples/1c) calls only methods and
    /// properties the component has.
    #[test]
    fn the_1c_example_uses_only_what_the_component_has() {
        let example = include_str!("../../../examples/1c/Ofdkit.bsl");
        let used: Vec<&str> = example
            .match_indices("Компонента.")
            .map(|(at, prefix)| {
                let rest = &example[at + prefix.len()..];
                &rest[..rest.find(|c: char| !c.is_alphanumeric() && c != '_').unwrap_or(rest.len())]
            })
            .collect();
        assert!(used.len() > 10, "{used:?}");
        for name in used {
            let known = METHODS.iter().map(|m| m.name).chain(PROPERTIES.iter().map(|p| p.name));
            assert!(known.clone().any(|n| same_name(name, n.ru) || same_name(name, n.en)), "{name}");
        }
    }

    #[test]
    fn required_parameters_come_before_optional_ones() {
        for method in METHODS {
            let first_optional = method.params.iter().position(|p| p.default.is_some());
            if let Some(first) = first_optional {
                assert!(method.params[first..].iter().all(|p| p.default.is_some()), "{}", method.name.en);
            }
        }
    }
}
