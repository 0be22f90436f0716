//! Filling a receipt's VAT sums, `vats` and `total` from its items, so that
//! a user who gives names, prices and quantities gets a consistent receipt.

use crate::codes::{PaymentType, VatType};
use crate::error::Error;
use crate::money::Amount;
use crate::vat::vat_of;

use super::item::Item;
use super::receipt::{Payment, Receipt, ReceiptVat};

impl Item {
    /// Sets `sum` to price × quantity rounded half-up to the kopeck.
    pub fn recompute_sum(&mut self) -> Result<(), Error> {
        self.sum = super::item::item_sum(self.price, self.quantity)?;
        Ok(())
    }

    /// Sets the item's VAT sum from its sum and rate (none for `none`).
    pub fn fill_vat(&mut self) {
        self.vat.sum = (self.vat.vat_type != VatType::None).then(|| vat_of(self.sum, self.vat.vat_type));
    }
}

impl Receipt {
    /// Fills every item's VAT sum, the receipt's `vats` (one entry per rate,
    /// in order of first use, each the sum of its items' VAT sums, so the
    /// two always agree) and `total` (the sum of the items). Item sums are
    /// kept as given.
    ///
    /// ```
    /// use ofdkit::codes::{Measure, PaymentObject, PaymentType, Sno, VatType};
    /// use ofdkit::ferma::{Company, Item, Payment, Receipt};
    /// let company = Company::new(Sno::Osn, "7825706086", "https://shop.example.ru");
    /// let tea = Item::new("Tea", "150.00".parse().unwrap(), "2".parse().unwrap(),
    ///                     VatType::Vat20, PaymentObject::Commodity, Measure::Piece).unwrap();
    /// let mut receipt = Receipt::new(company, vec![tea], vec![Payment::new(PaymentType::Electronic, "300".parse().unwrap())]);
    /// receipt.fill_totals().unwrap();
    /// assert_eq!(receipt.total.unwrap().to_string(), "300.00");
    /// assert_eq!(receipt.vats.as_ref().unwrap()[0].sum.to_string(), "50.00");
    /// ```
    pub fn fill_totals(&mut self) -> Result<(), Error> {
        let mut vats: Vec<(VatType, i64)> = Vec::new();
        let mut total: i64 = 0;
        for item in &mut self.items {
            item.fill_vat();
            total += item.sum.kopecks();
            let vat = item.vat.sum.map_or(0, Amount::kopecks);
            match vats.iter_mut().find(|(t, _)| *t == item.vat.vat_type) {
                Some((_, sum)) => *sum += vat,
                None => vats.push((item.vat.vat_type, vat)),
            }
        }
        let too_large = |what: &str| Error::Argument(format!("the receipt's {what} is above 99999999.99"));
        self.total = Some(Amount::from_kopecks(total).map_err(|_| too_large("total"))?);
        self.vats = Some(
            vats.into_iter()
                .map(|(t, sum)| Ok(ReceiptVat::new(t, Amount::from_kopecks(sum).map_err(|_| too_large("VAT"))?)))
                .collect::<Result<_, Error>>()?,
        );
        Ok(())
    }

    /// Adds a payment of `payment_type` for whatever the payments leave
    /// unpaid of the total (nothing when they cover it). Call after
    /// [`Receipt::fill_totals`].
    ///
    /// ```
    /// use ofdkit::codes::{Measure, PaymentObject, PaymentType, Sno, VatType};
    /// use ofdkit::ferma::{Company, Item, Receipt};
    /// let company = Company::new(Sno::Osn, "7825706086", "https://shop.example.ru");
    /// let mut tea = Item::new("Tea", "150.00".parse().unwrap(), "2".parse().unwrap(),
    ///                         VatType::Vat20, PaymentObject::Commodity, Measure::Piece).unwrap();
    /// tea.sum = "270.00".parse().unwrap(); // a 10 % discount: the sum is below price × quantity
    /// let mut receipt = Receipt::new(company, vec![tea], vec![]);
    /// receipt.fill_totals().unwrap();
    /// receipt.pay_rest(PaymentType::Electronic).unwrap();
    /// assert_eq!(receipt.payments[0].sum.to_string(), "270.00");
    /// assert_eq!(receipt.vats.as_ref().unwrap()[0].sum.to_string(), "45.00");
    /// ```
    pub fn pay_rest(&mut self, payment_type: PaymentType) -> Result<(), Error> {
        let Some(total) = self.total else {
            return Err(Error::Argument("the receipt has no total yet: fill_totals first".to_owned()));
        };
        let paid: i64 = self.payments.iter().map(|p| p.sum.kopecks()).sum();
        let rest = total.kopecks() - paid;
        if rest > 0 {
            let rest = Amount::from_kopecks(rest).map_err(|e| Error::Argument(e.to_string()))?;
            self.payments.push(Payment::new(payment_type, rest));
        }
        Ok(())
    }
}
