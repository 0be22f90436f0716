// The request structures of both APIs, member for member as the ofdkit core
// models them (core/src/ferma/{request,receipt,item,agent}.rs and
// core/src/ofd/{application,partner,place}.rs). Names are the wire names
// ofdkit writes; the other spellings the core reads (`kktDetails` beside
// `KktDetails`, the partner table's `name` beside the example's `Name`) are
// declared too, a required member as a choice of exactly one spelling.
// wasm/tests/types.test.mjs fails when a member, a spelling, its
// optionality or its type here differs from the core's model.

import type {
  AgentType,
  ApplicationPurpose,
  CompanyType,
  CorrectionType,
  DocumentCode,
  FederalId,
  Measure,
  PaymentMethod,
  PaymentObject,
  PaymentType,
  Sno,
  VatType,
} from './codes.js';

/**
 * Rubles: at most 8 integer and 2 fraction digits, never negative. Prefer a
 * string (`"249.90"`): it is read digit by digit. A number is read by its
 * shortest text, so `0.1 + 0.2` is `0.30000000000000004` and comes back as
 * a `too_precise` violation rather than being rounded.
 */
export type Money = string | number;
/** A quantity or weight: at most 5 integer and 3 fraction digits (99999.999). */
export type Quantity = string | number;
/** `dd.mm.yyyy HH:MM:SS`, for example `"24.11.2026 12:00:00"`. */
export type DateTimeText = string;
/** `dd.mm.yyyy`, for example `"24.11.2026"`. */
export type DateText = string;
/** `dd.mm.yy`, for example `"05.01.90"`. */
export type ShortDateText = string;
/** ISO 8601 without a zone, `yyyy-mm-ddTHH:MM:SS[.fff]`. */
export type IsoDateTimeText = string;

// ---------------------------------------------------------------- Ferma

/** The members every receipt request has (table 3.2). */
interface ReceiptRequestCommon {
  /** When the external system processed the document. */
  timestamp?: DateTimeText;
  /** Unique in the cashbox group: Ferma refuses a second request with a known one. */
  external_id: string;
  service?: Service;
}

/** A sale, refund or purchase: the document under `receipt`. */
export interface SaleRequest extends ReceiptRequestCommon {
  receipt: Receipt;
  correction?: never;
}

/** A correction: the document under `correction` (§3). */
export interface CorrectionRequest extends ReceiptRequestCommon {
  correction: Receipt;
  receipt?: never;
}

/** What is POSTed to `{group_code}/{operation}`: one document, under `receipt` or `correction`. */
export type ReceiptRequest = SaleRequest | CorrectionRequest;

/** The service section (table 3.2). */
export interface Service {
  /** Where Ferma POSTs the result once the document is done or failed. */
  callback_url?: string;
}

/** The receipt or correction body (table 3.2). */
export interface Receipt {
  /** The buyer (tag 1256): without email or phone the receipt goes to the email registered in Ferma. */
  client?: Client;
  company: Company;
  /** Required in the four correction operations, absent elsewhere. */
  correction_info?: CorrectionInfo;
  agent_info?: AgentInfo;
  supplier_info?: SupplierInfo;
  /** Tag 1059: at least one. */
  items: Item[];
  /** Tags 1031/1081: 1 to 10 payments. */
  payments: Payment[];
  /** The receipt's VAT sums by rate; when given, Ferma uses them instead of the items'. */
  vats?: ReceiptVat[];
  /** Tag 1020: the sum of the items, paid by the payments. */
  total?: Money;
  /** Tag 1192: at most 16 characters. */
  additional_check_props?: string;
  /** Tag 1021: at most 64 characters. */
  cashier?: string;
  /** Tag 1203: the cashier's INN, 12 digits. */
  cashier_inn?: string;
  additional_user_props?: AdditionalUserProps;
  /** Tag 1036: at most 20 characters. */
  device_number?: string;
  operating_check_props?: OperatingCheckProps;
  sectoral_check_props?: SectoralProps[];
}

/** The buyer (tag 1256). */
export interface Client {
  /** Where the electronic receipt goes (takes precedence over the phone). */
  email?: string;
  /** Tag 1008: `+7` and ten digits, such as `"+79001234567"`. */
  phone?: string;
  name?: string;
  inn?: string;
  birthdate?: ShortDateText;
  citizenship?: string;
  document_code?: DocumentCode;
  document_data?: string;
  address?: string;
}

/** The seller. */
export interface Company {
  email?: string;
  sno: Sno;
  /** 10 or 12 digits with valid check digits. */
  inn: string;
  /** The place of settlement: a shop's site for online sales. */
  payment_address: string;
}

/** What a correction corrects (footnote 13). */
export interface CorrectionInfo {
  type: CorrectionType;
  /** The date of the corrected settlement. */
  base_date: DateText;
  /** The tax authority's instruction number: needed for `type: "instruction"`. */
  base_number?: string;
}

export interface Payment {
  type: PaymentType;
  sum: Money;
}

