//! The sandbox's cashboxes: fiscal drives, registration numbers with their
//! real CRC, shifts and fiscal document numbers that count up.

use ofdkit::money::Amount;
use ofdkit::rules::kkt_registration_number;

/// The INN the sandbox's cashboxes are registered to.
pub(crate) const OWNER_INN: &str = "7825706086";

/// Receipts per shift before the sandbox opens a new one.
const RECEIPTS_PER_SHIFT: u32 = 500;

#[derive(Debug)]
pub(crate) struct Cashbox {
    pub device_id: u64,
    pub fn_number: String,
    pub serial_number: String,
    pub registration_number: String,
    pub model: &'static str,
    pub documents: u32,
    pub shift: u32,
    pub receipts_in_shift: u32,
}

/// The fiscal requisites a cashbox gives one receipt.
#[derive(Clone, Debug)]
pub(crate) struct Fiscalised {
    pub fn_number: String,
    pub registration_number: String,
    pub shift_number: u32,
    pub fiscal_receipt_number: u32,
    pub fiscal_document_number: u32,
    pub fiscal_document_attribute: u64,
}

impl Cashbox {
    pub(crate) fn new(index: usize) -> Self {
        let serial_number = format!("0010572664{:04}", 5591 + index);
        let first_ten = format!("{:010}", 7_795_807 + index as u64);
        // The serial and INN are well formed, so the number can always be computed.
        let registration_number = kkt_registration_number(&first_ten, OWNER_INN, &serial_number).unwrap_or_default();
        Cashbox {
            device_id: 12_135 + index as u64,
            fn_number: format!("92804403007{:05}", 50_000 + index),
            serial_number,
            registration_number,
            model: "Эфир Pro ФС",
            documents: 0,
            shift: 1,
            receipts_in_shift: 0,
        }
    }

    /// Prints a receipt: the next fiscal document of the drive.
    pub(crate) fn fiscalise(&mut self, total: Amount) -> Fiscalised {
        if self.receipts_in_shift == RECEIPTS_PER_SHIFT {
            // Closing a shift and opening the next are fiscal documents too.
            self.shift += 1;
            self.receipts_in_shift = 0;
            self.documents += 2;
        }
        self.documents += 1;
        self.receipts_in_shift += 1;
        // A stand-in for the fiscal sign: a stable 32-bit mix of the drive,
        // the document number and the total.
        let mut sign: u64 = 0xcbf2_9ce4_8422_2325;
        for byte in self.fn_number.bytes().chain(self.documents.to_le_bytes()).chain(total.kopecks().to_le_bytes()) {
            sign = (sign ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3);
        }
        Fiscalised {
            fn_number: self.fn_number.clone(),
            registration_number: self.registration_number.clone(),
            shift_number: self.shift,
            fiscal_receipt_number: self.receipts_in_shift,
            fiscal_document_number: self.documents,
            fiscal_document_attribute: sign % 4_294_967_296,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_count_up_and_registration_numbers_check() {
        let mut cashbox = Cashbox::new(0);
        assert_eq!(cashbox.registration_number, "0007795807005569");
        let first = cashbox.fiscalise(Amount::ZERO);
        let second = cashbox.fiscalise(Amount::ZERO);
        assert_eq!((first.fiscal_document_number, second.fiscal_document_number), (1, 2));
        assert_eq!((first.fiscal_receipt_number, second.fiscal_receipt_number), (1, 2));
        assert_ne!(first.fiscal_document_attribute, second.fiscal_document_attribute);
        for _ in 2..RECEIPTS_PER_SHIFT {
            cashbox.fiscalise(Amount::ZERO);
        }
        let next_shift = cashbox.fiscalise(Amount::ZERO);
        assert_eq!((next_shift.shift_number, next_shift.fiscal_receipt_number), (2, 1));
        assert_eq!(next_shift.fiscal_document_number, RECEIPTS_PER_SHIFT + 3);
    }
}
