//! The GraphQL documents Try it sends, fixed at build time and written as Stitch documents
//! them (`stitch-api.md`, "After the token"). Every value travels in `variables`: nothing a
//! person types is ever formatted into a document, so no input can change what is asked.
//! A disbursement (`clientDisbursementCreate`) has no document here, and so no way to be sent.

/// Creates a Pay By Bank payment request (scope `client_paymentrequest`).
pub const CREATE_PAYMENT_REQUEST: &str = "\
mutation CreatePaymentRequest($input: ClientPaymentInitiationRequestCreateInput!) {
  clientPaymentInitiationRequestCreate(input: $input) { paymentInitiationRequest { id url } }
}";

/// Reads a payment request's state (scope `client_paymentrequest`). `amount` is Stitch's
/// `Money` scalar, selected with no sub-fields.
pub const PAYMENT_REQUEST_STATUS: &str = "\
query PaymentRequestStatus($id: ID!) {
  node(id: $id) { ... on PaymentInitiationRequest { id url amount payerReference beneficiaryReference
    externalReference expireAt created
    state { __typename
      ... on PaymentInitiationRequestCompleted { date amount }
      ... on PaymentInitiationRequestCancelled { date reason }
      ... on PaymentInitiationRequestExpired { date } } } }
}";

/// Completes a payment request on a test client without a bank (Stitch documents it for test
/// clients only). Stitch's example writes `$id` without declaring it; the declaration is
/// added, as GraphQL requires of every variable used (GraphQL spec §5.8.3).
pub const SIMULATE_COMPLETE: &str = "\
mutation SimulateComplete($id: ID!) { testClientPaymentInitiationRequestSimulateComplete(input: {
  paymentRequestId: $id, paymentMethod: eft }) { paymentRequestId } }";

/// Refunds a completed payment (scope `client_refund`).
pub const CREATE_REFUND: &str = "\
mutation CreateRefund($input: ClientRefundInitiateInput!) {
  clientRefundInitiate(input: $input) { refund { id status { __typename } } }
}";

/// Reads a refund's status.
pub const REFUND_STATUS: &str = "\
query RefundStatus($id: ID!) { node(id: $id) { ... on Refund { id status { __typename } } } }";

/// Verifies a bank account (scope `client_bankaccountverification`): a query on `client`, not
/// a mutation. `accountHolder.identifyingDocument` is not selected: it needs another scope.
pub const VERIFY_BANK_ACCOUNT: &str = "\
query Bav($input: BankAccountVerificationInput!) { client { verifyBankAccountDetails(input: $input) {
  accountVerificationResult accountNumber bankId accountOpen accountAcceptsCredits
  detailedAccountVerificationResults { accountExists identityDocumentMatch initialMatch lastNameMatch } } } }";

/// Every document, for the checks below and for whoever shows them (the inspector, code for
/// integrators).
pub const ALL: [&str; 6] = [
    CREATE_PAYMENT_REQUEST,
    PAYMENT_REQUEST_STATUS,
    SIMULATE_COMPLETE,
    CREATE_REFUND,
    REFUND_STATUS,
    VERIFY_BANK_ACCOUNT,
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_document_declares_each_variable_it_uses_and_holds_no_literal_value() {
        for doc in ALL {
            let declared = doc.split_once(')').map(|(head, _)| head).unwrap_or("");
            let body = &doc[declared.len()..];
            for word in body.split(|c: char| !(c.is_alphanumeric() || c == '$')).filter(|w| w.starts_with('$')) {
                assert!(declared.contains(&format!("{word}:")), "{word} is not declared in {doc}");
            }
            assert!(!doc.contains('"'), "a string literal in {doc}");
        }
    }

    #[test]
    fn no_document_moves_money_out() {
        for doc in ALL {
            assert!(!doc.contains("Disbursement"), "{doc}");
        }
    }

    #[test]
    fn money_in_answers_is_selected_as_a_scalar() {
        for doc in ALL {
            assert!(!doc.contains("amount {"), "{doc}");
        }
    }
}