/** The receipt's VAT sum at one rate. */
export interface ReceiptVat {
  type: VatType;
  sum: Money;
}

/** Tag 1084: name (1–64 characters) and value (1–256). */
export interface AdditionalUserProps {
  name: string;
  value: string;
}

/** Tag 1270. */
export interface OperatingCheckProps {
  name: string;
  value: string;
  timestamp: DateTimeText;
}

/** One line of a receipt (table 3.3). */
export interface Item {
  /** 1 to 128 characters. */
  name: string;
  /** At most 42949672.95. */
  price: Money;
  quantity: Quantity;
  /** Usually price × quantity (`itemSum`); below it is a discount. At most 42949672.95. */
  sum: Money;
  /** Required by table 3.3. */
  measure?: Measure;
  /** Absent means `full_prepayment`: give `full_payment` for a sale settled now. */
  payment_method?: PaymentMethod;
  payment_object: PaymentObject;
  nomenclature_code?: string;
  vat: ItemVat;
  agent_info?: AgentInfo;
  supplier_info?: SupplierInfo;
  user_data?: string;
  /** Never negative. */
  excise?: Money;
  /** 1 to 3 digits. */
  country_code?: string;
  /** At most 32 characters. */
  declaration_number?: string;
  /** Only for items sold by the piece (measure 0). */
  mark_quantity?: MarkQuantity;
  /** Must be `"0"`. */
  mark_processing_mode?: string;
  sectoral_item_props?: SectoralProps[];
  mark_code?: MarkCode;
}

/** An item's VAT: its rate and, unless the receipt gives `vats`, its sum. */
export interface ItemVat {
  type: VatType;
  sum?: Money;
}

/** Tag 1291: the fraction of a marked item sold, numerator < denominator. */
export interface MarkQuantity {
  numerator: number;
  denominator: number;
}

/** Tags 1260 and 1261: a reference to a federal body's normative act. */
export interface SectoralProps {
  federal_id: FederalId;
  date: ShortDateText;
  number: string;
  value: string;
}

/** Tag 1163: the code of a marked item in exactly one of its nine forms. */
export interface MarkCode {
  unknown?: string;
  ean8?: string;
  ean13?: string;
  itf14?: string;
  gs1m?: string;
  short?: string;
  fur?: string;
  egais20?: string;
  egais30?: string;
}

/** Who sells through an agent (table 3.4); needs `supplier_info` beside it. */
export interface AgentInfo {
  type: AgentType;
  paying_agent?: PayingAgent;
  receive_payments_operator?: ReceivePaymentsOperator;
  money_transfer_operator?: MoneyTransferOperator;
}

export interface PayingAgent {
  operation?: string;
  /** `+` and up to 18 digits each. */
  phones?: string[];
}

export interface ReceivePaymentsOperator {
  phones?: string[];
}

export interface MoneyTransferOperator {
  /** At most one phone. */
  phones?: string[];
  name?: string;
  address?: string;
  inn?: string;
}

/** The supplier of goods sold by an agent; needs `agent_info` beside it. */
export interface SupplierInfo {
  phones?: string[];
  name?: string;
  inn?: string;
}

// ------------------------------------------------- KKT registration API

/**
 * The body of `POST api/kkt/application` (table 1). `ofdAgreementId` (the
 * user's personal cabinet, a UUID) and `purpose` are required, also read as
 * §2.1's `OfdAgreementId` and `Purpose`.
 */
export type ApplicationRequest = ApplicationDetails &
  ({ ofdAgreementId: string; OfdAgreementId?: never } | { OfdAgreementId: string; ofdAgreementId?: never }) &
  ({ purpose: ApplicationPurpose; Purpose?: never } | { Purpose: ApplicationPurpose; purpose?: never });

/** The optional part of an application. */
export interface ApplicationDetails {
  KktDetails?: KktDetails;
  /** Table 3's spelling, read as `KktDetails`. */
  kktDetails?: KktDetails;
  CompanyDetails?: CompanyDetails;
  /** Table 3's spelling, read as `CompanyDetails`. */
  companyDetails?: CompanyDetails;
}

/** The body of `PUT api/kkt/application/{id}` (table 3): only what changes. */
export interface ApplicationUpdate {
  kktDetails?: KktDetails;
  /** Table 1's spelling, read as `kktDetails`. */
  KktDetails?: KktDetails;
  companyDetails?: CompanyDetails;
  /** Table 1's spelling, read as `companyDetails`. */
  CompanyDetails?: CompanyDetails;
}

/** The cash register. */
export interface KktDetails {
  FnName?: string;
  /** 16 digits. */
  FnNumber?: string;
  Model?: string;
  /** At most 20 characters. */
  SerialNumber?: string;
  /** 4 digits. */
  FnsBranchCode?: string;
  AutomaticDeviceNumber?: string;
  InstallmentAddress?: Address;
  InstallmentPlace?: InstallmentPlace;
  UsageMode?: UsageMode;
  /** The registration report's data, for the secondary request. */
  FiscalDocumentData?: FiscalDocumentData;
  UnregistrationReasons?: UnregistrationReasons;
  ReregistrationReasons?: ReregistrationReasons;
  /** 16 digits whose last 6 are a CRC over the INN and serial number. */
  RegNumber?: string;
}

/** Where the KKT is installed: a name (a site's address, a vehicle) or a structure with a FIAS code. */
export type InstallmentPlace = string | InstallmentPlaceObject;

export interface InstallmentPlaceObject {
  Name?: string;
  /** A UUID. */
  FiasCode?: string;
}

export interface Address {
  /** A UUID. */
  FiasCode?: string;
  /** 6 digits. */
  PostalCode?: string;
  /** 2 digits. */
  RegionCode?: string;
  Region?: string;
  Settlement?: string;
  Street?: string;
  HouseNumber?: string;
  Building?: string;
  Office?: string;
  FullAddress?: string;
}

export interface UsageMode {
  Banking?: boolean;
  ExcisableGoods?: boolean;
  FormsForReports?: boolean;
  Gambling?: boolean;
  Lottery?: boolean;
  Agent?: boolean;
  AutomatedDevice?: boolean;
  Internet?: boolean;
  Mobile?: boolean;
}

export interface FiscalDocumentData {
  DateTime?: IsoDateTimeText;
  /** 1 to 10 digits. */
  DocumentNumber?: string;
  Signature?: string;
}

export interface UnregistrationReasons {
  Lost?: boolean;
  Stolen?: boolean;
}

export interface ReregistrationReasons {
  AutomatedDeviceChanged?: boolean;
  FnChanged?: boolean;
  InstallmentPlaceChanged?: boolean;
  /** The server's spelling (sic), which ofdkit writes. */
  OfdChaged?: boolean;
  /** Read as `OfdChaged`. */
  OfdChanged?: boolean;
  Other?: boolean;
  SwitchedFromOfflineToOnlineMode?: boolean;
  SwitchedFromOnlineToOfflineMode?: boolean;
  UserChanged?: boolean;
}

export interface CompanyDetails {
  CompanyType?: CompanyType;
  /** 10 digits for a legal entity, 12 for an entrepreneur. */
  Inn?: string;
  /** Legal entities only. */
  Kpp?: string;
  /** OGRN (13 digits) or OGRNIP (15). */
  Ogrn?: string;
  CompanyName?: string;
  FnsBranchCode?: string;
  /** Needed for an entrepreneur. */
  Director?: Person;
  LegalAddress?: Address;
  Signatory?: Signatory;
  CreatedDate?: IsoDateTimeText;
  UpdatedDate?: IsoDateTimeText;
}

export interface Person {
  FirstName?: string;
  LastName?: string;
  MiddleName?: string;
}

/** Who signs the application's documents. */
export interface Signatory {
  FirstName?: string;
  LastName?: string;
  MiddleName?: string;
  Name?: string;
  Email?: string;
  Phone?: string;
  Position?: string;
  Reason?: string;
}

/** The body of `POST api/kkt/application/{id}/sign` (table 7); `documentId` is also read as `DocumentId`. */
export type SignRequest = SignatureMembers &
  ({ documentId: string; DocumentId?: never } | { DocumentId: string; documentId?: never });

export interface SignatureMembers {
  /** The detached signature, base64. */
  signature: string;
}

/**
 * The body of `POST api/partner/v2/kkt/application` (appendix 1, table
 * П1.1). The organisation's full name is `Name` (the example's spelling,
 * which ofdkit writes) or `name` (the table's).
 */
export type PartnerRegistration = PartnerRegistrationMembers &
  ({ Name?: string; name?: never } | { name?: string; Name?: never });

/** Table П1.1 marks no field as required; without the email or INN no registration scenario can run. */
export interface PartnerRegistrationMembers {
  nickName?: string;
  email?: string;
  inn?: string;
  kpp?: string;
  ogrn?: string;
  okved?: string;
  legalAddress?: PartnerAddress;
  actualAddress?: PartnerAddress;
  taxPayer?: TaxPayer;
  phoneNumber?: string;
  /** The signed agreement, base64. */
  agreement?: string;
}

export interface PartnerAddress {
  regionCode?: string;
  region?: string;
  /** 6 digits. */
  zipCode?: string;
  city?: string;
  settlement?: string;
  street?: string;
  building?: string;
  housing?: string;
  apartment?: string;
}

export interface TaxPayer {
  lastName?: string;
  firstName?: string;
  secondName?: string;
}

/** The partner API's answer, for code that receives it from its server. */
export interface PartnerResponse {
  data?: PartnerData;
  Data?: PartnerData;
  Success?: boolean;
  success?: boolean;
  errorText?: string;
  ErrorText?: string;
  errorValue?: string;
  ErrorValue?: string;
}

export interface PartnerData {
  agreement?: string;
}
